"""What the site adds to markdown works on Python-Markdown's element tree: data
tokens, figure notes, images, glossary links and the offline pack's addresses."""

import ast
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from guidance import addresses
from guidance.markdown import plain_text, render_markdown
from tests.pages import parse, text

ROOT = Path(__file__).resolve().parents[2]
NOTE = "The source briefing printed this as 80%."
FIGURE = "[[figure:mental-health-issue]]"


def test_a_figure_note_goes_after_the_sentence_its_token_sits_in(content):
    html = str(render_markdown(f"We saw that {FIGURE}, often. Next sentence."))
    shown = text(parse(html))
    assert shown.index("often.") < shown.index(NOTE) < shown.index("Next sentence")
    note = parse(html).find("small", class_="figure-note")
    assert note.parent.name == "p" and text(note) == f"({NOTE})"


def test_a_figure_note_without_a_sentence_end_closes_its_list_item(content):
    page = parse(str(render_markdown(f"- {FIGURE} in a list\n- the next item")))
    first, second = page.find_all("li")
    assert text(first).endswith(f"in a list ({NOTE})")
    assert NOTE not in text(second)


def test_a_token_alone_in_its_paragraph_stands_for_a_block(content):
    # html.parser keeps the fragment as written (lxml would move a <ul> out of a <p>).
    html = str(render_markdown("[[organisations:encompass-snapshot-2021]]"))
    page = BeautifulSoup(html, "html.parser")
    assert page.find("ul", class_="organisations").parent is page  # not inside <p>
    assert not page.find("p")


def test_a_figure_reads_the_same_in_plain_text_for_search(content):
    words = plain_text(f"We saw that {FIGURE}.\n\n- one\n- two")
    assert "121 women" in words or "121 of" in words
    assert words.endswith("one two")  # list items never run together
    assert "<" not in words


@pytest.mark.parametrize(
    "markdown",
    [
        "![chart](https://tracker.example/pixel.png)",
        '<img src="https://tracker.example/pixel.png" alt="chart">',
        "![chart](/media/%2e%2e/admin/)",
    ],
)
def test_an_image_from_outside_the_uploads_is_dropped_whole(db, markdown):
    assert not parse(str(render_markdown(f"Before {markdown} after"))).find("img")


def test_an_uploaded_markdown_image_is_kept(db):
    page = parse(str(render_markdown("![chart](/media/markdownx/chart.png)")))
    assert page.find("img")["src"] == "/media/markdownx/chart.png"


def test_the_editors_links_get_rel_and_the_sites_own_links_none(content):
    html = str(render_markdown(f"[Elsewhere](https://example.org) and {FIGURE}."))
    links = {a["href"]: a.get("rel") for a in parse(html).find_all("a")}
    assert links["https://example.org"] == ["noopener", "noreferrer"]
    figure = next(h for h in links if h.startswith("/snapshot/"))
    assert links[figure] is None


def test_an_editors_class_never_reaches_a_reader(no_content):
    html = str(render_markdown('<span class="missing-data evil">x</span>'))
    assert 'class="missing-data"' in html and "evil" not in html


def test_inside_a_pack_links_to_held_items_become_anchors(content):
    pack = addresses.PackAddresses(
        base="https://guidance.example",
        anchors={
            "/practice-points/ask-the-question/": "ask-the-question",
            "/glossary/": "glossary",
            "/glossary/#ptsd": "glossary-ptsd",
        },
    )
    markdown = (
        "[Ask](/practice-points/ask-the-question/), [help](/local-support/tara/),"
        " [term](/glossary/#nothing), [search](/practice-points/ask-the-question/?x=1)"
        " and [away](https://example.org/)"
    )
    with addresses.using(pack):
        hrefs = [a["href"] for a in parse(str(render_markdown(markdown))).find_all("a")]
    assert hrefs == [
        "#ask-the-question",
        "https://guidance.example/local-support/tara/",
        "#glossary",
        "https://guidance.example/practice-points/ask-the-question/?x=1",
        "https://example.org/",
    ]
    # Outside the pack the same markdown links to the site's own pages.
    hrefs = [a["href"] for a in parse(str(render_markdown(markdown))).find_all("a")]
    assert hrefs[0] == "/practice-points/ask-the-question/"


def _imports(path):
    tree = ast.parse((ROOT / path).read_text())
    return {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }


def test_no_regular_expression_reads_rendered_html():
    """The pack and the markdown work on templates and element trees: renaming a
    CSS class cannot silently break a pattern over HTML."""
    assert "re" not in _imports("config/offline.py")
    assert "re" not in _imports("guidance/addresses.py")
    markdown = (ROOT / "guidance" / "markdown.py").read_text()
    assert markdown.count("re.compile(") == 1  # [[kind:slug]] in editors' text
    assert ".sub(" not in markdown
