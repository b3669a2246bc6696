"""An editor tunes search in Chromium: from the no-results report to a best bet
and a synonym, then sees what a reader now gets."""

import pytest

from tests.browser.conftest import sign_in_directly

pytestmark = pytest.mark.browser

WORDS = "football"  # common English: kept by the report


def test_an_editor_turns_a_reported_search_into_a_best_bet_and_a_synonym(
    page, site, transactional_db, admin_user
):
    # Readers search three times for words the guidance does not use.
    for _ in range(3):
        page.goto(site + f"/search/?q=How+do+I+find+{WORDS}%3F")
        assert page.locator(".no-results").is_visible()
        assert "Words left out: how, do, i, find." in page.content()
    assert not page.context.cookies()

    sign_in_directly(page.context, site, admin_user)
    page.goto(site + "/admin/search/noresultsearch/")
    row = page.locator("table.no-results-report tbody tr", has_text=WORDS)
    assert row.locator("td").first.inner_text() == "3"

    # A best bet, straight from the report.
    row.get_by_role("link", name="Make a best bet").click()
    assert page.input_value("#id_queries") == WORDS
    page.fill("#id_urls", "/practice-points/ask-the-question/")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    # Should the form come back instead, say why (it once timed out unexplained).
    assert not page.locator(".errorlist, .errornote").all_inner_texts()
    page.wait_for_url("**/admin/search/bestbet/")

    # A synonym, from the same line: the word also finds "confidentiality".
    page.goto(site + "/admin/search/noresultsearch/")
    page.locator("table.no-results-report tbody tr", has_text=WORDS).get_by_role(
        "link", name="Make a synonym"
    ).click()
    assert page.input_value("#id_terms") == WORDS
    page.fill("#id_also_finds", "confidentiality")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/search/synonym/")

    page.goto(site + f"/search/?q={WORDS}")
    recommended = page.locator(".search-results--recommended")
    assert recommended.get_by_text("Recommended").is_visible()
    assert recommended.get_by_role("link", name="Ask the question").is_visible()
    # The synonym found the rest; the best bet is not listed twice.
    results = page.locator("ol.search-results:not(.search-results--recommended) a")
    assert results.count() >= 1
    assert "/practice-points/ask-the-question/" not in [
        results.nth(n).get_attribute("href") for n in range(results.count())
    ]
