"""Every page type a reader can reach, for the browser and security-header tests.

Add a page type here and every test that walks PAGE_TYPES checks it: axe,
keyboard, reflow, text size, screenshots, network and headers. Each entry is
(name, path, status) against the content in fixtures/.
"""

import pytest

from tests.conftest import BRIEFING

PAGE_TYPES = [
    ("home", "/", 200),
    ("briefing", f"/briefings/{BRIEFING}/", 200),
    ("section", f"/briefings/{BRIEFING}/encompass-snapshot/", 200),
    ("section-with-glossary", f"/briefings/{BRIEFING}/northern-rock-foundation/", 200),
    ("practice-point-index", "/practice-points/", 200),
    ("practice-point", "/practice-points/long-term-impact/", 200),
    (
        "practice-point-with-lists",
        "/practice-points/the-exchange-may-not-be-for-money/",
        200,
    ),
    ("snapshot", "/snapshot/", 200),
    ("snapshot-detail", "/snapshot/encompass-snapshot-2021/", 200),
    ("snapshot-compare", "/snapshot/compare/", 200),
    ("local-support", "/local-support/", 200),
    ("local-support-organisation", "/local-support/routes-out/", 200),
    ("resources", "/resources/", 200),
    ("research", "/research/", 200),
    ("in-their-words", "/in-their-words/", 200),
    ("glossary", "/glossary/", 200),
    ("safety", "/using-this-site-safely/", 200),
    ("briefing-print", f"/briefings/{BRIEFING}/print/", 200),
    ("handouts", "/handouts/", 200),
    # The builder's list narrowed to some words, a chosen item hidden by it.
    ("handouts-filtered", "/handouts/?item=quote:wendy-box&q=trauma", 200),
    # A form's errors: a summary at the top, each message by its field.
    (
        "handouts-with-errors",
        "/handouts/?date=next+tuesday&item=quote:wendy-box&item=%3F",
        200,
    ),
    (
        # The long address redirects to the handout's short one.
        "handout",
        "/handouts/handout/?title=Session&item=practice-point:ask-the-question"
        "&item=figure:domestic-abuse&item=quote:wendy-box&item=organisation:routes-out",
        200,
    ),
    ("whats-changed", "/whats-changed/", 200),
    # How to follow a feed, with its address to copy (the feed itself is XML).
    ("follow-changes", f"/whats-changed/follow/briefings/{BRIEFING}/", 200),
    ("search-results", "/search/?q=food", 200),
    ("search-no-results", "/search/?q=zzqqxx", 200),
    ("search-with-errors", "/search/?q=food&kind=nonsense&page=0", 200),
    ("not-found", "/no-such-page/", 404),
    # A NUL character (%00) is refused before anything reads it.
    ("bad-request", "/search/?q=food%00", 400),
]

PAGE_IDS = [name for name, _, _ in PAGE_TYPES]


def by_engine(path):
    """A browser check of ``path`` runs on every database engine only where the
    page shows search results, which each engine finds and marks in its own
    way; any other page's DOM and styles are the same on both (conftest.py)."""
    return [] if "q=" in path else [pytest.mark.same_on_every_engine]


# PAGE_TYPES as parameters of a browser test, each marked by_engine.
READER_PAGES = [
    pytest.param(name, path, status, id=name, marks=by_engine(path))
    for name, path, status in PAGE_TYPES
]

SECTION = f"/briefings/{BRIEFING}/grooming-and-recruitment/"
FOLLOW = f"/whats-changed/follow/briefings/{BRIEFING}/"

# Every page issue 28 ("readers on a phone") changed: axe checks each with
# JavaScript on and off, what folds opened (test_accessibility.py), and
# html-validate the DOM the browser holds (test_phone_pages.py).
CHANGED = [
    "/search/?q=how+do+I+ask+about+selling+sex",
    "/search/?q=grooming&audience=substance-misuse-professionals",
    "/search/?q=grooming&kind=nonsense",
    SECTION,
    f"/briefings/{BRIEFING}/",
    "/practice-points/",
    "/practice-points/long-term-impact/",
    "/snapshot/",
    "/whats-changed/",
    "/whats-changed/follow/",
    FOLLOW,
]
