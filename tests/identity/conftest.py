"""Fixtures for single sign-on: a real OpenID Connect provider and a browser-like client.

The provider is the npm package ``oidc-provider`` (installed by ``npm ci``),
run by ``oidc_provider.mjs`` on a free loopback port for the whole session. A
test decides what the provider says about the user with ``provider.claims =``.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import time
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.conf import settings
from django.core.cache import cache

from agora_site import identity

HERE = Path(__file__).parent
CLIENT_ID = "agora"
CLIENT_SECRET = "agora-test-client-secret"


@pytest.fixture
def client(client):
    # Messages are asserted in English, the source language of the translations,
    # chosen as a person chooses it (the language cookie; the browser's is ignored).
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Provider:
    def __init__(self, url, claims_file):
        self.url = url
        self._claims_file = claims_file

    @property
    def claims(self):
        return json.loads(self._claims_file.read_text())

    @claims.setter
    def claims(self, value):
        self._claims_file.write_text(json.dumps(value))


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    node = shutil.which("node")
    if node is None or not (HERE.parents[1] / "node_modules" / "oidc-provider").exists():
        pytest.fail("Node.js and `npm ci` (oidc-provider) are needed for the identity tests")
    port = free_port()
    claims_file = tmp_path_factory.mktemp("oidc") / "claims.json"
    claims_file.write_text("{}")
    env = {
        **os.environ,
        "OIDC_PORT": str(port),
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URI": f"{live_server.url}/auth/complete/oidc/",
        "OIDC_POST_LOGOUT_REDIRECT_URI": f"{live_server.url}/",
        "OIDC_CLAIMS_FILE": str(claims_file),
        "NODE_NO_WARNINGS": "1",
    }
    process = subprocess.Popen(  # noqa: S603 (our own script, fixed arguments)
        [node, str(HERE / "oidc_provider.mjs")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            requests.get(f"{url}/.well-known/openid-configuration", timeout=1).raise_for_status()
            break
        except requests.RequestException:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"oidc-provider did not start: {process.stdout.read()}")
            time.sleep(0.1)
    yield Provider(url, claims_file)
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def apply_identity_environment(settings, environ):
    """Configure Agora as an operator would: through identity.configure's variables."""
    config = identity.configure(
        environ,
        site_name="Agora test",
        base_url="http://agora.example.dk",
        contact_email="it@example.dk",
    )
    settings.AUTHENTICATION_BACKENDS = [
        *config.backends,
        "django.contrib.auth.backends.ModelBackend",
    ]
    for name, value in config.settings.items():
        setattr(settings, name, value)
    return config


GROUPS_MAP = {"agora-editors": ["Hearing editors"], "agora-approvers": ["Hearing approvers"]}


@pytest.fixture
def oidc_environment(oidc_provider):
    return {
        "SOCIAL_AUTH_OIDC_OIDC_ENDPOINT": oidc_provider.url,
        "SOCIAL_AUTH_OIDC_KEY": CLIENT_ID,
        "SOCIAL_AUTH_OIDC_SECRET": CLIENT_SECRET,
        "SOCIAL_AUTH_OIDC_GROUPS_KEY": "groups",
        "SOCIAL_AUTH_OIDC_GROUPS_MISSING_AS_EMPTY": "true",
        "SOCIAL_AUTH_OIDC_GROUPS_MAP": json.dumps(GROUPS_MAP),
        "AGORA_SSO_OIDC_LABEL": "OS2faktor",
        "AGORA_SSO_DEPARTMENT_CLAIM": "department",
        "AGORA_SSO_REQUIRED_CLAIMS": "email,department",
    }


@pytest.fixture
def oidc_enabled(settings, oidc_environment):
    apply_identity_environment(settings, oidc_environment)


def form_fields(html):
    """The first form's action and its named inputs, as a browser would submit them."""
    action = re.search(r'<form[^>]*action="([^"]*)"', html).group(1)
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
    return unescape(action), {name: unescape(value) for name, value in fields.items()}


class Browser:
    """A requests session that follows redirects one hop at a time, like a browser."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.session = requests.Session()
        self.session.cookies.set(settings.LANGUAGE_COOKIE_NAME, "en")

    def request(self, method, url, stop=None, **kwargs):
        url = urljoin(self.base_url, url)
        response = self.session.request(method, url, allow_redirects=False, timeout=10, **kwargs)
        while response.is_redirect:
            url = urljoin(response.url, response.headers["Location"])
            if stop and stop(url):
                return response, url
            response = self.session.get(url, allow_redirects=False, timeout=10)
        return response, response.url

    def csrf_token(self):
        response, _ = self.request("GET", "/accounts/login/")
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)

    def sign_in_with_provider(self, login, backend="oidc", stop=None):
        """Press the provider's button on our sign-in page and sign in at the provider."""
        token = self.csrf_token()
        response, url = self.request(
            "POST",
            f"/auth/login/{backend}/",
            data={"csrfmiddlewaretoken": token, "next": "/"},
            stop=stop,
        )
        # The provider's development login form, then its consent form.
        while (
            urlsplit(url).netloc != urlsplit(self.base_url).netloc and response.status_code == 200
        ):
            action, fields = form_fields(response.text)
            if fields.get("prompt") == "login":
                fields.update(login=login, password="anything")
            response, url = self.request("POST", urljoin(url, action), data=fields, stop=stop)
            if stop and stop(url):
                return response, url
        return response, url

    def cookie(self, name):
        return self.session.cookies.get(name)


@pytest.fixture
def browser(live_server):
    return Browser(live_server.url)
