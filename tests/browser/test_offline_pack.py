"""The offline briefing pack opens from a file with the network off."""

import urllib.request

import pytest

from tests.conftest import BRIEFING

pytestmark = pytest.mark.browser


def test_pack_opens_from_a_file_offline_and_every_link_resolves(
    browser, site, tmp_path
):
    with urllib.request.urlopen(f"{site}/briefings/{BRIEFING}.html") as response:
        data = response.read()
        assert response.headers["Content-Disposition"].startswith("attachment;")
    print(f"\nOffline briefing pack: {len(data):,} bytes ({len(data) / 1024:.1f} KB)")
    path = tmp_path / f"{BRIEFING}.html"
    path.write_bytes(data)

    context = browser.new_context(offline=True, viewport={"width": 320, "height": 640})
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())

    assert page.locator("h1").is_visible()
    # The inline styles apply (the skip link is moved off screen).
    assert (
        page.locator(".skip-link").bounding_box()["y"] < 0
        or not page.locator(".skip-link").is_visible()
    )
    assert requests == [path.as_uri()]
    assert errors == []
    assert page.evaluate("document.scripts.length") == 0
    broken = page.evaluate(
        """() => [...document.querySelectorAll('a[href^="#"]')]
            .map(a => decodeURIComponent(a.getAttribute('href').slice(1)))
            .filter(id => !document.getElementById(id))"""
    )
    assert broken == []
    relative = page.evaluate(
        """() => [...document.querySelectorAll('a[href]')]
            .map(a => a.getAttribute('href'))
            .filter(h => !/^(#|https?:|mailto:)/.test(h))"""
    )
    assert relative == []
    page.get_by_role("navigation", name="Contents").get_by_role(
        "link", name="Northern Rock Foundation research"
    ).click()
    assert page.url.endswith("#section-northern-rock-foundation")
    assert page.locator("#section-northern-rock-foundation").is_visible()
    glossary = page.locator('a[href^="#glossary-"]').first
    target = glossary.get_attribute("href")
    glossary.click()
    assert page.url.endswith(target)
    assert requests == [path.as_uri()]
    context.close()
