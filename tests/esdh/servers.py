"""Contract servers for the vendor ESDH systems, built from their documented APIs.

They are not the vendors' systems: they implement the endpoints Agora's adapters use,
as described in docs/esdh.md, with an in-memory store, and they check what a real
system would refuse (authentication, required fields, a closed case, an unknown id).
Each can be told to fail the next N requests with 503, to test retries.
"""

import base64
import itertools
import json
import re
import secrets
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs
from xml.etree import ElementTree


class ContractServer:
    """An HTTP server on 127.0.0.1 at a free port, run in a thread."""

    routes = ()  # (method, regex, handler method name)

    def __init__(self):
        self.requests = []  # (method, path) of every request, for assertions
        self.fail_next = 0
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def handle_any(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, payload = server.dispatch(self.command, self.path, self.headers, body)
                data = json.dumps(payload).encode() if payload is not None else b""
                self.send_response(status)
                if status == 401:
                    self.send_header("WWW-Authenticate", 'Basic realm="contract"')
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = handle_any

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def dispatch(self, method, path, headers, body):
        with self.lock:
            self.requests.append((method, path))
            if self.fail_next:
                self.fail_next -= 1
                return 503, {"error": "Service Unavailable"}
            for route_method, pattern, name in self.routes:
                match = re.fullmatch(pattern, path)
                if match and route_method == method:
                    refusal = self.authenticate(path, headers, body)
                    if refusal:
                        return refusal
                    try:
                        return getattr(self, name)(body, **match.groupdict())
                    except (KeyError, ValueError, TypeError) as error:
                        return 400, {"error": f"Bad request: {error!r}"}
            return 404, {"error": f"No route {method} {path}"}

    def authenticate(self, path, headers, body):
        return None


def parse_row(xml):
    """The attributes of a GetOrganized metadata row; refuses anything else."""
    row = ElementTree.fromstring(xml)  # noqa: S314 - our own test input
    if row.tag != "{#RowsetSchema}row":
        raise ValueError(f"Not a z:row: {row.tag}")
    return dict(row.attrib)


class GetOrganizedServer(ContractServer):
    """GetOrganized's ``_goapi`` with basic authentication."""

    routes = (
        ("POST", r"/_goapi/Cases/?", "create_case"),
        ("GET", r"/_goapi/Cases/Metadata/(?P<case_id>[^/]+)", "case_metadata"),
        ("POST", r"/_goapi/Cases/FindByCaseProperties", "find_cases"),
        ("POST", r"/_goapi/Cases/CloseCase", "close_case"),
        ("POST", r"/_goapi/Documents/AddToDocumentLibrary", "add_document"),
        ("POST", r"/_goapi/Documents/Finalize/ByDocumentId", "finalize_one"),
        ("POST", r"/_goapi/Documents/FinalizeMultiple/ByDocumentId", "finalize_many"),
        ("POST", r"/_goapi/Documents/RelateDocuments", "relate"),
    )

    def __init__(self, username, password):
        super().__init__()
        self.credentials = base64.b64encode(f"{username}:{password}".encode()).decode()
        self.cases = {}
        self.documents = {}
        self.relations = []  # (parent id, child id, relation type)
        self.case_numbers = itertools.count(1)
        self.doc_ids = itertools.count(101)

    def authenticate(self, path, headers, body):
        if headers.get("Authorization") != f"Basic {self.credentials}":
            return 401, {"error": "Unauthorized"}
        return None

    def create_case(self, body):
        data = json.loads(body)
        metadata = parse_row(data["MetadataXml"])
        if not metadata.get("ows_Title"):
            return 400, {"error": "ows_Title is required"}
        case_id = f"{data['CaseTypePrefix']}-2026-{next(self.case_numbers):06d}"
        self.cases[case_id] = {"metadata": metadata, "closed": False, "documents": []}
        return 200, {"CaseID": case_id, "CaseRelativeUrl": f"/cases/{case_id}"}

    def case_metadata(self, body, case_id):
        if case_id not in self.cases:
            return 404, {"error": "No such case"}
        return 200, {"Metadata": self.cases[case_id]["metadata"]}

    def find_cases(self, body):
        data = json.loads(body)
        wanted = {p["InternalName"]: p["Value"] for p in data["FieldProperties"]}
        found = [
            {"CaseID": case_id}
            for case_id, case in self.cases.items()
            if all(case["metadata"].get(k) == v for k, v in wanted.items())
        ]
        return 200, {"CasesInfo": found}

    def close_case(self, body):
        case = self.cases[json.loads(body)["CaseId"]]
        case["closed"] = True
        return 200, None

    def add_document(self, body):
        data = json.loads(body)
        case = self.cases.get(data["CaseId"])
        if case is None:
            return 404, {"error": "No such case"}
        if case["closed"]:
            return 400, {"error": "The case is closed"}
        if data["ListName"] != "Dokumenter" or re.search(r'[<>:"/\\|?*]', data["FileName"]):
            return 400, {"error": "Bad list or file name"}
        same_name = [
            d for d in case["documents"] if self.documents[d]["filename"] == data["FileName"]
        ]
        if same_name and self.documents[same_name[0]]["finalized"]:
            return 400, {"error": "A finalized document cannot be overwritten"}
        doc_id = next(self.doc_ids)
        self.documents[doc_id] = {
            "case": data["CaseId"],
            "filename": data["FileName"],
            "content": bytes(data["Bytes"]),
            "metadata": parse_row(data["Metadata"]),
            "finalized": False,
        }
        case["documents"].append(doc_id)
        return 200, {"DocId": doc_id}

    def finalize_one(self, body):
        return self.finalize_many(json.dumps({"DocumentIds": [json.loads(body)["DocID"]]}))

    def finalize_many(self, body):
        for doc_id in json.loads(body)["DocumentIds"]:
            self.documents[int(doc_id)]["finalized"] = True
        return 200, None

    def relate(self, body):
        data = json.loads(body)
        parent = int(data["ParentDocId"])
        if parent not in self.documents:
            return 404, {"error": "No such parent document"}
        for child in data["ChildDocIds"]:
            self.relations.append((parent, int(child), data["RelationTypeId"]))
        return 200, None


class SBSYSServer(ContractServer):
    """SBSIP's REST API under /api/ and a Keycloak-style token endpoint at /token."""

    routes = (
        ("POST", r"/token", "token"),
        ("POST", r"/api/sag/template", "create_case"),
        ("GET", r"/api/sag/(?P<guid>[0-9a-f-]+)", "get_case"),
        ("PUT", r"/api/sag/(?P<guid>[0-9a-f-]+)/status", "case_status"),
        ("POST", r"/api/dokument/journaliser", "journalize"),
        ("GET", r"/api/delforloeb/sag/(?P<guid>[0-9a-f-]+)", "case_folders"),
        ("POST", r"/api/delforloeb/(?P<folder_id>\d+)/dokument", "add_to_folder"),
    )

    def __init__(self, client_id, client_secret):
        super().__init__()
        self.client = (client_id, client_secret)
        self.tokens = set()
        self.token_requests = 0
        self.cases = {}
        self.documents = {}
        self.folders = {}  # folder id -> list of document ids
        self.ids = itertools.count(1)

    def authenticate(self, path, headers, body):
        if path == "/token":
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            if form.get("grant_type") != "client_credentials":
                return 400, {"error": "unsupported_grant_type"}
            if (form.get("client_id"), form.get("client_secret")) != self.client:
                return 401, {"error": "invalid_client"}
            return None
        auth = headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.tokens:
            return 401, {"error": "invalid_token"}
        return None

    def token(self, body):
        self.token_requests += 1
        token = secrets.token_hex(16)
        self.tokens.add(token)
        return 200, {"access_token": token, "expires_in": 300, "token_type": "Bearer"}

    def create_case(self, body):
        data = json.loads(body)
        if not data.get("SagsTemplateId") or not data.get("Titel"):
            return 400, {"error": "SagsTemplateId and Titel are required"}
        guid = str(uuid.uuid4())
        number = next(self.ids)
        folder_id = next(self.ids)
        self.folders[folder_id] = []
        self.cases[guid] = {
            "Id": number,
            "Guid": guid,
            "Nummer": f"{data.get('KLENummer') or '00.00.00'}-A00-{number}-26",
            "Titel": data["Titel"],
            "KLENummer": data.get("KLENummer"),
            "Status": "Aktiv",
            "folder": folder_id,
        }
        return 200, {k: v for k, v in self.cases[guid].items() if k != "folder"}

    def get_case(self, body, guid):
        if guid not in self.cases:
            return 404, {"error": "No such case"}
        return 200, {k: v for k, v in self.cases[guid].items() if k != "folder"}

    def case_status(self, body, guid):
        self.cases[guid]["Status"] = json.loads(body)["SagsStatus"]
        return 200, None

    def journalize(self, body):
        data = json.loads(body)
        case = self.cases.get(data["SagGuid"])
        if case is None:
            return 404, {"error": "No such case"}
        if case["Status"] == "Afsluttet":
            return 400, {"error": "The case is closed"}
        doc_id = next(self.ids)
        self.documents[doc_id] = {
            "case": data["SagGuid"],
            "name": data["Navn"],
            "filename": data["FilNavn"],
            "content": base64.b64decode(data["Indhold"], validate=True),
            "parent": data.get("ForaelderDokumentId"),
            "metadata": data.get("Metadata") or {},
        }
        return 200, {"Id": doc_id}

    def case_folders(self, body, guid):
        if guid not in self.cases:
            return 404, {"error": "No such case"}
        return 200, [{"Id": self.cases[guid]["folder"], "Navn": "Høring"}]

    def add_to_folder(self, body, folder_id):
        doc_id = int(json.loads(body)["DokumentId"])
        if doc_id not in self.documents:
            return 404, {"error": "No such document"}
        self.folders[int(folder_id)].append(doc_id)
        return 200, None
