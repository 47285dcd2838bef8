"""social-core's backends, reading claims as the Danish providers really send them.

The same backends under the same names (``oidc``, ``azuread-v2-tenant-oauth2``,
``saml``), so URLs, stored sign-ins and social-auth's settings stay as they are. What
changes:

- a claim may be a single value or a list (OS2faktor sends lists unless its
  administrator ticks "send only one value"); details take the first value, groups
  take all;
- a SAML attribute named in the configuration is optional: a missing one leaves the
  field empty instead of stopping the sign-in (social-core treats every configured
  attribute as mandatory). What is required is listed in ``AGORA_SSO_REQUIRED_CLAIMS``
  and refused by the pipeline with the attribute's name;
- a SAML identity provider may read values out of the NameID with the
  pseudo-attributes ``name_id:serial``, ``name_id:cn``, ``name_id:o`` (KOMBIT's
  X509SubjectName) and ``name_id:uuid`` (NemLog-in's persistent NameID);
- Entra ID's e-mail is the ``email`` claim when sent, not the sign-in name.
"""

from social_core.backends import azuread_tenant, open_id_connect, saml
from social_core.exceptions import AuthResponseError

from agora_site.identity_claims import (
    MissingClaim,
    first_value,
    name_id_value,
    split_name,
    values_of,
)

NAME_ID_PREFIX = "name_id:"
# social-auth stores the user key in a 255-character column; Django's user has
# 150-character names and 254-character e-mail addresses.
MAX_UID_LENGTH = 255
MAX_NAME_LENGTH = 150
MAX_EMAIL_LENGTH = 254


def fit(details):
    """Details that fit the user's columns: long names cut, an over-long e-mail dropped
    (a cut address would be someone else's)."""
    details = {name: first_value(value) for name, value in details.items()}
    for name in ("first_name", "last_name", "fullname", "username"):
        if details.get(name):
            details[name] = details[name][:MAX_NAME_LENGTH]
    if details.get("email") and len(details["email"]) > MAX_EMAIL_LENGTH:
        details["email"] = None
    return details


class ClaimsAsTheyCome:
    """Details from single or listed claims; the groups claim as a list either way."""

    def get_user_details(self, response):
        return fit(super().get_user_details(response))

    def get_user_groups(self, response):
        key = self.setting("GROUPS_KEY")
        if key:
            for source in (getattr(self, "id_token", None), response):
                if isinstance(source, dict) and isinstance(source.get(key), str | list):
                    source[key] = values_of(source[key])
        return super().get_user_groups(response)


class OpenIdConnectAuth(ClaimsAsTheyCome, open_id_connect.OpenIdConnectAuth):
    pass


class AzureADV2TenantOAuth2(ClaimsAsTheyCome, azuread_tenant.AzureADV2TenantOAuth2):
    def get_user_details(self, response):
        details = super().get_user_details(response)
        # Entra's preferred_username is the sign-in name (UPN), which need not be a
        # mailbox; the email claim (scope or optional claim) is.
        details["email"] = first_value(response.get("email")) or details["email"]
        return fit(details)


def attribute_label(name):
    """How an attribute is named to the person refused for lacking it."""
    if name.startswith(NAME_ID_PREFIX):
        return f"NameID ({name[len(NAME_ID_PREFIX) :]})"
    return name


class SAMLIdentityProvider(saml.SAMLIdentityProvider):
    def value(self, attributes, name):
        """An attribute's first value, or a value read from the NameID."""
        if not name:
            return None
        if name.startswith(NAME_ID_PREFIX):
            return name_id_value(attributes.get("name_id"), name[len(NAME_ID_PREFIX) :])
        return first_value(attributes.get(name))

    def get_attr(self, attributes, conf_key, default_attributes, *, validate_defaults=False):
        if conf_key in self.conf:
            return self.value(attributes, self.conf[conf_key])
        for name in default_attributes:
            if name in attributes:
                return self.value(attributes, name)
        return None

    def get_user_permanent_id(self, attributes):
        uid = self.get_attr(attributes, "attr_user_permanent_id", saml.PERSISTENT_FIELDS)
        if not uid:
            name = self.conf.get("attr_user_permanent_id") or "name_id"
            raise MissingClaim(self.backend, attribute_label(name))
        if len(f"{self.name}:{uid}") > MAX_UID_LENGTH:
            raise AuthResponseError(
                self.backend,
                code="invalid_claim",
                claim="attr_user_permanent_id",
                stage="user_info",
            )
        return uid

    def get_user_details(self, attributes):
        details = super().get_user_details(attributes)
        if details["fullname"] and not (details["first_name"] or details["last_name"]):
            details["first_name"], details["last_name"] = split_name(details["fullname"])
        return fit(details)


class SAMLAuth(saml.SAMLAuth):
    def get_idp(self, idp_name):
        idp = super().get_idp(idp_name)
        return SAMLIdentityProvider(self, idp.name, **idp.conf)

    def generate_saml_config(self, idp=None):
        config = super().generate_saml_config(idp)
        # An IdP may ask for its own NameID format (KOMBIT: X509SubjectName,
        # NemLog-in: persistent) in the AuthnRequest.
        if idp is not None and idp.conf.get("name_id_format"):
            config["sp"]["NameIDFormat"] = idp.conf["name_id_format"]
        return config
