"""Content bundles: export, import, round trip, idempotence, atomicity, hostile input."""

import base64
import copy
import io
import json
from pathlib import Path

import jsonschema
import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management import CommandError, call_command
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from hearings import bundles
from hearings.models import ConsentText, HearingType, ResponseFormTemplate, TextBlockSnippet

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "content-bundle.schema.json").read_text()
)
LIBRARY = (TextBlockSnippet, ConsentText, ResponseFormTemplate, HearingType)


def png_bytes():
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 3), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def content(site):
    image = get_image_model()(title="Kort", file=ImageFile(io.BytesIO(png_bytes()), "kort.png"))
    image._set_image_file_metadata()
    image.save()
    document = get_document_model()(title="Plan")
    document.file.save("plan.pdf", ContentFile(b"%PDF-1.4 plan"), save=False)
    document.save()
    TextBlockSnippet.objects.create(
        slug="om-hoeringen",
        title="Om høringen",
        text=(
            f'<p>Se <a linktype="document" id="{document.pk}">planen</a>.</p>'
            f'<embed alt="Kort" embedtype="image" format="fullwidth" id="{image.pk}"/>'
        ),
    )
    consent = ConsentText.objects.create(title="Samtykke", text="<p>Jeg accepterer.</p>")
    template = ResponseFormTemplate.objects.create(
        name="Standard",
        description="Standardspørgsmål",
        questions=[
            {
                "type": "long_text",
                "value": {"label": "Bemærkninger", "required": False},
                "id": "6c1f7a1e-0000-4000-8000-000000000001",
            },
            {
                "type": "consent",
                "value": {"label": "Jeg accepterer", "consent_text": consent.pk},
                "id": "6c1f7a1e-0000-4000-8000-000000000002",
            },
        ],
    )
    HearingType.objects.create(name="Politik", default_form_template=template, auto_approve=True)
    return {"image": image, "document": document, "template": template}


def wipe():
    for model in (HearingType, ResponseFormTemplate, ConsentText, TextBlockSnippet):
        model.objects.all().delete()
    get_image_model().objects.all().delete()
    get_document_model().objects.all().delete()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (*LIBRARY, get_image_model(), get_document_model())
    }


def test_an_exported_bundle_is_valid_by_the_schema_and_has_no_database_ids(content):
    bundle = bundles.export_bundle()
    jsonschema.validate(bundle, SCHEMA)
    assert bundle["format"] == "agora-content"
    assert bundle["version"] == 1
    text = bundle["text_blocks"][0]["text"]
    assert f'id="image:{bundle["images"][0]["key"]}"' in text
    assert f'id="document:{bundle["documents"][0]["key"]}"' in text
    consent_question = bundle["form_templates"][0]["questions"][1]["value"]
    assert consent_question["consent_text"] == "Samtykke"
    assert bundle["hearing_types"][0]["default_form_template"] == "Standard"
    assert base64.b64decode(bundle["images"][0]["data"]) == png_bytes()


def test_round_trip_into_a_fresh_installation_gives_the_same_bundle(
    content, settings, tmp_path, tmp_path_factory
):
    exported = bundles.dumps(bundles.export_bundle())
    wipe()
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("other-installation")
    assert all(count == 0 for count in counts().values())

    changes = bundles.import_bundle(bundles.load(exported))
    assert {change.action for change in changes} == {bundles.CREATE}
    assert bundles.dumps(bundles.export_bundle()) == exported

    block = TextBlockSnippet.objects.get()
    image = get_image_model().objects.get()
    assert f'id="{image.pk}"' in block.text
    template = ResponseFormTemplate.objects.get()
    assert HearingType.objects.get().default_form_template == template
    consent = template.questions[1].value["consent_text"]
    assert consent == ConsentText.objects.get()


def test_importing_twice_duplicates_nothing(content):
    bundle = bundles.load(bundles.dumps(bundles.export_bundle()))
    before = counts()
    assert {c.action for c in bundles.import_bundle(bundle)} == {bundles.SKIP}
    assert {c.action for c in bundles.import_bundle(bundle)} == {bundles.SKIP}
    assert counts() == before


def test_a_changed_item_is_updated_and_the_preview_says_so(content):
    bundle = bundles.export_bundle()
    bundle["text_blocks"][0]["title"] = "Om denne høring"
    bundle["hearing_types"].append(
        {"name": "Budget", "description": "", "auto_approve": False, "default_form_template": None}
    )
    before = counts()
    planned = bundles.preview(bundle)
    assert counts() == before
    actions = {(c.kind, c.key): c.action for c in planned}
    assert actions[("text_blocks", "om-hoeringen")] == bundles.UPDATE
    assert actions[("hearing_types", "Budget")] == bundles.CREATE
    assert actions[("hearing_types", "Politik")] == bundles.SKIP
    assert bundles.import_bundle(bundle) == planned
    assert TextBlockSnippet.objects.get().title == "Om denne høring"
    assert HearingType.objects.count() == 2


def test_an_import_failing_late_changes_nothing(content, site):
    bundle = bundles.export_bundle()
    wipe()
    bundle["text_blocks"].append({"slug": "ny", "title": "Ny", "text": "<p>Ny</p>"})
    bundle["hearing_types"].append(
        {"name": "Sidst", "description": "", "auto_approve": False, "default_form_template": "?"}
    )
    with pytest.raises(bundles.BundleError, match="form template"):
        bundles.import_bundle(bundles.load(json.dumps(bundle)), site)
    assert all(count == 0 for count in counts().values())


def test_imported_items_are_kept_to_the_given_site(content, site):
    bundle = bundles.export_bundle()
    wipe()
    bundles.import_bundle(bundle, site)
    for model in LIBRARY:
        assert set(model.objects.values_list("site", flat=True)) == {site.pk}


def valid():
    return {
        "format": "agora-content",
        "version": 1,
        "images": [],
        "documents": [],
        "text_blocks": [],
        "consent_texts": [],
        "form_templates": [],
        "hearing_types": [],
    }


def with_file(data, key=None):
    bundle = valid()
    bundle["images"] = [{"key": key or "0" * 40, "title": "x", "filename": "x.png", "data": data}]
    return json.dumps(bundle)


HOSTILE = {
    "not json": (b"\xff\xfe not json", "not a JSON content bundle"),
    "a list": (b"[1, 2]", "not an Agora content bundle"),
    "wrong format": (json.dumps({**valid(), "format": "other"}), "not an Agora content bundle"),
    "wrong version": (json.dumps({**valid(), "version": 2}), "version 2"),
    "missing key": (
        json.dumps({k: v for k, v in valid().items() if k != "text_blocks"}),
        "text_blocks",
    ),
    "bad item": (
        json.dumps({**valid(), "text_blocks": [{"slug": "a b", "title": "x", "text": ""}]}),
        "text_blocks/0/slug",
    ),
    "bad base64": (with_file("!!!not base64!!!"), "not valid base64"),
    "wrong hash": (with_file(base64.b64encode(b"abc").decode()), "does not match its key"),
    "deep nesting": ("[" * 100000 + "]" * 100000, "not a JSON content bundle"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_bundle_gives_a_clear_error(name):
    raw, message = HOSTILE[name]
    with pytest.raises(bundles.BundleError, match=message):
        bundles.load(raw)


def test_a_huge_bundle_is_refused_before_parsing(settings):
    settings.AGORA_CONTENT_BUNDLE_MAX_BYTES = 1000
    with pytest.raises(bundles.BundleError, match="too large"):
        bundles.load(json.dumps({**valid(), "padding": "x" * 2000}))


def test_a_reference_to_a_file_not_in_the_bundle_is_refused():
    bundle = valid()
    bundle["text_blocks"] = [
        {
            "slug": "a",
            "title": "A",
            "text": '<embed embedtype="image" id="image:' + "1" * 40 + '"/>',
        }
    ]
    with pytest.raises(bundles.BundleError, match="not in the bundle"):
        bundles.import_bundle(bundles.load(json.dumps(bundle)))
    assert TextBlockSnippet.objects.count() == 0


def test_the_commands_export_and_import(content, tmp_path, capsys):
    path = tmp_path / "bundle.json"
    call_command("export_content", "-o", str(path))
    jsonschema.validate(json.loads(path.read_text()), SCHEMA)
    bundle = json.loads(path.read_text())
    wipe()
    call_command("import_content", str(path))
    assert "Imported: 6 created, 0 updated, 0 skipped." in capsys.readouterr().out
    call_command("import_content", str(path))
    assert "0 created, 0 updated" in capsys.readouterr().out
    assert counts()["TextBlockSnippet"] == len(bundle["text_blocks"])

    broken = tmp_path / "broken.json"
    broken.write_text("{")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_content", str(broken))
    with pytest.raises(CommandError, match="No site"):
        call_command("export_content", "--site", "nowhere.example")


def test_schema_refuses_a_bundle_with_a_database_id_for_a_template():
    bundle = copy.deepcopy(valid())
    bundle["hearing_types"] = [
        {"name": "X", "description": "", "auto_approve": False, "default_form_template": 7}
    ]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bundle, SCHEMA)
