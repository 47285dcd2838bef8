"""Two municipalities in one installation: Agora (the default site, at ``localhost``) and
Nabo (at ``nabo.localhost``), each with its own home page, hearing index, departments,
staff groups, people, an internal and a public hearing, and a response."""

import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page, Site

from hearings import audit, responding, sites
from hearings.models import (
    Audience,
    Department,
    EmployeeProfile,
    GroupSite,
    HearingExport,
    HearingIndexPage,
    HearingPage,
    Notification,
)
from home.models import HomePage

HOSTS = {"agora": "localhost", "nabo": "nabo.localhost"}
OTHER = {"agora": "nabo", "nabo": "agora"}
FORM = [
    {
        "type": "short_text",
        "id": "opinion",
        "value": {"label": "Din mening", "help_text": "", "required": False, "max_length": 500},
    }
]
ANSWERS = {
    "opinion": {
        "type": "short_text",
        "label": "Din mening",
        "value": "Godt forslag",
        "display": "Godt forslag",
    }
}


OFFICER_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("hearings", "view_personal_data_audit"),
    ("hearings", "view_notification"),
    ("hearings", "view_hearingexport"),
    ("hearings", "view_department"),
]


def officer_group(muni, site):
    """A municipality's data-protection and operations officer: reads the audit report,
    the outbox, the ESDH exports and the departments — of their own municipality."""
    group = Group.objects.create(name=f"{site.site_name}: Officers")
    for app_label, codename in OFFICER_PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    GroupSite.objects.create(group=group, site=site)
    return group


def add_operations(world, muni):
    """What staff surfaces list about a municipality: a document used only in its
    internal hearing, a failed ESDH export, a failed e-mail and an audited read."""
    hearing = world["hearings"][muni]
    document = get_document_model().objects.create(
        title=f"Bilag-{muni}", file=ContentFile(b"%PDF-1.4 bilag", name=f"bilag-{muni}.pdf")
    )
    hearing.body = [{"type": "document", "value": {"document": document.pk, "title": "Bilag"}}]
    hearing.save_revision().publish()
    HearingExport.objects.create(
        hearing=hearing, status=HearingExport.Status.FAILED, last_error=f"ESDH-fejl-{muni}"
    )
    Notification.objects.create(
        kind=Notification.Kind.HEARING_OPENED,
        hearing=hearing,
        recipient=f"someone-{muni}@example.dk",
        subject=f"Mail-fejl-{muni}",
        body_text="x",
        dedupe_key=f"test:{muni}",
        status=Notification.Status.FAILED,
    )
    audit.log_response_read(
        world["users"][("moderator", muni)], world["responses"][muni], audit.API_READ
    )
    world["documents"][muni] = document


def make_hearing(index, title, departments, audience=Audience.INTERNAL, **fields):
    now = timezone.now()
    hearing = HearingPage(
        title=title,
        summary="Kort resumé.",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
        audience=audience,
        live=False,
        **fields,
    )
    index.add_child(instance=hearing)
    hearing.invited_departments.set(departments)
    hearing.response_form = FORM
    hearing.save_revision().publish()
    return HearingPage.objects.get(pk=hearing.pk)


def make_nabo_site():
    home = HomePage(title="Nabo Kommune", slug="nabo-kommune")
    Page.get_first_root_node().add_child(instance=home)
    site = Site.objects.create(
        hostname=HOSTS["nabo"], port=80, root_page=home, site_name="Nabo Kommune"
    )
    index = HearingIndexPage(title="Høringer", slug="hearings")
    home.add_child(instance=index)
    return site, index


@pytest.fixture
def two_sites(db, django_user_model):
    agora = Site.objects.get(is_default_site=True)
    agora.site_name = "Agora Kommune"
    agora.save()
    nabo, nabo_index = make_nabo_site()
    indexes = {
        "agora": HearingIndexPage.objects.child_of(agora.root_page).get(),
        "nabo": nabo_index,
    }
    nabo_groups = sites.municipality_groups(nabo, nabo_index)
    groups = {
        "agora": {
            role: Group.objects.get(name=role)
            for role in ("Hearing editors", "Response moderators")
        },
        "nabo": nabo_groups,
    }
    result = {"sites": {"agora": agora, "nabo": nabo}, "indexes": indexes, "users": {}}
    result["hearings"], result["public"], result["responses"] = {}, {}, {}
    result["departments"], result["documents"] = {}, {}
    for muni, site in result["sites"].items():
        department = Department.objects.create(site=site, name=f"{muni} kommune", code="kommune")
        result["departments"][muni] = department

        def user(role, muni=muni, **extra):
            user = django_user_model.objects.create_user(
                username=f"{role}-{muni}",
                password="pw",
                email=f"{role}-{muni}@example.dk",
                **extra,
            )
            result["users"][(role, muni)] = user
            return user

        employee = user("employee")
        EmployeeProfile.objects.create(user=employee, department=department)
        user("moderator").groups.add(groups[muni]["Response moderators"])
        user("editor").groups.add(groups[muni]["Hearing editors"])
        user("officer").groups.add(officer_group(muni, site))
        result["hearings"][muni] = make_hearing(
            indexes[muni], f"Intern høring i {muni}", [department]
        )
        result["public"][muni] = make_hearing(
            indexes[muni], f"Offentlig høring i {muni}", [], audience=Audience.PUBLIC
        )
        result["responses"][muni] = responding.submit(
            employee,
            result["hearings"][muni],
            ANSWERS,
            token=uuid.uuid4(),
            on_behalf_of=("myself", ""),
            send_receipt=False,
        ).response
        add_operations(result, muni)
    superuser = django_user_model.objects.create_user(
        username="root", password="pw", is_superuser=True, is_staff=True
    )
    result["users"][("superuser", "agora")] = result["users"][("superuser", "nabo")] = superuser
    return result


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.AGORA_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
