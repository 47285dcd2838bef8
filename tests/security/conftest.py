"""Fixtures of the security tests: uploaded files placed in hearings, and a local
S3-compatible server (moto in server mode) for the object-storage tests."""

import io
import socket
import subprocess
import sys
import time

import pytest
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from hearings.models import Audience, HearingPage


@pytest.fixture(autouse=True)
def empty_caches():
    """Sign-in counters and Wagtail's rendition cache start empty in every test."""
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


def png_bytes(colour="red"):
    out = io.BytesIO()
    PILImage.new("RGB", (40, 30), colour).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def make_document(db):
    def make(title="Bilag", name="bilag.pdf", content=b"%PDF-1.4\n% Agora test\n"):
        return get_document_model().objects.create(
            title=title, file=ContentFile(content, name=name)
        )

    return make


@pytest.fixture
def make_image(db):
    def make(title="Kort", name="kort.png"):
        return get_image_model().objects.create(
            title=title, file=ImageFile(io.BytesIO(png_bytes()), name=name)
        )

    return make


def body_with(document=None, image=None):
    body = [{"type": "paragraph", "value": "<p>Læs bilaget.</p>"}]
    if document is not None:
        body.append({"type": "document", "value": {"document": document.pk, "title": "Bilag"}})
    if image is not None:
        body.append(
            {
                "type": "image",
                "value": {"image": image.pk, "decorative": False, "alt_text": "Kort"},
            }
        )
    return body


@pytest.fixture
def hearing_with_files(make_hearing):
    """A published hearing (internal unless told) whose body uses the given files."""

    def make(departments=(), document=None, image=None, audience=Audience.INTERNAL, **fields):
        hearing = make_hearing(departments=departments, audience=audience, **fields)
        hearing.body = body_with(document, image)
        revision = hearing.save_revision()
        if hearing.live:
            revision.publish()
        return HearingPage.objects.get(pk=hearing.pk)

    return make


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3-compatible server on a free local port, for the session."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("moto's S3 server did not start")
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)
