"""The one place that decides who may see and answer a hearing.

Pages, the index, search, the API, exports and the admin all ask here. An
internal hearing is for the employees of its invited departments, including
every department below them, and for hearing staff. A published hearing is seen
by its audience from publication (phase ``upcoming``) on; answering is allowed
only while it is ``open``.
"""

import json
import time

from django.conf import settings
from django.contrib.auth import get_backends, get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import JSONObject
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, ReferenceIndex

from hearings import sites
from hearings.errors import Refused
from hearings.models import (
    Audience,
    Department,
    EmployeeProfile,
    HearingPage,
    HearingParty,
    HearingResponse,
    ResponseStatus,
)
from hearings.phases import ENDED, Phase, phase_of
from hearings.prepared import Prepared

ADMIN_ACCESS = ("wagtailadmin", "access_admin")


def is_hearing_staff(user):
    """Editors, approvers, moderators and administrators: anyone with admin access.

    Asked once per request (kept on the user), and without loading every permission
    the user has: one query for the one permission, unless the request's user carries
    the answer from the session (``remember_in_session``)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_agora_staff"):
        user._agora_staff = _has_admin_access(user)
    return user._agora_staff


def _has_admin_access(user):
    if hasattr(user, "_perm_cache") or not _only_model_backends():
        return user.has_perm(".".join(ADMIN_ACCESS))
    # What ModelBackend.has_perm answers, as one query for this permission alone.
    return _admin_access_granted_to(user).exists()


def _admin_access_granted_to(user):
    """The admin access permission as granted to ``user`` (or an ``OuterRef`` to one),
    directly or through a group: what ModelBackend's ``has_perm`` reads."""
    app_label, codename = ADMIN_ACCESS
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).filter(
        Q(user=user) | Q(group__user=user)
    )


def _only_model_backends():
    """Do the permissions come from Django's ModelBackend alone? The identity providers'
    backends (social-auth's SAML and OIDC) sign people in but have no ``has_perm``:
    Django skips them when it asks for permissions, and so does this."""
    for backend in get_backends():
        has_perm = getattr(type(backend), "has_perm", None)
        all_permissions = getattr(type(backend), "get_all_permissions", None)
        if has_perm is None and all_permissions is None:
            continue  # grants no permission
        if has_perm is not ModelBackend.has_perm:
            return False
        if all_permissions is not ModelBackend.get_all_permissions:
            return False
    return True


def user_department(user):
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_agora_department"):
        profile = (
            EmployeeProfile.objects.select_related("department").filter(user_id=user.pk).first()
        )
        user._agora_department = profile.department if profile else None
    return user._agora_department


# What a person's access rests on — the staff flag and their department — is kept in
# their session for a few minutes (``AGORA_ACCESS_SESSION_SECONDS``), so the pages they
# read ask the database for neither (nor whether they speak for a hearing party). Only
# "not staff" is trusted from the session: a staff role taken away applies at the next
# request, while a new role or a change of department applies at the latest when that
# time has passed (or on signing in again).
SESSION_KEY = "agora_access"
DEPARTMENT_FIELDS = ("id", "site_id", "parent_id", "name", "code", "path")


def remember_in_session(request, now=None):
    """Give ``request.user`` the staff flag and department kept in the session, or work
    them out and keep them there (``AGORA_ACCESS_SESSION_SECONDS``; 0 turns it off)."""
    seconds = settings.AGORA_ACCESS_SESSION_SECONDS
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if not seconds or user is None or session is None or not user.is_authenticated:
        return
    now = time.time() if now is None else now
    kept = session.get(SESSION_KEY)
    if (
        isinstance(kept, dict)
        and kept.get("user") == user.pk
        and 0 <= now - kept.get("at", 0) < seconds
    ):
        if not kept["staff"]:
            user._agora_staff = False
        if kept.get("party_contact") is False:
            user._agora_party_contact = False
        fields = kept["department"]
        user._agora_department = _department_from(fields) if fields else None
        return
    _keep_facts(user, session, now)


def remember_at_sign_in(sender, request, user, **kwargs):
    """Signal handler (``user_logged_in``): keep the person's access facts in the
    session that signing in writes anyway, so their first page writes it no more (#16:
    one ``UPDATE`` of the session for every person who signs in and opens a hearing)."""
    session = getattr(request, "session", None)
    if not settings.AGORA_ACCESS_SESSION_SECONDS or session is None:
        return
    _keep_facts(user, session, time.time())


def _keep_facts(user, session, now):
    kept = session[SESSION_KEY] = {"user": user.pk, "at": now, **_access_facts(user)}
    if not kept["party_contact"]:
        user._agora_party_contact = False  # this request need not ask again either


def _access_facts(user):
    """The staff flag, whether they are a party's contact person, and the department
    (its fields) of ``user``: in one query when the permissions come from Django's
    ModelBackend alone (#16: three on the first page of every session)."""
    simple = not (
        user.is_superuser
        or not user.is_active
        or hasattr(user, "_agora_staff")
        or hasattr(user, "_agora_department")
        or hasattr(user, "_perm_cache")
    )
    if simple and _only_model_backends():
        row = next(iter(_ACCESS_FACTS(user_id=user.pk)), None)
        if row is not None:
            department = row["department"]
            if isinstance(department, str):
                department = json.loads(department)
            user._agora_staff = row["staff"]
            user._agora_department = _department_from(department) if department else None
            return {**row, "department": department}
    department = user_department(user)
    return {
        "staff": bool(user.is_superuser or is_hearing_staff(user)),
        "party_contact": HearingParty.objects.filter(contact_users=user).exists(),
        "department": (
            {name: getattr(department, name) for name in DEPARTMENT_FIELDS} if department else None
        ),
    }


def _access_facts_query(user_id):
    profile = EmployeeProfile.objects.filter(user=OuterRef("pk"), department__isnull=False)
    fields = {name: f"department__{name}" for name in DEPARTMENT_FIELDS}
    return (
        get_user_model()
        .objects.filter(pk=user_id)
        .values(
            staff=Exists(_admin_access_granted_to(OuterRef("pk"))),
            party_contact=Exists(HearingParty.objects.filter(contact_users=OuterRef("pk"))),
            department=Subquery(profile.values(json=JSONObject(**fields))[:1]),
        )[:1]
    )


_ACCESS_FACTS = Prepared(_access_facts_query)  # compiled once per process


def _department_from(fields):
    department = Department(**fields)
    department._state.adding = False
    department._state.db = "default"
    return department


def own_departments(user):
    """The departments ``user`` may answer on behalf of: the one they work in.

    Not the departments above it: an employee of a team does not speak for the whole
    administration (or the mayor's office) because it sits above them.
    """
    department = user_department(user)
    return [department] if department else []


def audience_department_ids(user):
    """Ids of the user's department and every department above it.

    A hearing that invites any of these invites the user.
    """
    department = user_department(user)
    return department.ancestor_ids if department else []


def audience_of(user):
    """(user id, ids of their department and those above it) for ``find_live_hearing``
    to ask whether the hearing it finds invites them; None for no one signed in."""
    if user is None or not user.is_authenticated:
        return None
    return user.pk, audience_department_ids(user)


def is_in_audience(user, hearing):
    """Is ``user`` invited: employed in an invited department (or below one), or a
    contact person of an invited hearing party? Decided once per request: kept on the
    hearing (the page object the request serves) for the user it was asked for."""
    if hearing.audience == Audience.PUBLIC:
        return True
    kept = hearing.__dict__.get("_agora_audience")
    if kept is not None and kept[0] == user.pk:
        return kept[1]
    found = hearing.__dict__.get("_agora_invited_department")
    if found is not None and found[0] == user.pk:
        invited = found[1]  # asked with the query that found the page (find_live_hearing)
    else:
        ids = audience_department_ids(user)
        # ``id``, not ``pk``: in a preview the page is an unsaved copy whose departments
        # are a modelcluster FakeQuerySet, which filters on model fields only.
        invited = bool(ids) and hearing.invited_departments.filter(id__in=ids).exists()
    if not invited:
        invited = bool(answerable_parties(user, hearing))
    hearing.__dict__["_agora_audience"] = (user.pk, invited)
    return invited


def answerable_parties(user, hearing):
    """The invited hearing parties ``user`` is a contact person of: those they may
    answer ``hearing`` on behalf of."""
    if not user.is_authenticated or not user.is_active or not hearing.pk:
        return []
    if getattr(user, "_agora_party_contact", None) is False:
        return []  # a contact person of no party at all (kept in the session)
    kept = hearing.__dict__.get("_agora_parties")
    if kept is not None and kept[0] == user.pk:
        return kept[1]
    parties = list(
        HearingParty.objects.filter(invited_to=hearing.pk, contact_users=user).order_by("name")
    )
    hearing.__dict__["_agora_parties"] = (user.pk, parties)
    return parties


def party_refusal(user, hearing, party, exclude_response=None):
    """Why ``user`` cannot answer ``hearing`` on behalf of ``party``, as a ``Refused``;
    None when they can. One response per party unless the hearing accepts several."""
    if party is None:
        return None
    if party.pk not in {p.pk for p in answerable_parties(user, hearing)}:
        return Refused(
            _("You are not a contact person of %(party)s for this hearing.")
            % {"party": party.name},
            Refused.FORBIDDEN,
        )
    if not hearing.several_responses_per_party:
        answered = HearingResponse.objects.filter(hearing=hearing, party=party).standing()
        if exclude_response is not None:
            answered = answered.exclude(pk=exclude_response.pk)
        if answered.exists():
            return Refused(
                _("%(party)s has already answered this hearing.") % {"party": party.name}
            )
    return None


def is_staff_for(user, hearing):
    """Is ``user`` hearing staff of ``hearing``'s municipality (site)?"""
    return is_hearing_staff(user) and sites.staff_covers(user, hearing)


def can_see(user, hearing):
    """May ``user`` read ``hearing`` on the site? Staff see their own municipality's
    hearings; another municipality's only as anyone else would."""
    if is_staff_for(user, hearing):
        return True
    if not hearing.live:
        return False
    if hearing.audience == Audience.PUBLIC:
        return True
    return user.is_authenticated and user.is_active and is_in_audience(user, hearing)


def respond_refusal(user, hearing, now=None):
    """Why ``user`` cannot answer ``hearing`` at ``now``, as a ``Refused`` whose code tells
    who they are (forbidden) from the state of the hearing (conflict); None when they can.
    """
    if not user.is_authenticated:
        return Refused(_("Sign in to answer this hearing."), Refused.FORBIDDEN)
    if not user.is_active:
        return Refused(_("Your account is not active."), Refused.FORBIDDEN)
    if not is_in_audience(user, hearing):
        return Refused(
            _("Your department is not invited to answer this hearing."), Refused.FORBIDDEN
        )
    phase = phase_of(hearing, now)
    if phase == Phase.DRAFT:
        return Refused(_("The hearing is not published."))
    if phase == Phase.UPCOMING:
        return Refused(_("The hearing is not open for answers yet."))
    if phase in ENDED:
        return Refused(_("The deadline has passed; the hearing no longer takes answers."))
    return None


def why_not_respond(user, hearing, now=None):
    """Why ``user`` cannot answer ``hearing`` now, as a message; None when they can."""
    refusal = respond_refusal(user, hearing, now)
    return refusal.message if refusal else None


def can_respond(user, hearing, now=None):
    """May ``user`` answer ``hearing`` at ``now``? Staff answer only if invited too."""
    return respond_refusal(user, hearing, now) is None


def invites(department_ids):
    """A condition on HearingPage querysets: the hearing invites one of
    ``department_ids``. A correlated EXISTS, answered from the invitation's (hearing,
    department) index, so a listing read in deadline order stops after its page instead
    of first collecting every hearing invited (#16)."""
    return Exists(
        HearingPage.invited_departments.through.objects.filter(
            hearingpage=OuterRef("pk"), department__in=department_ids
        )
    )


def visible_hearings(user, queryset=None):
    """Restrict a HearingPage queryset to the hearings ``user`` may see, in one query."""
    if queryset is None:
        queryset = HearingPage.objects.all()
    staff = None
    if is_hearing_staff(user):
        staff = sites.staff_pages_q(user)
        if staff is None:
            return queryset
    public = Q(audience=Audience.PUBLIC)
    if not user.is_authenticated or not user.is_active:
        return queryset.filter(public, live=True)
    # Both asked per row (correlated EXISTS, see ``invites``).
    by_party = HearingPage.invited_parties.through.objects.filter(
        hearingpage=OuterRef("pk"), hearingparty__contact_users=user
    )
    invited = Q(invites(audience_department_ids(user))) | Q(Exists(by_party))
    seen = Q(live=True) & (public | invited)
    return queryset.filter(seen | staff if staff is not None else seen)


# Uploaded files (Wagtail documents and images) ----------------------------------


def pages_using(obj):
    """Ids of the pages whose current content uses ``obj`` (Wagtail's reference index:
    chooser blocks, image blocks and document links in rich text)."""
    rows = ReferenceIndex.get_references_to(obj).filter(
        base_content_type=ReferenceIndex._get_base_content_type(Page)
    )
    return [int(object_id) for object_id in rows.values_list("object_id", flat=True)]


def can_see_file(user, obj):
    """May ``user`` download the document or image ``obj`` (an image's renditions follow it)?

    Staff see the files of their own municipality (``staff_may_see_file``). Anyone else,
    and staff for another municipality's files, see a file when at
    least one page that uses it is a page they may see: a live page without view
    restrictions, or a hearing they may see (``can_see``). So a document reused in a
    public and an internal hearing is public; one used only in internal hearings is for
    their audiences; one that no page the person may see uses — unused, only in a draft,
    or only in another department's hearing — is not found. An editor's unpublished
    draft never makes a file public: the index holds the pages' published content.
    """
    page_ids = pages_using(obj)
    if is_hearing_staff(user) and staff_may_see_file(user, obj, page_ids):
        return True
    if not page_ids:
        return False
    pages = Page.objects.filter(pk__in=page_ids)
    if pages.live().public().not_type(HearingPage).exists():
        return True
    return visible_hearings(user, HearingPage.objects.filter(pk__in=page_ids)).exists()


# Responses ---------------------------------------------------------------------


def can_see_response(user, response):
    """The respondent sees their own response; its hearing's moderators and owner see the
    handed-in ones. A draft belongs to its writer until it is handed in."""
    if not user.is_authenticated or not user.is_active:
        return False
    if response.respondent_id == user.pk:
        return True
    if response.status == ResponseStatus.DRAFT:
        return False
    return can_moderate(user, response.hearing)


def change_refusal(user, response, now=None):
    """Why ``user`` cannot amend or withdraw ``response`` now, as a ``Refused``; None
    when they can."""
    if not user.is_authenticated or response.respondent_id != user.pk:
        return Refused(
            _("Only the person who answered can change this answer."), Refused.FORBIDDEN
        )
    if response.status == ResponseStatus.WITHDRAWN:
        return Refused(_("The answer has been withdrawn."))
    if response.status == ResponseStatus.DRAFT:
        return Refused(_("The answer has not been submitted yet."))
    refusal = respond_refusal(user, response.hearing, now)
    if refusal is not None:
        # The respondent's own answer: what stands in the way is the hearing's state.
        refusal.code = Refused.CONFLICT
    return refusal


def why_not_change_response(user, response, now=None):
    """Why ``user`` cannot amend or withdraw ``response`` now; None when they can."""
    refusal = change_refusal(user, response, now)
    return refusal.message if refusal else None


def can_change_response(user, response, now=None):
    """May ``user`` amend or withdraw ``response``? Its respondent, until the deadline."""
    return why_not_change_response(user, response, now) is None


def can_download_attachment(user, attachment):
    """Seen with its response; an upload not yet part of a response only by its uploader."""
    if not user.is_authenticated or not user.is_active:
        return False
    if attachment.response_id is not None:
        return can_see_response(user, attachment.response)
    return attachment.uploaded_by_id == user.pk


# Audience and export ------------------------------------------------------------


def audience_members(hearing):
    """The active users invited to an internal hearing: employees of the invited
    departments and of every department below them. A public hearing has no list.
    """
    users = get_user_model().objects.filter(is_active=True)
    if hearing.audience == Audience.PUBLIC:
        return users.none()
    paths = list(hearing.invited_departments.values_list("path", flat=True))
    if not paths:
        return users.none()
    below_any = Q()
    for path in paths:
        below_any |= Q(employee_profile__department__path__startswith=path)
    return users.filter(below_any).distinct()


def invited_people(hearing):
    """Everyone invited by name or department: ``audience_members`` and the contact
    persons with an account of the invited hearing parties (public hearings too)."""
    users = get_user_model().objects.filter(is_active=True)
    members = audience_members(hearing)
    contacts = users.filter(hearing_parties__invited_to=hearing.pk)
    return users.filter(Q(pk__in=members.values("pk")) | Q(pk__in=contacts.values("pk")))


def audience_sizes(hearings):
    """``{hearing pk: number of invited employees}`` for many hearings in three queries,
    counted as ``audience_members`` counts them; a public hearing maps to None."""
    sizes = {hearing.pk: None for hearing in hearings if hearing.audience == Audience.PUBLIC}
    internal = [hearing.pk for hearing in hearings if hearing.pk not in sizes]
    invited = {pk: [] for pk in internal}
    for hearing_id, path in Department.objects.filter(invited_to__in=internal).values_list(
        "invited_to", "path"
    ):
        invited[hearing_id].append(path)
    employees = (
        EmployeeProfile.objects.filter(user__is_active=True, department__isnull=False)
        .values_list("department__path")
        .annotate(count=Count("pk"))
    )
    employees = list(employees)
    for pk, paths in invited.items():
        sizes[pk] = sum(
            count for path, count in employees if any(path.startswith(p) for p in paths)
        )
    return sizes


def export_recipients(hearing):
    """Who is told when filing a hearing in the ESDH system fails: its owner and the
    administrators."""
    users = get_user_model().objects.filter(is_active=True)
    owner = Q(pk=hearing.hearing_owner_id) if hearing.hearing_owner_id else Q(pk__in=[])
    return users.filter(owner | Q(is_superuser=True)).exclude(email="")


def can_export(user, hearing):
    """May ``user`` start (or retry) the ESDH export of ``hearing``? Its owner,
    administrators and whoever may change exports in its municipality."""
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        user.is_superuser
        or user.pk == hearing.hearing_owner_id
        or (user.has_perm("hearings.change_hearingexport") and sites.staff_covers(user, hearing))
    )


def can_see_outbox(user):
    """May ``user`` see the e-mail outbox (recipients, subjects) and send a failed mail
    again? Administrators and whoever may view or change notifications."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or any(
        user.has_perm(f"hearings.{action}_notification") for action in ("view", "change")
    )


def can_copy_hearing(user, hearing):
    """May ``user`` copy ``hearing`` as a new hearing? Whoever may add a page beside it
    (Wagtail's page permissions on its parent, so per site), with access to the admin."""
    if not is_hearing_staff(user):
        return False
    parent = hearing.get_parent()
    return parent is not None and parent.permissions_for_user(user).can_add_subpage()


# Moderation and staff tooling ------------------------------------------------------


def can_see_response_rates(user, hearing):
    """May ``user`` see who has and has not answered ``hearing``, and remind them?
    Whoever handles its responses (``can_moderate``): never the audience."""
    return can_moderate(user, hearing)


def can_write_memo(user, hearing):
    """May ``user`` analyse the responses (themes, comments) and download the memo?
    Whoever handles its responses."""
    return can_moderate(user, hearing)


MODERATORS_GROUP = "Response moderators"


def is_moderator(user):
    """A member of a response moderators group: "Response moderators" (created by
    hearings 0002) or a municipality's own ("<site name>: Response moderators")."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not hasattr(user, "_agora_is_moderator"):
        user._agora_is_moderator = user.groups.filter(
            Q(name=MODERATORS_GROUP) | Q(name__endswith=f": {MODERATORS_GROUP}")
        ).exists()
    return user._agora_is_moderator


def can_moderate(user, hearing):
    """May ``user`` read, moderate and export the responses to ``hearing``?

    Superusers, the response moderators of the hearing's municipality (site) and the
    hearing's owner; nobody else, and only with access to the admin (so an employee
    never does).
    """
    if not is_hearing_staff(user):
        return False
    if user.is_superuser:
        return True
    if is_moderator(user) and sites.staff_covers(user, hearing):
        return True
    return hearing.hearing_owner_id == user.pk


def moderated_hearings(user, queryset=None):
    """Restrict a HearingPage queryset to the hearings whose responses ``user`` handles."""
    if queryset is None:
        queryset = HearingPage.objects.all()
    if not is_hearing_staff(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    owned = Q(hearing_owner=user)
    if is_moderator(user):
        scope = sites.staff_pages_q(user)
        return queryset if scope is None else queryset.filter(scope | owned)
    return queryset.filter(owned)


def can_register_response(user, hearing):
    """May ``user`` register a response to ``hearing`` received by e-mail or letter?
    Whoever handles its responses (``can_moderate``): the owner, moderators, superusers."""
    return can_moderate(user, hearing)


def can_moderate_any(user):
    """Should ``user`` see the responses menu at all?"""
    return moderated_hearings(user).exists()


def moderated_responses(user, queryset=None):
    """Handed-in responses of the hearings ``user`` moderates."""
    if queryset is None:
        queryset = HearingResponse.objects.all()
    return queryset.handed_in().filter(hearing__in=moderated_hearings(user).values("pk"))


# Data protection -------------------------------------------------------------------


def can_audit(user):
    """May ``user`` read the audit of access to personal data? Administrators and whoever
    holds the permission (e.g. the data protection officer)."""
    if not is_hearing_staff(user):
        return False
    return user.is_superuser or user.has_perm("hearings.view_personal_data_audit")


LIBRARY_MODELS = ("textblocksnippet", "consenttext", "responseformtemplate", "hearingtype")


def can_move_content(user):
    """May ``user`` download and upload content bundles of the shared library?
    Administrators and whoever may add and change every kind of library item."""
    if not is_hearing_staff(user):
        return False
    return user.is_superuser or user.has_perms(
        [f"hearings.{action}_{model}" for model in LIBRARY_MODELS for action in ("add", "change")]
    )


def can_download_own_data(user):
    """Everyone signed in may download what Agora holds about them."""
    return user.is_authenticated and user.is_active


# Per municipality (site) --------------------------------------------------------------
# Staff handle only their own municipality's things; ``hearings.sites.staff_site_ids``
# says which sites that is (None: every site, for superusers and single-site installs).


def staff_may_see_file(user, obj, page_ids):
    """May staff member ``user`` download ``obj`` as staff (before the rule for anyone)?

    A file that only another municipality's pages use is that municipality's. A file no
    page uses (a fresh upload, or one used only in drafts) is seen by every staff member,
    as the shared collection's choosers show it; its uploader always sees it.
    """
    site_ids = sites.staff_site_ids(user)
    if site_ids is None or not page_ids:
        return True
    if getattr(obj, "uploaded_by_user_id", None) == user.pk:
        return True
    paths = Page.objects.filter(pk__in=page_ids).values_list("path", flat=True)
    roots = sites.site_roots()
    return any(sites.site_id_for_path_in(path, roots) in site_ids for path in paths)


def municipality_users_q(site_ids):
    """A Q for the users of ``site_ids``: employees of their departments and members of
    their staff groups."""
    return Q(employee_profile__department__site_id__in=site_ids) | Q(
        groups__agora_site__site_id__in=site_ids
    )


def staff_hearings(user, queryset=None):
    """The hearings of the municipalities ``user`` handles as staff (every hearing for a
    superuser; none for someone who is not staff)."""
    if queryset is None:
        queryset = HearingPage.objects.all()
    if not is_hearing_staff(user):
        return queryset.none()
    scope = sites.staff_pages_q(user)
    return queryset if scope is None else queryset.filter(scope)


def visible_notifications(user, queryset):
    """The outbox rows ``user`` may list: those about their municipality's hearings, and
    those about no hearing (e.g. an owner's digest) sent to their municipality's people."""
    if not can_see_outbox(user):
        return queryset.none()
    site_ids = sites.staff_site_ids(user)
    if site_ids is None:
        return queryset
    hearings = staff_hearings(user).values("pk")
    people = get_user_model().objects.filter(municipality_users_q(site_ids)).values("pk")
    return queryset.filter(
        Q(hearing__in=hearings) | Q(hearing__isnull=True, recipient_user__in=people)
    )


def visible_exports(user, queryset):
    """The ESDH export records ``user`` may list: their municipality's hearings'."""
    if user.is_superuser:
        return queryset
    return queryset.filter(hearing__in=staff_hearings(user).values("pk"))


def audit_scope(user):
    """What of the audit trail ``user`` may read: None for all of it, else
    ``(hearing ids, person ids)`` of their municipalities."""
    site_ids = sites.staff_site_ids(user)
    if site_ids is None:
        return None
    hearing_ids = list(staff_hearings(user).values_list("pk", flat=True))
    people = get_user_model().objects.filter(municipality_users_q(site_ids))
    return hearing_ids, list(people.values_list("pk", flat=True).distinct())


def municipality_site_ids(user):
    """The sites ``user`` belongs to: their department's (an employee belongs to one
    municipality), else those their staff groups cover; None for every site (superusers,
    single-site installations)."""
    if user.is_authenticated and user.is_superuser:
        return None
    department = user_department(user)
    if department is not None:
        return {department.site_id}
    site_ids = sites.staff_site_ids(user)
    return None if site_ids is None else set(site_ids)


def can_share_library(user):
    """May ``user`` keep a library item (text block, consent text, form template, hearing
    type) shared by every municipality, and change or delete a shared one? Superusers and
    holders of ``hearings.share_library_items``; anyone while there is one site."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.has_perm("hearings.share_library_items"):
        return True
    return len(sites.site_roots()) <= 1


def library_site_refusal(user, site_id):
    """Why ``user`` may not give a library item the site ``site_id`` (None: shared), as a
    message; None when they may."""
    if site_id is None:
        if can_share_library(user):
            return None
        return _("Choose your municipality: only administrators share items with every one.")
    allowed = municipality_site_ids(user)
    if allowed is None or site_id in allowed:
        return None
    return _("You can only keep items for your own municipality.")


def visible_sites(user, queryset):
    """The sites (municipalities) of ``queryset`` that are ``user``'s."""
    site_ids = municipality_site_ids(user)
    return queryset if site_ids is None else queryset.filter(pk__in=site_ids)


def visible_departments(user, queryset):
    """The departments ``user`` may list and change in the admin: their municipality's."""
    site_ids = municipality_site_ids(user)
    return queryset if site_ids is None else queryset.filter(site_id__in=site_ids)


def visible_library_items(user, queryset):
    """The library items of ``queryset`` ``user`` may list and choose: the shared ones and
    their own municipality's (every one for a superuser)."""
    site_ids = municipality_site_ids(user)
    if site_ids is None:
        return queryset
    return queryset.filter(Q(site__isnull=True) | Q(site_id__in=site_ids))


def can_see_library_item(user, item):
    """May ``user`` see ``item`` (shared, their municipality's, or every one)?"""
    if item.site_id is None:
        return True
    site_ids = municipality_site_ids(user)
    return site_ids is None or item.site_id in site_ids


def library_home_site_id(user):
    """The one site new library items of ``user``'s belong to: their department's, else
    their staff groups' when that is a single site; None when there is none (or several)."""
    department = user_department(user)
    if department is not None:
        return department.site_id
    site_ids = municipality_site_ids(user)
    return next(iter(site_ids)) if site_ids and len(site_ids) == 1 else None
