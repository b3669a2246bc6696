"""The "Leave this site" control and the safety page, as the server renders them."""

import pytest

from tests.browser.pages import PAGE_IDS, PAGE_TYPES


@pytest.mark.parametrize(("name", "path", "status"), PAGE_TYPES, ids=PAGE_IDS)
def test_every_page_starts_with_quick_exit_after_the_skip_link(
    client, content, name, path, status
):
    html = client.get(path, follow=True).content.decode()
    skip = html.index('class="skip-link"')
    button = html.index(
        'class="quick-exit__button" href="https://www.bbc.co.uk/weather"'
    )
    assert skip < button < html.index("<header")
    assert 'href="/using-this-site-safely/"' in html
    assert 'src="/static/js/quick-exit.js" defer' in html


def test_quick_exit_goes_where_settings_say(client, settings, content):
    settings.QUICK_EXIT_URL = "https://www.google.com/"
    html = client.get("/").content.decode()
    assert 'href="https://www.google.com/" rel="nofollow noreferrer"' in html


def test_quick_exit_can_be_switched_off(client, settings, content):
    settings.QUICK_EXIT_ENABLED = False
    html = client.get("/").content.decode()
    assert "Leave this site" not in html
    assert "quick-exit.js" not in html
    safety = client.get("/using-this-site-safely/").content.decode()
    assert "Leave this site" not in safety
    assert "No website can remove a visit from your browser’s history" in safety


def test_safety_page_is_honest_about_what_quick_exit_cannot_hide(client, no_content):
    response = client.get("/using-this-site-safely/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "press the <kbd>Shift</kbd> key three times",
        "It cannot delete your browsing history",
        "No website can remove them",
        "the button is an ordinary link",
        "Use a private window",
        "No cookies are set",
        "It does not record the words you search for",
    ]:
        assert text in html
    assert not response.cookies


def test_safety_and_glossary_pages_are_linked_from_every_footer(client, content):
    html = client.get("/").content.decode()
    footer = html[html.index("<footer") :]
    assert 'href="/glossary/"' in footer
    assert 'href="/using-this-site-safely/"' in footer
