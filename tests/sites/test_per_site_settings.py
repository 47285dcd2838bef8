"""Each municipality's own settings are used wherever they matter: its ESDH system and
configuration, its reminder days, and its name in e-mails and case files."""

import io

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from hearings import notifications
from hearings.esdh.filesystem import FilesystemAdapter
from hearings.exports import items, service
from hearings.exports.tabular import write_xlsx
from hearings.jobs.transitions import remind_audiences
from hearings.models import HearingSettings, MunicipalitySettings, Notification
from hearings.models.settings import configuration_errors, resolve_configuration

pytestmark = pytest.mark.django_db


@pytest.fixture
def nabo_settings(two_sites, tmp_path):
    """Nabo files in its own archive folder and has its own name in its settings."""
    nabo = two_sites["sites"]["nabo"]
    hearing_settings = HearingSettings.for_site(nabo)
    hearing_settings.esdh_backend = "filesystem"
    hearing_settings.esdh_configuration = {"dir": str(tmp_path / "nabo-esdh")}
    hearing_settings.save()
    municipality = MunicipalitySettings.for_site(nabo)
    municipality.name = "Nabo Kommune (fra indstillingerne)"
    municipality.cvr = "87654321"
    municipality.save()
    return tmp_path / "nabo-esdh"


def test_each_municipality_files_with_its_own_esdh_configuration(
    two_sites, nabo_settings, settings, tmp_path
):
    settings.AGORA_ESDH_DIR = tmp_path / "installation-esdh"
    nabo_adapter = service.adapter_for(two_sites["hearings"]["nabo"])
    agora_adapter = service.adapter_for(two_sites["hearings"]["agora"])
    assert isinstance(nabo_adapter, FilesystemAdapter)
    assert nabo_adapter.root == nabo_settings
    assert agora_adapter.root == settings.AGORA_ESDH_DIR

    result = service.export_hearing(two_sites["hearings"]["nabo"])
    assert result.status == "done", result
    assert list(nabo_settings.glob("*/manifest.json"))
    assert not (tmp_path / "installation-esdh").exists()


def test_a_secret_is_read_from_the_environment_variable_the_configuration_names():
    configuration = {"url": "https://sbsip.nabo.dk/api/", "client_secret_env": "NABO_SECRET"}
    assert configuration_errors(configuration) == []
    resolved = resolve_configuration(configuration, environ={"NABO_SECRET": "s3cret"})
    assert resolved == {"url": "https://sbsip.nabo.dk/api/", "client_secret": "s3cret"}
    with pytest.raises(ImproperlyConfigured) as missing:
        resolve_configuration(configuration, environ={})
    assert "NABO_SECRET" in str(missing.value)


@pytest.mark.parametrize(
    "configuration",
    [
        {"client_secret": "written-in-the-database"},
        {"password": "x"},
        {"api_key": "x"},
        {"client_secret_env": "lower-case; rm -rf /"},
        {"client_secret_env": 42},
        {"url": {"nested": "object"}},
        ["not", "an", "object"],
    ],
)
def test_a_secret_written_into_the_configuration_is_refused(two_sites, configuration):
    hearing_settings = HearingSettings.for_site(two_sites["sites"]["nabo"])
    hearing_settings.esdh_configuration = configuration
    with pytest.raises(ValidationError) as refused:
        hearing_settings.full_clean()
    assert "esdh_configuration" in refused.value.message_dict


def test_a_url_named_token_url_is_not_taken_for_a_secret():
    assert configuration_errors({"token_url": "https://idp.example.dk/token"}) == []


def test_mails_are_signed_and_sent_by_the_hearing_s_municipality(two_sites, nabo_settings):
    nabo, agora = two_sites["hearings"]["nabo"], two_sites["hearings"]["agora"]
    for hearing in (nabo, agora):
        notifications.queue(
            Notification.Kind.HEARING_OPENED,
            recipient="someone@example.dk",
            dedupe_key=f"test-signature:{hearing.pk}",
            context={"url": "http://testserver/"},
            hearing=hearing,
        )
    nabo_mail = Notification.objects.get(dedupe_key=f"test-signature:{nabo.pk}")
    agora_mail = Notification.objects.get(dedupe_key=f"test-signature:{agora.pk}")
    assert "Nabo Kommune (fra indstillingerne)" in nabo_mail.body_text
    assert "Nabo Kommune (fra indstillingerne)" in nabo_mail.body_html
    assert "Agora Kommune" in agora_mail.body_text
    assert "Nabo" not in agora_mail.body_text

    mail.outbox.clear()
    notifications.flush()
    senders = {message.subject: message.from_email for message in mail.outbox}
    assert senders[nabo_mail.subject].startswith('"Nabo Kommune (fra indstillingerne)" <')
    assert senders[agora_mail.subject].startswith("Agora Kommune <")


def test_case_files_name_the_hearing_s_municipality(two_sites, nabo_settings):
    nabo, agora = two_sites["hearings"]["nabo"], two_sites["hearings"]["agora"]
    register = items.render("hearings/exports/register.html", {"hearing": nabo, "rows": []})
    assert "Nabo Kommune (fra indstillingerne)" in register
    assert "87654321" in register
    text = items.render("hearings/exports/hearing.html", {"hearing": agora})
    assert "Agora Kommune" in text and "Nabo" not in text

    workbook = io.BytesIO()
    write_xlsx(nabo, workbook)
    workbook.seek(0)
    assert load_workbook(workbook).properties.creator == "Nabo Kommune (fra indstillingerne)"


def test_reminders_follow_each_municipality_s_reminder_days(two_sites):
    """Both hearings close in a week: Agora reminds a week before, Nabo three days before."""
    for muni, days in (("agora", 7), ("nabo", 3)):
        hearing_settings = HearingSettings.for_site(two_sites["sites"][muni])
        hearing_settings.reminder_days = days
        hearing_settings.save()
    reminded = {hearing.pk for hearing, __ in remind_audiences(timezone.now())}
    assert two_sites["hearings"]["agora"].pk in reminded
    assert not reminded & {two_sites["hearings"]["nabo"].pk, two_sites["public"]["nabo"].pk}
