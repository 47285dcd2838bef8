"""Documents and images of an internal hearing are served only to its audience.

Outsiders — anonymous visitors and employees outside the audience — get 404, as for
the hearing itself; a public hearing's files stay public; staff keep access. The same
holds when the files live in S3-compatible object storage (moto's server here): the
portal streams them after the check, and no bucket URL reaches the page.
"""

import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import boto3
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model

from hearings.models import Audience
from tests.security.conftest import body_with


@pytest.fixture
def people(make_user, departments):
    return {
        "member": make_user("member", departments["team"]),  # under the invited center
        "outsider": make_user("outsider", departments["other"]),
        "editor": make_user("editor", groups=["Hearing editors"]),
    }


def status(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url).status_code


def media_url(image):
    return image.file.url


@pytest.mark.django_db
class TestInternalHearing:
    @pytest.fixture
    def files(self, hearing_with_files, departments, make_document, make_image):
        document, image = make_document(), make_image()
        hearing = hearing_with_files([departments["center"]], document=document, image=image)
        return {"document": document, "image": image, "hearing": hearing}

    def test_a_document_answers_404_to_anyone_outside_the_audience(self, client, files, people):
        url = files["document"].url
        assert url.startswith("/documents/")
        assert status(client, None, url) == 404
        assert status(client, people["outsider"], url) == 404
        # The stored file itself cannot be reached round the document view either.
        assert status(client, None, files["document"].file.url) == 404
        assert status(client, people["outsider"], files["document"].file.url) == 404

    def test_the_audience_and_staff_get_the_document(self, client, files, people):
        url = files["document"].url
        client.force_login(people["member"])
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert "private" in response["Cache-Control"]
        assert status(client, people["editor"], url) == 200

    def test_the_image_and_its_renditions_answer_404_to_outsiders(self, client, files, people):
        image = files["image"]
        rendition = image.get_rendition("width-20")
        for url in (media_url(image), rendition.url):
            assert url.startswith("/media/")
            assert status(client, None, url) == 404
            assert status(client, people["outsider"], url) == 404
            assert status(client, people["member"], url) == 200
            assert status(client, people["editor"], url) == 200

    def test_the_hearing_page_shows_its_image_to_the_audience(self, client, files, people):
        client.force_login(people["member"])
        page = client.get(files["hearing"].url).content.decode()
        sources = re.findall(r'<img[^>]+src="([^"]+)"', page)
        assert sources, "the image block renders an image"
        for src in sources:
            response = client.get(src)
            assert response.status_code == 200
            assert response["Content-Type"] == "image/png"

    def test_a_draft_hearing_s_files_are_not_public(
        self, client, hearing_with_files, departments, make_document, people
    ):
        document = make_document()
        hearing_with_files(document=document, audience=Audience.PUBLIC, live=False)
        assert status(client, None, document.url) == 404
        assert status(client, people["member"], document.url) == 404
        assert status(client, people["editor"], document.url) == 200


@pytest.mark.django_db
def test_a_public_hearing_s_files_stay_public(
    client, hearing_with_files, make_document, make_image
):
    document, image = make_document(), make_image()
    hearing_with_files(document=document, image=image, audience=Audience.PUBLIC)
    assert client.get(document.url).status_code == 200
    assert client.get(image.get_rendition("width-20").url).status_code == 200


@pytest.mark.django_db
def test_a_document_reused_in_a_public_hearing_is_public(
    client, hearing_with_files, departments, make_document, people
):
    document = make_document()
    hearing_with_files([departments["center"]], document=document)
    assert status(client, None, document.url) == 404
    hearing_with_files(document=document, audience=Audience.PUBLIC, title="Offentlig")
    assert status(client, None, document.url) == 200


@pytest.mark.django_db
def test_a_document_reused_in_two_internal_hearings_is_for_both_audiences(
    client, hearing_with_files, departments, make_document, make_user
):
    document = make_document()
    hearing_with_files([departments["center"]], document=document, title="A")
    hearing_with_files([departments["other"]], document=document, title="B")
    in_center = make_user("c", departments["team"])
    in_other = make_user("o", departments["other"])
    elsewhere = make_user("k", departments["kommune"])  # above both: invited to neither
    assert status(client, in_center, document.url) == 200
    assert status(client, in_other, document.url) == 200
    assert status(client, elsewhere, document.url) == 404
    assert status(client, None, document.url) == 404


@pytest.mark.django_db
def test_a_draft_change_does_not_publish_a_file_early(
    client, hearing_with_files, departments, make_document, people
):
    """A document added to an unpublished revision of a public hearing stays private."""
    hearing = hearing_with_files(audience=Audience.PUBLIC)
    document = make_document()
    hearing.body = body_with(document)
    hearing.save_revision()
    assert status(client, None, document.url) == 404
    hearing.get_latest_revision().publish()
    assert status(client, None, document.url) == 200


@pytest.mark.django_db
def test_an_unused_document_is_for_staff_only(client, make_document, people):
    document = make_document()
    assert status(client, None, document.url) == 404
    assert status(client, people["member"], document.url) == 404
    assert status(client, people["editor"], document.url) == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/media/",
        "/media/nothing.pdf",
        "/media/../agora.sqlite3",
        "/media/%2e%2e/%2e%2e/etc/passwd",
        "/media/documents/../../private/x",
        "/media/documents/%00.pdf",
        "/media/original_images/" + "a" * 5000,
        "/documents/999999999999999999999/x.pdf",
        "/documents/1/",
        "/documents/abc/x.pdf",
        "/documents/1/%00bilag.pdf",
        "/documents/-1/bilag.pdf",
        "/media/documents/bilag.pdf%00.png",
    ],
)
def test_hostile_paths_find_nothing(client, make_document, path):
    make_document()
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_only_reading_is_allowed(client, hearing_with_files, make_image):
    image = make_image()
    hearing_with_files(image=image, audience=Audience.PUBLIC)
    assert client.post(media_url(image)).status_code == 405
    assert client.head(media_url(image)).status_code == 200


# Object storage --------------------------------------------------------------------


@pytest.fixture
def object_storage(s3_server, settings, tmp_path):
    """Wagtail's files in a fresh bucket on the local S3 server."""
    bucket = f"agora-{uuid.uuid4().hex[:12]}"
    credentials = {
        "endpoint_url": s3_server,
        "region_name": "eu-north-1",
        "aws_access_key_id": "test",
        "aws_secret_access_key": "test",
    }
    s3 = boto3.client("s3", **credentials)
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "hearings.storage.MediaObjectStorage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": s3_server,
                "region_name": "eu-north-1",
                "access_key": "test",
                "secret_key": "test",
                "location": "media",
            },
        },
    }
    settings.MEDIA_ROOT = tmp_path / "not-used"
    return {"client": s3, "bucket": bucket}


@pytest.mark.django_db
def test_files_in_object_storage_go_through_the_permission_check(
    client, object_storage, hearing_with_files, departments, make_document, make_image, people
):
    document, image = make_document(), make_image()
    hearing = hearing_with_files([departments["center"]], document=document, image=image)
    s3, bucket = object_storage["client"], object_storage["bucket"]
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert f"media/{document.file.name}" in keys
    # The objects are private: no grant to everyone.
    acl = s3.get_object_acl(Bucket=bucket, Key=f"media/{document.file.name}")
    assert not [g for g in acl["Grants"] if "AllUsers" in str(g.get("Grantee", {}))]

    rendition = image.get_rendition("width-20")
    for url in (document.url, document.file.url, image.file.url, rendition.url):
        assert url.startswith(("/documents/", "/media/")), url
        assert status(client, None, url) == 404
        assert status(client, people["outsider"], url) == 404
        assert status(client, people["member"], url) == 200

    client.force_login(people["member"])
    page = client.get(hearing.url).content.decode()
    assert "127.0.0.1" not in page and bucket not in page  # no bucket URL in the page
    response = client.get(document.url)
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_a_public_file_in_object_storage_is_public(
    client, object_storage, hearing_with_files, make_image
):
    image = make_image()
    hearing_with_files(image=image, audience=Audience.PUBLIC)
    response = client.get(image.get_rendition("width-20").url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


@pytest.mark.django_db
def test_documents_are_served_by_the_view_not_by_a_storage_url():
    from django.conf import settings

    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert get_document_model()(id=1, file="documents/x.pdf").url == "/documents/1/x.pdf"


# Development and production settings ------------------------------------------------


@pytest.mark.parametrize("settings_module", ["dev", "production", "production with S3"])
def test_an_internal_hearing_s_files_answer_404_outside_its_audience_under_real_settings(
    settings_module, s3_server, tmp_path
):
    """tests/security/files_scenario.py in a fresh process, on its own SQLite database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": f"agora_site.settings.{settings_module.split()[0]}",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'agora.sqlite3'}",
        "SECRET_KEY": "scenario-only",
        "ALLOWED_HOSTS": "testserver",
        "AGORA_VAR_DIR": str(tmp_path),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "LOG_LEVEL": "ERROR",
    }
    if settings_module.endswith("S3"):
        bucket = f"agora-{uuid.uuid4().hex[:12]}"
        boto3.client(
            "s3",
            endpoint_url=s3_server,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        ).create_bucket(Bucket=bucket)
        env |= {
            "AGORA_MEDIA_S3_BUCKET": bucket,
            "AGORA_MEDIA_S3_ENDPOINT_URL": s3_server,
            "AGORA_MEDIA_S3_REGION": "us-east-1",
            "AGORA_MEDIA_S3_ACCESS_KEY_ID": "test",
            "AGORA_MEDIA_S3_SECRET_ACCESS_KEY": "test",
        }
    run = subprocess.run(
        [sys.executable, "-m", "tests.security.files_scenario"],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads(run.stdout.strip().splitlines()[-1])
    assert len(results) == 24
    for key, code in results.items():
        who, audience = key.split()[:2]
        expected = 404 if audience == "internal" and who != "member" else 200
        assert code == expected, key
    if settings_module.endswith("S3"):
        assert not (tmp_path / "media").exists(), "nothing written to the local disk"


@pytest.mark.django_db
def test_the_check_costs_the_same_queries_however_many_hearings_use_the_file(
    client, hearing_with_files, departments, make_document, people
):
    def queries_for_member(document):
        client.force_login(people["member"])
        client.get(document.url)  # warm: what a first request reads once
        with CaptureQueriesContext(connection) as captured:
            assert client.get(document.url).status_code in (200, 404)
        return len(captured)

    once, often = make_document(name="a.pdf"), make_document(name="b.pdf")
    hearing_with_files([departments["other"]], document=once, title="Én")
    for number in range(12):
        hearing_with_files([departments["other"]], document=often, title=f"Høring {number}")
    assert queries_for_member(once) == queries_for_member(often)


@pytest.mark.django_db
def test_archival_pdfs_read_images_from_object_storage(object_storage, make_image):
    """The hearing's PDF for the case file shows its images with files in a bucket too."""
    from hearings.exports.pdf import html_to_pdfa

    image = make_image()
    rendition = image.get_rendition("width-20")
    without = html_to_pdfa("<p>Kort</p>")
    with_image = html_to_pdfa(f'<p>Kort</p><img src="{rendition.url}" alt="Kort">')
    assert b"/Subtype /Image" not in without
    assert b"/Subtype /Image" in with_image
