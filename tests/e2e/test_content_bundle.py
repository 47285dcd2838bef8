"""An administrator uploads a content bundle in the admin, reads the preview of what will
be created, updated or skipped, and confirms; nothing changes before the confirmation."""

import json
import re

from django.utils import translation
from playwright.sync_api import expect

from hearings.models import HearingType, TextBlockSnippet
from tests.e2e.helpers import assert_accessible, sign_in


def da(message):
    with translation.override("da"):
        return translation.gettext(message)


def test_an_administrator_uploads_a_bundle_previews_and_confirms(page, tmp_path):
    bundle = {
        "format": "agora-content",
        "version": 1,
        "images": [],
        "documents": [],
        "text_blocks": [
            {"slug": "om-hoeringen", "title": "Om høringen (ny)", "text": "<p>Ny tekst.</p>"},
            {"slug": "klagevejledning", "title": "Klagevejledning", "text": "<p>Klag her.</p>"},
        ],
        "consent_texts": [],
        "form_templates": [],
        "hearing_types": [
            {
                "name": "Budget",
                "description": "",
                "auto_approve": False,
                "default_form_template": None,
            }
        ],
    }
    budget = HearingType.objects.get(name="Budget")
    bundle["hearing_types"][0]["description"] = budget.description
    bundle["hearing_types"][0]["auto_approve"] = budget.auto_approve
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    blocks_before = TextBlockSnippet.objects.count()

    sign_in(page, "admin", next_url="/admin/")
    page.goto("/admin/content-bundles/")
    expect(page.get_by_role("heading", name=da("Content bundles"))).to_be_visible()
    assert_accessible(page, context="main")

    # A file that is no bundle: a clear message, still on the page.
    broken = tmp_path / "broken.json"
    broken.write_text("{ not json", encoding="utf-8")
    page.get_by_label(da("Content bundle (JSON file)")).set_input_files(broken)
    page.get_by_role("button", name=da("Show what will happen")).click()
    expect(page.get_by_text(da("The file is not a JSON content bundle."))).to_be_visible()

    page.get_by_label(da("Content bundle (JSON file)")).set_input_files(path)
    page.get_by_role("button", name=da("Show what will happen")).click()
    expect(page.get_by_role("heading", name=da("Import a content bundle"))).to_be_visible()
    summary = da("%(create)s will be created, %(update)s updated and %(skip)s skipped.") % {
        "create": 1,
        "update": 1,
        "skip": 1,
    }
    expect(page.locator("#bundle-summary")).to_have_text(summary)
    rows = page.locator("table.listing tbody tr")
    expect(rows.filter(has_text="klagevejledning")).to_contain_text(da("Create"))
    expect(rows.filter(has_text="om-hoeringen")).to_contain_text(da("Update"))
    expect(rows.filter(has_text="Budget")).to_contain_text(da("Skip"))
    assert_accessible(page, context="main")
    assert TextBlockSnippet.objects.count() == blocks_before  # nothing yet

    page.get_by_role("button", name=da("Import"), exact=True).click()
    page.wait_for_url(re.compile(r"/admin/content-bundles/$"))
    expect(
        page.get_by_text(re.compile(r"1 oprettet, 1 opdateret, 1 sprunget over"))
    ).to_be_visible()
    assert TextBlockSnippet.objects.count() == blocks_before + 1
    assert TextBlockSnippet.objects.get(slug="om-hoeringen").title == "Om høringen (ny)"
    assert HearingType.objects.filter(name="Budget").count() == 1
