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


@pytest.fixture
def getorganized(settings):
    with GetOrganizedServer(username="agora", password="hemmeligt") as server:
        settings.AGORA_ESDH_BACKEND = "getorganized"
        settings.AGORA_GETORGANIZED_URL = server.url
        settings.AGORA_GETORGANIZED_USERNAME = "agora"
        settings.AGORA_GETORGANIZED_PASSWORD = "hemmeligt"
        settings.AGORA_ESDH_TIMEOUT = 5
        yield server


@pytest.fixture
def sbsys(settings):
    with SBSYSServer(client_id="agora", client_secret="hemmeligt") as server:
        settings.AGORA_ESDH_BACKEND = "sbsys"
        settings.AGORA_SBSYS_URL = f"{server.url}/api/"
        settings.AGORA_SBSYS_TOKEN_URL = f"{server.url}/token"
        settings.AGORA_SBSYS_CLIENT_ID = "agora"
        settings.AGORA_SBSYS_CLIENT_SECRET = "hemmeligt"
        settings.AGORA_SBSYS_CASE_TEMPLATE = "42"
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
