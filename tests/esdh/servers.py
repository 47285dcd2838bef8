"""Contract servers for SBSYS (SBSIP) and GetOrganized, rebuilt from public client code.

They are not the vendors' systems. Each route and each request and response shape
names, in a comment, the public repository and file it comes from: client code that
files in real installations (OS2agora-API, odense-rpa/sbsys-ng,
Randers-Kommune-Digitalisering/sbsys-ekstern, itk-dev/getorganized-api-client-php,
itk-dev-rpa/ITK-dev-shared-components, OS2Forms/os2forms_get_organized, the AAK-MBU and
mtm-aarhus RPA integrations). Where the public code does not show what a real system
does, the server is stricter than it need be and says so (``STRICTER``):

- a JSON body with a property the DTO does not have is refused (ASP.NET would ignore
  it, which silently loses the value; for SBSIP's multipart ``json`` part OS2agora says
  extra properties break it, and that one is refused for that reason);
- property names are matched case-insensitively, as the .NET model binders do;
- an id of the wrong type (a GUID or a string where an int is expected) is refused.

Both keep everything in memory, and can be told to answer the next N requests with 503.
"""

import base64
import email.parser
import email.policy
import itertools
import json
import os
import re
import secrets
import tempfile
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit
from xml.etree import ElementTree
from xml.sax.saxutils import quoteattr


class Refused(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def refuse(message, status=400):
    raise Refused(status, message)


class ContractServer:
    """An HTTP/1.1 server (keep-alive, as NTLM needs) on 127.0.0.1 at a free port."""

    routes = ()  # (method, regex, handler method name)

    def __init__(self):
        self.requests = []  # (method, path) of every request, for assertions
        self.fail_next = 0
        self.lose_answer = set()  # route names whose next answer is lost (503 after the work)
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def handle_any(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, payload, extra = server.dispatch(self, body)
                data = json.dumps(payload).encode() if payload is not None else b""
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = handle_any

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def dispatch(self, handler, body):
        parts = urlsplit(handler.path)
        path, query = unquote(parts.path), {k: v[0] for k, v in parse_qs(parts.query).items()}
        with self.lock:
            self.requests.append((handler.command, handler.path))
            if self.fail_next:
                self.fail_next -= 1
                return 503, {"error": "Service Unavailable"}, {}
            try:
                extra = self.authenticate(handler, path, body)
                if extra is not None:
                    return 401, {"error": "Unauthorized"}, extra
                for route_method, pattern, name in self.routes:
                    match = re.fullmatch(pattern, path)
                    if match and route_method == handler.command:
                        request = Request(handler.headers, body, query)
                        status, payload = getattr(self, name)(request, **match.groupdict())
                        if name in self.lose_answer and status < 300:
                            self.lose_answer.discard(name)
                            return 503, {"error": "answer lost"}, {}
                        return status, payload, {}
                return 404, {"error": f"No route {handler.command} {path}"}, {}
            except Refused as refusal:
                return refusal.status, {"error": str(refusal)}, {}

    def authenticate(self, handler, path, body):
        """None to go on, or the headers of a 401."""
        return None


class Request:
    def __init__(self, headers, body, query):
        self.headers = headers
        self.body = body
        self.query = query

    @property
    def content_type(self):
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    def json(self):
        if self.content_type != "application/json":
            refuse(f"Unsupported media type {self.content_type!r}", 415)
        try:
            return json.loads(self.body)
        except ValueError:
            refuse("The body is not JSON")

    def form(self):
        if self.content_type != "application/x-www-form-urlencoded":
            refuse(f"Unsupported media type {self.content_type!r}", 415)
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}

    def multipart(self):
        """{name: (filename, content type, bytes)} of a multipart/form-data body."""
        if self.content_type != "multipart/form-data":
            refuse(f"Unsupported media type {self.content_type!r}: multipart expected", 415)
        head = f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + self.body)
        return {
            part.get_param("name", header="content-disposition"): (
                part.get_filename(),
                part.get_content_type(),
                part.get_payload(decode=True),
            )
            for part in message.iter_parts()
        }


INT = "int"


def strict(data, required, optional=(), where="body"):
    """``data`` checked against a DTO: its names (case-insensitive), types, nothing else.

    ``required``/``optional`` map a property name to a type: ``int``, ``str``, ``bool``,
    ``list``, ``dict`` or ``None`` (anything). Returns the values by their DTO names.
    """
    if not isinstance(data, dict):
        refuse(f"The {where} is not a JSON object")
    known = {name.lower(): (name, kind) for name, kind in {**dict(optional), **required}.items()}
    values = {}
    for key, value in data.items():
        if key.lower() not in known:
            refuse(f"Unknown property {key!r} in the {where} (STRICTER)")
        name, kind = known[key.lower()]
        if value is not None and kind is not None:
            if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
                refuse(f"{name} must be an integer, not {value!r}")
            if kind is not int and not isinstance(value, kind):
                refuse(f"{name} must be {kind.__name__}, not {value!r}")
        values[name] = value
    for name in required:
        if values.get(name) in (None, ""):
            refuse(f"{name} is required")
    return values


# ---------------------------------------------------------------------------------------
# SBSYS: SBSIP's REST API behind Keycloak
# ---------------------------------------------------------------------------------------

API = r"/sbsip/api/v12"  # OS2agora-API tests/.../appsettings.json: BaseAddress "…/api/v12"
TOKEN_PATH = "/auth/realms/sbsip/protocol/openid-connect/token"  # OS2agora appsettings.json


class SBSYSServer(ContractServer):
    """SBSIP v12 under ``/sbsip/api/v12`` and Keycloak's token endpoint."""

    routes = (
        ("POST", TOKEN_PATH, "token"),
        ("POST", API + r"/bruger/search", "search_users"),
        ("POST", API + r"/sag/template", "create_case"),
        ("GET", API + r"/sag/sagStatusList", "status_list"),
        ("GET", API + r"/sag/(?P<sag>[^/]+)", "get_case"),
        ("GET", API + r"/sag/(?P<sag>[^/]+)/dokumenter", "case_documents"),
        ("PUT", API + r"/sag/(?P<sag>[^/]+)/status", "case_status"),
        ("POST", API + r"/dokument/journaliser", "journalize"),
        ("GET", API + r"/delforloeb/sag/(?P<sag>[^/]+)", "case_folders"),
        ("POST", API + r"/delforloeb/(?P<folder>[^/]+)/dokument", "add_to_folder"),
    )

    def __init__(self, client_id, client_secret, grant_type="client_credentials",
                 username="", password="", users=(), templates=None):  # fmt: skip
        super().__init__()
        self.client = (client_id, client_secret)
        self.grant_type = grant_type
        self.service_user = (username, password)
        self.tokens = set()
        self.token_requests = 0
        self.ids = itertools.count(1001)
        # BrugerDto {LogonId, Uuid, Id, Navn} (OS2agora DTOs/BrugerDto.cs)
        self.users = [
            {"Id": 100 + n, "LogonId": logon, "Navn": name, "Uuid": str(uuid.uuid4())}
            for n, (logon, name) in enumerate(users)
        ]
        # template id -> the sub-folders (delforløb) a case made from it gets
        self.templates = templates or {}
        # SagsStatusDto {Id, Navn, Orden, SagsTilstand, RequireComments} (DTOs/SagsStatusDto.cs)
        self.statuses = [
            {"Id": 3, "Navn": "Aktiv", "Orden": 1, "RequireComments": False},
            {"Id": 7, "Navn": "Afsluttet", "Orden": 5, "RequireComments": False},
            {"Id": 8, "Navn": "Henlagt", "Orden": 6, "RequireComments": True},
        ]
        self.cases = {}  # int id -> case
        self.documents = {}  # int id -> document
        self.folders = {}  # folder ID -> {"SagID", "Titel", "documents": [...]}

    def authenticate(self, handler, path, body):
        if path == TOKEN_PATH:
            return None
        auth = handler.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.tokens:
            return {"WWW-Authenticate": 'Bearer realm="sbsip"'}
        return None

    def token(self, request):
        # Keycloak's token endpoint, form encoded: client credentials (OS2agora
        # TokenService.cs) or the password grant (sbsys-ekstern src/utils.py,
        # sbsys-ng src/sbsys/client.py).
        form = request.form()
        if form.get("grant_type") != self.grant_type:
            return 400, {"error": "unauthorized_client", "grant": form.get("grant_type")}
        if (form.get("client_id"), form.get("client_secret")) != self.client:
            return 401, {"error": "invalid_client"}
        if self.grant_type == "password" and (
            (form.get("username"), form.get("password")) != self.service_user
        ):
            return 401, {"error": "invalid_grant"}
        self.token_requests += 1
        token = secrets.token_hex(16)
        self.tokens.add(token)
        return 200, {"access_token": token, "expires_in": 300, "token_type": "Bearer"}

    def search_users(self, request):
        # SearchBrugerDto {LogonId, Navn} → List<BrugerDto> (OS2agora DTOs/SearchBrugerDto.cs,
        # V12/UserServiceV12.cs; sbsys-ng functionality/bruger.py)
        data = strict(request.json(), {}, {"LogonId": str, "Navn": str})
        logon = (data.get("LogonId") or "").lower()
        name = (data.get("Navn") or "").lower()
        return 200, [
            user
            for user in self.users
            if (logon and logon in user["LogonId"].lower())
            or (name and name in user["Navn"].lower())
        ]

    def case_dto(self, case):
        # SagDtoV10: Id (int), SagIdentity (Guid), Nummer, SagsTitel, Behandler, SagsStatus
        # (OS2agora DTOs/SagDtoV10.cs)
        return {k: v for k, v in case.items() if k not in ("documents", "received")}

    def create_case(self, request):
        # CreateSagFromSkabelonDto (OS2agora DTOs/CreateSagFromSkabelonDto.cs,
        # V12/CaseServiceV12.CreateCase; sbsys-ng functionality/sager.py opret_sag)
        data = strict(
            request.json(),
            {"SagsTitel": str, "SagsBehandlerID": int, "SkabelonId": int},
            {"Ansaettelsessted": None, "AnsaettelsesStedCode": str, "FagomraadeID": int,
             "StyringsReolID": int, "Parts": list, "PrimaryPart": dict,
             "EmneplanNummer": str, "Facet": str, "SagsRoller": list},
        )  # fmt: skip
        if data["SkabelonId"] not in self.templates:
            return 400, {"error": f"No template {data['SkabelonId']}"}
        worker = next((u for u in self.users if u["Id"] == data["SagsBehandlerID"]), None)
        if worker is None:
            return 400, {"error": f"No user {data['SagsBehandlerID']}"}
        template = self.templates[data["SkabelonId"]]
        case_id = next(self.ids)
        self.cases[case_id] = {
            "Id": case_id,
            "SagIdentity": str(uuid.uuid4()),
            "Nummer": f"{template['kle']}-A00-{case_id}-26",
            "SagsTitel": data["SagsTitel"],
            "Behandler": worker,
            "SagsStatus": self.statuses[0],
            "SagSkabelon": {"Id": data["SkabelonId"]},
            "received": {k: v for k, v in data.items() if k in ("EmneplanNummer", "Facet")},
        }
        for title in template["folders"]:
            self.folders[next(self.ids)] = {"SagID": case_id, "Titel": title, "documents": []}
        return 200, self.case_dto(self.cases[case_id])

    def find_case(self, sag, by_guid=True):
        if sag.isdigit():
            case = self.cases.get(int(sag))
        elif by_guid:
            case = next((c for c in self.cases.values() if c["SagIdentity"] == sag), None)
        else:
            refuse(f"The case id must be an integer, not {sag!r}")
        if case is None:
            refuse("No such case", 404)
        return case

    def get_case(self, request, sag):
        # GET sag/{id} (sbsys-ng functionality/sager.py hent_sag)
        return 200, self.case_dto(self.find_case(sag))

    def status_list(self, request):
        # GET sag/sagStatusList → List<SagsStatusDto> (OS2agora V12/CaseServiceV12.GetCaseStatus)
        return 200, self.statuses

    def case_status(self, request, sag):
        # PUT sag/{caseGuid}/status SagsStatusModel {SagsStatusID, Kommentar}
        # (OS2agora DTOs/SagsStatusModel.cs, V12/CaseServiceV12.CloseCase)
        case = self.find_case(sag)
        data = strict(request.json(), {"SagsStatusID": int}, {"Kommentar": str})
        status = next((s for s in self.statuses if s["Id"] == data["SagsStatusID"]), None)
        if status is None:
            return 400, {"error": f"No case status {data['SagsStatusID']}"}
        if status["RequireComments"] and not data.get("Kommentar"):
            return 400, {"error": "This status requires a comment"}
        case["SagsStatus"] = status
        return 200, self.case_dto(case)

    def journalize(self, request):
        # multipart/form-data: part "json" = JournaliserDokumentInputDtoV9 {SagID, DokumentNavn,
        # Beskrivelse} ("Do not add any extra properties … It will break the multipart-json
        # data"), part "file" (OS2agora DTOs/JournaliserDokumentInputDtoV9.cs,
        # V12/DocumentServiceV12.JournaliseDocument). Answer: DokumentMetadataDtoV12
        # (DTOs/DokumentMetadataDtoV12.cs), whose Id is the registration id.
        parts = request.multipart()
        if set(parts) != {"json", "file"}:
            return 400, {"error": f"Parts json and file expected, got {sorted(parts)}"}
        try:
            dto = json.loads(parts["json"][2])
        except ValueError:
            return 400, {"error": "The json part is not JSON"}
        data = strict(dto, {"SagID": int, "DokumentNavn": str}, {"Beskrivelse": str}, "json part")
        filename, content_type, content = parts["file"]
        if not filename:
            return 400, {"error": "The file part has no file name"}
        case = self.cases.get(data["SagID"])
        if case is None:
            return 404, {"error": "No such case"}
        if case["SagsStatus"]["Navn"] != "Aktiv":
            return 400, {"error": "The case is closed"}
        doc_id = next(self.ids)
        self.documents[doc_id] = {
            "Id": doc_id,
            "DokumentID": next(self.ids),
            "SagID": case["Id"],
            "SagsNummer": case["Nummer"],
            "DokumentNavn": data["DokumentNavn"],
            "Navn": data["DokumentNavn"],
            "Beskrivelse": data.get("Beskrivelse") or "",
            "filename": filename,
            "content_type": content_type,
            "content": content,
        }
        return 200, {k: v for k, v in self.documents[doc_id].items() if k[0].isupper()}

    def case_documents(self, request, sag):
        # GET sag/{id}/dokumenter (sbsys-ng functionality/dokumenter.py hent_dokumenter_på_sag)
        case = self.find_case(sag, by_guid=False)
        return 200, [
            {k: v for k, v in d.items() if k[0].isupper()}
            for d in self.documents.values()
            if d["SagID"] == case["Id"]
        ]

    def case_folders(self, request, sag):
        # GET delforloeb/sag/{int caseId} → List<DelforloebOutputDtoV10 {ID, SagID, Titel}>
        # (OS2agora V12/DocumentServiceV12.GetDocumentTypes, DTOs/DelforloebOutputDtoV10.cs)
        case = self.find_case(sag, by_guid=False)
        return 200, [
            {"ID": folder_id, "SagID": f["SagID"], "Titel": f["Titel"]}
            for folder_id, f in self.folders.items()
            if f["SagID"] == case["Id"]
        ]

    def add_to_folder(self, request, folder):
        # POST delforloeb/{id}/dokument DokumentRegistreringInputDtoV10 {DokumentRegistreringId}
        # (OS2agora V12/DocumentServiceV12.ConnectDocumentAndCase)
        if not folder.isdigit() or int(folder) not in self.folders:
            return 404, {"error": "No such delforløb"}
        data = strict(request.json(), {"DokumentRegistreringId": int})
        document = self.documents.get(data["DokumentRegistreringId"])
        if document is None:
            return 404, {"error": "No such document registration"}
        if document["SagID"] != self.folders[int(folder)]["SagID"]:
            return 400, {"error": "The document belongs to another case"}
        # Put there twice: one entry (an assumption; no public client shows it).
        if document["Id"] not in self.folders[int(folder)]["documents"]:
            self.folders[int(folder)]["documents"].append(document["Id"])
        return 200, {k: v for k, v in document.items() if k[0].isupper()}

    def folder_of(self, doc_id):
        return next(f["Titel"] for f in self.folders.values() if doc_id in f["documents"])


# ---------------------------------------------------------------------------------------
# GetOrganized: _goapi behind NTLM, and the SharePoint web of each case
# ---------------------------------------------------------------------------------------


def parse_row(xml):
    """The attributes of a GetOrganized metadata row; refuses anything else."""
    try:
        row = ElementTree.fromstring(xml)  # noqa: S314 - our own test input
    except ElementTree.ParseError as error:
        refuse(f"MetadataXml is not XML: {error}")
    if row.tag != "{#RowsetSchema}row":
        refuse(f"Not a z:row: {row.tag}")
    return dict(row.attrib)


LOOKUP = re.compile(r"\d+;#.+")  # "318;#25.02.00 Ejendomsbeskatning" (esdh-apis.md, AAK-MBU)
TAXONOMY = re.compile(r".+\|[0-9a-fA-F-]{36}")  # "label|guid"
CATEGORIES = {
    "Indgående",
    "Udgående",
    "Intern",
}  # ows_Kategori (ITK-dev-shared-components go_api.py)


class GetOrganizedServer(ContractServer):
    """GetOrganized's ``_goapi`` (under an optional site prefix), NTLM or basic auth."""

    def __init__(self, username, password, auth="ntlm", site="", case_type="GEN",
                 required_case_fields=(), extra_case_fields=(), document_columns=(),
                 relation_types=None):  # fmt: skip
        super().__init__()
        self.auth = auth
        self.username, self.password = username, password
        self.site = site.rstrip("/")
        self.case_type = case_type
        # The case type's columns: those public clients set (Cases.php, go_api.py,
        # ArchiveHelper.php, AAK-MBU payloads.py), and what this case type requires.
        self.case_columns = {
            "Title", "CaseStatus", "KLENummer", "CaseOwner", "CaseCategory", "Afdeling",
            "Facet", f"Sagsprofil_{case_type}", "EksterntSagsID", "Modtaget",
            *required_case_fields, *extra_case_fields,
        }  # fmt: skip
        self.required_case_fields = set(required_case_fields)
        # The document library's columns (go_api.py: ows_Dato, ows_Kategori; AAK-MBU:
        # ows_Korrespondance) and the installation's own custom columns.
        self.document_columns = {"Title", "Dato", "Kategori", "Korrespondance", *document_columns}
        # GET Documents/RelationTypes: ids differ per installation (esdh-apis.md)
        self.relation_types = relation_types or [{"Id": 7, "Name": "Bilag"},
                                                 {"Id": 9, "Name": "Svar på"}]  # fmt: skip
        self.cases = {}
        self.documents = {}
        self.relations = []  # (parent id, child id, relation type id)
        self.case_numbers = itertools.count(1)
        self.doc_ids = itertools.count(101)
        self.uploads = {}  # upload guid -> (doc id, bytes so far)
        self.digests = set()
        self.credential_file = None
        if auth == "ntlm":
            # pyspnego's NTLM acceptor checks the NT proof against this store.
            domain, _, user = username.rpartition("\\")
            handle, self.credential_file = tempfile.mkstemp(suffix=".ntlm")
            with os.fdopen(handle, "w") as store:
                store.write(f"{domain}:{user}:{password}\n")
        go = re.escape(self.site) + "/_goapi"
        web = r"/cases/(?P<prefix>[^/]+)/(?P<case_id>[^/]+)"
        self.routes = (
            ("POST", go + r"/Cases/?", "create_case"),
            (
                "GET",
                go + r"/Cases/Metadata/(?P<case_id>[^/]+)(?:/(?P<flag>False|True))?",
                "case_metadata",
            ),  # fmt: skip
            ("POST", go + r"/Cases/FindByCaseProperties", "find_cases"),
            ("POST", go + r"/Cases/CloseCase", "close_case"),
            ("POST", go + r"/Documents/AddToDocumentLibrary", "add_document"),
            ("POST", go + r"/Documents/Metadata", "document_metadata"),
            ("GET", go + r"/Documents/RelationTypes", "relation_type_list"),
            ("POST", go + r"/Documents/RelateDocuments", "relate"),
            ("POST", go + r"/Documents/MarkMultipleAsCaseRecord/ByDocumentId", "mark_records"),
            ("POST", go + r"/Documents/Finalize/ByDocumentId", "finalize_one"),
            ("POST", go + r"/Documents/FinalizeMultiple/ByDocumentId", "finalize_many"),
            ("POST", web + r"/_api/contextinfo", "context_info"),
            (
                "POST",
                web + r"/_api/web/GetFolderByServerRelativePath\(DecodedUrl=@p\)/Files/"
                r"add\(url=@f,overwrite=true\)",
                "sp_add_file",
            ),  # fmt: skip
            (
                "POST",
                web + r"/_api/web/GetFileByServerRelativePath\(DecodedUrl=@u\)/"
                r"(?P<step>startUpload|continueUpload|finishUpload)\(uploadId=guid'(?P<upload>[^']+)'"
                r"(?:,fileOffset=(?P<offset>\d+))?\)",
                "sp_upload",
            ),  # fmt: skip
            ("GET", web + r"/_goapi/Administration/GetLeftMenuCounter", "left_menu"),
            ("POST", web + r"/_api/web/GetList\(@listUrl\)/RenderListDataAsStream", "list_rows"),
        )

    def __exit__(self, *exc):
        super().__exit__(*exc)
        if self.credential_file:
            os.unlink(self.credential_file)

    # -- authentication ----------------------------------------------------------------

    def authenticate(self, handler, path, body):
        header = handler.headers.get("Authorization", "")
        if self.auth == "basic":
            expected = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
            if header != f"Basic {expected}":
                return {"WWW-Authenticate": 'Basic realm="GetOrganized"'}
            return None
        # NTLM (every public client: requests_ntlm.HttpNtlmAuth in go_api.py and the
        # AAK-MBU/mtm-aarhus helpers). A connection is authenticated by the
        # negotiate → challenge → authenticate handshake, checked by pyspnego's NTLM
        # acceptor against the credential store, and stays authenticated (as IIS does).
        # Basic is refused: this installation offers NTLM only.
        if getattr(handler, "ntlm_user", None):
            return None
        if not header.startswith("NTLM "):
            return {"WWW-Authenticate": "NTLM"}
        import spnego

        token = base64.b64decode(header[5:])
        previous = os.environ.get("NTLM_USER_FILE")
        os.environ["NTLM_USER_FILE"] = self.credential_file
        try:
            context = getattr(handler, "ntlm_context", None)
            if token[8:9] == b"\x01" or context is None:  # NEGOTIATE_MESSAGE
                handler.ntlm_context = context = spnego.server(protocol="ntlm")
                challenge = context.step(token)
                return {"WWW-Authenticate": "NTLM " + base64.b64encode(challenge).decode()}
            context.step(token)  # AUTHENTICATE_MESSAGE: raises if the proof is wrong
            handler.ntlm_user = context.client_principal
            handler.ntlm_context = None
            return None
        except Exception:  # noqa: BLE001 - any failed handshake is a 401
            handler.ntlm_context = None
            return {"WWW-Authenticate": "NTLM"}
        finally:
            if previous is None:
                os.environ.pop("NTLM_USER_FILE", None)
            else:
                os.environ["NTLM_USER_FILE"] = previous

    # -- cases ---------------------------------------------------------------------------

    def check_case_row(self, metadata):
        for attribute in metadata:
            column = attribute.removeprefix("ows_")
            if column not in self.case_columns:
                refuse(f"The case type {self.case_type} has no column {column!r}")
        if not metadata.get("ows_Title"):
            refuse("ows_Title is required")
        for column in self.required_case_fields:
            if not metadata.get(f"ows_{column}"):
                refuse(f"The case type {self.case_type} requires {column}")
        kle = metadata.get("ows_KLENummer")
        if kle and not (LOOKUP.fullmatch(kle) or TAXONOMY.fullmatch(kle)):
            refuse(
                f"KLENummer is a lookup/taxonomy field: {kle!r} is neither id;#label "
                "nor label|guid"
            )
        owner = metadata.get("ows_CaseOwner")
        if owner and not LOOKUP.fullmatch(owner):
            refuse(f"CaseOwner is a person field: {owner!r} is not id;#name")

    def create_case(self, request):
        # {CaseTypePrefix, MetadataXml, ReturnWhenCaseFullyCreated} → {CaseID, CaseRelativeUrl}
        # (getorganized-api-client-php src/Service/Cases.php createCase; go_api.py create_case;
        # CaseRelativeUrl: mtm-aarhus GetOrganized helpers create_case)
        data = strict(
            request.json(),
            {"CaseTypePrefix": str, "MetadataXml": str},
            {"ReturnWhenCaseFullyCreated": bool},
        )
        if data["CaseTypePrefix"] != self.case_type:
            return 400, {"error": f"Unknown case type {data['CaseTypePrefix']}"}
        metadata = parse_row(data["MetadataXml"])
        self.check_case_row(metadata)
        case_id = f"{self.case_type}-2026-{next(self.case_numbers):06d}"
        url = f"cases/{self.case_type}/{case_id}"
        metadata.update(ows_CaseID=case_id, ows_CaseUrl=url)
        self.cases[case_id] = {"metadata": metadata, "closed": False, "documents": []}
        return 200, {"CaseID": case_id, "CaseRelativeUrl": url}

    def case_metadata(self, request, case_id, flag=None):
        # {Metadata: "<z:row … />"} (Cases.php Metadata parses it as XML; the /False variant:
        # mtm-aarhus helpers case_sharepoint_url, reading ows_CaseUrl)
        if case_id not in self.cases:
            return 404, {"error": "No such case"}
        attributes = " ".join(
            f"{k}={quoteattr(v)}" for k, v in self.cases[case_id]["metadata"].items()
        )
        return 200, {"Metadata": f'<z:row xmlns:z="#RowsetSchema" {attributes} />'}

    def find_cases(self, request):
        # {FieldProperties: [{InternalName, Value, ComparisonType?}], CaseTypePrefixes: [...],
        # LogicalOperator?, ExcludeDeletedCases?} → {CasesInfo: [{CaseID, …}]}
        # (Cases.php getByCaseId; go_api.py find_case)
        data = strict(
            request.json(),
            {"FieldProperties": list, "CaseTypePrefixes": list},
            {"LogicalOperator": str, "ExcludeDeletedCases": bool},
        )
        wanted = {}
        for field in data["FieldProperties"]:
            field = strict(field, {"InternalName": str, "Value": str}, {"ComparisonType": str},
                           "field property")  # fmt: skip
            if field["InternalName"].removeprefix("ows_") not in self.case_columns | {"CaseID"}:
                return 400, {"error": f"No column {field['InternalName']}"}
            wanted[field["InternalName"]] = field["Value"]
        found = [
            {"CaseID": case_id, "RelativeUrl": case["metadata"]["ows_CaseUrl"]}
            for case_id, case in self.cases.items()
            if case_id.split("-")[0] in data["CaseTypePrefixes"]
            and all(case["metadata"].get(k) == v for k, v in wanted.items())
        ]
        return 200, {"CasesInfo": found}

    def close_case(self, request):
        # {CaseId} (mtm-aarhus RPA integrations: POST /_goapi/Cases/CloseCase)
        data = strict(request.json(), {"CaseId": str})
        if data["CaseId"] not in self.cases:
            return 404, {"error": "No such case"}
        self.cases[data["CaseId"]]["closed"] = True
        return 200, None

    # -- documents -----------------------------------------------------------------------

    def check_document_row(self, metadata):
        for attribute in metadata:
            if attribute.removeprefix("ows_") not in self.document_columns:
                refuse(f"The document library has no column {attribute!r}")
        category = metadata.get("ows_Kategori")
        if category and category not in CATEGORIES:
            refuse(f"Kategori is a choice field: {category!r}")

    def new_document(self, case_id, filename, content, metadata):
        case = self.cases.get(case_id)
        if case is None:
            refuse("No such case", 404)
        if case["closed"]:
            refuse("The case is closed")
        if re.search(r'[<>:"/\\|?*]', filename):
            refuse("Bad file name")
        same_name = [d for d in case["documents"] if self.documents[d]["filename"] == filename]
        if same_name and self.documents[same_name[0]]["finalized"]:
            refuse("A finalized document cannot be overwritten")
        doc_id = next(self.doc_ids)
        self.documents[doc_id] = {
            "case": case_id,
            "filename": filename,
            "content": content,
            "metadata": metadata,
            "finalized": False,
            "record": False,
        }
        case["documents"].append(doc_id)
        return doc_id

    def add_document(self, request):
        # {bytes, CaseId, ListName, FolderPath, FileName, Metadata, Overwrite} → {DocId}
        # (getorganized-api-client-php src/Service/Documents.php AddToDocumentLibrary)
        data = strict(
            request.json(),
            {"bytes": list, "CaseId": str, "ListName": str, "FileName": str},
            {"FolderPath": str, "Metadata": str, "Overwrite": bool},
        )
        if data["ListName"] != "Dokumenter":
            return 400, {"error": "No such list"}
        if not all(isinstance(b, int) and 0 <= b < 256 for b in data["bytes"]):
            return 400, {"error": "bytes must be byte values"}
        metadata = parse_row(data.get("Metadata") or '<z:row xmlns:z="#RowsetSchema" />')
        self.check_document_row(metadata)
        doc_id = self.new_document(
            data["CaseId"], data["FileName"], bytes(data["bytes"]), metadata
        )
        return 200, {"DocId": doc_id}

    def document_metadata(self, request):
        # form {DocId, MetadataXml} (mtm-aarhus helpers set_document_metadata)
        form = request.form()
        doc_id = int(form.get("DocId") or 0)
        if doc_id not in self.documents:
            return 404, {"error": "No such document"}
        metadata = parse_row(form.get("MetadataXml") or "")
        self.check_document_row(metadata)
        self.documents[doc_id]["metadata"].update(metadata)
        return 200, None

    def relation_type_list(self, request):
        # GET Documents/RelationTypes (Documents.php RelationTypes; the answer's shape is not
        # shown by any public client: a list of {Id, Name} here)
        return 200, self.relation_types

    def relate(self, request):
        # {ParentDocId, ChildDocIds, RelationTypeId} (Documents.php RelateDocuments)
        data = strict(
            request.json(), {"ParentDocId": int, "ChildDocIds": list, "RelationTypeId": int}
        )
        if data["RelationTypeId"] not in {r["Id"] for r in self.relation_types}:
            return 400, {"error": f"No relation type {data['RelationTypeId']}"}
        if data["ParentDocId"] not in self.documents:
            return 404, {"error": "No such parent document"}
        for child in data["ChildDocIds"]:
            if not isinstance(child, int) or child not in self.documents:
                return 404, {"error": f"No such child document {child!r}"}
            self.relations.append((data["ParentDocId"], child, data["RelationTypeId"]))
        return 200, None

    def document_ids(self, request, required):
        data = strict(request.json(), {"DocumentIds": list}, required)
        for doc_id in data["DocumentIds"]:
            if not isinstance(doc_id, int) or doc_id not in self.documents:
                refuse(f"No such document {doc_id!r}", 404)
        return data["DocumentIds"]

    def mark_records(self, request):
        # {DocumentIds} (AAK-MBU / mtm-aarhus: Documents/MarkMultipleAsCaseRecord/ByDocumentId)
        for doc_id in self.document_ids(request, {}):
            self.documents[doc_id]["record"] = True
        return 200, {}

    def finalize_one(self, request):
        # {DocID, ShouldCloseOpenTasks} (Documents.php Finalize)
        data = strict(request.json(), {"DocID": int}, {"ShouldCloseOpenTasks": bool})
        self.documents[data["DocID"]]["finalized"] = True
        return 200, {"Success": True, "Message": ""}

    def finalize_many(self, request):
        # {DocumentIds, ShouldCloseOpenTasks} → {Success, Message} (Documents.php FinalizeMultiple;
        # mtm-aarhus finaliser_dokumenter reads Success)
        for doc_id in self.document_ids(request, {"ShouldCloseOpenTasks": bool}):
            self.documents[doc_id]["finalized"] = True
        return 200, {"Success": True, "Message": ""}

    # -- the case's SharePoint web: chunked upload ------------------------------------------
    # (mtm-aarhus GetOrganized helpers: _context_digest, _chunked_file_upload, _find_docid)

    def web_case(self, prefix, case_id):
        if case_id not in self.cases or prefix != self.case_type:
            refuse("No such web", 404)
        return self.cases[case_id]

    def check_digest(self, request):
        if request.headers.get("X-RequestDigest") not in self.digests:
            refuse("The security validation for this page is invalid", 403)

    def context_info(self, request, prefix, case_id):
        self.web_case(prefix, case_id)
        digest = secrets.token_hex(8)
        self.digests.add(digest)
        return 200, {"d": {"GetContextWebInformation": {"FormDigestValue": digest}}}

    def sp_add_file(self, request, prefix, case_id):
        self.check_digest(request)
        case = self.web_case(prefix, case_id)
        folder, name = (
            request.query.get("@p", "").strip("'"),
            request.query.get("@f", "").strip("'"),
        )
        if folder != f"/{case['metadata']['ows_CaseUrl']}/Dokumenter":
            return 404, {"error": f"No folder {folder}"}
        self.new_document(case_id, name.replace("''", "'"), b"", {})
        return 200, {"d": {"Name": name, "ServerRelativeUrl": f"{folder}/{name}"}}

    def sp_upload(self, request, prefix, case_id, step, upload, offset=None):
        self.check_digest(request)
        if request.content_type != "application/octet-stream":
            return 415, {"error": "application/octet-stream expected"}
        case = self.web_case(prefix, case_id)
        path = request.query.get("@u", "").strip("'")
        folder, _, name = path.rpartition("/")
        name = name.replace("''", "'")
        doc_id = next(
            (d for d in case["documents"] if self.documents[d]["filename"] == name), None
        )
        if doc_id is None or folder != f"/{case['metadata']['ows_CaseUrl']}/Dokumenter":
            return 404, {"error": f"No file {path}"}
        if step == "startUpload":
            self.uploads[upload] = [doc_id, request.body]
            return 200, {"d": {"StartUpload": str(len(request.body))}}
        if upload not in self.uploads:
            return 400, {"error": "No such upload"}
        received = self.uploads[upload][1]
        if step == "finishUpload" and int(offset) == 0 and received == request.body:
            pass  # a file of one chunk: started and finished with the same bytes
        elif int(offset) != len(received):
            return 400, {"error": f"Offset {offset} but {len(received)} bytes received"}
        else:
            received += request.body
            self.uploads[upload][1] = received
        if step == "finishUpload":
            self.documents[doc_id]["content"] = received
            del self.uploads[upload]
            return 200, {"d": {"Name": name, "Length": len(received)}}
        return 200, {"d": {"ContinueUpload": str(len(received))}}

    def left_menu(self, request, prefix, case_id):
        self.web_case(prefix, case_id)
        return 200, [{"ViewId": "{A1B2}", "ViewName": "AllItems.aspx", "ListName": "Dokumenter"}]

    def list_rows(self, request, prefix, case_id):
        case = self.web_case(prefix, case_id)
        if request.query.get("View") != "{A1B2}":
            return 400, {"error": "No such view"}
        return 200, {
            "Row": [
                {"FileLeafRef": self.documents[d]["filename"], "DocID": d}
                for d in case["documents"]
            ]
        }
