"""A content bundle moves between two installations with separate databases: exported
here, imported into a freshly migrated database in another process (whose ids are
deliberately different), exported there again — the two bundles are equal."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.library.test_bundles import content  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

OTHER_INSTALLATION = textwrap.dedent(
    """
    import json, sys
    import django
    from django.conf import settings
    django.setup()
    settings.MEDIA_ROOT = sys.argv[3]
    from django.core.management import call_command
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from hearings.models import ConsentText, HearingType, ResponseFormTemplate, TextBlockSnippet

    call_command("migrate", verbosity=0, interactive=False)
    # Use up ids, so that an id carried over from the other database would point wrong.
    for number in range(7):
        ConsentText.objects.create(title=f"tmp{number}", text="<p>x</p>").delete()
        ResponseFormTemplate.objects.create(name=f"tmp{number}").delete()
        HearingType.objects.create(name=f"tmp{number}").delete()
        TextBlockSnippet.objects.create(title="t", slug=f"tmp{number}", text="x").delete()
        get_document_model().objects.create(
            title="tmp", file=ContentFile(b"x", name="tmp.txt")
        ).delete()
    call_command("import_content", sys.argv[1], verbosity=0)
    call_command("export_content", "-o", sys.argv[2], verbosity=0)
    print(json.dumps({
        "documents": list(get_document_model().objects.values_list("pk", flat=True)),
        "consent_texts": list(ConsentText.objects.values_list("pk", flat=True)),
        "images": list(get_image_model().objects.values_list("pk", flat=True)),
    }))
    """
)


def test_a_bundle_round_trip_between_two_databases_is_equal(content, tmp_path):  # noqa: F811
    from hearings.models import ConsentText

    exported = tmp_path / "from-here.json"
    again = tmp_path / "from-there.json"
    call_command("export_content", "-o", str(exported))
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "agora_site.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'other-installation.sqlite3'}",
    }
    there = subprocess.run(
        [sys.executable, "-c", OTHER_INSTALLATION, str(exported), str(again), str(tmp_path)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert there.returncode == 0, there.stderr[-3000:]
    ids_there = json.loads(there.stdout.strip().splitlines()[-1])
    # The other database really is another one, with other ids for the same items.
    assert ids_there["documents"] != [content["document"].pk]
    assert ids_there["consent_texts"] != list(ConsentText.objects.values_list("pk", flat=True))

    assert json.loads(again.read_text()) == json.loads(exported.read_text())
    assert again.read_bytes() == exported.read_bytes()
