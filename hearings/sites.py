"""Several municipalities in one installation: each is a Wagtail Site with its own
page tree (home page, hearing index, hearings), department tree, settings and staff
groups. This module answers which site a hearing, department or person belongs to;
``hearings.access`` uses it so nobody sees across.
"""

import copy
import time

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models import Q
from django.http.request import split_domain_port
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
)

from hearings.models import (
    ConsentText,
    GroupSite,
    HearingIndexPage,
    HearingSettings,
    HearingType,
    MunicipalitySettings,
    PrivacySettings,
    ResponseFormTemplate,
    TextBlockSnippet,
)
from hearings.models.people import permission_site_ids
from hearings.models.taxonomy import site_id_for_path

WORKFLOW_NAME = "Godkendelse af høring"
WORKFLOW_OLD_NAME = "Hearing approval"


# The site a request is for, and that site's home page, kept in this process's memory
# for a few seconds (#16): every page and every post otherwise asks the database for
# both (two queries, and the most involved one to build). A site or page saved in this
# process forgets them at once (``forget_sites``); other processes within
# ``AGORA_SITE_SECONDS`` (Wagtail's own cache of the sites' root paths is kept per
# process too, and longer). Each request gets its own copies.
_kept_sites = {}
MAX_KEPT_SITES = 200  # host names and ports; more and the memory starts afresh


def forget_sites(sender=None, instance=None, **kwargs):
    """Signal handler: a site or a page was saved, moved or deleted."""
    if instance is None or isinstance(instance, (Site, Page)):
        _kept_sites.clear()


def find_site(request):
    """Give ``request`` its Wagtail site (as ``Site.find_for_request`` does) with the
    site's home page read already, from memory when this process found them moments
    ago."""
    seconds = settings.AGORA_SITE_SECONDS
    if hasattr(request, "_wagtail_site"):
        return
    if not seconds:
        Site.find_for_request(request)
        return
    try:
        key = (split_domain_port(request.get_host())[0], request.get_port())
    except DisallowedHost:
        return  # not a host name of this installation: Django answers 400 further on
    now = time.monotonic()
    kept = _kept_sites.get(key)
    if kept is not None and kept[0] > now:
        site = copy.copy(kept[1])
        site.root_page = copy.copy(kept[2])
        request._wagtail_site = site
        return
    site = Site.find_for_request(request)
    if site is not None:
        home = site.root_page.specific
        if len(_kept_sites) >= MAX_KEPT_SITES:
            _kept_sites.clear()
        _kept_sites[key] = (now + seconds, copy.copy(site), copy.copy(home))


def site_roots():
    """``{site id: root page path}`` for every site."""
    return dict(Site.objects.values_list("pk", "root_page__path"))


def site_of_path(path):
    """The id of the site whose tree holds the page at ``path`` (the deepest root)."""
    return site_id_for_path(path)


def site_id_for_path_in(path, roots):
    """As ``site_of_path`` with ``roots`` (from ``site_roots``) known: no query."""
    best, best_root = None, ""
    for site_id, root in roots.items():
        if path and path.startswith(root) and len(root) > len(best_root):
            best, best_root = site_id, root
    return best


def site_of_page(page):
    """The Site a page (e.g. a hearing) belongs to, or None."""
    if not page or not page.path:
        return None
    site_id = site_of_path(page.path)
    return Site.objects.get(pk=site_id) if site_id else None


def pages_q(site_ids, roots=None):
    """A Q for the pages in the trees of ``site_ids``."""
    roots = site_roots() if roots is None else roots
    q = Q(pk__in=[])
    for site_id in site_ids:
        if site_id in roots:
            q |= Q(path__startswith=roots[site_id])
    return q


def in_site(queryset, site):
    """Restrict a page queryset to ``site``'s tree (no restriction without a site)."""
    if site is None:
        return queryset
    return queryset.filter(path__startswith=site.root_page.path)


def request_site(request):
    return Site.find_for_request(request) if request is not None else None


def staff_site_ids(user):
    """The sites whose hearings and responses staff member ``user`` handles; None for all.

    A superuser handles every site. Otherwise: the sites of the user's groups
    (``GroupSite``) and the sites holding the pages their groups have Wagtail page
    permissions on. A user with neither handles every site while the installation has
    only one, and none once there are several.
    """
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    if not hasattr(user, "_agora_staff_sites"):
        groups = Group.objects.filter(user=user)
        ids = set(GroupSite.objects.filter(group__in=groups).values_list("site_id", flat=True))
        roots = site_roots()
        for path in GroupPagePermission.objects.filter(group__in=groups).values_list(
            "page__path", flat=True
        ):
            ids |= permission_site_ids(path, roots)
        if not ids and len(roots) <= 1:
            ids = None
        user._agora_staff_sites = ids
    return user._agora_staff_sites


def staff_pages_q(user):
    """A Q for the pages ``user``'s staff roles cover; None for every page."""
    ids = staff_site_ids(user)
    if ids is None:
        return None
    return pages_q(ids)


def staff_covers(user, page):
    """Do ``user``'s staff roles cover ``page``'s site?"""
    ids = staff_site_ids(user)
    if ids is None or not page.path:
        # No path: a new page's preview, which only its editor reaches.
        return True
    return site_of_path(page.path) in ids


def approval_workflow():
    """The hearing approval workflow: the one an existing hearing index uses, else the
    one hearings 0002 created (by its Danish or original name)."""
    assigned = (
        WorkflowPage.objects.filter(page__content_type=index_content_type())
        .select_related("workflow")
        .first()
    )
    if assigned is not None:
        return assigned.workflow
    return Workflow.objects.filter(name__in=[WORKFLOW_NAME, WORKFLOW_OLD_NAME]).first()


def index_content_type():
    return ContentType.objects.get_for_model(HearingIndexPage)


def ensure_index_workflow(index):
    """Give a hearing index the hearing approval workflow, unless it has one."""
    if WorkflowPage.objects.filter(page_id=index.pk).exists():
        return
    workflow = approval_workflow()
    if workflow is not None:
        WorkflowPage.objects.create(page_id=index.pk, workflow=workflow)


def on_index_saved(sender, instance, created, raw=False, **kwargs):
    """Every site's hearing index gets the hearing approval workflow when created."""
    if created and not raw:
        ensure_index_workflow(instance)


# The staff roles of a municipality: its own groups, with Wagtail page permissions on
# its hearing index (so Wagtail scopes editors) and tied to its site (GroupSite).
STAFF_ROLES = {
    "Hearing editors": ["add_page", "change_page", "lock_page", "unlock_page"],
    "Hearing approvers": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    "Response moderators": [],
}
PARTY_PERMISSIONS = ["add_hearingparty", "change_hearingparty", "view_hearingparty"]
ROLE_MODEL_PERMISSIONS = {
    "Hearing editors": ["view_hearingtype", "view_subjectarea", "view_department"]
    + PARTY_PERMISSIONS,
    "Hearing approvers": ["view_hearingtype", "view_subjectarea", "view_department"]
    + PARTY_PERMISSIONS,
    "Response moderators": [],
}
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
]


def municipality_groups(site, index):
    """Create (if missing) ``site``'s staff groups, named "<site name>: <role>", with
    page permissions on ``index``; the approvers join the approval task. Returns
    ``{role: group}``."""
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    groups = {}
    for role, page_codenames in STAFF_ROLES.items():
        group, __ = Group.objects.get_or_create(name=f"{site.site_name}: {role}")
        group.permissions.add(access_admin)
        for codename in ROLE_MODEL_PERMISSIONS[role]:
            group.permissions.add(
                Permission.objects.get(content_type__app_label="hearings", codename=codename)
            )
        for codename in page_codenames:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=index,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
        if page_codenames:
            root_collection = Collection.get_first_root_node()
            for app_label, codename in COLLECTION_PERMISSIONS:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=Permission.objects.get(
                        content_type__app_label=app_label, codename=codename
                    ),
                )
        GroupSite.objects.update_or_create(group=group, defaults={"site": site})
        groups[role] = group
    workflow = approval_workflow()
    if workflow is not None:
        for task in workflow.tasks.all():
            task = task.specific
            if hasattr(task, "groups"):
                task.groups.add(groups["Hearing approvers"])
    return groups


# Turning a single-site installation into the per-municipality shape -------------------

LIBRARY_MODELS = (TextBlockSnippet, ConsentText, ResponseFormTemplate, HearingType)


def staff_groups():
    """Groups that make their members staff: admin access or page permissions."""
    return Group.objects.filter(
        Q(
            permissions__codename="access_admin",
            permissions__content_type__app_label="wagtailadmin",
        )
        | Q(pk__in=GroupPagePermission.objects.values("group_id"))
    ).distinct()


def group_site_ids(group, roots):
    """The sites whose trees hold (or lie below) the pages ``group`` has permissions on."""
    ids = set()
    for path in GroupPagePermission.objects.filter(group=group).values_list(
        "page__path", flat=True
    ):
        ids |= permission_site_ids(path, roots)
    return ids


def make_multisite(dry_run=False):
    """Give every site what a municipality has, keeping everything that exists; returns
    what was done (or would be, with ``dry_run``) as lines of text. Idempotent.

    - municipality settings named after the site (a name already set is kept), and the
      hearing and data-protection settings with their defaults;
    - every hearing index the hearing approval workflow;
    - every staff group not yet tied to a municipality tied to the one site its page
      permissions cover (or the only site); a group covering several is left and named;
    - the library (text blocks, consent texts, form templates, hearing types) left as
      it is: items without a site stay shared by every municipality.
    """
    done = []
    with transaction.atomic():
        roots = site_roots()
        for site in Site.objects.order_by("-is_default_site", "pk"):
            municipality = MunicipalitySettings.objects.filter(site=site).first()
            name = site.site_name or settings.WAGTAIL_SITE_NAME
            if municipality is None:
                MunicipalitySettings.objects.create(site=site, name=name)
                done.append(f"{site}: municipality settings created, named “{name}”")
            elif not municipality.name:
                municipality.name = name
                municipality.save(update_fields=["name"])
                done.append(f"{site}: municipality named “{name}”")
            for model in (HearingSettings, PrivacySettings):
                if not model.objects.filter(site=site).exists():
                    model.objects.create(site=site)
                    done.append(f"{site}: {model._meta.verbose_name} created with defaults")
            for index in HearingIndexPage.objects.descendant_of(site.root_page):
                if not WorkflowPage.objects.filter(page_id=index.pk).exists():
                    ensure_index_workflow(index)
                    done.append(f"{site}: “{index.title}” gets the hearing approval workflow")
        for group in staff_groups().filter(agora_site__isnull=True).order_by("name"):
            covered = group_site_ids(group, roots)
            if not covered and len(roots) == 1:
                covered = set(roots)
            if len(covered) == 1:
                site = Site.objects.get(pk=covered.pop())
                GroupSite.objects.create(group=group, site=site)
                done.append(f"group “{group.name}” tied to {site}")
            else:
                done.append(
                    f"group “{group.name}” left without a municipality: its page permissions "
                    f"cover {len(covered)} sites; tie it under Settings → Groups' municipalities"
                )
        shared = sum(model.objects.filter(site__isnull=True).count() for model in LIBRARY_MODELS)
        if shared:
            done.append(f"{shared} library item(s) stay shared by every municipality")
        if dry_run:
            transaction.set_rollback(True)
    return done
