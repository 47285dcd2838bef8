"""Hostile input to the per-municipality settings: the ESDH configuration (JSON typed by
an administrator) and a library item's site. Nothing is stored, no server error."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import Page, Site

from hearings.models import HearingSettings, HearingType

pytestmark = pytest.mark.django_db

CONFIGURATIONS = [
    "{",
    "null",
    '["a", "list"]',
    '"a string"',
    '{"client_secret": "in-the-database"}',
    '{"password": "x"}',
    '{"client_secret_env": "../../etc/passwd"}',
    '{"client_secret_env": "lower"}',
    '{"client_secret_env": null}',
    '{"url": {"nested": 1}}',
    '{"url": "\\u0000"}',
    '{"url": "' + "x" * 100_000 + '"}',
    '{"dir": [1, 2, 3]}',
    "{" + ", ".join(f'"k{n}": 1' for n in range(51)) + "}",
]


@pytest.mark.parametrize("configuration", CONFIGURATIONS, ids=range(len(CONFIGURATIONS)))
def test_a_hostile_esdh_configuration_is_refused_and_nothing_stored(
    client, make_user, site, configuration
):
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    url = reverse("wagtailsettings:edit", args=["hearings", "hearingsettings", site.pk])
    reply = client.post(
        url,
        {
            "export_on_close": "on",
            "responses_to_export": "all",
            "esdh_backend": "",
            "esdh_configuration": configuration,
            "reminder_days": "3",
        },
    )
    assert reply.status_code < 500
    assert reply.status_code == 200  # the form again, with the reason
    assert HearingSettings.for_site(site).esdh_configuration == {}


@pytest.mark.parametrize("site_value", ["999999999", "abc", "-1", "1 OR 1=1", "\x00", "other"])
def test_a_hostile_site_for_a_library_item_is_refused(client, make_user, site, site_value):
    home = Page.get_first_root_node().add_child(instance=Page(title="Nabo", slug="nabo"))
    other = Site.objects.create(hostname="nabo.localhost", port=80, root_page=home)
    editor = make_user("editor", groups=["Hearing editors"])
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_hearingtype", "view_hearingtype"])
    )
    client.force_login(editor)
    value = str(other.pk) if site_value == "other" else site_value
    reply = client.post(
        reverse("wagtailsnippets_hearings_hearingtype:add"),
        {"name": "Fjendtlig", "description": "", "site": value},
    )
    assert reply.status_code < 500
    assert not HearingType.objects.filter(name="Fjendtlig").exists()
