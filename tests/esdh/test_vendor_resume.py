"""Exactly once and resumable against the SBSYS and GetOrganized contract servers: an export
interrupted after k documents resumes at k+1, and a document whose answer was lost is
found again rather than filed twice."""

import pytest

from hearings.exports.service import export_hearing
from hearings.models import FiledDocument

pytestmark = pytest.mark.django_db

# The route each server files a document through.
FILING = {"sbsys": "journalize", "getorganized": "add_document"}


def stored_names(backend, server):
    key = "DokumentNavn" if backend == "sbsys" else "filename"
    return [d[key] for d in server.documents.values()]


def refuse_after(server, route, k):
    """The server files k documents, then answers 503 (the connection dies, say)."""
    real = getattr(server, route)
    filed = []

    def handler(request, **kwargs):
        if len(filed) >= k:
            return 503, {"error": "Service Unavailable"}
        answer = real(request, **kwargs)
        filed.append(answer)
        return answer

    setattr(server, route, handler)
    return lambda: setattr(server, route, real)


@pytest.mark.parametrize("backend", ["sbsys", "getorganized"])
@pytest.mark.parametrize("k", [1, 2, 3])
def test_an_export_interrupted_after_k_documents_resumes_at_k_plus_1(
    backend, k, concluded_hearing, request
):
    server = request.getfixturevalue(backend)
    restore = refuse_after(server, FILING[backend], k)
    first = export_hearing(concluded_hearing)
    assert first.status == "pending" and "503" in first.error
    assert len(first.filed) == k and len(server.documents) == k
    restore()

    second = export_hearing(concluded_hearing)
    assert second.status == "done", second.error
    assert second.skipped == k and len(second.filed) == 4 - k
    names = stored_names(backend, server)
    assert names == first.filed + second.filed  # k+1 onwards, in order
    assert len(names) == 4 == len(set(names))  # no duplicates
    assert (
        FiledDocument.objects.filter(hearing=concluded_hearing).exclude(remote_id="").count() == 4
    )
    third = export_hearing(concluded_hearing)
    assert third.filed == [] and len(server.documents) == 4


@pytest.mark.parametrize("backend", ["sbsys", "getorganized"])
def test_a_document_whose_answer_was_lost_is_not_filed_twice(backend, concluded_hearing, request):
    server = request.getfixturevalue(backend)
    server.lose_answer = {FILING[backend]}  # filed, but the answer never arrives
    first = export_hearing(concluded_hearing)
    assert first.status == "pending"
    assert len(server.documents) == 1
    [pending] = FiledDocument.objects.filter(hearing=concluded_hearing, remote_id="")

    second = export_hearing(concluded_hearing)
    assert second.status == "done", second.error
    names = stored_names(backend, server)
    assert len(names) == 4 == len(set(names))
    pending.refresh_from_db()
    assert pending.remote_id  # found in the case
    if backend == "sbsys":  # and put in its sub-folder
        assert server.folder_of(int(pending.remote_id)) == "Høringstekst"
