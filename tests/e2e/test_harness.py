"""The browser harness itself: pages load their static files and CSP violations are caught."""

import re

from playwright.sync_api import expect


def test_the_home_page_loads_with_its_styles_and_scripts(page):
    page.goto("/")
    expect(page).to_have_title(re.compile("Call portal"))
    # Bootstrap's stylesheet applied: the navigation bar is laid out as a flex box.
    assert page.eval_on_selector(".navbar", "element => getComputedStyle(element).display") == "flex"
    # htmx was served and ran.
    page.wait_for_function("() => typeof window.htmx !== 'undefined'")


def test_an_inline_script_is_caught_as_a_csp_violation(page, live_server, browser_problems):
    probe = f"{live_server.url}/__csp-probe__"
    page.goto("/")
    csp = page.evaluate("() => fetch('/').then(response => response.headers.get('content-security-policy'))")
    assert "script-src 'self'" in csp
    page.route(
        probe,
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            headers={"Content-Security-Policy": csp},
            body="<!doctype html><title>probe</title><script>document.title = 'ran';</script>",
        ),
    )
    page.goto(probe)
    page.wait_for_function("() => document.readyState === 'complete'")
    assert page.title() == "probe"  # the inline script was blocked
    # The violation event is dispatched asynchronously: let the page run until it arrives.
    for _ in range(100):
        if browser_problems.csp_violations:
            break
        page.wait_for_timeout(50)
    assert any(v["directive"].startswith("script-src") for v in browser_problems.csp_violations)
    browser_problems.clear()
