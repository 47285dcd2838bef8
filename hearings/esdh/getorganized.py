"""GetOrganized (SharePoint based) through its ``_goapi`` REST API.

Built from the vendor's documented endpoints and tested against a contract server
(tests/esdh/), not a real GetOrganized. Metadata travels as an XML row
(``<z:row xmlns:z="#RowsetSchema" ows_Title="…"/>``).

Settings (environment): ``AGORA_GETORGANIZED_URL`` (the web application, e.g.
https://go.example.dk), ``AGORA_GETORGANIZED_USERNAME``, ``AGORA_GETORGANIZED_PASSWORD``,
``AGORA_GETORGANIZED_AUTH`` (``basic`` or ``ntlm``; NTLM needs ``requests-ntlm``),
``AGORA_GETORGANIZED_CASE_TYPE`` (case type prefix, default ``GEN``),
``AGORA_ESDH_TIMEOUT`` (seconds, default 120).
"""

from xml.sax.saxutils import quoteattr

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import CaseInfo, Document, ESDHAdapter, ESDHError, clean_filename
from .dryrun import RecordingSession
from .http import call, json_of

# GetOrganized's relation type for "attachment of" (configurable per installation).
ATTACHMENT_RELATION = 1

# Agora's response metadata → the document library's custom columns (``ows_<column>``).
RESPONSE_COLUMNS = {
    "reference": "Svarreference",
    "sender_name": "Afsender",
    "sender_department": "AfsenderOrganisation",
    "on_behalf_of": "PaaVegneAf",
    "received_at": "Modtaget",
    "received_by": "Modtagelsesform",
    "moderation_status": "Moderationsstatus",
    "registered_by": "RegistreretAf",
}


def metadata_xml(fields):
    attributes = " ".join(
        f"ows_{name}={quoteattr(str(value))}" for name, value in fields.items() if value
    )
    return f'<z:row xmlns:z="#RowsetSchema" {attributes} />'


class GetOrganizedAdapter(ESDHAdapter):
    name = "getorganized"

    def __init__(self, base_url=None, username=None, password=None, auth=None):
        self.base_url = (base_url or settings.AGORA_GETORGANIZED_URL).rstrip("/")
        if not self.base_url:
            raise ImproperlyConfigured("AGORA_GETORGANIZED_URL is not set.")
        self.timeout = settings.AGORA_ESDH_TIMEOUT
        self.case_type = settings.AGORA_GETORGANIZED_CASE_TYPE
        self.session = requests.Session()
        username = username or settings.AGORA_GETORGANIZED_USERNAME
        password = password or settings.AGORA_GETORGANIZED_PASSWORD
        if (auth or settings.AGORA_GETORGANIZED_AUTH) == "ntlm":
            try:
                from requests_ntlm import HttpNtlmAuth
            except ImportError as error:
                raise ImproperlyConfigured(
                    "AGORA_GETORGANIZED_AUTH=ntlm needs the requests-ntlm package."
                ) from error
            self.session.auth = HttpNtlmAuth(username, password)
        else:
            self.session.auth = (username, password)

    def post(self, path, payload):
        response = call(
            self.session,
            "POST",
            f"{self.base_url}/_goapi/{path}",
            json=payload,
            timeout=self.timeout,
        )
        return json_of(response) if response.content else {}

    def ensure_case(self, case: CaseInfo) -> str:
        if case.case_number:
            call(
                self.session,
                "GET",
                f"{self.base_url}/_goapi/Cases/Metadata/{case.case_number}",
                timeout=self.timeout,
            )
            return case.case_number
        found = self.post(
            "Cases/FindByCaseProperties",
            {
                "CaseTypePrefix": self.case_type,
                "FieldProperties": [
                    {"InternalName": "ows_ExternalReference", "Value": case.reference}
                ],
            },
        )
        cases = found.get("CasesInfo") or []
        if cases:
            return str(cases[0]["CaseID"])
        created = self.post(
            "Cases/",
            {
                "CaseTypePrefix": self.case_type,
                "MetadataXml": metadata_xml(
                    {
                        "Title": case.title,
                        "CaseStatus": "Åben",
                        "KLENummer": case.kle_number,
                        "CaseOwner": case.owner,
                        "ExternalReference": case.reference,
                    }
                ),
                "ReturnWhenCaseFullyCreated": True,
            },
        )
        case_id = created.get("CaseID")
        if not case_id:
            raise ESDHError("GetOrganized created no case (no CaseID in the answer)")
        return str(case_id)

    def add_document(self, case_id, document: Document, parent_id=None) -> str:
        metadata = document.metadata
        fields = {
            "Title": document.title,
            "Dokumentkategori": metadata.get("kind", ""),
            "KLENummer": metadata.get("kle_number", ""),
            "ExternalReference": document.source_key,
            "SourceChecksum": metadata.get("source_checksum", ""),
            "SHA256": document.sha256,
            "Afdeling": metadata.get("department", ""),
        }
        # A response (and its attachments): who sent it, when it was received, its
        # reference and its moderation status when it was filed. Empty ones are left out.
        fields.update({column: metadata.get(key, "") for key, column in RESPONSE_COLUMNS.items()})
        answer = self.post(
            "Documents/AddToDocumentLibrary",
            {
                "Bytes": list(document.content),
                "CaseId": case_id,
                "ListName": "Dokumenter",
                "FolderPath": "",
                "FileName": clean_filename(document.filename),
                "Metadata": metadata_xml(fields),
                "Overwrite": True,
            },
        )
        # One older variant swallows errors and answers without a DocId.
        doc_id = answer.get("DocId")
        if not doc_id:
            raise ESDHError(f"GetOrganized filed no document for {document.filename}")
        doc_id = str(doc_id)
        if parent_id:
            self.post(
                "Documents/RelateDocuments",
                {
                    "ParentDocId": int(parent_id),
                    "ChildDocIds": [int(doc_id)],
                    "RelationTypeId": ATTACHMENT_RELATION,
                },
            )
        return doc_id

    def finalize(self, case_id, document_ids):
        if document_ids:
            self.post(
                "Documents/FinalizeMultiple/ByDocumentId",
                {"DocumentIds": [int(doc_id) for doc_id in document_ids]},
            )

    def close_case(self, case_id):
        self.post("Cases/CloseCase", {"CaseId": case_id})

    def dry_run(self, write):
        recording = RecordingSession(self.dry_run_answer, write, binary_fields={"Bytes"})
        recording.auth = self.session.auth
        self.session = recording
        return self

    def dry_run_answer(self, method, path, payload):
        """What GetOrganized would plausibly answer, so a dry run follows the real flow."""
        if path.endswith("/Cases/FindByCaseProperties"):
            return {"CasesInfo": []}
        if path.endswith("/Cases/"):
            return {"CaseID": f"{self.case_type}-DRY-RUN"}
        if path.endswith("/Documents/AddToDocumentLibrary"):
            return {"DocId": len(self.session.sent)}
        return {}
