"""Per-site municipality identity and per-site ESDH adapter configuration."""

import pytest
from wagtail.models import Site

from hearings.esdh import get_adapter
from hearings.esdh.filesystem import FilesystemAdapter
from hearings.models import MunicipalitySettings, municipality_of

pytestmark = pytest.mark.django_db


def test_each_site_has_its_own_identity():
    default = Site.objects.get(is_default_site=True)
    other = Site.objects.create(
        hostname="nabo.example", root_page=default.root_page, site_name="Nabo Kommune"
    )
    settings_a = MunicipalitySettings.for_site(default)
    settings_a.name = "Agora Kommune"
    settings_a.cvr = "12345678"
    settings_a.save()
    assert municipality_of(default).display_name == "Agora Kommune"
    assert municipality_of(other).display_name == "Nabo Kommune"
    assert municipality_of(other).cvr == ""
    assert municipality_of(None).display_name == "Agora"


def test_adapter_takes_a_per_site_configuration(tmp_path):
    adapter = get_adapter("filesystem", config={"dir": str(tmp_path)})
    assert isinstance(adapter, FilesystemAdapter)
    assert adapter.root == tmp_path
