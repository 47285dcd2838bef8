"""SBSYS through SBSIP's REST API, as public clients that file in real installations call it.

Every request below follows a public client (see docs/esdh.md, "Sources"):

- token: OAuth 2 at SBSIP's Keycloak, ``client_credentials`` (OS2agora-API
  ``app/src/DAOs/Esdh/Sbsip/TokenService.cs``) or ``password`` with a service user
  (Randers-Kommune-Digitalisering/sbsys-ekstern ``src/utils.py``, odense-rpa/sbsys-ng
  ``src/sbsys/client.py``), form encoded;
- the base path is versioned (OS2agora's ``BaseAddress`` ends in ``…/api/v12``);
- ``POST bruger/search`` ``{LogonId}`` → ``[{Id, LogonId, Navn, …}]``: the case worker
  (OS2agora ``V12/UserServiceV12.cs``);
- ``POST sag/template`` ``{SagsTitel, SagsBehandlerID, SkabelonId}`` → ``{Id, SagIdentity,
  Nummer, …}``, the template chosen by the KLE main group (OS2agora ``V12/CaseServiceV12.cs``,
  ``DTOs/CreateSagFromSkabelonDto.cs``, ``SbsipService.GetCorrectTemplateId``);
- ``GET sag/{id}``: an existing case (odense-rpa/sbsys-ng ``functionality/sager.py``);
- ``GET delforloeb/sag/{Id}`` → ``[{ID, SagID, Titel}]``, the sub-folder picked by title
  (OS2agora ``V12/DocumentServiceV12.cs``, ``SbsipService.JournalizeDocumentOnCase``);
- ``POST dokument/journaliser`` as multipart/form-data, part ``json`` = ``{SagID,
  DokumentNavn, Beskrivelse}`` and nothing more, part ``file`` (OS2agora
  ``V12/DocumentServiceV12.cs``, ``DTOs/JournaliserDokumentInputDtoV9.cs``);
- ``POST delforloeb/{ID}/dokument`` ``{DokumentRegistreringId}`` (OS2agora
  ``DTOs/DokumentRegistreringInputDtoV10.cs``);
- ``GET sag/{Id}/dokumenter``: the case's documents, to find one an interrupted call
  filed (odense-rpa/sbsys-ng ``functionality/dokumenter.py``);
- ``GET sag/sagStatusList`` → ``[{Id, Navn, …}]`` and ``PUT sag/{SagIdentity}/status``
  ``{SagsStatusID, Kommentar}`` (OS2agora ``V12/CaseServiceV12.cs``, ``SbsipService.CloseCase``).

Tested against a contract server built from those files (tests/esdh/servers.py), not
against a real SBSYS. The case id Agora keeps is ``"<Id>;<SagIdentity>;<Nummer>"``: the
int id for documents and sub-folders, the GUID for the status, the number for people.

Settings (``AGORA_SBSYS_*``, or per municipality the lower-case keys without the prefix):
``URL`` (the versioned API base, e.g. https://sbsip.kommune.dk/…/api/v12/), ``TOKEN_URL``,
``GRANT_TYPE`` (``client_credentials`` or ``password``), ``CLIENT_ID``,
``CLIENT_SECRET``, ``USERNAME`` and ``PASSWORD`` (password grant), ``TEMPLATE_IDS``
(JSON: KLE main group → template id, e.g. ``{"00": 12, "85": 31}``), ``CASE_TEMPLATE``
(the template for a KLE number the map lacks), ``CASE_FIELDS`` (JSON: optional fields
of the case, e.g. ``{"EmneplanNummer": "{kle}", "Facet": "G01"}``), ``CASE_WORKER``
(the logon id used when the owner is not an SBSYS user), ``FOLDERS`` (JSON:
document kind → sub-folder title), ``CLOSED_STATUS`` (default ``Afsluttet``),
``CLOSE_COMMENT``; and ``AGORA_ESDH_TIMEOUT``.
"""

import json
import re
import time

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import AdapterSettings, CaseInfo, Document, ESDHAdapter, ESDHError, clean_filename
from .dryrun import RecordingSession
from .http import call, json_of

# The sub-folders (delforløb) OS2agora's case template has, by Agora's document kind.
DEFAULT_FOLDERS = {
    "hearing_text": "Høringstekst",
    "attachment": "Høringstekst",
    "response_register": "Høringssvar",
    "response": "Høringssvar",
    "response_attachment": "Høringssvar",
    "conclusion": "Konklusion",
}
GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# CreateSagFromSkabelonDto's optional fields a municipality may set (OS2agora
# DTOs/CreateSagFromSkabelonDto.cs); parts are left out: a hearing has no case party.
OPTIONAL_CASE_FIELDS = ("EmneplanNummer", "Facet", "FagomraadeID", "StyringsReolID",
                        "AnsaettelsesStedCode")  # fmt: skip
# What goes into a document's description (Beskrivelse) besides its title.
DESCRIBED = (
    ("reference", "Svarreference"),
    ("received_at", "Modtaget"),
    ("received_by", "Modtaget via"),
    ("sender_name", "Afsender"),
    ("sender_department", "Organisation"),
    ("on_behalf_of", "På vegne af"),
    ("registered_by", "Registreret af"),
)
# Metadata that names a person: a dry run prints it as "[personal data]".
PERSONAL = ("sender_name", "sender_department", "on_behalf_of", "registered_by")


def case_key(case_id):
    """``(int id, GUID, number)`` of a case id Agora keeps."""
    number_id, _, rest = str(case_id).partition(";")
    guid, _, number = rest.partition(";")
    if not number_id.isdigit() or not GUID.fullmatch(guid):
        raise ESDHError(f"Not an SBSYS case id kept by Agora: {case_id!r}")
    return int(number_id), guid, number


class SBSYSAdapter(ESDHAdapter):
    name = "sbsys"

    def __init__(self, base_url=None, token_url=None, client_id=None, client_secret=None,
                 config=None):  # fmt: skip
        conf = AdapterSettings("SBSYS", config)
        self.base_url = (base_url or conf["url"] or "").rstrip("/")
        self.token_url = token_url or conf["token_url"]
        if not self.base_url or not self.token_url:
            raise ImproperlyConfigured("AGORA_SBSYS_URL and AGORA_SBSYS_TOKEN_URL must be set.")
        self.grant_type = conf.get("grant_type") or "client_credentials"
        if self.grant_type not in ("client_credentials", "password"):
            raise ImproperlyConfigured(
                "AGORA_SBSYS_GRANT_TYPE must be client_credentials or password."
            )
        self.client_id = client_id or conf["client_id"]
        self.client_secret = client_secret or conf["client_secret"]
        self.username = conf.get("username") or ""
        self.password = conf.get("password") or ""
        if self.grant_type == "password" and not (self.username and self.password):
            raise ImproperlyConfigured(
                "The password grant needs AGORA_SBSYS_USERNAME and AGORA_SBSYS_PASSWORD."
            )
        self.template_ids = {
            str(group): int(template) for group, template in conf.json("template_ids", {}).items()
        }
        self.default_template = conf.get("case_template") or ""
        # Optional fields of CreateSagFromSkabelonDto, e.g. {"EmneplanNummer": "{kle}"}.
        self.case_fields = conf.json("case_fields", {})
        unknown = set(self.case_fields) - set(OPTIONAL_CASE_FIELDS)
        if unknown:
            raise ImproperlyConfigured(
                f"AGORA_SBSYS_CASE_FIELDS: {', '.join(sorted(unknown))} not in "
                f"{', '.join(OPTIONAL_CASE_FIELDS)}."
            )
        self.case_worker = conf.get("case_worker") or ""
        self.folders = {**DEFAULT_FOLDERS, **conf.json("folders", {})}
        self.closed_status = conf.get("closed_status") or "Afsluttet"
        self.close_comment = conf.get("close_comment") or None
        self.timeout = settings.AGORA_ESDH_TIMEOUT
        self.session = requests.Session()
        self.token = None
        self.token_expires = 0.0
        self.case_folders = {}  # case int id -> {title: folder ID}, asked once per case

    # -- transport ---------------------------------------------------------------

    def bearer(self):
        if self.token is None or time.monotonic() >= self.token_expires:
            form = {
                "grant_type": self.grant_type,
                "client_id": self.client_id,
                "client_secret": self.client_secret,
            }
            if self.grant_type == "password":
                form.update(username=self.username, password=self.password)
            response = call(self.session, "POST", self.token_url, data=form, timeout=self.timeout)
            answer = json_of(response)
            if "access_token" not in answer:
                raise ESDHError("SBSIP token endpoint gave no access_token")
            self.token = answer["access_token"]
            # Renew half a minute early rather than send an expired token.
            self.token_expires = time.monotonic() + int(answer.get("expires_in", 300)) - 30
        return {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}

    def api(self, method, path, payload=None, files=None):
        response = call(
            self.session,
            method,
            f"{self.base_url}/{path}",
            json=payload,
            files=files,
            headers=self.bearer(),
            timeout=self.timeout,
        )
        return json_of(response) if response.content else {}

    # -- cases ---------------------------------------------------------------------

    def template_for(self, kle_number):
        """OS2agora: one template per KLE main group (the first two digits)."""
        group = (kle_number or "")[:2]
        template = self.template_ids.get(group) or self.default_template
        if not template:
            raise ESDHError(
                f"No SBSYS case template for KLE number {kle_number or '(none)'}: add main "
                f"group {group or '??'} to AGORA_SBSYS_TEMPLATE_IDS or set "
                "AGORA_SBSYS_CASE_TEMPLATE."
            )
        return int(template)

    def case_worker_id(self, owner):
        """The SBSYS user id of the hearing owner (by logon id), else of CASE_WORKER."""
        candidates = [owner, owner.partition("@")[0] if "@" in owner else "", self.case_worker]
        self.mark_personal({"owner": owner, "logon": candidates[1]}, ("owner", "logon"))
        for logon_id in dict.fromkeys(c for c in candidates if c):
            users = self.api("POST", "bruger/search", {"LogonId": logon_id})
            for user in users if isinstance(users, list) else []:
                if str(user.get("LogonId", "")).lower() == logon_id.lower():
                    return int(user["Id"])
        raise ESDHError(
            "The hearing owner is not an SBSYS user (POST bruger/search found no LogonId); "
            "set AGORA_SBSYS_CASE_WORKER to the logon id of the case worker to use instead."
        )

    def optional_case_fields(self, case):
        values = {"kle": case.kle_number, "department": case.department, "title": case.title}
        fields = {}
        for name, value in self.case_fields.items():
            value = value.format(**values) if isinstance(value, str) else value
            if value not in ("", None):
                fields[name] = value
        return fields

    def ensure_case(self, case: CaseInfo) -> str:
        if case.case_number:
            value = case.case_number.strip()
            if not (value.isdigit() or GUID.fullmatch(value)):
                raise ESDHError(
                    f"SBSYS case {value!r}: type the case's id or GUID as the ESDH case number."
                )
            found = self.api("GET", f"sag/{value}")
        else:
            found = self.api(
                "POST",
                "sag/template",
                {
                    "SagsTitel": case.title[:255],
                    "SagsBehandlerID": self.case_worker_id(case.owner),
                    "SkabelonId": self.template_for(case.kle_number),
                    **self.optional_case_fields(case),
                },
            )
        try:
            return f"{int(found['Id'])};{found['SagIdentity']};{found.get('Nummer') or ''}"
        except (KeyError, TypeError, ValueError) as error:
            raise ESDHError(f"SBSIP answered with no case Id/SagIdentity: {error!r}") from error

    def folder_id(self, sag_id, title):
        if sag_id not in self.case_folders:
            folders = self.api("GET", f"delforloeb/sag/{sag_id}")
            self.case_folders[sag_id] = {f["Titel"]: f["ID"] for f in folders or []}
        folders = self.case_folders[sag_id]
        if title not in folders:
            raise ESDHError(
                f"The SBSYS case has no sub-folder (delforløb) {title!r}; it has "
                f"{', '.join(map(repr, folders)) or 'none'}. Fix the case template or "
                "AGORA_SBSYS_FOLDERS."
            )
        return folders[title]

    # -- documents -------------------------------------------------------------------

    def description(self, document: Document, parent_id=None):
        metadata = document.metadata
        lines = [document.title]
        lines += [f"{label}: {metadata[key]}" for key, label in DESCRIBED if metadata.get(key)]
        if parent_id:
            lines.append(f"Bilag til dokument {parent_id}")
        lines.append(f"SHA-256: {document.sha256}")
        return "\n".join(lines)

    def add_document(self, case_id, document: Document, parent_id=None) -> str:
        sag_id, _guid, _number = case_key(case_id)
        title = self.folders.get(document.metadata.get("kind", ""), self.folders["hearing_text"])
        folder = self.folder_id(sag_id, title)  # before filing: a missing folder files nothing
        self.mark_personal(document.metadata, PERSONAL)
        filename = clean_filename(document.filename)
        part = {"SagID": sag_id, "DokumentNavn": filename, "Beskrivelse": self.description(
            document, parent_id)}  # fmt: skip
        journalized = self.api(
            "POST",
            "dokument/journaliser",
            files={
                "json": (None, json.dumps(part, ensure_ascii=False), "application/json"),
                "file": (filename, document.content, document.mime_type),
            },
        )
        doc_id = journalized.get("Id")
        if not doc_id:
            raise ESDHError(f"SBSIP journalized no document for {document.filename}")
        self.api("POST", f"delforloeb/{folder}/dokument", {"DokumentRegistreringId": int(doc_id)})
        return str(doc_id)

    def find_document(self, case_id, document):
        """A document an interrupted call journalized, by its name among the case's documents.

        It is put in its sub-folder (again): the call that was interrupted may have been
        the journalizing, before it was put there. Whether SBSIP accepts a document put in
        the same delforløb twice is not shown by any public client.
        """
        sag_id, _guid, _number = case_key(case_id)
        filename = clean_filename(document.filename)
        for found in self.api("GET", f"sag/{sag_id}/dokumenter") or []:
            if filename in (found.get("DokumentNavn"), found.get("Navn")) and found.get("Id"):
                title = self.folders.get(
                    document.metadata.get("kind", ""), self.folders["hearing_text"]
                )
                folder = self.folder_id(sag_id, title)
                self.api(
                    "POST",
                    f"delforloeb/{folder}/dokument",
                    {"DokumentRegistreringId": int(found["Id"])},
                )
                return str(found["Id"])
        return None

    def finalize(self, case_id, document_ids):
        """Journalized documents are records in SBSYS already: nothing to do."""

    def close_case(self, case_id):
        _sag_id, guid, _number = case_key(case_id)
        statuses = self.api("GET", "sag/sagStatusList") or []
        wanted = self.closed_status.lower()
        status = next((s for s in statuses if str(s.get("Navn", "")).lower() == wanted), None)
        if status is None:
            raise ESDHError(f"SBSYS has no case status {self.closed_status!r}")
        self.api(
            "PUT",
            f"sag/{guid}/status",
            {"SagsStatusID": int(status["Id"]), "Kommentar": self.close_comment},
        )

    # -- dry run ---------------------------------------------------------------------

    def mark_personal(self, values, keys):
        if isinstance(self.session, RecordingSession):
            self.session.personal.update(str(values.get(key) or "") for key in keys)

    def dry_run(self, write):
        self.session = RecordingSession(self.dry_run_answer, write)
        return self

    def dry_run_answer(self, method, path, payload):
        """What SBSIP would plausibly answer, so a dry run follows the real flow."""
        guid = "00000000-0000-0000-0000-000000000000"
        if path.endswith("/token"):
            return {"access_token": "dry-run", "expires_in": 3600}
        if path.endswith("/bruger/search"):
            return [{"Id": 1, "LogonId": payload["LogonId"], "Navn": "(dry run)"}]
        if method == "POST" and path.endswith("/sag/template"):
            return {"Id": 1, "SagIdentity": guid, "Nummer": "00.00.00-A00-1-26"}
        if path.endswith("/sag/sagStatusList"):
            return [{"Id": 9, "Navn": self.closed_status}]
        if "delforloeb/sag/" in path:
            return [
                {"ID": n, "SagID": 1, "Titel": t} for n, t in enumerate(set(self.folders.values()))
            ]
        if path.endswith("/dokumenter"):
            return []
        if method == "GET" and "/sag/" in path:
            return {"Id": 1, "SagIdentity": guid, "Nummer": "(existing case)"}
        if path.endswith("/dokument/journaliser"):
            return {"Id": 1000 + len(self.session.sent)}
        return {}
