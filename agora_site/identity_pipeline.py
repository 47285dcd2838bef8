"""Agora's steps in social-auth's sign-in pipeline (see SOCIAL_AUTH_PIPELINE).

social-core creates the user, copies name and e-mail and synchronises groups;
these steps refuse a sign-in that lacks required claims and place the employee
in their department. Nothing here, nor in the settings around it, ever makes a
user staff or superuser: those flags are protected user fields.
"""

import base64
import logging

from django.conf import settings
from onelogin.saml2.xml_utils import OneLogin_Saml2_XML
from social_core.exceptions import AuthPolicyError, AuthResponseError
from wagtail.models import Site

from hearings.models import Department, EmployeeProfile

logger = logging.getLogger(__name__)


class MissingClaim(AuthPolicyError):
    """The provider did not send a claim (attribute) Agora is configured to require."""

    def __init__(self, backend, claim):
        super().__init__(backend, f"missing claim {claim}", claim=claim, stage="pipeline")


class UnknownDepartment(AuthPolicyError):
    """A required department claim names no department of this site."""

    def __init__(self, backend, value):
        super().__init__(backend, f"unknown department {value}", stage="pipeline")
        self.value = value


def claims_of(backend, response):
    """The claims of this sign-in as one flat dict, whatever the protocol.

    OpenID Connect: the ID token's claims, overlaid with the UserInfo answer.
    SAML: the assertion's attributes, single values unwrapped from their lists.
    """
    if backend.name == "saml":
        claims = {}
        for name, values in response.get("attributes", {}).items():
            if isinstance(values, list) and len(values) == 1:
                claims[name] = values[0]
            else:
                claims[name] = values
        return claims
    claims = dict(getattr(backend, "id_token", None) or {})
    claims.update(response or {})
    return claims


def _present(value):
    return value not in (None, "", [], {})


def require_claims(backend, response, *args, **kwargs):
    """Refuse the sign-in when a claim in AGORA_SSO_REQUIRED_CLAIMS is missing."""
    claims = claims_of(backend, response)
    for claim in settings.AGORA_SSO_REQUIRED_CLAIMS:
        if not _present(claims.get(claim)):
            raise MissingClaim(backend, claim)


def kombit_privileges(backend, response, *args, **kwargs):
    """Read KOMBIT's privileges as the groups to map (SAML IdPs with ``attr_privileges``).

    KOMBIT's Context Handler sends the user's roles as one attribute holding a
    base64-encoded OIOSAML "basic privilege profile" document:
    ``<PrivilegeList><PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:…">
    <Privilege>http://…/roles/usersystemrole/…</Privilege>``. With
    ``privileges_scope`` set, only privileges granted in that scope count.
    """
    if backend.name != "saml":
        return None
    conf = backend.get_idp(response["idp_name"]).conf
    attribute = conf.get("attr_privileges")
    if not attribute:
        return None
    values = response["attributes"].get(attribute) or []
    privileges = []
    for value in values if isinstance(values, list) else [values]:
        try:
            document = OneLogin_Saml2_XML.to_etree(base64.b64decode(value, validate=True))
        except (ValueError, SyntaxError) as error:  # bad base64, bad or hostile XML
            raise AuthResponseError(
                backend, code="invalid_claim", claim=attribute, stage="user_info"
            ) from error
        for group in document.iter("{*}PrivilegeGroup"):
            if conf.get("privileges_scope") and group.get("Scope") != conf["privileges_scope"]:
                continue
            privileges += [p.text.strip() for p in group.iter("{*}Privilege") if p.text]
    return {"groups": list(dict.fromkeys(privileges))}


def _site_for(strategy):
    request = getattr(strategy, "request", None)
    site = Site.find_for_request(request) if request is not None else None
    return site or Site.objects.filter(is_default_site=True).first()


def find_department(site, values):
    """The first department of ``site`` whose code (or name) is one of ``values``."""
    field = settings.AGORA_SSO_DEPARTMENT_MATCH
    for value in values:
        department = Department.objects.filter(site=site, **{field: value}).first()
        if department is not None:
            return department
    return None


def assign_department(strategy, backend, response, user=None, *args, **kwargs):
    """Set the employee's department from AGORA_SSO_DEPARTMENT_CLAIM.

    A value that matches no department clears the department rather than
    keeping a stale one that would still open that department's hearings.
    """
    claim = settings.AGORA_SSO_DEPARTMENT_CLAIM
    if not claim or user is None:
        return
    value = claims_of(backend, response).get(claim)
    values = [str(v) for v in (value if isinstance(value, list) else [value]) if _present(v)]
    department = find_department(_site_for(strategy), values)
    if department is None and values:
        logger.warning("No department matches %s=%r for user %s", claim, values, user.pk)
        if claim in settings.AGORA_SSO_REQUIRED_CLAIMS:
            raise UnknownDepartment(backend, ", ".join(values))
    EmployeeProfile.objects.update_or_create(user=user, defaults={"department": department})
