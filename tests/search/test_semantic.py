"""The semantic signal (issue 25 item 4): wordllama vectors stored with the
index re-order the fallback's best items, and search works on words alone
without the package."""

import numpy
import pytest

from search import backends, semantic
from search.index import rebuild
from search.models import Document
from tests.factories import SectionFactory
from tests.search.test_search_page import result_urls, results

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

    def spy(ids, vectors, text):
        calls.append(text)
        return original(ids, vectors, text)

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
