"""The GetOrganized and SBSYS adapters against contract servers rebuilt from public client
code (tests/esdh/servers.py) — not against the vendors' systems."""

import json

import pytest
import requests
from django.core.management import CommandError, call_command
from requests_ntlm import HttpNtlmAuth

from hearings.esdh import CaseInfo, ESDHError
from hearings.esdh.getorganized import GetOrganizedAdapter
from hearings.esdh.sbsys import SBSYSAdapter, case_key
from hearings.exports.service import export_hearing
from hearings.models import FiledDocument, HearingExport

from .servers import GetOrganizedServer, SBSYSServer, parse_row

pytestmark = pytest.mark.django_db


def http_post(*args, **kwargs):
    return requests.post(*args, timeout=10, **kwargs)


def http_get(*args, **kwargs):
    return requests.get(*args, timeout=10, **kwargs)


def http_put(*args, **kwargs):
    return requests.put(*args, timeout=10, **kwargs)


# -- GetOrganized ---------------------------------------------------------------------


def test_a_concluded_hearing_is_filed_in_getorganized_once(concluded_hearing, getorganized):
    result = export_hearing(concluded_hearing)
    assert result.status == "done", result.error
    assert result.case_closed

    [(case_id, case)] = getorganized.cases.items()
    assert case_id.startswith("GEN-2026-")
    metadata = case["metadata"]
    assert metadata["ows_Title"] == concluded_hearing.title
    assert metadata["ows_KLENummer"] == "12;#00.01.00 Kommunens styrelse"  # a lookup value
    assert metadata["ows_CaseCategory"] == "Høring"
    assert metadata["ows_Afdeling"] == "Other"  # the owner's department
    assert metadata["ows_EksterntSagsID"] == f"agora-hearing-{concluded_hearing.pk}"
    assert "ows_ExternalReference" not in metadata
    assert case["closed"]
    documents = [getorganized.documents[doc_id] for doc_id in case["documents"]]
    assert [d["filename"] for d in documents] == [
        "01-hearing.pdf",
        f"02-attachment-{documents[1]['filename'].split('-')[2]}-budget.txt",
        documents[2]["filename"],
        "99-conclusion.pdf",
    ]
    assert documents[0]["content"].startswith(b"%PDF-")
    assert documents[1]["content"] == b"Budget 2027"
    assert [d["metadata"]["ows_Kategori"] for d in documents] == ["Udgående"] * 4
    assert all(d["record"] and d["finalized"] for d in documents)  # journalized and locked
    hearing_text, *rest = case["documents"]
    # The relation type "Bilag" is id 7 in this installation, looked up once.
    assert set(getorganized.relations) == {(hearing_text, child, 7) for child in rest}
    lookups = [r for r in getorganized.requests if r[1].endswith("/Documents/RelationTypes")]
    assert len(lookups) == 1
    # every call went under the site prefix
    assert all(path.startswith("/sager/_goapi/") for _m, path in getorganized.requests), (
        getorganized.requests
    )
    for doc_id, document in zip(case["documents"], documents, strict=True):
        record = FiledDocument.objects.get(remote_id=str(doc_id))
        assert document["metadata"]["ows_SHA256"] == record.sha256

    again = export_hearing(concluded_hearing, manual=True)
    assert again.filed == [] and again.skipped == 4
    assert len(getorganized.documents) == 4


def test_the_getorganized_duplicate_guard_finds_the_case_by_its_external_reference(getorganized):
    case = CaseInfo(reference="agora-hearing-9", title="Høring", kle_number="00.01.00")
    first = GetOrganizedAdapter().ensure_case(case)
    # a new export (the first one's answer was lost) finds it instead of creating another
    assert GetOrganizedAdapter().ensure_case(case) == first
    assert len(getorganized.cases) == 1
    [find] = [r for r in getorganized.requests if r[1].endswith("FindByCaseProperties")][-1:]
    assert find


def test_an_existing_getorganized_case_typed_in_by_the_editor_is_used(hearing_for, getorganized):
    adapter = GetOrganizedAdapter()
    case_id = adapter.ensure_case(CaseInfo(reference="elsewhere", title="Eksisterende sag"))
    hearing = hearing_for(esdh_case_number=case_id)
    assert export_hearing(hearing).status == "done"
    assert list(getorganized.cases) == [case_id]
    assert len(getorganized.cases[case_id]["documents"]) == 1


def test_a_large_file_goes_to_getorganized_in_chunks(getorganized, settings):
    settings.AGORA_GETORGANIZED_CHUNK_THRESHOLD = 1000
    settings.AGORA_GETORGANIZED_CHUNK_SIZE = 400
    from hearings.esdh import Document

    adapter = GetOrganizedAdapter()
    case_id = adapter.ensure_case(CaseInfo(reference="r", title="Stor fil"))
    content = bytes(range(256)) * 10  # 2560 bytes: start, 5 × continue, finish
    document = Document(
        source_key="attachment-1",
        title="Kortbilag",
        filename="kort 'A'.bin",
        content=content,
        metadata={"kind": "attachment", "source": "attachment-1"},
    )
    doc_id = adapter.add_document(case_id, document)
    stored = getorganized.documents[int(doc_id)]
    assert stored["content"] == content
    assert stored["metadata"]["ows_Title"] == "Kortbilag"
    assert stored["metadata"]["ows_Kategori"] == "Udgående"
    paths = [p.split("?")[0] for _m, p in getorganized.requests]
    steps = [p.split("/")[-1].split("(")[0] for p in paths if "Upload(" in p]
    assert steps == ["startUpload"] + ["continueUpload"] * 5 + ["finishUpload"]
    assert not any("AddToDocumentLibrary" in p for _m, p in getorganized.requests)
    # a small one still goes as a byte array
    small = Document("s", "Lille", "lille.txt", b"hej", metadata={"kind": "attachment"})
    adapter.add_document(case_id, small)
    assert any("AddToDocumentLibrary" in p for _m, p in getorganized.requests)


def test_getorganized_refuses_a_wrong_ntlm_password(getorganized, settings):
    settings.AGORA_GETORGANIZED_PASSWORD = "forkert"
    with pytest.raises(ESDHError, match="401"):
        GetOrganizedAdapter().ensure_case(CaseInfo(reference="x", title="y"))
    assert getorganized.cases == {}


def test_an_ntlm_installation_refuses_basic_authentication(getorganized):
    adapter = GetOrganizedAdapter(auth="basic")
    with pytest.raises(ESDHError, match="401"):
        adapter.ensure_case(CaseInfo(reference="x", title="y"))
    assert getorganized.cases == {}


def test_basic_authentication_where_the_installation_offers_it(settings):
    with GetOrganizedServer(username="agora", password="hemmeligt", auth="basic") as server:
        from .conftest import getorganized_settings

        getorganized_settings(settings, server)
        adapter = GetOrganizedAdapter()
        assert adapter.session.auth == ("agora", "hemmeligt")
        adapter.ensure_case(CaseInfo(reference="x", title="y"))
        assert len(server.cases) == 1
        settings.AGORA_GETORGANIZED_AUTH = ""  # unset: NTLM, which this one refuses
        with pytest.raises(ESDHError, match="401"):
            GetOrganizedAdapter().ensure_case(CaseInfo(reference="z", title="y"))


def test_getorganized_kle_and_owner_go_as_configured_lookup_values(getorganized, settings):
    settings.AGORA_GETORGANIZED_OWNER_VALUES = {"owner@example.dk": "27;#Olga Owner"}
    case = CaseInfo(reference="r", title="T", kle_number="00.01.00", owner="OWNER@example.dk")
    case_id = GetOrganizedAdapter().ensure_case(case)
    metadata = getorganized.cases[case_id]["metadata"]
    assert metadata["ows_CaseOwner"] == "27;#Olga Owner"
    assert metadata["ows_KLENummer"] == "12;#00.01.00 Kommunens styrelse"
    # a KLE number without a configured value is refused before anything is sent
    with pytest.raises(ESDHError, match="KLE_VALUES"):
        GetOrganizedAdapter().ensure_case(
            CaseInfo(reference="s", title="T", kle_number="85.01.00")
        )
    assert len(getorganized.cases) == 1


def test_a_refused_finalize_is_an_error(getorganized, monkeypatch):
    adapter = GetOrganizedAdapter()
    case_id = adapter.ensure_case(CaseInfo(reference="r", title="T"))
    from hearings.esdh import Document

    doc_id = adapter.add_document(case_id, Document("a", "A", "a.txt", b"a", metadata={}))
    monkeypatch.setattr(
        GetOrganizedServer,
        "finalize_many",
        lambda self, request: (200, {"Success": False, "Message": "Dokumentet er tjekket ud"}),
    )
    with pytest.raises(ESDHError, match="tjekket ud"):
        adapter.finalize(case_id, [doc_id])


def ntlm_session(server):
    session = requests.Session()
    session.auth = HttpNtlmAuth(server.username, server.password)
    return session


def test_the_getorganized_server_refuses_the_old_shapes(getorganized):
    session = ntlm_session(getorganized)
    go = f"{getorganized.url}/sager/_goapi"
    created = session.post(
        f"{go}/Cases/",
        json={
            "CaseTypePrefix": "GEN",
            "MetadataXml": '<z:row xmlns:z="#RowsetSchema" ows_Title="T" ows_CaseCategory="H" />',
        },
    )
    assert created.status_code == 200, created.text
    case_id = created.json()["CaseID"]
    old = {
        # CaseTypePrefix instead of the list CaseTypePrefixes
        "Cases/FindByCaseProperties": {
            "CaseTypePrefix": "GEN",
            "FieldProperties": [{"InternalName": "ows_EksterntSagsID", "Value": "x"}],
        },
    }
    for path, body in old.items():
        assert session.post(f"{go}/{path}", json=body).status_code == 400
    # a column no public installation shows
    answer = session.post(
        f"{go}/Cases/FindByCaseProperties",
        json={
            "CaseTypePrefixes": ["GEN"],
            "FieldProperties": [{"InternalName": "ows_ExternalReference", "Value": "x"}],
        },
    )
    assert answer.status_code == 400
    # a KLE number and an owner as plain text; a case type's required field missing
    for row in (
        'ows_Title="T" ows_CaseCategory="H" ows_KLENummer="00.01.00"',
        'ows_Title="T" ows_CaseCategory="H" ows_CaseOwner="owner@example.dk"',
        'ows_Title="T"',
        'ows_Title="T" ows_CaseCategory="H" ows_ExternalReference="agora-hearing-1"',
    ):
        xml = f'<z:row xmlns:z="#RowsetSchema" {row} />'
        answer = session.post(f"{go}/Cases/", json={"CaseTypePrefix": "GEN", "MetadataXml": xml})
        assert answer.status_code == 400, row
    added = session.post(
        f"{go}/Documents/AddToDocumentLibrary",
        json={"bytes": [104, 105], "CaseId": case_id, "ListName": "Dokumenter",
              "FileName": "a.txt", "Metadata": '<z:row xmlns:z="#RowsetSchema" ows_Title="A" />'},
    )  # fmt: skip
    parent = added.json()["DocId"]
    child = session.post(
        f"{go}/Documents/AddToDocumentLibrary",
        json={"bytes": [1], "CaseId": case_id, "ListName": "Dokumenter", "FileName": "b.txt"},
    ).json()["DocId"]
    # the hard-coded relation type 1, and a string where an int is expected
    relate = {"ParentDocId": parent, "ChildDocIds": [child], "RelationTypeId": 1}
    assert session.post(f"{go}/Documents/RelateDocuments", json=relate).status_code == 400
    relate = {"ParentDocId": str(parent), "ChildDocIds": [child], "RelationTypeId": 7}
    assert session.post(f"{go}/Documents/RelateDocuments", json=relate).status_code == 400
    # a JSON body sent as a form
    assert session.post(f"{go}/Cases/CloseCase", data={"CaseId": case_id}).status_code == 415
    # basic authentication, and no authentication at all
    plain = http_post(f"{go}/Cases/CloseCase", json={"CaseId": case_id},
                          auth=(getorganized.username, "hemmeligt"))  # fmt: skip
    assert plain.status_code == 401 and plain.headers["WWW-Authenticate"] == "NTLM"
    assert http_get(f"{go}/Documents/RelationTypes").status_code == 401


def test_getorganized_metadata_is_a_valid_xml_row():
    from hearings.esdh.getorganized import metadata_xml

    row = parse_row(metadata_xml({"Title": 'Høring om "parkering" & <cykler>', "Empty": ""}))
    assert row == {"ows_Title": 'Høring om "parkering" & <cykler>'}


def test_ntlm_without_requests_ntlm_is_a_configuration_error(getorganized, monkeypatch):
    import sys

    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setitem(sys.modules, "requests_ntlm", None)  # not installed
    with pytest.raises(ImproperlyConfigured, match="requests-ntlm"):
        GetOrganizedAdapter()


def test_per_municipality_config_overrides_the_settings(getorganized, settings):
    settings.AGORA_GETORGANIZED_URL = "http://nowhere.invalid"
    adapter = GetOrganizedAdapter(
        config={"url": getorganized.url, "case_type": "GEN", "relation_type": "9"}
    )
    assert adapter.api_root == f"{getorganized.url}/sager"
    assert adapter.attachment_relation() == 9  # an id: no lookup
    adapter.ensure_case(CaseInfo(reference="r", title="T"))
    assert len(getorganized.cases) == 1


# -- SBSYS ----------------------------------------------------------------------------


def test_a_concluded_hearing_is_journalized_in_sbsys_once(concluded_hearing, sbsys):
    call_command("export_hearing", str(concluded_hearing.pk))

    [case] = sbsys.cases.values()
    assert case["SagsTitel"] == concluded_hearing.title
    assert case["SagSkabelon"] == {"Id": 12}  # KLE main group 00
    assert case["Behandler"]["LogonId"] == "owner"  # the hearing owner, by logon id
    assert case["SagsStatus"]["Navn"] == "Afsluttet"
    export = HearingExport.objects.get(hearing=concluded_hearing)
    assert case_key(export.case_id) == (case["Id"], case["SagIdentity"], case["Nummer"])
    assert len(sbsys.documents) == 4
    by_name = {d["DokumentNavn"]: d for d in sbsys.documents.values()}
    assert by_name["01-hearing.pdf"]["content"].startswith(b"%PDF-")
    assert by_name["01-hearing.pdf"]["content_type"] == "application/pdf"
    folders = {name: sbsys.folder_of(d["Id"]) for name, d in by_name.items()}
    assert folders["01-hearing.pdf"] == "Høringstekst"
    assert folders["99-conclusion.pdf"] == "Konklusion"
    assert sorted(folders.values()).count("Høringstekst") == 3  # the text and its attachments
    text_id = by_name["01-hearing.pdf"]["Id"]
    attachments = [d for n, d in by_name.items() if n.startswith("02-")]
    assert all(f"Bilag til dokument {text_id}" in d["Beskrivelse"] for d in attachments)
    assert sbsys.token_requests == 1  # one token for the whole export

    call_command("export_hearing", str(concluded_hearing.pk))
    assert len(sbsys.documents) == 4


def test_the_hearing_owner_is_the_sbsys_case_worker_when_sbsys_knows_them(sbsys):
    adapter = SBSYSAdapter()
    case_id = adapter.ensure_case(CaseInfo(reference="r", title="T", kle_number="85.02.00",
                                           owner="owner@example.dk"))  # fmt: skip
    case = sbsys.cases[case_key(case_id)[0]]
    assert case["Behandler"]["LogonId"] == "owner"  # found by the e-mail's local part
    assert case["SagSkabelon"] == {"Id": 31}  # KLE main group 85


def test_optional_sbsys_case_fields(sbsys, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.AGORA_SBSYS_CASE_FIELDS = '{"EmneplanNummer": "{kle}", "Facet": "G01"}'
    SBSYSAdapter().ensure_case(CaseInfo(reference="r", title="T", kle_number="00.01.00"))
    [case] = sbsys.cases.values()
    assert case["received"] == {"EmneplanNummer": "00.01.00", "Facet": "G01"}
    settings.AGORA_SBSYS_CASE_FIELDS = '{"KLENummer": "{kle}"}'
    with pytest.raises(ImproperlyConfigured, match="KLENummer"):
        SBSYSAdapter()


def test_sbsys_without_a_template_or_a_case_worker_files_nothing(sbsys, settings):
    settings.AGORA_SBSYS_CASE_TEMPLATE = ""
    with pytest.raises(ESDHError, match="TEMPLATE_IDS"):
        SBSYSAdapter().ensure_case(CaseInfo(reference="r", title="T", kle_number="27.00.00"))
    settings.AGORA_SBSYS_CASE_WORKER = ""
    with pytest.raises(ESDHError, match="CASE_WORKER"):
        SBSYSAdapter().ensure_case(CaseInfo(reference="r", title="T", owner="nobody@x.dk"))
    assert sbsys.cases == {}


def test_a_missing_sbsys_sub_folder_is_named_and_nothing_is_filed(sbsys, settings):
    from hearings.esdh import Document

    settings.AGORA_SBSYS_FOLDERS = '{"response": "Indkomne svar"}'
    adapter = SBSYSAdapter()
    case_id = adapter.ensure_case(CaseInfo(reference="r", title="T", kle_number="00.01.00"))
    with pytest.raises(ESDHError, match="Indkomne svar.*Høringstekst"):
        adapter.add_document(
            case_id, Document("r", "Svar", "svar.pdf", b"%PDF", metadata={"kind": "response"})
        )
    assert sbsys.documents == {}


def test_the_sbsys_password_grant(settings):
    with SBSYSServer(
        client_id="agora", client_secret="s", grant_type="password", username="svc",
        password="pw", users=[("svc", "Service")],
        templates={5: {"kle": "00.00.00", "folders": ["Høringstekst"]}},
    ) as server:  # fmt: skip
        settings.AGORA_SBSYS_URL = f"{server.url}/sbsip/api/v12"
        settings.AGORA_SBSYS_TOKEN_URL = (
            f"{server.url}/auth/realms/sbsip/protocol/openid-connect/token"
        )
        settings.AGORA_SBSYS_CASE_TEMPLATE = "5"
        settings.AGORA_SBSYS_TEMPLATE_IDS = ""
        settings.AGORA_SBSYS_CASE_WORKER = "svc"
        config = {"grant_type": "password", "client_id": "agora", "client_secret": "s",
                  "username": "svc", "password": "pw"}  # fmt: skip
        SBSYSAdapter(config=config).ensure_case(CaseInfo(reference="r", title="T"))
        assert len(server.cases) == 1
        with pytest.raises(ESDHError, match="400"):  # client credentials where it wants password
            SBSYSAdapter(config={**config, "grant_type": "client_credentials"}).ensure_case(
                CaseInfo(reference="r", title="T")
            )


def test_sbsys_refuses_a_bad_client_secret(concluded_hearing, sbsys, settings):
    settings.AGORA_SBSYS_CLIENT_SECRET = "forkert"
    with pytest.raises(CommandError, match="401"):
        call_command("export_hearing", str(concluded_hearing.pk))
    assert sbsys.cases == {}
    export = HearingExport.objects.get(hearing=concluded_hearing)
    assert export.status == "pending" and "401" in export.last_error


def test_an_expired_sbsys_token_is_renewed(sbsys):
    adapter = SBSYSAdapter()
    first = adapter.ensure_case(CaseInfo(reference="a", title="Første"))
    adapter.token_expires = 0  # as if five minutes had passed
    second = adapter.ensure_case(CaseInfo(reference="b", title="Anden"))
    assert first != second
    assert sbsys.token_requests == 2


def bearer(server):
    token = http_post(
        f"{server.url}/auth/realms/sbsip/protocol/openid-connect/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "agora",
            "client_secret": "hemmeligt",
        },
    ).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def test_the_sbsys_server_refuses_the_old_shapes(sbsys):
    auth = bearer(sbsys)
    api = f"{sbsys.url}/sbsip/api/v12"
    case_id = case_key(SBSYSAdapter().ensure_case(CaseInfo(reference="r", title="T")))[0]
    guid = sbsys.cases[case_id]["SagIdentity"]
    # the old case body
    old_case = {"SagsTemplateId": 12, "Titel": "T", "KLENummer": "00.01.00", "Ansvarlig": "x",
                "EksternReference": "agora-hearing-1"}  # fmt: skip
    assert http_post(f"{api}/sag/template", json=old_case, headers=auth).status_code == 400
    # a string where SBSIP wants an int
    new_case = {"SagsTitel": "T", "SagsBehandlerID": "100", "SkabelonId": 12}
    assert http_post(f"{api}/sag/template", json=new_case, headers=auth).status_code == 400
    # journalizing as JSON with base64 content
    old_document = {"SagGuid": guid, "Navn": "a", "FilNavn": "a.pdf", "Indhold": "JVBERg=="}
    answer = http_post(f"{api}/dokument/journaliser", json=old_document, headers=auth)
    assert answer.status_code == 415
    # multipart, but with an extra property in the json part, or a GUID as SagID
    for part in (
        {"SagID": case_id, "DokumentNavn": "a.pdf", "Beskrivelse": "", "Metadata": {}},
        {"SagID": guid, "DokumentNavn": "a.pdf", "Beskrivelse": ""},
    ):
        files = {"json": (None, json.dumps(part)), "file": ("a.pdf", b"%PDF", "application/pdf")}
        answer = http_post(f"{api}/dokument/journaliser", files=files, headers=auth)
        assert answer.status_code == 400, part
    # sub-folders by GUID; a document put in a folder as {DokumentId}
    assert http_get(f"{api}/delforloeb/sag/{guid}", headers=auth).status_code == 400
    [folder, *_] = http_get(f"{api}/delforloeb/sag/{case_id}", headers=auth).json()
    answer = http_post(f"{api}/delforloeb/{folder['ID']}/dokument", json={"DokumentId": 1},
                           headers=auth)  # fmt: skip
    assert answer.status_code == 400
    # the status by name
    answer = http_put(f"{api}/sag/{guid}/status", json={"SagsStatus": "Afsluttet"}, headers=auth)
    assert answer.status_code == 400
    # the unversioned base path, and no token
    assert http_post(f"{sbsys.url}/api/sag/template", json={}, headers=auth).status_code == 404
    assert http_get(f"{api}/sag/sagStatusList").status_code == 401
    assert sbsys.documents == {}


def closed_with_a_response(hearing_for, cast):
    from datetime import timedelta

    from django.utils import timezone

    from hearings.models import HearingResponse

    hearing = hearing_for(opens_in=timedelta(days=-10), closes_in=timedelta(hours=-1))
    response = HearingResponse.objects.create(
        hearing=hearing,
        respondent=cast["team"],
        status="rejected",
        sequence=1,
        reference=f"H-2026-{hearing.pk:04d}-0001",
        submitted_at=timezone.now() - timedelta(days=2),
        on_behalf_of_kind="organisation",
        on_behalf_of_name="Lokal-MED",
        answers={"q": {"type": "long_text", "label": "Svar", "display": "Nej tak"}},
    )
    return hearing, response


def test_getorganized_documents_carry_the_responses_sender_received_time_and_reference(
    hearing_for, cast, getorganized
):
    hearing, response = closed_with_a_response(hearing_for, cast)
    assert export_hearing(hearing).status == "done"
    [document] = [
        d for d in getorganized.documents.values() if d["filename"].startswith("10-response-")
    ]
    assert document["filename"] == f"10-response-{response.reference}.pdf"
    metadata = document["metadata"]
    assert metadata["ows_Title"] == f"Høringssvar {response.reference}"
    assert metadata["ows_Kategori"] == "Indgående"
    assert metadata["ows_Svarreference"] == response.reference
    assert metadata["ows_Afsender"] == "team1"
    assert metadata["ows_AfsenderOrganisation"] == "Team"
    assert metadata["ows_PaaVegneAf"] == "En organisation: Lokal-MED"
    assert metadata["ows_Modtaget"].startswith(str(response.submitted_at.year))
    assert metadata["ows_Moderationsstatus"] == "rejected"
    assert metadata["ows_Afdeling"] == "Other"  # the owner's department


def test_sbsys_documents_carry_the_responses_sender_received_time_and_reference(
    hearing_for, cast, sbsys
):
    hearing, response = closed_with_a_response(hearing_for, cast)
    call_command("export_hearing", str(hearing.pk))
    [document] = [
        d for d in sbsys.documents.values() if d["DokumentNavn"].startswith("10-response-")
    ]
    assert sbsys.folder_of(document["Id"]) == "Høringssvar"
    description = document["Beskrivelse"]
    assert description.startswith(f"Høringssvar {response.reference}\n")
    assert f"Svarreference: {response.reference}" in description
    assert "Afsender: team1" in description
    assert "På vegne af: En organisation: Lokal-MED" in description
    assert f"Modtaget: {response.submitted_at.year}" in description
