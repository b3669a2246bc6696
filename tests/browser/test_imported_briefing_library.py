"""A reader walks from the library home to a briefing an editor imported from
Word and published, in Chromium without JavaScript and with it; axe checks each
page on the way."""

import pytest
from django.test import Client

from tests.browser.conftest import DESKTOP, PHONE, describe, run_axe
from tests.documents.test_import_to_library import (
    POINT,
    SECTIONS,
    SLUG,
    TITLE,
    import_and_publish,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def imported(site, transactional_db, editor):
    editor_client = Client()
    editor_client.force_login(editor)
    import_and_publish(editor_client, Client())
    return site


def walk_to_the_imported_briefing(page, site, axe_source=None):
    """Home, filter by audience, the briefing, its practice point."""

    def check_axe(where):
        if axe_source is None:
            return
        violations = run_axe(page, axe_source)
        assert violations == [], f"{where}:\n" + describe(violations)

    page.goto(site + "/")
    titles = page.locator(".library-item__title").all_inner_texts()
    assert len(titles) == 2 and TITLE in titles
    check_axe("home")

    page.get_by_label("Written for").select_option(label="Hostel workers")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/?audience=hostel-workers*")
    assert page.locator(".library-item__title").all_inner_texts() == [TITLE]
    check_axe("home, filtered")

    page.get_by_role("link", name=TITLE, exact=True).click()
    page.wait_for_url(f"**/briefings/{SLUG}/")
    assert page.locator("h1").inner_text() == TITLE
    contents = page.locator("nav.contents").inner_text()
    assert all(title in contents for title in [*SECTIONS, POINT])
    check_axe("briefing")

    # The contents link goes to the point on this page; its heading to its own.
    page.locator("nav.contents").get_by_role("link", name=POINT).click()
    page.wait_for_url(f"**/briefings/{SLUG}/#ask-about-the-curfew")
    page.locator("#ask-about-the-curfew-title").get_by_role("link").click()
    page.wait_for_url("**/practice-points/ask-about-the-curfew/")
    assert page.locator(".eyebrow").inner_text() == "Practice point 1"
    assert page.locator("h1").inner_text() == POINT
    assert "Where were you last night?" in page.locator("main").inner_text()
    check_axe("practice point")
    assert not page.context.cookies()


def test_a_reader_finds_the_imported_briefing_without_javascript(no_script, imported):
    page = no_script.new_page()
    page.set_viewport_size(PHONE)
    walk_to_the_imported_briefing(page, imported)


def test_a_reader_finds_the_imported_briefing_with_javascript_and_axe(
    page, imported, axe_source
):
    page.set_viewport_size(DESKTOP)
    walk_to_the_imported_briefing(page, imported, axe_source)
