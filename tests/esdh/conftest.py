"""Contract servers for GetOrganized and SBSYS, and hearings worth filing."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document as WagtailDocument

from .servers import GetOrganizedServer, SBSYSServer


@pytest.fixture(autouse=True)
def _esdh_dir(esdh_dir):
    """Every test here files into its own folder, never into var/."""
    return esdh_dir


# The custom columns of the test installation's document library that Agora fills.
AGORA_COLUMNS = {
    "source": "AgoraKilde",
    "source_checksum": "SourceChecksum",
    "sha256": "SHA256",
    "department": "Afdeling",
    "reference": "Svarreference",
    "sender_name": "Afsender",
    "sender_department": "AfsenderOrganisation",
    "on_behalf_of": "PaaVegneAf",
    "received_at": "Modtaget",
    "received_by": "Modtagelsesform",
    "moderation_status": "Moderationsstatus",
    "registered_by": "RegistreretAf",
}


def getorganized_settings(settings, server):
    settings.AGORA_ESDH_BACKEND = "getorganized"
    settings.AGORA_GETORGANIZED_URL = server.url
    settings.AGORA_GETORGANIZED_SITE = server.site
    settings.AGORA_GETORGANIZED_USERNAME = server.username
    settings.AGORA_GETORGANIZED_PASSWORD = "hemmeligt"
    settings.AGORA_GETORGANIZED_AUTH = server.auth
    settings.AGORA_GETORGANIZED_CASE_TYPE = "GEN"
    settings.AGORA_GETORGANIZED_CASE_FIELDS = {
        "CaseCategory": "Høring",
        "Afdeling": "{department}",
    }
    settings.AGORA_GETORGANIZED_KLE_VALUES = {"00.01.00": "12;#00.01.00 Kommunens styrelse"}
    settings.AGORA_GETORGANIZED_OWNER_VALUES = {}
    settings.AGORA_GETORGANIZED_DOCUMENT_COLUMNS = AGORA_COLUMNS
    settings.AGORA_GETORGANIZED_RELATION_TYPE = "Bilag"
    settings.AGORA_ESDH_TIMEOUT = 5


@pytest.fixture
def getorganized(settings):
    """GetOrganized under the site prefix /sager, NTLM only (DOMAIN\\user)."""
    with GetOrganizedServer(
        username="KOMMUNE\\agora",
        password="hemmeligt",
        site="/sager",
        required_case_fields=("CaseCategory",),
        document_columns=AGORA_COLUMNS.values(),
    ) as server:
        getorganized_settings(settings, server)
        yield server


SBSYS_USERS = [("agora-robot", "Agora (robot)"), ("owner", "Olga Owner")]
SBSYS_FOLDERS = ["Høringstekst", "Høringssvar", "Konklusion"]


@pytest.fixture
def sbsys(settings):
    with SBSYSServer(
        client_id="agora",
        client_secret="hemmeligt",
        users=SBSYS_USERS,
        templates={
            12: {"kle": "00.01.00", "folders": SBSYS_FOLDERS},
            31: {"kle": "85.00.00", "folders": SBSYS_FOLDERS},
        },
    ) as server:
        settings.AGORA_ESDH_BACKEND = "sbsys"
        settings.AGORA_SBSYS_URL = f"{server.url}/sbsip/api/v12/"
        settings.AGORA_SBSYS_TOKEN_URL = (
            f"{server.url}/auth/realms/sbsip/protocol/openid-connect/token"
        )
        settings.AGORA_SBSYS_GRANT_TYPE = "client_credentials"
        settings.AGORA_SBSYS_CLIENT_ID = "agora"
        settings.AGORA_SBSYS_CLIENT_SECRET = "hemmeligt"
        settings.AGORA_SBSYS_TEMPLATE_IDS = '{"00": 12, "85": 31}'
        settings.AGORA_SBSYS_CASE_TEMPLATE = "12"  # for a hearing without a KLE number
        settings.AGORA_SBSYS_CASE_WORKER = "agora-robot"
        settings.AGORA_SBSYS_FOLDERS = ""
        settings.AGORA_ESDH_TIMEOUT = 5
        yield server


@pytest.fixture
def concluded_hearing(hearing_for, settings, tmp_path):
    """A concluded hearing whose body links two documents: four documents to file."""
    settings.MEDIA_ROOT = tmp_path / "media"
    attachments = []
    for name, text in [("budget.txt", b"Budget 2027"), ("plan.txt", b"Plan for trafik")]:
        document = WagtailDocument(title=name)
        document.file.save(name, ContentFile(text), save=True)
        attachments.append(document)
    now = timezone.now()
    hearing = hearing_for(
        opens_in=timedelta(days=-20),
        closes_in=timedelta(days=-1),
        kle_number="00.01.00",
        body=[
            {"type": "paragraph", "value": "<p>Forslaget.</p>"},
            {"type": "document", "value": {"document": attachments[0].pk, "title": "Budget"}},
            {"type": "document", "value": {"document": attachments[1].pk, "title": ""}},
        ],
    )
    hearing.conclusion = "<p>Forslaget vedtages.</p>"
    hearing.save_revision().publish()
    assert hearing.phase == "concluded", now
    return hearing
