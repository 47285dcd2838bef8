"""Agora's steps in social-auth's sign-in pipeline (see SOCIAL_AUTH_PIPELINE).

social-core creates the user, copies name and e-mail and synchronises groups;
these steps refuse a sign-in that lacks required claims or comes from another
organisation than the site's municipality, read KOMBIT's roles with their scope,
and place the employee in their department. Nothing here, nor in the settings
around it, ever makes a user staff or superuser: those flags are protected user
fields.

Claims are read as they come: a single value or a list (identity_claims.py).
"""

import logging
import uuid

from django.conf import settings
from wagtail.models import Site

from agora_site.identity_backends import attribute_label
from agora_site.identity_claims import (
    ORG_UNIT_CONSTRAINT,
    MissingClaim,
    UnknownDepartment,
    WrongMunicipality,
    first_value,
    name_id_value,
    parse_privileges,
    values_of,
)
from hearings.models import Department, EmployeeProfile, municipality_of

__all__ = ["MissingClaim", "UnknownDepartment", "WrongMunicipality"]

logger = logging.getLogger(__name__)


def claims_of(backend, response):
    """The claims of this sign-in as one flat dict, whatever the protocol.

    OpenID Connect: the ID token's claims, overlaid with the UserInfo answer.
    SAML: the assertion's attributes (as lists) and ``name_id``.
    """
    if backend.name == "saml":
        return dict(response.get("attributes", {}))
    claims = dict(getattr(backend, "id_token", None) or {})
    claims.update(response or {})
    return claims


def claim_value(claims, name):
    """A claim's values; ``name_id:<part>`` reads a part of a SAML NameID."""
    if name.startswith("name_id:"):
        value = name_id_value(first_value(claims.get("name_id")), name.split(":", 1)[1])
        return [value] if value else []
    return values_of(claims.get(name))


def _saml_conf(backend, response):
    if backend.name != "saml":
        return {}
    return backend.get_idp(response["idp_name"]).conf


def require_claims(backend, response, *args, **kwargs):
    """Refuse the sign-in, naming the claim, when one in AGORA_SSO_REQUIRED_CLAIMS is missing."""
    claims = claims_of(backend, response)
    for claim in settings.AGORA_SSO_REQUIRED_CLAIMS:
        if not claim_value(claims, claim):
            raise MissingClaim(backend, attribute_label(claim))


def _site_for(strategy):
    request = getattr(strategy, "request", None)
    site = Site.find_for_request(request) if request is not None else None
    return site or Site.objects.filter(is_default_site=True).first()


def check_municipality(strategy, backend, response, *args, **kwargs):
    """Refuse a person who signs in for another organisation than this site's municipality.

    KOMBIT and NemLog-in (MitID Erhverv) sign in employees of every Danish
    organisation: the CVR number they send (SAML: the IdP's ``attr_cvr``; OpenID
    Connect: ``AGORA_SSO_CVR_CLAIM``) must be the CVR number configured for the site
    being signed in to (Settings → Municipality), so each municipality of an
    installation admits only its own.
    """
    attribute = _saml_conf(backend, response).get("attr_cvr") or (
        settings.AGORA_SSO_CVR_CLAIM if backend.name != "saml" else ""
    )
    if not attribute:
        return
    cvr = first_value(claim_value(claims_of(backend, response), attribute))
    if not cvr:
        raise MissingClaim(backend, attribute_label(attribute))
    site_cvr = municipality_of(_site_for(strategy)).cvr
    if not site_cvr:
        logger.error(
            "Sign-in checks the CVR number, but the site has none (Settings → Municipality)"
        )
    if cvr != site_cvr:
        raise WrongMunicipality(backend, cvr)


def kombit_privileges(strategy, backend, response, *args, **kwargs):
    """Read KOMBIT's privileges as the groups to map (SAML IdPs with ``attr_privileges``).

    KOMBIT's Context Handler sends the user's roles as one attribute holding a
    base64-encoded OIO-BPP privilege list: ``<PrivilegeList><PrivilegeGroup
    Scope="urn:dk:gov:saml:cvrNumberIdentifier:…"><Privilege>http://…/roles/
    usersystemrole/…</Privilege><Constraint Name="…">…</Constraint>``.

    - Only privileges granted in the site's municipality count: the scope must name
      the site's CVR number (``privileges_scope`` is the fallback for a site without).
    - A role limited to an organisation unit
      (``http://sts.kombit.dk/constraints/orgenhed/1``) holds only in the department
      whose external UUID is that unit. Agora's staff groups are site-wide, so such a
      role never becomes a group: it places the employee in that department. A role
      with a unit that is no department of this site, or with a constraint Agora does
      not know, counts for nothing.
    """
    conf = _saml_conf(backend, response)
    attribute = conf.get("attr_privileges")
    if not attribute:
        return None
    privileges = parse_privileges(backend, attribute, response["attributes"].get(attribute))
    site = _site_for(strategy)
    site_cvr = municipality_of(site).cvr
    scope = f"urn:dk:gov:saml:cvrNumberIdentifier:{site_cvr}" if site_cvr else ""
    scope = scope or conf.get("privileges_scope", "")
    groups, unit_departments = [], []
    for privilege in privileges:
        if not scope or privilege.scope != scope:
            continue
        unknown = set(privilege.constraints) - {ORG_UNIT_CONSTRAINT}
        if unknown:
            logger.info("Role %s ignored: constraints %s", privilege.role, sorted(unknown))
            continue
        if ORG_UNIT_CONSTRAINT not in privilege.constraints:
            groups.append(privilege.role)
            continue
        # Limited, even when the unit is empty or no UUID: then to nothing.
        units = privilege.org_units
        found = list(
            Department.objects.filter(
                site=site, external_uuid__in=[unit for unit in units if unit]
            )
        )
        if not found:
            logger.info("Role %s ignored: no department with unit %s", privilege.role, units)
        unit_departments += [d.pk for d in found if d.pk not in unit_departments]
    return {"groups": list(dict.fromkeys(groups)), "unit_department_ids": unit_departments}


def find_department(site, values):
    """The first department of ``site`` whose code, name or external UUID is one of ``values``."""
    field = settings.AGORA_SSO_DEPARTMENT_MATCH
    for value in values:
        if field == "external_uuid":
            try:
                department = Department.objects.filter(
                    site=site, external_uuid=uuid.UUID(value)
                ).first()
            except ValueError:
                continue
        else:
            department = Department.objects.filter(site=site, **{field: value}).first()
        if department is not None:
            return department
    return None


def assign_department(
    strategy, backend, response, user=None, unit_department_ids=(), *args, **kwargs
):
    """Set the employee's department from AGORA_SSO_DEPARTMENT_CLAIM, or from the unit
    their KOMBIT role is limited to.

    A value that matches no department clears the department rather than
    keeping a stale one that would still open that department's hearings.
    """
    claim = settings.AGORA_SSO_DEPARTMENT_CLAIM
    if user is None or not (claim or unit_department_ids):
        return
    values = claim_value(claims_of(backend, response), claim) if claim else []
    department = find_department(_site_for(strategy), values)
    if department is None and values:
        logger.warning("No department matches %s=%r for user %s", claim, values, user.pk)
        if claim in settings.AGORA_SSO_REQUIRED_CLAIMS:
            raise UnknownDepartment(backend, ", ".join(values))
    if department is None and unit_department_ids:
        department = Department.objects.get(pk=unit_department_ids[0])
    EmployeeProfile.objects.update_or_create(user=user, defaults={"department": department})
