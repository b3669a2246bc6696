"""The "Leave this site" control and the safety page, as the server renders them."""

import pytest

from tests.browser.pages import PAGE_IDS, PAGE_TYPES
from tests.pages import parse


@pytest.mark.parametrize(("name", "path", "status"), PAGE_TYPES, ids=PAGE_IDS)
def test_every_page_starts_with_quick_exit_after_the_skip_link(
    client, content, name, path, status
):
    page = parse(client.get(path, follow=True).content)
    skip = page.find("a", class_="skip-link")
    button = page.find("a", class_="quick-exit__button")
    header = page.find("header", class_="site-header")
    in_order = list(page.find_all(True))
    assert in_order.index(skip) < in_order.index(button) < in_order.index(header)
    assert button["href"] == "https://www.bbc.co.uk/weather"
    assert page.find_all("a", href="/using-this-site-safely/")
    assert "defer" in page.find("script", src="/static/js/quick-exit.js").attrs


def test_quick_exit_goes_where_settings_say(client, settings, content):
    settings.QUICK_EXIT_URL = "https://www.google.com/"
    button = parse(client.get("/").content).find("a", class_="quick-exit__button")
    assert (button["href"], button["rel"]) == (
        "https://www.google.com/",
        ["nofollow", "noreferrer"],
    )


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
        "That record leaves out the words you search for",
        "Only the words are kept",
        "Counts are deleted after 90 days",
    ]:
        assert text in html
    assert not response.cookies


def test_safety_and_glossary_pages_are_linked_from_every_footer(client, content):
    footer = parse(client.get("/").content).find("footer", class_="site-footer")
    assert footer.find_all("a", href="/glossary/")
    assert footer.find_all("a", href="/using-this-site-safely/")


@pytest.mark.parametrize("enabled", [True, False])
def test_safety_page_says_call_999_before_anything_else(
    client, settings, no_content, enabled
):
    # Someone in danger must not have to read past privacy advice to find it.
    settings.QUICK_EXIT_ENABLED = enabled
    main = parse(client.get("/using-this-site-safely/").content).find("main")
    in_order = list(main.find_all(True))
    heading = main.find("h1")
    assert not [child for child in heading.children if not isinstance(child, str)]
    first = in_order[in_order.index(heading) + 1]
    assert heading.text == "Using this site safely"
    assert first.name == "p"
    assert first.text == (
        "If you are in immediate danger, call 999. Further resources lists"
        " specialist support services."
    )
    assert first.find("a")["href"] == "/resources/"
    # Said once, not repeated at the end.
    assert main.text.count("call 999") == 1
