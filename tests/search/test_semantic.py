"""The semantic signal (issue 25 item 4): wordllama vectors stored with the
index re-order the fallback's best items, and search works on words alone
without the package."""

import numpy
import pytest

from search import backends, semantic
from search.index import rebuild
from search.models import Document
from tests.factories import SectionFactory
from tests.search.test_search_page import result_titles, result_urls, results

pytestmark = pytest.mark.skipif(
    semantic.model() is None, reason="wordllama is not installed"
)


@pytest.fixture
def without_model(monkeypatch):
    """As if wordllama were not installed."""
    semantic.model.cache_clear()
    monkeypatch.setattr(semantic, "wordllama", None)
    yield
    semantic.model.cache_clear()


def test_every_indexed_item_has_its_vector(content):
    vectors = Document.objects.values_list("embedding", flat=True)
    assert vectors
    for vector in vectors:
        found = numpy.frombuffer(bytes(vector), dtype="float32")
        assert found.shape == (256,)
        assert abs(float(found @ found) - 1) < 1e-3


def test_a_rebuild_writes_the_vectors_again(content):
    Document.objects.update(embedding=None)
    rebuild()
    assert not Document.objects.filter(embedding__isnull=True).exists()


def test_fusion_lifts_the_item_closest_in_meaning():
    texts = {
        1: "Funding rules for the annual budget of the service",
        2: "Opening hours and the address of the office",
        3: "Staff car parking and the building's lifts",
        4: "Printing the monthly newsletter for volunteers",
        5: "A mother afraid that social workers will take her children",
    }
    ids = list(texts)
    vectors = dict(zip(texts, semantic.embed(list(texts.values())), strict=True))
    fused = semantic.fuse(ids, vectors, "help a mum keep her kids")
    assert fused.index(5) < ids.index(5)
    # The words' best stays first.
    assert fused[0] == 1
    assert sorted(fused) == ids


def test_among_the_words_ties_the_closest_in_meaning_comes_first():
    """Items the words cannot tell apart (the same words, the same weight):
    the model chooses the first; outside the ties it never does."""
    texts = {
        1: "Funding rules for the annual budget of the service",
        2: "A mother afraid that social workers will take her children",
        3: "Opening hours and the address of the office",
    }
    ids = list(texts)
    vectors = dict(zip(texts, semantic.embed(list(texts.values())), strict=True))
    assert semantic.fuse(ids, vectors, "help a mum keep her kids", tied=2)[0] == 2
    assert semantic.fuse(ids, vectors, "help a mum keep her kids", tied=1)[0] == 1
    assert sorted(semantic.fuse(ids, vectors, "kids", tied=3)) == ids


def test_a_tie_on_the_words_is_decided_by_meaning(client, no_content, settings):
    """Two sections with the same words and the same weight: the engine's
    rank of one word puts the first first, the model the one closer in
    meaning; an item with more of the words still comes first."""
    SectionFactory(
        title="Opening hours",
        body="The office is open to mothers on weekdays. " * 3
        + " ".join(["Staff rota and the building's keys."] * 30),
    )
    SectionFactory(
        title="Children",
        body="Mothers afraid that social workers will take their children away. "
        + " ".join(["Support for a family going through court."] * 30),
    )

    def titles(q):
        html = results(client, q)
        assert 'data-search-path="fallback"' in html
        return result_titles(html)

    settings.SEARCH_SEMANTIC = False
    # Other words' order: the page cache would answer the same search.
    assert titles("scared mothers zzqx") == ["Opening hours", "Children"]
    settings.SEARCH_SEMANTIC = True
    assert titles("mothers scared zzqx") == ["Children", "Opening hours"]
    SectionFactory(title="Rota", body="Opening hours for mothers: zzqx.")
    assert titles("mothers zzqx scared")[0] == "Rota"


def test_fusion_leaves_the_order_without_every_vector():
    assert semantic.fuse([1, 2], {1: None, 2: None}, "children") == [1, 2]


def test_the_setting_turns_it_off(settings):
    settings.SEARCH_SEMANTIC = False
    assert semantic.active() is None
    assert semantic.embed(["children"])  # vectors are still stored


def test_only_the_fallback_is_reordered(client, content, monkeypatch):
    """Items with every word keep the words' order (re-ordering them lifted
    Snapshot figures above the guidance for "disclosing"); a fallback's items
    are re-ordered by fuse."""
    calls = []
    original = semantic.fuse

    def spy(ids, vectors, text, tied=1):
        calls.append(text)
        return original(ids, vectors, text, tied)

    monkeypatch.setattr(semantic, "fuse", spy)
    results(client, "exit")
    assert not calls
    html = results(client, "exit debt housing")
    assert calls == ["exit debt housing"]
    assert result_urls(html)


def test_a_kinds_order_is_never_reordered(client, content, monkeypatch):
    """A number question, a definition or a search for a service ranks its
    kinds first: the model never moves an item out of them."""
    calls = []
    monkeypatch.setattr(semantic, "fuse", lambda *args: calls.append(args))
    for q in (
        "how many women were homeless and in debt",
        "what is CSE and grooming",
        "contact a service in Aberdeen for housing",
    ):
        html = results(client, q)
        assert 'data-search-path="fallback"' in html, q
        assert result_urls(html), q
    assert not calls


def test_without_the_package_search_works_on_words_alone(
    client, no_content, without_model, settings
):
    SectionFactory(title="Leaving", body="Support to exit and reduce risk.")
    SectionFactory(title="Money", body="Debt and benefits.")
    assert semantic.model() is None
    assert not Document.objects.filter(embedding__isnull=False).exists()
    with_package = result_urls(results(client, "exit money zzz"))
    settings.SEARCH_SEMANTIC = False
    assert result_urls(results(client, "exit money zzz")) == with_package
    assert len(with_package) == 2
    assert backends.search


def test_without_the_package_the_shipped_content_ranks_as_with_it_off(
    client, content, without_model
):
    html = results(client, "exit debt housing")
    assert result_urls(html)
    assert 'data-search-path="fallback"' in html


def test_a_blends_items_with_every_word_tie_by_meaning(client, no_content, settings):
    """Fewer than FEW items with every word come first in a blend: those of
    the same weight, which the words cannot tell apart, closest first."""
    SectionFactory(
        title="Opening hours",
        body="The office is open to mothers on weekdays. " * 3
        + "Court papers are kept here. "
        + "Staff rota, car parking and the building keys. " * 30,
    )
    SectionFactory(
        title="Children",
        body="Mothers afraid that social workers will take their children to court. "
        + "A family hearing for a parent and her little ones. " * 30,
    )
    SectionFactory(title="Papers", body="Court.")

    def titles(q):
        html = results(client, q)
        assert "The first 2 results contain all of your words" in html or (
            'data-search-path="fallback"' in html
        )
        return result_titles(html)

    settings.SEARCH_SEMANTIC = False
    assert titles("court mothers") == ["Opening hours", "Children", "Papers"]
    settings.SEARCH_SEMANTIC = True
    assert titles("mothers court") == ["Children", "Opening hours", "Papers"]
