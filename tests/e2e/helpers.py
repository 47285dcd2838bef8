"""What browser tests check on every screen, and how a person signs in."""

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DEMO_PASSWORD = "demo"  # hearings.demo.PASSWORD


def sign_in(page, username, password=DEMO_PASSWORD, next_url="/"):
    """Sign in through the real local sign-in form, as a person would."""
    page.goto(f"/accounts/login/?next={next_url}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form[action='/accounts/login/'] button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def assert_accessible(page, context=None):
    """axe-core finds no WCAG 2.1 A/AA violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    results = Axe().run(page, context=context, options=options)
    violations = results.response["violations"]
    details = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {node['target']}: {node['failureSummary']}" for node in v["nodes"])
        for v in violations
    )
    assert not violations, f"axe found {len(violations)} violation(s) on {page.url}:\n{details}"


def assert_no_csp_violations(page):
    """Neither the console nor the securitypolicyviolation event reported a blocked resource."""
    reported = page.evaluate("window.__cspViolations || []")
    assert not (reported or page.log.csp_violations), (
        f"CSP violations on {page.url}: {reported + page.log.csp_violations}"
    )


def assert_no_script_errors(page):
    assert not page.log.errors, f"Browser errors on {page.url}: {page.log.errors}"
