"""Glossary: the page, and the first use of a term on a page linked to it."""

import pytest
from pytest_django.asserts import assertContains, assertHTMLEqual, assertInHTML

from editorial.models import Status
from guidance.markdown import new_page, render_markdown
from guidance.models import GlossaryTerm
from guidance.templatetags.guidance_tags import glossary
from tests.conftest import BRIEFING
from tests.pages import parse


@pytest.fixture
def terms(no_content):
    published = {"status": Status.PUBLISHED}
    GlossaryTerm.objects.create(
        term="PTSD",
        slug="ptsd",
        expansion="Post-traumatic stress disorder",
        **published,
    )
    GlossaryTerm.objects.create(
        term="Complex PTSD",
        slug="complex-ptsd",
        expansion="Complex post-traumatic stress disorder",
        **published,
    )
    GlossaryTerm.objects.create(
        term="survival sex",
        slug="survival-sex",
        definition="Sex to meet basic needs.",
        **published,
    )
    # New terms start as drafts.
    GlossaryTerm.objects.create(term="GP", slug="gp", expansion="General practitioner")


PTSD = (
    '<a class="glossary-term" href="/glossary/#ptsd">'
    '<abbr title="Post-traumatic stress disorder">PTSD</abbr></a>'
)


def test_first_use_of_an_abbreviation_is_explained_and_linked(terms):
    html = str(render_markdown("Diagnosed with PTSD. Later, PTSD again."))
    assertInHTML(PTSD, html, count=1)
    assert html.index("glossary-term") < html.index("PTSD again")


def test_first_use_counts_across_the_whole_page(terms):
    render_markdown("PTSD in the first section.")
    assert "<abbr" not in str(render_markdown("PTSD in the second section."))
    new_page()
    assertInHTML(PTSD, str(render_markdown("PTSD on the next page.")), count=1)


def test_longer_term_wins_and_plain_terms_match_any_case(terms):
    html = str(render_markdown("Complex PTSD, and Survival sex as a tactic."))
    assertInHTML(
        '<abbr title="Complex post-traumatic stress disorder">Complex PTSD</abbr>', html
    )
    assert "#ptsd" not in html
    assertInHTML(
        '<a class="glossary-term" href="/glossary/#survival-sex">Survival sex</a>', html
    )


@pytest.mark.parametrize(
    "text",
    [
        "[PTSD support](https://example.org/ptsd)",
        "`PTSD`",
        "<abbr title='PTSD'>trauma</abbr>",
        '[about PTSD](https://example.org/?q=PTSD "PTSD title")',
        "PTSD-like symptoms and aPTSD and GP",
    ],
)
def test_terms_are_never_marked_inside_links_code_attributes_or_words(terms, text):
    html = str(render_markdown(text))
    assert "glossary-term" not in html


def test_terms_in_plain_text_fields_are_marked_too(client, content):
    # A practice list item, a reflective question and a Snapshot figure.
    cse = (
        '<abbr title="Commercial or child sexual exploitation: the briefing does '
        'not say which">CSE</abbr>'
    )
    point = client.get("/practice-points/risk-reduction-and-support-to-exit/")
    assertContains(point, cse, html=True)
    assertContains(point, '<abbr title="Violence against women">VAW</abbr>', html=True)
    questions = client.get("/practice-points/person-centred-approach/")
    gp = '<abbr title="General practitioner">GP</abbr>'
    assertContains(questions, gp, html=True)
    assertContains(client.get("/snapshot/"), cse, html=True)


def test_plain_text_is_escaped_before_marking(client, content):

    assertHTMLEqual(
        str(glossary("<b>PTSD</b> & co")), "&lt;b&gt;" + PTSD + "&lt;/b&gt; &amp; co"
    )


def test_glossary_page_lists_published_terms_with_anchors(client, terms):
    response = client.get("/glossary/")
    assert response.status_code == 200
    html = response.content.decode()
    assert parse(html).find("div", id="ptsd")["class"] == ["glossary__entry"]
    assert "Post-traumatic stress disorder" in html
    assert "Sex to meet basic needs." in html
    assert "General practitioner" not in html  # a draft
    assert (
        html.index("Complex PTSD") < html.index(">PTSD<") < html.index("survival sex")
    )


def test_briefing_marks_each_term_once_and_links_to_the_glossary(client, content):
    page = parse(client.get(f"/briefings/{BRIEFING}/").content)
    for slug in [
        "ptsd",
        "complex-ptsd",
        "eupd",
        "bpd",
        "survival-sex",
        "cse",
        "vaw",
        "gp",
    ]:
        assert len(page.find_all("a", href=f"/glossary/#{slug}")) == 1, slug
    assert client.get("/glossary/").status_code == 200


def test_cse_asserts_no_one_expansion_the_source_does_not_give(client, content):
    # The source uses CSE for commercial and child sexual exploitation alike.
    cse = GlossaryTerm.objects.get(slug="cse")
    assert "commercial" in cse.expansion.lower() and "child" in cse.expansion
    page = parse(client.get("/snapshot/").content.decode())
    titles = {a["title"] for a in page.find_all("abbr") if a.text == "CSE"}
    assert titles == {cse.expansion}
    assert "Commercial sexual exploitation" not in titles


@pytest.fixture
def awkward_terms(no_content):
    published = {"status": Status.PUBLISHED}
    GlossaryTerm.objects.create(
        term="A&E", slug="a-and-e", expansion="Accident and emergency", **published
    )
    GlossaryTerm.objects.create(
        term="amp", slug="amp", definition="A word inside an entity.", **published
    )


def test_terms_never_break_an_entity_and_are_found_when_written_with_one(
    awkward_terms,
):
    html = str(render_markdown("Fish &amp; chips, then A&E, then amp."))
    # The entity is whole; the term "amp" is marked where a reader sees it.
    assert "Fish &amp; chips" in html
    assertInHTML(
        '<a class="glossary-term" href="/glossary/#a-and-e">'
        '<abbr title="Accident and emergency">A&amp;E</abbr></a>',
        html,
    )
    assertInHTML('<a class="glossary-term" href="/glossary/#amp">amp</a>', html)
    assert html.count("glossary-term") == 2
