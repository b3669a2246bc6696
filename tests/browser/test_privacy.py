"""Private by default, seen from the browser: no third party, no cookie, CSP holds."""

import time

import pytest
from django.urls import reverse

from guidance.models import Section
from tests.browser.conftest import is_loopback, sign_in
from tests.browser.pages import PAGE_TYPES

pytestmark = [pytest.mark.browser, pytest.mark.same_on_every_engine]


@pytest.fixture
def recorded(context):
    """Every request the browser makes; any to another host is refused."""
    requests = []

    def guard(route):
        requests.append(route.request.url)
        if is_loopback(route.request.url):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", guard)
    return requests


@pytest.fixture
def console_errors(page):
    """Console errors, which include every Content-Security-Policy refusal."""
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_no_page_asks_any_host_but_the_site_and_none_sets_a_cookie(
    page, site, recorded, console_errors, context
):
    # A page is done when it has loaded and been scrolled and nothing it asked
    # for is still in flight: explicit, where networkidle waited half a second
    # on every page. The headless shell never asks for icons, so their
    # addresses are checked instead.
    pending = set()
    page.on("request", lambda request: pending.add(request))
    page.on("requestfinished", lambda request: pending.discard(request))
    page.on("requestfailed", lambda request: pending.discard(request))
    icons = []
    for _, path, _status in PAGE_TYPES:
        page.goto(site + path)
        # Scroll through, so anything loaded lazily is asked for too.
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        icons += page.eval_on_selector_all(
            "link[rel~=icon]", "links => links.map(link => link.href)"
        )
        deadline = time.monotonic() + 10
        while pending:
            assert time.monotonic() < deadline, (path, pending)
            page.wait_for_timeout(10)
    assert icons and [url for url in icons if not is_loopback(url)] == []
    assert recorded, "the request recorder saw nothing"
    assert [url for url in recorded if not is_loopback(url)] == []
    assert any(url.endswith(".css") for url in recorded)
    assert any(url.endswith("quick-exit.js") for url in recorded)
    assert context.cookies() == []
    # Only the deliberate 404 and 400 pages may complain (their own status);
    # no CSP refusal, no script error.
    deliberate = {
        f"the server responded with a status of {status}"
        for _, _, status in PAGE_TYPES
        if status >= 400
    }
    assert [e for e in console_errors if not any(d in e for d in deliberate)] == []


def test_injected_inline_script_is_refused_by_the_policy(page, site, console_errors):
    page.goto(site + "/")
    page.evaluate(
        """() => {
          const script = document.createElement('script');
          script.textContent = 'window.injected = true';
          document.body.appendChild(script);
        }"""
    )
    assert page.evaluate("window.injected") is None
    assert any("Content Security Policy" in error for error in console_errors)


def test_admin_works_under_the_strict_policy(
    page, site, transactional_db, admin_user, console_errors
):
    sign_in(page, site, "admin", password="password")
    section = Section.objects.get(slug="northern-rock-foundation")
    page.goto(site + reverse("admin:guidance_section_change", args=[section.pk]))
    # markdownx's live preview is JavaScript that posts to its preview view.
    editor = page.locator("textarea.markdownx-editor").first
    editor.fill("A **bold** preview <script>alert(1)</script>")
    preview = page.locator(".markdownx-preview").first
    preview.locator("strong").wait_for()
    assert preview.inner_html().count("<strong>bold</strong>") == 1
    assert "<script" not in preview.inner_html()
    # The admin's own scripts (collapsible fieldsets, related lookups) ran.
    assert page.evaluate("typeof django !== 'undefined' && !!django.jQuery")
    assert console_errors == []
    assert any(c["name"] == "sessionid" for c in page.context.cookies())
