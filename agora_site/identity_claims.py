"""Reading claims and attributes as identity providers really send them.

Pure functions, no Django models, so the backends, the pipeline and the tests share
them: a value may come as a string or as a list (OS2faktor sends lists unless told
otherwise, SAML always does); KOMBIT's user name and UUID are inside an
X509SubjectName NameID; NemLog-in's UUID is the tail of a persistent NameID; and
KOMBIT's roles are a base64 OIO-BPP document whose base64 may be line-wrapped.
"""

import base64
import binascii
import re
import uuid
from typing import NamedTuple

from onelogin.saml2.xml_utils import OneLogin_Saml2_XML
from social_core.exceptions import AuthPolicyError, AuthResponseError

# KOMBIT's organisation-unit constraint: the role holds only in that unit.
ORG_UNIT_CONSTRAINT = "http://sts.kombit.dk/constraints/orgenhed/1"
CVR_SCOPE_PREFIX = "urn:dk:gov:saml:cvrNumberIdentifier:"
NEMLOGIN_UUID_PREFIX = "https://data.gov.dk/model/core/eid/professional/uuid/"
# A privilege list is a few kilobytes; refuse to decode anything far larger.
MAX_PRIVILEGES_LENGTH = 512 * 1024


class MissingClaim(AuthPolicyError):
    """The provider did not send a claim (attribute) Agora needs."""

    def __init__(self, backend, claim):
        super().__init__(backend, f"missing claim {claim}", claim=claim, stage="pipeline")


class UnknownDepartment(AuthPolicyError):
    """A required department claim names no department of this site."""

    def __init__(self, backend, value):
        super().__init__(backend, f"unknown department {value}", stage="pipeline")
        self.value = value


class WrongMunicipality(AuthPolicyError):
    """The person signs in for an organisation (CVR) that is not this site's municipality,
    or the site has no CVR number to compare with."""

    def __init__(self, backend, cvr):
        super().__init__(backend, f"organisation {cvr!r} is not this site's", stage="pipeline")
        self.cvr = cvr


def values_of(value):
    """A claim's values as a list of non-empty strings, whether it came single or listed."""
    items = value if isinstance(value, list | tuple) else [value]
    return [str(item).strip() for item in items if _scalar(item) and str(item).strip()]


def first_value(value):
    """The first non-empty value of a claim, or None."""
    values = values_of(value)
    return values[0] if values else None


def _scalar(item):
    return isinstance(item, str | int | float) and not isinstance(item, bool)


# X509SubjectName: "C=DK,O=29189919,CN=Jens Hansen,Serial=<uuid>". Split only before a
# known key, so a comma inside a name does not cut it.
_DN_KEYS = r"(?:C|O|OU|CN|L|ST|E|Serial|SerialNumber|SERIALNUMBER|UID)"
_DN_SPLIT = re.compile(rf"\s*[,+]\s*(?={_DN_KEYS}\s*=)", re.IGNORECASE)
_DN_ALIASES = {"serialnumber": "serial"}


def subject_name_parts(name_id):
    """The parts of an X509SubjectName NameID as a dict with lower-case keys."""
    parts = {}
    if not isinstance(name_id, str):
        return parts
    for part in _DN_SPLIT.split(name_id.strip()):
        key, sep, value = part.partition("=")
        if sep:
            key = key.strip().lower()
            parts.setdefault(_DN_ALIASES.get(key, key), value.strip().replace("\\,", ","))
    return parts


def name_id_value(name_id, part):
    """One derived value of a NameID, for the ``name_id:<part>`` pseudo-attributes.

    ``serial``, ``cn``, ``o``: parts of an X509SubjectName (KOMBIT);
    ``uuid``: the UUID at the end of NemLog-in's persistent NameID.
    """
    if not isinstance(name_id, str) or not name_id.strip():
        return None
    if part == "uuid":
        tail = name_id.strip().rsplit("/", 1)[-1]
        try:
            return str(uuid.UUID(tail))
        except ValueError:
            return None
    return subject_name_parts(name_id).get(part) or None


def split_name(fullname):
    """First and last name from a full name: the last word is the last name."""
    words = (fullname or "").split()
    if not words:
        return None, None
    if len(words) == 1:
        return words[0], None
    return " ".join(words[:-1]), words[-1]


def lenient_b64decode(value):
    """Base64 as providers send it: line-wrapped, spaces, missing padding, URL-safe."""
    if not isinstance(value, str) or len(value) > MAX_PRIVILEGES_LENGTH:
        raise ValueError("not a base64 string of a sensible size")
    text = "".join(value.split())
    text = text.replace("-", "+").replace("_", "/")
    text += "=" * (-len(text) % 4)
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error as error:
        raise ValueError(str(error)) from error


class Privilege(NamedTuple):
    """One role in an OIO-BPP privilege list, with the scope and constraints it came in."""

    role: str
    scope: str
    constraints: dict  # constraint name -> list of values

    @property
    def cvr(self):
        return (
            self.scope[len(CVR_SCOPE_PREFIX) :] if self.scope.startswith(CVR_SCOPE_PREFIX) else ""
        )

    @property
    def org_units(self):
        """The organisation-unit UUIDs the role is limited to ([] for no such limit).

        A value that is not a UUID is kept as ``None`` so the role is still limited
        (to nothing) rather than silently becoming unlimited.
        """
        units = []
        for value in self.constraints.get(ORG_UNIT_CONSTRAINT, []):
            for item in re.split(r"[,;\s]+", value):
                if item:
                    try:
                        units.append(uuid.UUID(item))
                    except ValueError:
                        units.append(None)
        return units


def parse_privileges(backend, attribute, values):
    """The privileges in a KOMBIT privilege attribute (one or more base64 OIO-BPP lists).

    OIO-BPP 1.1 (``http://itst.dk/…``) and 1.2 (``http://digst.dk/…``) differ only in
    the root's namespace; the children are unprefixed, so they are matched in any
    namespace. Constraints are siblings of the privileges in a group and hold for each.
    """
    privileges = []
    for value in values_of(values):
        try:
            document = OneLogin_Saml2_XML.to_etree(lenient_b64decode(value))
        except (ValueError, SyntaxError, TypeError) as error:  # bad base64, bad/hostile XML
            raise AuthResponseError(
                backend, code="invalid_claim", claim=attribute, stage="user_info"
            ) from error
        for group in document.iter("{*}PrivilegeGroup"):
            constraints = {}
            for constraint in group.iter("{*}Constraint"):
                name = (constraint.get("Name") or "").strip()
                constraints.setdefault(name, []).append((constraint.text or "").strip())
            for element in group.iter("{*}Privilege"):
                role = (element.text or "").strip()
                if role:
                    privileges.append(
                        Privilege(role, (group.get("Scope") or "").strip(), constraints)
                    )
    return privileges
