"""SBSYS through SBSIP's REST API, authenticated with an OAuth 2 client-credentials token.

Built from the endpoints OS2agora uses and tested against a contract server
(tests/esdh/), not a real SBSYS.

Settings (environment): ``AGORA_SBSYS_URL`` (the SBSIP API base, e.g.
https://sbsip.example.dk/api/), ``AGORA_SBSYS_TOKEN_URL`` (the Keycloak token endpoint,
…/auth/realms/sbsip/protocol/openid-connect/token), ``AGORA_SBSYS_CLIENT_ID``,
``AGORA_SBSYS_CLIENT_SECRET``, ``AGORA_SBSYS_CASE_TEMPLATE`` (id of the case template),
``AGORA_ESDH_TIMEOUT``.
"""

import base64
import time

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import CaseInfo, Document, ESDHAdapter, ESDHError, clean_filename
from .dryrun import RecordingSession
from .http import call, json_of

CLOSED_STATUS = "Afsluttet"


class SBSYSAdapter(ESDHAdapter):
    name = "sbsys"

    def __init__(self, base_url=None, token_url=None, client_id=None, client_secret=None):
        self.base_url = (base_url or settings.AGORA_SBSYS_URL).rstrip("/")
        self.token_url = token_url or settings.AGORA_SBSYS_TOKEN_URL
        if not self.base_url or not self.token_url:
            raise ImproperlyConfigured("AGORA_SBSYS_URL and AGORA_SBSYS_TOKEN_URL must be set.")
        self.client_id = client_id or settings.AGORA_SBSYS_CLIENT_ID
        self.client_secret = client_secret or settings.AGORA_SBSYS_CLIENT_SECRET
        self.template = settings.AGORA_SBSYS_CASE_TEMPLATE
        self.timeout = settings.AGORA_ESDH_TIMEOUT
        self.session = requests.Session()
        self.token = None
        self.token_expires = 0.0

    def bearer(self):
        if self.token is None or time.monotonic() >= self.token_expires:
            response = call(
                self.session,
                "POST",
                self.token_url,
                data={
                    "grant_type": "client_credentials",
                    "client_id": self.client_id,
                    "client_secret": self.client_secret,
                },
                timeout=self.timeout,
            )
            answer = json_of(response)
            if "access_token" not in answer:
                raise ESDHError("SBSIP token endpoint gave no access_token")
            self.token = answer["access_token"]
            # Renew half a minute early rather than send an expired token.
            self.token_expires = time.monotonic() + int(answer.get("expires_in", 300)) - 30
        return {"Authorization": f"Bearer {self.token}"}

    def api(self, method, path, payload=None):
        response = call(
            self.session,
            method,
            f"{self.base_url}/{path}",
            json=payload,
            headers=self.bearer(),
            timeout=self.timeout,
        )
        return json_of(response) if response.content else {}

    def ensure_case(self, case: CaseInfo) -> str:
        if case.case_number:
            return str(self.api("GET", f"sag/{case.case_number}")["Guid"])
        created = self.api(
            "POST",
            "sag/template",
            {
                "SagsTemplateId": self.template,
                "Titel": case.title,
                "KLENummer": case.kle_number,
                "Ansvarlig": case.owner,
                "EksternReference": case.reference,
            },
        )
        if not created.get("Guid"):
            raise ESDHError("SBSIP created no case (no Guid in the answer)")
        return str(created["Guid"])

    def add_document(self, case_id, document: Document, parent_id=None) -> str:
        journalized = self.api(
            "POST",
            "dokument/journaliser",
            {
                "SagGuid": case_id,
                "Navn": document.title,
                "FilNavn": clean_filename(document.filename),
                "MimeType": document.mime_type,
                "Indhold": base64.b64encode(document.content).decode("ascii"),
                "ForaelderDokumentId": parent_id,
                "Metadata": {**document.metadata, "sha256": document.sha256},
            },
        )
        doc_id = journalized.get("Id")
        if not doc_id:
            raise ESDHError(f"SBSIP journalized no document for {document.filename}")
        folders = self.api("GET", f"delforloeb/sag/{case_id}")
        if folders:
            self.api("POST", f"delforloeb/{folders[0]['Id']}/dokument", {"DokumentId": doc_id})
        return str(doc_id)

    def finalize(self, case_id, document_ids):
        """Journalized documents are records in SBSYS already: nothing to do."""

    def close_case(self, case_id):
        self.api("PUT", f"sag/{case_id}/status", {"SagsStatus": CLOSED_STATUS})

    def dry_run(self, write):
        self.session = RecordingSession(self.dry_run_answer, write, binary_fields={"Indhold"})
        return self

    def dry_run_answer(self, method, path, payload):
        """What SBSIP would plausibly answer, so a dry run follows the real flow."""
        if path.endswith("/token"):
            return {"access_token": "dry-run", "expires_in": 3600}
        if method == "POST" and path.endswith("/sag/template"):
            return {"Guid": "dry-run-case"}
        if method == "GET" and "/sag/" in path and "delforloeb" not in path:
            return {"Guid": path.rstrip("/").rsplit("/", 1)[-1]}
        if path.endswith("/dokument/journaliser"):
            return {"Id": f"dry-run-{len(self.session.sent)}"}
        if "delforloeb/sag/" in path:
            return [{"Id": "dry-run-folder"}]
        return {}
