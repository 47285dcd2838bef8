"""Identity providers switched on from the environment.

A municipality replaces its identity provider by changing environment variables,
never code. The variables carry social-auth's own setting names
(``SOCIAL_AUTH_OIDC_OIDC_ENDPOINT``, ``SOCIAL_AUTH_SAML_ENABLED_IDPS``, ...), so
social-auth's documentation applies unchanged; Agora's own knobs start with
``AGORA_``. docs/identity.md lists every variable with its default.

This module is imported by the settings, so it must not import Django models.
"""

import copy
import json
import os
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from agora_site.env import as_bool, env_list

# social-core's backends, reading single or listed claims (identity_backends.py).
OIDC_BACKEND = "agora_site.identity_backends.OpenIdConnectAuth"
ENTRA_BACKEND = "agora_site.identity_backends.AzureADV2TenantOAuth2"
SAML_BACKEND = "agora_site.identity_backends.SAMLAuth"


class Provider(NamedTuple):
    backend: str  # social-core backend class
    name: str  # its name in URLs: /auth/login/<name>/
    switch: str  # the variable whose presence switches it on
    label_variable: str | None  # the variable for its button's text
    default_label: str | None
    profiles: tuple = ()  # the AGORA_SSO_PROFILE values meant for it


PROVIDERS = [
    Provider(
        OIDC_BACKEND,
        "oidc",
        "SOCIAL_AUTH_OIDC_OIDC_ENDPOINT",
        "AGORA_SSO_OIDC_LABEL",
        "OpenID Connect",
        ("os2faktor",),
    ),
    Provider(
        ENTRA_BACKEND,
        "azuread-v2-tenant-oauth2",
        "SOCIAL_AUTH_AZUREAD_V2_TENANT_OAUTH2_KEY",
        "AGORA_SSO_ENTRA_LABEL",
        "Microsoft Entra ID",
        ("entra",),
    ),
    # SAML gets one button per identity provider, labelled by its display_name.
    Provider(SAML_BACKEND, "saml", "SOCIAL_AUTH_SAML_ENABLED_IDPS", None, None),
]

# social-auth settings that are not plain strings, by the end of their name.
JSON_SUFFIXES = (
    "_GROUPS_MAP",
    "_ALLOW_GROUPS",
    "_SCOPE",
    "_ENABLED_IDPS",
    "_SP_EXTRA",
    "_SECURITY_CONFIG",
    "_ORG_INFO",
    "_TECHNICAL_CONTACT",
    "_SUPPORT_CONTACT",
    "_AUTH_EXTRA_ARGUMENTS",
    "_EXTRA_DATA",
    "_JWT_ALGORITHMS",
    "_WHITELISTED_DOMAINS",
    "_WHITELISTED_EMAILS",
)
BOOL_SUFFIXES = (
    "_GROUPS_MISSING_AS_EMPTY",
    "_IGNORE_DEFAULT_SCOPE",
    "_USE_PKCE",
    "_ALLOW_IDP_INITIATED",
    "_REDIRECT_IS_HTTPS",
)
INT_SUFFIXES = ("_JWT_LEEWAY", "_ID_TOKEN_MAX_AGE", "_NONCE_LIFETIME")

# Provider profiles (AGORA_SSO_PROFILE): what KOMBIT, NemLog-in, OS2faktor and Entra ID
# really send, as defaults under social-auth's own settings, which still win when set.
# docs/identity.md names the sources (public code and samples of each provider).
X509_SUBJECT_NAME = "urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName"
PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
EID = "https://data.gov.dk/model/core/eid/"
OIOSAML_SECURITY = {
    "authnRequestsSigned": True,
    "wantAssertionsSigned": True,
    "wantAssertionsEncrypted": True,
    "signatureAlgorithm": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    "digestAlgorithm": "http://www.w3.org/2001/04/xmlenc#sha256",
    "requestedAuthnContext": False,
}


class Profile(NamedTuple):
    label: str  # default button text
    settings: dict  # social-auth settings it defaults
    saml_idp: dict  # defaults for each SAML IdP using it
    required: tuple  # default AGORA_SSO_REQUIRED_CLAIMS


KOMBIT_CH2 = {
    "name_id_format": X509_SUBJECT_NAME,
    # The NameID is "C=DK,O=<cvr>,CN=<name>,Serial=<uuid>": key on the serial (a name
    # change must not make a new user); the name is only in the CN.
    "attr_user_permanent_id": "name_id:serial",
    "attr_username": "name_id:serial",
    "attr_full_name": "name_id:cn",
    "attr_email": EID + "email",
    "attr_cvr": EID + "professional/cvr",
    "attr_privileges": EID + "privilegesIntermediate",
}
PROFILES = {
    "generic": Profile("", {}, {}, ()),
    "kombit-ch2": Profile(
        "KOMBIT",
        {
            "SOCIAL_AUTH_SAML_SECURITY_CONFIG": OIOSAML_SECURITY,
            "SOCIAL_AUTH_SAML_SP_EXTRA": {"NameIDFormat": X509_SUBJECT_NAME},
        },
        KOMBIT_CH2,
        (),
    ),
    "kombit-ch1": Profile(
        "KOMBIT",
        {
            "SOCIAL_AUTH_SAML_SECURITY_CONFIG": OIOSAML_SECURITY,
            "SOCIAL_AUTH_SAML_SP_EXTRA": {"NameIDFormat": X509_SUBJECT_NAME},
        },
        {
            **KOMBIT_CH2,
            # OIOSAML 2 names; Context Handler 1 sends no e-mail.
            "attr_email": None,
            "attr_cvr": "dk:gov:saml:attribute:CvrNumberIdentifier",
            "attr_privileges": "dk:gov:saml:attribute:Privileges_intermediate",
        },
        (),
    ),
    "nemlogin": Profile(
        "MitID Erhverv",
        {
            "SOCIAL_AUTH_SAML_SECURITY_CONFIG": OIOSAML_SECURITY,
            "SOCIAL_AUTH_SAML_SP_EXTRA": {"NameIDFormat": PERSISTENT},
        },
        {
            "name_id_format": PERSISTENT,
            # https://data.gov.dk/model/core/eid/professional/uuid/<uuid>
            "attr_user_permanent_id": "name_id:uuid",
            "attr_username": "name_id:uuid",
            "attr_first_name": EID + "firstName",
            "attr_last_name": EID + "lastName",
            "attr_full_name": EID + "fullName",
            "attr_email": EID + "email",
            "attr_cvr": EID + "professional/cvr",
        },
        (),
    ),
    "os2faktor": Profile(
        "OS2faktor",
        {
            "SOCIAL_AUTH_OIDC_GROUPS_KEY": "roles",
            "SOCIAL_AUTH_OIDC_GROUPS_MISSING_AS_EMPTY": True,
        },
        {},
        (),
    ),
    "entra": Profile(
        "Microsoft Entra ID",
        {
            # Tenant members get the email claim only with this scope (or the
            # optional claim in the app registration).
            "SOCIAL_AUTH_AZUREAD_V2_TENANT_OAUTH2_SCOPE": ["email"],
            "SOCIAL_AUTH_AZUREAD_V2_TENANT_OAUTH2_GROUPS_KEY": "roles",
            "SOCIAL_AUTH_AZUREAD_V2_TENANT_OAUTH2_GROUPS_MISSING_AS_EMPTY": True,
        },
        {},
        ("email",),
    ),
}


def _apply_profile(name, settings):
    """Put a profile's defaults under the settings given explicitly."""
    profile = PROFILES[name]
    for setting, default in profile.settings.items():
        default = copy.deepcopy(default)  # never share the profile's own dicts and lists
        if setting not in settings:
            settings[setting] = default
        elif isinstance(default, dict) and isinstance(settings[setting], dict):
            settings[setting] = {**default, **settings[setting]}
        elif setting.endswith("_SCOPE") and isinstance(settings[setting], list):
            settings[setting] = list(dict.fromkeys([*default, *settings[setting]]))
    idps = settings.get("SOCIAL_AUTH_SAML_ENABLED_IDPS")
    if isinstance(idps, dict):
        for idp_name, conf in idps.items():
            if not isinstance(conf, dict):
                continue
            own = conf.get("profile", name)
            if own not in PROFILES:
                raise ImproperlyConfigured(f"Unknown profile {own!r} for SAML IdP {idp_name}.")
            label = {"display_name": PROFILES[own].label} if PROFILES[own].label else {}
            idps[idp_name] = {**label, **copy.deepcopy(PROFILES[own].saml_idp), **conf}


# The sign-in pipeline: social-core's steps with Agora's around them.
PIPELINE = (
    "social_core.pipeline.social_auth.social_details",
    "social_core.pipeline.social_auth.social_uid",
    "agora_site.identity_pipeline.require_claims",
    "agora_site.identity_pipeline.check_municipality",
    "agora_site.identity_pipeline.kombit_privileges",
    "social_core.pipeline.social_auth.auth_allowed",
    "social_core.pipeline.social_auth.social_user",
    "social_core.pipeline.user.get_username",
    "social_core.pipeline.user.create_user",
    "social_core.pipeline.social_auth.associate_user",
    "social_core.pipeline.social_auth.load_extra_data",
    "social_core.pipeline.user.user_details",
    "agora_site.identity_pipeline.assign_department",
    "social_core.pipeline.user.sync_groups",
)


@dataclass
class IdentityConfig:
    """What the settings module needs: extra backends, settings, and buttons."""

    backends: list = field(default_factory=list)
    settings: dict = field(default_factory=dict)
    providers: list = field(default_factory=list)

    @property
    def form_action_origins(self):
        """Origins the sign-in and sign-out forms redirect to: the providers.

        Browsers apply the Content Security Policy's form-action to those redirects,
        so the settings add these to it (``CONTENT_SECURITY_POLICY``).
        """
        urls = []
        if "SOCIAL_AUTH_OIDC_OIDC_ENDPOINT" in self.settings and any(
            b.endswith("OpenIdConnectAuth") for b in self.backends
        ):
            urls.append(self.settings["SOCIAL_AUTH_OIDC_OIDC_ENDPOINT"])
        if any("azuread" in b.lower() for b in self.backends):
            urls.append("https://login.microsoftonline.com")
        idps = self.settings.get("SOCIAL_AUTH_SAML_ENABLED_IDPS")
        if any(b.endswith("SAMLAuth") for b in self.backends) and isinstance(idps, dict):
            urls.extend(idp.get("url", "") for idp in idps.values() if isinstance(idp, dict))
        origins = []
        for url in urls:
            parts = urlsplit(url)
            origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
            if origin and origin not in origins:
                origins.append(origin)
        return origins


# Department fields a department claim may be matched against.
DEPARTMENT_MATCHES = ("code", "name", "external_uuid")


def _parse(name, value):
    if name.endswith(JSON_SUFFIXES):
        try:
            return json.loads(value)
        except json.JSONDecodeError as error:
            raise ImproperlyConfigured(f"{name} must be JSON: {error}") from error
    if name.endswith(BOOL_SUFFIXES):
        return as_bool(value)
    if name.endswith(INT_SUFFIXES):
        return int(value)
    return value


def configure(environ=None, *, site_name="Agora", base_url="", contact_email=""):
    """Build the identity settings from ``environ`` (``os.environ`` by default)."""
    environ = os.environ if environ is None else environ
    config = IdentityConfig()

    # Every SOCIAL_AUTH_* variable passes through under its own name.
    for name, value in environ.items():
        if name.startswith("SOCIAL_AUTH_"):
            config.settings[name] = _parse(name, value)
    profile = environ.get("AGORA_SSO_PROFILE", "generic") or "generic"
    if profile not in PROFILES:
        raise ImproperlyConfigured(
            f"AGORA_SSO_PROFILE must be one of {', '.join(PROFILES)}, not {profile!r}."
        )
    _apply_profile(profile, config.settings)

    for provider in PROVIDERS:
        if not environ.get(provider.switch):
            continue
        config.backends.append(provider.backend)
        if provider.name == "saml":
            config.providers.extend(_saml_buttons(config.settings[provider.switch]))
            _saml_defaults(config.settings, site_name, base_url, contact_email)
        else:
            default = PROFILES[profile].label if profile in provider.profiles else ""
            label = environ.get(provider.label_variable, default or provider.default_label)
            config.providers.append({"backend": provider.name, "label": label})

    config.settings.update(
        {
            "SOCIAL_AUTH_PIPELINE": PIPELINE,
            "SOCIAL_AUTH_URL_NAMESPACE": "social",
            "SOCIAL_AUTH_LOGIN_ERROR_URL": "/accounts/login/",
            "SOCIAL_AUTH_JSONFIELD_ENABLED": True,
            # Only these user fields are ever written from claims, and the
            # provider stays authoritative for e-mail and name. Never is_staff
            # or is_superuser: those are protected.
            "SOCIAL_AUTH_USER_FIELDS": ["username", "email", "first_name", "last_name"],
            "SOCIAL_AUTH_NO_DEFAULT_PROTECTED_USER_FIELDS": True,
            "SOCIAL_AUTH_PROTECTED_USER_FIELDS": [
                "username",
                "id",
                "pk",
                "password",
                "is_active",
                "is_staff",
                "is_superuser",
            ],
            "SOCIAL_AUTH_SANITIZE_REDIRECTS": True,
            "AGORA_SSO_PROVIDERS": config.providers,
            "AGORA_SSO_PROFILE": profile,
            "AGORA_SSO_REQUIRED_CLAIMS": env_list(
                "AGORA_SSO_REQUIRED_CLAIMS",
                ",".join(PROFILES[profile].required),
                environ=environ,
            ),
            "AGORA_SSO_CVR_CLAIM": environ.get("AGORA_SSO_CVR_CLAIM", ""),
            "AGORA_SSO_DEPARTMENT_CLAIM": environ.get("AGORA_SSO_DEPARTMENT_CLAIM", ""),
            "AGORA_SSO_DEPARTMENT_MATCH": environ.get("AGORA_SSO_DEPARTMENT_MATCH", "code"),
        }
    )
    if config.settings["AGORA_SSO_DEPARTMENT_MATCH"] not in DEPARTMENT_MATCHES:
        raise ImproperlyConfigured(
            "AGORA_SSO_DEPARTMENT_MATCH must be 'code', 'name' or 'external_uuid'."
        )
    return config


def _saml_buttons(enabled_idps):
    if not isinstance(enabled_idps, dict) or not enabled_idps:
        raise ImproperlyConfigured(
            "SOCIAL_AUTH_SAML_ENABLED_IDPS must be a JSON object of identity providers."
        )
    return [
        {"backend": "saml", "idp": name, "label": conf.get("display_name", name)}
        for name, conf in enabled_idps.items()
    ]


def _saml_defaults(settings, site_name, base_url, contact_email):
    """python3-saml requires organisation and contacts; fill them from the site."""
    contact = {"givenName": site_name, "emailAddress": contact_email}
    settings.setdefault(
        "SOCIAL_AUTH_SAML_ORG_INFO",
        {"en-US": {"name": "agora", "displayname": site_name, "url": base_url}},
    )
    settings.setdefault("SOCIAL_AUTH_SAML_TECHNICAL_CONTACT", contact)
    settings.setdefault("SOCIAL_AUTH_SAML_SUPPORT_CONTACT", contact)
    settings.setdefault("SOCIAL_AUTH_SAML_SP_ENTITY_ID", f"{base_url}/auth/saml/metadata/")
    for required in ("SOCIAL_AUTH_SAML_SP_PUBLIC_CERT", "SOCIAL_AUTH_SAML_SP_PRIVATE_KEY"):
        if not settings.get(required):
            raise ImproperlyConfigured(f"SAML sign-in needs {required}.")
