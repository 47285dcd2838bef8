"""GetOrganized (SharePoint based) through its ``_goapi`` REST API, as public clients call it.

Every request follows a public client that files in a real installation (docs/esdh.md,
"Sources"):

- NTLM authentication (itk-dev-rpa/ITK-dev-shared-components
  ``getorganized/go_api.py``, and every other public Python client); basic as an option;
- ``POST Cases/FindByCaseProperties`` ``{FieldProperties: [{InternalName, Value}],
  CaseTypePrefixes: [...], ExcludeDeletedCases}`` → ``{CasesInfo: [{CaseID}]}``
  (itk-dev/getorganized-api-client-php ``src/Service/Cases.php``, ``go_api.py``);
- ``POST Cases/`` ``{CaseTypePrefix, MetadataXml, ReturnWhenCaseFullyCreated}`` →
  ``{CaseID}`` (``Cases.php``; ``ows_CaseCategory``/``ows_Afdeling`` from ``go_api.py``);
- ``GET Cases/Metadata/{id}`` (``Cases.php``);
- ``POST Documents/AddToDocumentLibrary`` ``{bytes, CaseId, ListName, FolderPath,
  FileName, Metadata, Overwrite}`` → ``{DocId}`` (``src/Service/Documents.php``), with
  ``ows_Kategori`` (``go_api.py``);
- above ``CHUNK_THRESHOLD`` the file goes in chunks straight to the case's SharePoint
  library (``startUpload``/``continueUpload``/``finishUpload``), its DocID is read
  from ``RenderListDataAsStream`` and its metadata set with ``Documents/Metadata``
  (the Aarhus MTM GetOrganized helpers' ``_upload_document_chunked``);
- ``GET Documents/RelationTypes`` once, then ``POST Documents/RelateDocuments``
  ``{ParentDocId, ChildDocIds, RelationTypeId}`` (``Documents.php``);
- ``POST Documents/MarkMultipleAsCaseRecord/ByDocumentId`` ``{DocumentIds}`` and
  ``POST Documents/FinalizeMultiple/ByDocumentId`` ``{DocumentIds,
  ShouldCloseOpenTasks: false}`` whose answer's ``Success`` is checked (AAK-MBU and
  mtm-aarhus RPA integrations; ``Documents.php``);
- ``POST Cases/CloseCase`` ``{CaseId}`` (mtm-aarhus RPA integrations).

Tested against a contract server built from those files (tests/esdh/servers.py), not a
real GetOrganized. Metadata travels as an XML row
(``<z:row xmlns:z="#RowsetSchema" ows_Title="…"/>``).

Settings (``AGORA_GETORGANIZED_*``, or per municipality the lower-case keys without the
prefix): ``URL``, ``SITE`` (a site prefix such as ``/geosager``), ``USERNAME``
(``DOMAIN\\user`` for NTLM), ``PASSWORD``, ``AUTH`` (``ntlm`` default, or ``basic``),
``CASE_TYPE`` (the case type prefix), ``CASE_FIELDS`` (JSON: the fields this case type
requires, e.g. ``{"CaseCategory": "Høring", "Afdeling": "{department}"}``),
``EXTERNAL_REFERENCE_COLUMN`` (default ``EksterntSagsID``), ``KLE_FIELD`` and
``KLE_VALUES`` (JSON: KLE number → the lookup or taxonomy value), ``OWNER_FIELD`` and
``OWNER_VALUES`` (JSON: the owner's e-mail or user name → ``"id;#Name"``),
``CATEGORY_FIELD`` and ``DOCUMENT_CATEGORIES`` (JSON: document kind → Indgående /
Udgående / Intern), ``DOCUMENT_COLUMNS`` (JSON: Agora metadata key → a custom column of
the library), ``RELATION_TYPE`` (a relation type's id or name, default ``Bilag``),
``CHUNK_THRESHOLD`` and ``CHUNK_SIZE`` (bytes, default 10 MB); and ``AGORA_ESDH_TIMEOUT``.
"""

import uuid
from urllib.parse import quote
from xml.etree import ElementTree
from xml.sax.saxutils import quoteattr

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import AdapterSettings, CaseInfo, Document, ESDHAdapter, ESDHError, clean_filename
from .dryrun import RecordingSession
from .http import call, json_of

MB = 1024 * 1024
LIST_NAME = "Dokumenter"

DEFAULT_CATEGORIES = {
    "hearing_text": "Udgående",
    "attachment": "Udgående",
    "response_register": "Intern",
    "response": "Indgående",
    "response_attachment": "Indgående",
    "conclusion": "Udgående",
}
# Agora's metadata that names a person: a dry run prints it as "[personal data]".
PERSONAL = ("sender_name", "sender_department", "on_behalf_of", "registered_by")


def metadata_xml(fields):
    attributes = " ".join(
        f"ows_{name}={quoteattr(str(value))}" for name, value in fields.items() if value
    )
    return f'<z:row xmlns:z="#RowsetSchema" {attributes} />'


class GetOrganizedAdapter(ESDHAdapter):
    name = "getorganized"

    def __init__(self, base_url=None, username=None, password=None, auth=None, config=None):
        conf = AdapterSettings("GETORGANIZED", config)
        self.url = (base_url or conf["url"] or "").rstrip("/")
        if not self.url:
            raise ImproperlyConfigured("AGORA_GETORGANIZED_URL is not set.")
        site = (conf.get("site") or "").strip("/")
        self.api_root = f"{self.url}/{site}" if site else self.url
        self.timeout = settings.AGORA_ESDH_TIMEOUT
        self.case_type = conf.get("case_type") or "GEN"
        self.case_fields = conf.json("case_fields", {})
        self.reference_column = conf.get("external_reference_column") or "EksterntSagsID"
        self.kle_field = conf.get("kle_field") or "KLENummer"
        self.kle_values = conf.json("kle_values", {})
        self.owner_field = conf.get("owner_field") or "CaseOwner"
        self.owner_values = {k.lower(): v for k, v in conf.json("owner_values", {}).items()}
        self.category_field = conf.get("category_field") or "Kategori"
        self.categories = {**DEFAULT_CATEGORIES, **conf.json("document_categories", {})}
        self.document_columns = conf.json("document_columns", {})
        self.relation_type = str(conf.get("relation_type") or "Bilag")
        self.relation_type_id = int(self.relation_type) if self.relation_type.isdigit() else None
        self.chunk_threshold = int(conf.get("chunk_threshold") or 10 * MB)
        self.chunk_size = int(conf.get("chunk_size") or 10 * MB)
        self.uploading = ""
        self.session = requests.Session()
        self.session.headers["Accept"] = "application/json"
        username = username or conf["username"]
        password = password or conf["password"]
        if (auth or conf.get("auth") or "ntlm") == "ntlm":
            try:
                from requests_ntlm import HttpNtlmAuth
            except ImportError as error:
                raise ImproperlyConfigured(
                    "AGORA_GETORGANIZED_AUTH=ntlm needs the requests-ntlm package."
                ) from error
            self.session.auth = HttpNtlmAuth(username, password)
        else:
            self.session.auth = (username, password)

    def request(self, method, url, **kwargs):
        response = call(self.session, method, url, timeout=self.timeout, **kwargs)
        return json_of(response) if response.content else {}

    def post(self, path, payload):
        return self.request("POST", f"{self.api_root}/_goapi/{path}", json=payload)

    # -- cases ---------------------------------------------------------------------

    def case_metadata(self, case: CaseInfo):
        values = {"title": case.title, "department": case.department, "kle": case.kle_number,
                  "case_type": self.case_type}  # fmt: skip
        fields = {"Title": case.title, "CaseStatus": "Åben"}
        for name, value in self.case_fields.items():
            fields[name] = str(value).format(**values) if isinstance(value, str) else value
        if case.kle_number:
            if self.kle_values:
                if case.kle_number not in self.kle_values:
                    raise ESDHError(
                        f"KLE number {case.kle_number} has no value in "
                        "AGORA_GETORGANIZED_KLE_VALUES (GetOrganized's KLE field is a lookup)."
                    )
                fields[self.kle_field] = self.kle_values[case.kle_number]
        owner = self.owner_values.get((case.owner or "").lower())
        if owner:
            fields[self.owner_field] = owner
            self.mark_personal([case.owner, owner])
        fields[self.reference_column] = case.reference
        return fields

    def ensure_case(self, case: CaseInfo) -> str:
        if case.case_number:
            self.request("GET", f"{self.api_root}/_goapi/Cases/Metadata/{case.case_number}")
            return case.case_number
        found = self.post(
            "Cases/FindByCaseProperties",
            {
                "FieldProperties": [
                    {"InternalName": f"ows_{self.reference_column}", "Value": case.reference}
                ],
                "CaseTypePrefixes": [self.case_type],
                "ExcludeDeletedCases": True,
            },
        )
        cases = found.get("CasesInfo") or []
        if cases:
            return str(cases[0]["CaseID"])
        created = self.post(
            "Cases/",
            {
                "CaseTypePrefix": self.case_type,
                "MetadataXml": metadata_xml(self.case_metadata(case)),
                "ReturnWhenCaseFullyCreated": True,
            },
        )
        case_id = created.get("CaseID")
        if not case_id:
            raise ESDHError("GetOrganized created no case (no CaseID in the answer)")
        return str(case_id)

    # -- documents -------------------------------------------------------------------

    def document_metadata(self, document: Document):
        metadata = document.metadata
        fields = {"Title": document.title}
        category = self.categories.get(metadata.get("kind", ""))
        if category and self.category_field:
            fields[self.category_field] = category
        for key, column in self.document_columns.items():
            value = document.sha256 if key == "sha256" else metadata.get(key, "")
            fields[column] = value
        self.mark_personal([metadata.get(key) for key in PERSONAL])
        return metadata_xml(fields)

    def add_document(self, case_id, document: Document, parent_id=None) -> str:
        filename = self.uploading = clean_filename(document.filename)
        row = self.document_metadata(document)
        if len(document.content) > self.chunk_threshold:
            doc_id = self.upload_in_chunks(case_id, filename, document.content, row)
        else:
            answer = self.post(
                "Documents/AddToDocumentLibrary",
                {
                    "bytes": list(document.content),
                    "CaseId": case_id,
                    "ListName": LIST_NAME,
                    "FolderPath": "",
                    "FileName": filename,
                    "Metadata": row,
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
                    "RelationTypeId": self.attachment_relation(),
                },
            )
        return doc_id

    def attachment_relation(self):
        """The id of the relation type named ``RELATION_TYPE``, looked up once."""
        if self.relation_type_id is None:
            answer = self.request("GET", f"{self.api_root}/_goapi/Documents/RelationTypes")
            types = answer if isinstance(answer, list) else answer.get("RelationTypes") or []
            wanted = self.relation_type.lower()
            for relation in types:
                name = relation.get("Name") or relation.get("Title") or ""
                if name.lower() == wanted:
                    self.relation_type_id = int(relation.get("Id") or relation.get("ID"))
                    break
            else:
                names = ", ".join(repr(r.get("Name") or r.get("Title")) for r in types)
                raise ESDHError(
                    f"GetOrganized has no relation type {self.relation_type!r} ({names}); "
                    "set AGORA_GETORGANIZED_RELATION_TYPE."
                )
        return self.relation_type_id

    def case_web(self, case_id):
        """The case's SharePoint web: (its URL, its server-relative path)."""
        answer = self.request("GET", f"{self.api_root}/_goapi/Cases/Metadata/{case_id}/False")
        try:
            case_url = ElementTree.fromstring(answer["Metadata"]).attrib["ows_CaseUrl"]  # noqa: S314
        except (KeyError, ElementTree.ParseError) as error:
            raise ESDHError(f"GetOrganized gave no ows_CaseUrl for {case_id}") from error
        case_url = case_url.strip("/")
        return f"{self.url}/{case_url}", case_url

    def find_document(self, case_id, document):
        """A document an interrupted call filed: by its file name in the case's library."""
        web, case_url = self.case_web(case_id)
        doc_id = self.find_in_library(web, case_url, clean_filename(document.filename))
        return str(doc_id) if doc_id else None

    def upload_in_chunks(self, case_id, filename, content, row):
        """A large file straight into the case's SharePoint library, in chunks."""
        web, case_url = self.case_web(case_id)
        info = self.request(
            "POST",
            f"{web}/_api/contextinfo",
            headers={"Accept": "application/json; odata=verbose"},
        )
        digest = info["d"]["GetContextWebInformation"]["FormDigestValue"]
        headers = {"X-RequestDigest": digest, "X-FORMS_BASED_AUTH_ACCEPTED": "f"}
        folder = f"/{case_url}/{LIST_NAME}"
        quoted = filename.replace("'", "''")
        self.request(
            "POST",
            f"{web}/_api/web/GetFolderByServerRelativePath(DecodedUrl=@p)/Files/"
            f"add(url=@f,overwrite=true)?@p='{quote(folder)}'&@f='{quote(quoted)}'",
            headers=headers,
        )
        target = quote(f"{folder}/{quoted}")
        base = f"{web}/_api/web/GetFileByServerRelativePath(DecodedUrl=@u)"
        upload = uuid.uuid4()
        chunk_headers = {**headers, "Content-Type": "application/octet-stream"}
        offsets = range(0, len(content), self.chunk_size)
        for number, offset in enumerate(offsets):
            chunk = content[offset : offset + self.chunk_size]
            if number == 0:
                step = f"startUpload(uploadId=guid'{upload}')"
            elif number == len(offsets) - 1:
                step = f"finishUpload(uploadId=guid'{upload}',fileOffset={offset})"
            else:
                step = f"continueUpload(uploadId=guid'{upload}',fileOffset={offset})"
            self.request("POST", f"{base}/{step}?@u='{target}'", data=chunk, headers=chunk_headers)
        if len(offsets) == 1:  # one chunk: start and finish with the same bytes
            step = f"finishUpload(uploadId=guid'{upload}',fileOffset=0)"
            self.request("POST", f"{base}/{step}?@u='{target}'", data=content,
                         headers=chunk_headers)  # fmt: skip
        doc_id = self.find_in_library(web, case_url, filename)
        if not doc_id:
            raise ESDHError(f"GetOrganized: {filename} was uploaded but has no DocID")
        self.request(
            "POST",
            f"{self.api_root}/_goapi/Documents/Metadata",
            data={"DocId": doc_id, "MetadataXml": row},
        )
        return doc_id

    def find_in_library(self, web, case_url, filename):
        views = self.request("GET", f"{web}/_goapi/Administration/GetLeftMenuCounter")
        view_id = next(
            (v.get("ViewId") for v in views or []
             if v.get("ViewName") == "AllItems.aspx" and v.get("ListName") == LIST_NAME),
            None,
        )  # fmt: skip
        if view_id is None:
            raise ESDHError("GetOrganized: no AllItems view of the case's document library")
        url = (
            f"{web}/_api/web/GetList(@listUrl)/RenderListDataAsStream"
            f"?@listUrl='/{quote(case_url)}/{LIST_NAME}'&View={view_id}"
        )
        view_xml = '<View><Query></Query><RowLimit Paged="TRUE">100</RowLimit></View>'
        payload = {"parameters": {"__metadata": {"type": "SP.RenderListDataParameters"},
                                  "ViewXml": view_xml}}  # fmt: skip
        while True:
            data = self.request("POST", url, json=payload)
            for row in data.get("Row", []):
                if str(row.get("FileLeafRef", "")).lower() == filename.lower():
                    return row.get("DocID")
            if not data.get("NextHref"):
                return None
            url = (
                f"{web}/_api/web/GetList(@listUrl)/RenderListDataAsStream"
                f"?@listUrl='/{quote(case_url)}/{LIST_NAME}'&{data['NextHref'].lstrip('?')}"
            )

    def finalize(self, case_id, document_ids):
        if not document_ids:
            return
        ids = [int(doc_id) for doc_id in document_ids]
        self.post("Documents/MarkMultipleAsCaseRecord/ByDocumentId", {"DocumentIds": ids})
        answer = self.post(
            "Documents/FinalizeMultiple/ByDocumentId",
            {"DocumentIds": ids, "ShouldCloseOpenTasks": False},
        )
        if not answer.get("Success"):
            raise ESDHError(f"GetOrganized did not finalize {ids}: {answer.get('Message')}")

    def close_case(self, case_id):
        self.post("Cases/CloseCase", {"CaseId": case_id})

    # -- dry run ---------------------------------------------------------------------

    def mark_personal(self, values):
        if isinstance(self.session, RecordingSession):
            self.session.personal.update(str(v) for v in values if v)

    def dry_run(self, write):
        recording = RecordingSession(self.dry_run_answer, write, binary_fields={"bytes"})
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
        if path.endswith("/Documents/RelationTypes"):
            return [{"Id": 1, "Name": self.relation_type}]
        if path.endswith("/FinalizeMultiple/ByDocumentId"):
            return {"Success": True}
        if "/Cases/Metadata/" in path:
            url = f"cases/{self.case_type}/dry-run"
            return {"Metadata": f'<z:row xmlns:z="#RowsetSchema" ows_CaseUrl="{url}" />'}
        if path.endswith("/_api/contextinfo"):
            return {"d": {"GetContextWebInformation": {"FormDigestValue": "dry-run"}}}
        if path.endswith("/GetLeftMenuCounter"):
            return [{"ViewId": "dry-run", "ViewName": "AllItems.aspx", "ListName": LIST_NAME}]
        if path.endswith("/RenderListDataAsStream"):
            return {"Row": [{"FileLeafRef": self.uploading, "DocID": len(self.session.sent)}]}
        return {}
