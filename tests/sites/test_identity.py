"""Each municipality's own name, logo, colour and contact on every public and admin page.

Built on the demo, which gives Agora Kommune (localhost) and Nabo Kommune
(nabo.localhost) their identities and a logo each (hearings/data/demo/*.svg).
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from hearings.demo import build_demo
from hearings.models import MunicipalitySettings, municipality_of

HOSTS = {"Agora Kommune": "localhost", "Nabo Kommune": "nabo.localhost"}


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ALLOWED_HOSTS = ["localhost", "nabo.localhost", "testserver"]
    with override_settings(DEBUG=True):
        return build_demo()


def title_of(html):
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


@pytest.mark.parametrize("name", HOSTS)
def test_the_public_pages_carry_the_municipalitys_name_logo_and_contact(client, demo, name):
    host = HOSTS[name]
    identity = municipality_of(demo["nabo"]["site"] if host != "localhost" else None)
    # (The statements' own text is the demo's, written for Agora Kommune.)
    for path in ("/hearings/", "/accounts/login/", "/search/"):
        html = client.get(path, HTTP_HOST=host, follow=True).content.decode()

        assert title_of(html).endswith(f"– {name}")
        assert 'class="agora-logo-image" src="/municipality/logo?v=' in html
        assert f'<span class="agora-logo-name">{name}</span>' in html
        other = next(n for n in HOSTS if n != name)
        assert other not in html
        # The footer: contact, the statements and the language choice.
        assert 'href="/accessibility-statement/"' in html
        assert 'href="/privacy-notice/"' in html
        assert 'name="language"' in html
    if identity.pk:
        assert identity.contact_email in html


def test_the_footer_holds_the_contact_details_from_the_settings(client, demo):
    html = client.get("/accounts/login/", HTTP_HOST="nabo.localhost").content.decode()

    assert "kontakt@nabo.example" in html
    assert 'href="tel:70405060"' in html
    assert "Torvet 2<br>5678 Naboby" in html
    assert "87654321" in html
    assert "agora-accent-00773d" in html  # Nabo's green


def test_each_host_serves_its_own_logo_to_anybody(client, demo):
    agora = client.get("/municipality/logo", HTTP_HOST="localhost")
    nabo = client.get("/municipality/logo", HTTP_HOST="nabo.localhost")

    assert agora.status_code == nabo.status_code == 200
    assert agora["Content-Type"] == "image/svg+xml"
    agora_svg, nabo_svg = b"".join(agora.streaming_content), b"".join(nabo.streaming_content)
    assert b"Agora Kommune" in agora_svg
    assert b"Nabo Kommune" in nabo_svg
    # An uploaded SVG opened on its own cannot run a script in the portal's origin.
    assert "sandbox" in agora["Content-Security-Policy"]
    assert "script-src" not in agora["Content-Security-Policy"]
    assert agora["X-Content-Type-Options"] == "nosniff"
    assert "Host" in agora["Vary"]


def test_only_the_logo_is_public_not_its_stored_file_nor_anything_beside_it(client, demo):
    stored = MunicipalitySettings.objects.get(site__is_default_site=True).logo.name

    assert client.get(f"/media/{stored}").status_code == 404
    assert client.get("/municipality/logo/../media/x").status_code == 404


def test_a_site_without_a_logo_shows_its_name_and_no_image(client, demo):
    identity = MunicipalitySettings.objects.get(site__is_default_site=True)
    identity.logo = ""
    identity.save()

    html = client.get("/accounts/login/").content.decode()

    assert client.get("/municipality/logo").status_code == 404
    assert "agora-logo-image" not in html
    assert '<span class="agora-logo-name">Agora Kommune</span>' in html


@pytest.mark.parametrize("name", HOSTS)
def test_the_admin_has_the_same_name_and_logo_on_every_screen(client, demo, name):
    client.force_login(get_user_model().objects.get(username="admin"))
    host = HOSTS[name]
    for path in ("/admin/", "/admin/pages/", "/admin/settings/hearings/municipalitysettings/"):
        response = client.get(path, HTTP_HOST=host, follow=True)
        html = response.content.decode()

        assert response.status_code == 200
        assert title_of(html).endswith(f"- {name}"), path
        assert "Wagtail" not in title_of(html)
        assert 'class="agora-admin-logo" src="/municipality/logo?v=' in html
        assert f'alt="{name}"' in html
