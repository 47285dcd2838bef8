"""Browser tests: Playwright driving Debian's Chromium against Django's live server.

No browser is downloaded: ``apt-get install chromium`` provides /usr/bin/chromium
(.ci/system-packages lists it for CI). Without it these tests skip on a developer's
machine and fail in CI (``CI=true``), so a CI run can never pass by skipping them.

Every test gets its own browser context (cookies, storage) on a database holding the
demo (``hearings.demo.build_demo``); the database is flushed and restored afterwards.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.e2e.helpers import sign_in

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls
# from a thread with a running loop unless told otherwise. Test process only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("AGORA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"


@pytest.hookimpl(tryfirst=True)  # before pytest-django orders the tests by their marks
def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)
            # The live server runs in another thread with its own connection: the
            # data must be committed. Serialized rollback brings back what the
            # migrations created (site, home page, hearing index, groups) after
            # the flush that ends every transactional test.
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def browser_unavailable(reason):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI must run the browser tests)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser(django_db_setup):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        browser_unavailable("Playwright is not installed: pip install -r requirements-dev.txt")
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        browser_unavailable(f"No Chromium at {CHROMIUM}: apt-get install chromium")
    from django.db import connections

    snapshots = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        # Playwright runs an event loop in this thread; from now on asgiref hands out
        # new connection objects (per context), which lack the snapshot of the
        # migrated database that serialized rollback restores after each flush.
        for alias, snapshot in snapshots.items():
            connections[alias]._test_serialized_contents = snapshot
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def demo(transactional_db):
    """The demo municipality: departments, employee1..3 (password "demo"), every phase."""
    from hearings.demo import build_demo

    return build_demo()


class PageLog:
    """What the browser complained about while a test ran."""

    def __init__(self):
        self.csp_violations = []
        self.errors = []

    def on_console(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)
        elif message.type == "error":
            self.errors.append(message.text)


# Runs before any script of every document (injected by the browser itself, so the
# page's own CSP does not apply to it): records each CSP violation event.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile || event.documentURI}:${event.lineNumber}`
  );
});
"""


@pytest.fixture
def page(browser, live_server, demo, request):
    """A fresh Danish browser tab against the live server, holding the demo data."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="da-DK",
        timezone_id="Europe/Copenhagen",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    tab = context.new_page()
    tab.log = PageLog()
    tab.on("console", tab.log.on_console)
    tab.on("pageerror", lambda error: tab.log.errors.append(str(error)))
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        RESULTS_DIR.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        tab.screenshot(path=str(RESULTS_DIR / f"{name}.png"), full_page=True)
        (RESULTS_DIR / f"{name}.html").write_text(tab.content(), encoding="utf-8")
    context.close()


@pytest.fixture
def employee_page(page):
    """A tab where employee1 (Dagtilbud, invited to every demo hearing) is signed in."""
    sign_in(page, "employee1")
    return page
