"""The site of a request and its home page, kept in process memory (#16)."""

import pytest
from wagtail.models import Site

from hearings import sites

pytestmark = pytest.mark.django_db

from .conftest import counted  # noqa: E402


def test_a_page_asks_for_its_site_and_home_page_once_per_process(client, hearing, people):
    client.force_login(people["employee"])
    client.get(hearing.url)
    with counted() as queries:
        assert client.get(hearing.url).status_code == 200
    assert not [sql for sql in queries if '"wagtailcore_site"' in sql], "\n".join(queries)
    assert not [sql for sql in queries if '"home_homepage"' in sql], "\n".join(queries)


def test_a_saved_site_or_home_page_is_read_again_at_once(client, hearing, people, site):
    client.force_login(people["employee"])
    assert client.get("/").status_code == 200
    home = site.root_page.specific
    home.intro = "<p>Forsiden i dag</p>"
    home.save_revision().publish()
    assert "Forsiden i dag" in client.get("/").content.decode()

    site.site_name = "Agora i dag"
    site.save()
    with counted() as queries:
        client.get("/")
    assert [sql for sql in queries if '"wagtailcore_site"' in sql]


def test_a_site_kept_too_long_is_read_again(client, settings, hearing, people, monkeypatch):
    client.force_login(people["employee"])
    client.get(hearing.url)
    later = sites.time.monotonic() + settings.AGORA_SITE_SECONDS + 1
    monkeypatch.setattr(sites.time, "monotonic", lambda: later)
    with counted() as queries:
        client.get(hearing.url)
    assert [sql for sql in queries if '"wagtailcore_site"' in sql]


def test_each_host_name_keeps_its_own_site(client, hearing, people, site):
    """Two municipalities in one installation: a host name never gets the other's site."""
    other_root = site.root_page.add_sibling(
        instance=type(site.root_page.specific)(title="Nabokommune", slug="nabo")
    )
    Site.objects.create(hostname="nabo.example.dk", root_page=other_root, site_name="Nabo")
    client.force_login(people["employee"])
    assert client.get(hearing.url).status_code == 200
    assert client.get(hearing.url, HTTP_HOST="nabo.example.dk").status_code == 404
    assert client.get(hearing.url).status_code == 200
    assert client.get(hearing.url, HTTP_HOST="nabo.example.dk").status_code == 404


def test_without_keeping_each_request_asks(client, settings, hearing, people):
    settings.AGORA_SITE_SECONDS = 0
    client.force_login(people["employee"])
    client.get(hearing.url)
    with counted() as queries:
        client.get(hearing.url)
    assert [sql for sql in queries if '"wagtailcore_site"' in sql]


def test_host_names_of_other_installations_are_not_kept(client, settings, hearing):
    """A stranger's Host headers neither fill the memory nor reach a site."""
    settings.ALLOWED_HOSTS = ["testserver"]
    for n in range(5):
        assert client.get(hearing.url, HTTP_HOST=f"x{n}.example.org").status_code == 400
    assert sites._kept_sites == {}


def test_the_memory_of_sites_is_bounded(client, hearing, monkeypatch):
    monkeypatch.setattr(sites, "MAX_KEPT_SITES", 3)
    for n in range(7):
        client.get("/", HTTP_HOST=f"kommune{n}.example.dk")
    assert 1 <= len(sites._kept_sites) <= 3


def test_only_the_pages_wagtail_serves_look_their_site_up(client):
    """The health check, the APIs and the admin ask for no site they did not before."""
    from .conftest import counted

    with counted() as queries:
        client.get("/healthz")
    assert not [sql for sql in queries if '"wagtailcore_site"' in sql]
    assert sites._kept_sites == {}
