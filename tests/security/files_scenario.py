"""Run by test_private_files.py in a fresh process under the development or production
settings: migrates an empty database, places a document and an image in an internal and
a public hearing, and prints as JSON what each person gets for each file URL.

    DJANGO_SETTINGS_MODULE=agora_site.settings.production python -m tests.security.files_scenario
"""

import io
import json
import sys
from datetime import timedelta

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.images import ImageFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402
from PIL import Image as PILImage  # noqa: E402
from wagtail.documents import get_document_model  # noqa: E402
from wagtail.images import get_image_model  # noqa: E402
from wagtail.models import Site  # noqa: E402

from hearings.models import (  # noqa: E402
    Audience,
    Department,
    EmployeeProfile,
    HearingIndexPage,
    HearingPage,
)


def png():
    out = io.BytesIO()
    PILImage.new("RGB", (40, 30), "blue").save(out, "PNG")
    return out.getvalue()


def hearing(title, audience, departments, document, image):
    now = timezone.now()
    page = HearingPage(
        title=title,
        summary="Resumé.",
        audience=audience,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
        body=[
            {"type": "document", "value": {"document": document.pk, "title": "Bilag"}},
            {"type": "image", "value": {"image": image.pk, "decorative": True, "alt_text": ""}},
        ],
    )
    HearingIndexPage.objects.first().add_child(instance=page)
    page.invited_departments.set(departments)
    page.save_revision().publish()


def main():
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    site = Site.objects.get(is_default_site=True)
    invited = Department.objects.create(site=site, name="Invited", code="invited")
    other = Department.objects.create(site=site, name="Other", code="other")
    User = get_user_model()
    people = {"anonymous": None}
    for name, department in (("member", invited), ("outsider", other)):
        people[name] = User.objects.create_user(name, password="x")
        EmployeeProfile.objects.create(user=people[name], department=department)
    Document, Image = get_document_model(), get_image_model()
    files = {}
    for audience in (Audience.INTERNAL, Audience.PUBLIC):
        document = Document.objects.create(
            title=audience, file=ContentFile(b"%PDF-1.4\n", name=f"{audience}.pdf")
        )
        image = Image.objects.create(
            title=audience, file=ImageFile(io.BytesIO(png()), name=f"{audience}.png")
        )
        hearing(audience, audience, [invited], document, image)
        files[f"{audience} document"] = document.url
        files[f"{audience} stored document"] = document.file.url
        files[f"{audience} image"] = image.file.url
        files[f"{audience} rendition"] = image.get_rendition("width-20").url
    results = {}
    # The 404 page names static files: no collectstatic manifest needed here.
    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain_static}):
        results = fetch_all(people, files)
    sys.stdout.write("\n" + json.dumps(results) + "\n")


def fetch_all(people, files):
    results = {}
    for who, user in people.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        for what, url in files.items():
            results[f"{who} {what}"] = client.get(url, secure=True).status_code
    return results


if __name__ == "__main__":
    main()
