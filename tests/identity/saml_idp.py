"""An in-process SAML identity provider shaped like KOMBIT's Context Handler and NemLog-in.

It answers an AuthnRequest with a Response whose Assertion carries the NameID format
and value, attribute names (with NameFormat uri) and OIO-BPP privilege lists those
providers send; it signs the Assertion (RSA-SHA256) and, like KOMBIT's sample,
encrypts it for the service provider (AES-256-GCM, key wrapped with RSA-OAEP).
Keys are throw-away, generated here.
"""

import base64
import textwrap
import uuid
import zlib
from datetime import UTC, datetime, timedelta
from html import escape
from urllib.parse import parse_qs, urlsplit

import xmlsec
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.utils import OneLogin_Saml2_Utils
from onelogin.saml2.xml_utils import OneLogin_Saml2_XML

SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
X509_SUBJECT_NAME = "urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName"
PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
OIO_BPP_11 = "http://itst.dk/oiosaml/basic_privilege_profile"
OIO_BPP_12 = "http://digst.dk/oiosaml/basic_privilege_profile"
ORG_UNIT = "http://sts.kombit.dk/constraints/orgenhed/1"
EID = "https://data.gov.dk/model/core/eid/"


def self_signed(common_name):
    """A throw-away key and certificate, both PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return key_pem, cert.public_bytes(serialization.Encoding.PEM).decode()


def pem_body(pem):
    return "".join(line for line in pem.splitlines() if "-----" not in line)


def privilege_list(*groups, namespace=OIO_BPP_12, wrap=True):
    """A base64 OIO-BPP PrivilegeList; each group is (scope, [roles], {constraint: value}).

    Children are unprefixed as in KOMBIT's documents; ``wrap`` breaks the base64
    into 76-character lines as .NET and Java encoders do.
    """
    body = ""
    for scope, roles, *rest in groups:
        constraints = rest[0] if rest else {}
        body += f'<PrivilegeGroup Scope="{escape(scope)}">'
        body += "".join(f"<Privilege>{escape(role)}</Privilege>" for role in roles)
        body += "".join(
            f'<Constraint Name="{escape(name)}">{escape(value)}</Constraint>'
            for name, value in constraints.items()
        )
        body += "</PrivilegeGroup>"
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><bpp:PrivilegeList xmlns:bpp="{namespace}" '
        f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">{body}</bpp:PrivilegeList>'
    )
    encoded = base64.b64encode(xml.encode()).decode()
    return "\r\n".join(textwrap.wrap(encoded, 76)) if wrap else encoded


def authn_request(location):
    """The AuthnRequest (as an element) and RelayState from a redirect to the IdP."""
    query = parse_qs(urlsplit(location).query)
    xml = zlib.decompress(base64.b64decode(query["SAMLRequest"][0]), -15)
    return OneLogin_Saml2_XML.to_etree(xml), query["RelayState"][0]


def _instant(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class IdentityProvider:
    def __init__(self, entity_id, sp_entity_id, acs_url):
        self.entity_id = entity_id
        self.sp_entity_id = sp_entity_id
        self.acs_url = acs_url
        self.key, self.cert = self_signed("idp.example.dk")

    def assertion(self, request_id, name_id, name_id_format, attributes):
        now = datetime.now(UTC)
        statements = "".join(
            f'<saml:Attribute Name="{escape(name)}" '
            'NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">'
            + "".join(
                f"<saml:AttributeValue>{escape(value)}</saml:AttributeValue>"
                for value in (values if isinstance(values, list) else [values])
            )
            + "</saml:Attribute>"
            for name, values in attributes.items()
        )
        xml = f"""<saml:Assertion xmlns:saml="{SAML}" ID="_{uuid.uuid4().hex}" Version="2.0"
 IssueInstant="{_instant(now)}">
<saml:Issuer>{self.entity_id}</saml:Issuer>
<saml:Subject>
<saml:NameID Format="{name_id_format}">{escape(name_id)}</saml:NameID>
<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
<saml:SubjectConfirmationData InResponseTo="{request_id}"
 NotOnOrAfter="{_instant(now + timedelta(minutes=5))}" Recipient="{self.acs_url}"/>
</saml:SubjectConfirmation>
</saml:Subject>
<saml:Conditions NotBefore="{_instant(now - timedelta(minutes=1))}"
 NotOnOrAfter="{_instant(now + timedelta(minutes=5))}">
<saml:AudienceRestriction><saml:Audience>{self.sp_entity_id}</saml:Audience></saml:AudienceRestriction>
</saml:Conditions>
<saml:AuthnStatement AuthnInstant="{_instant(now)}" SessionIndex="_{uuid.uuid4().hex}">
<saml:AuthnContext><saml:AuthnContextClassRef>https://data.gov.dk/concept/core/nsis/loa/Substantial</saml:AuthnContextClassRef></saml:AuthnContext>
</saml:AuthnStatement>
<saml:AttributeStatement>{statements}</saml:AttributeStatement>
</saml:Assertion>"""
        return OneLogin_Saml2_Utils.add_sign(
            xml,
            self.key,
            self.cert,
            sign_algorithm=OneLogin_Saml2_Constants.RSA_SHA256,
            digest_algorithm=OneLogin_Saml2_Constants.SHA256,
        )

    def response(
        self,
        request_id,
        *,
        name_id,
        name_id_format=X509_SUBJECT_NAME,
        attributes,
        encrypt_for=None,
    ):
        """The Response XML (bytes): a signed Assertion, encrypted when ``encrypt_for``
        (the service provider's certificate, PEM) is given."""
        assertion = etree.fromstring(
            self.assertion(request_id, name_id, name_id_format, attributes)
        )
        if encrypt_for:
            assertion = encrypt(assertion, encrypt_for)
        now = datetime.now(UTC)
        response = etree.fromstring(
            f"""<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"
 xmlns:saml="{SAML}" ID="_{uuid.uuid4().hex}" Version="2.0" IssueInstant="{_instant(now)}"
 Destination="{self.acs_url}" InResponseTo="{request_id}">
<saml:Issuer>{self.entity_id}</saml:Issuer>
<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
</samlp:Response>"""
        )
        response.append(assertion)
        return etree.tostring(response)


def encrypt(assertion, cert_pem):
    """``<saml:EncryptedAssertion>`` of ``assertion``: AES-256-GCM, key by RSA-OAEP."""
    wrapper = etree.Element(f"{{{SAML}}}EncryptedAssertion", nsmap={"saml": SAML})
    wrapper.append(assertion)
    template = xmlsec.template.encrypted_data_create(
        wrapper,
        xmlsec.constants.TransformAes256Gcm,
        type=xmlsec.constants.TypeEncElement,
        ns="xenc",
    )
    xmlsec.template.encrypted_data_ensure_cipher_value(template)
    key_info = xmlsec.template.encrypted_data_ensure_key_info(template, ns="ds")
    encrypted_key = xmlsec.template.add_encrypted_key(key_info, xmlsec.constants.TransformRsaOaep)
    xmlsec.template.encrypted_data_ensure_cipher_value(encrypted_key)
    manager = xmlsec.KeysManager()
    manager.add_key(
        xmlsec.Key.from_memory(cert_pem.encode(), xmlsec.constants.KeyDataFormatCertPem, None)
    )
    context = xmlsec.EncryptionContext(manager)
    context.key = xmlsec.Key.generate(
        xmlsec.constants.KeyDataAes, 256, xmlsec.constants.KeyDataTypeSession
    )
    context.encrypt_xml(template, assertion)
    return wrapper
