import logging

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.db import DatabaseError
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from editorial.content import search_kinds
from editorial.pagecache import per_version, reader_page
from guidance.models import Audience
from guidance.views import published_briefings

from . import backends, report
from .forms import ALL_KINDS, SearchForm
from .models import BestBet, Synonym
from .query import CONTACT_WORDS, parse

logger = logging.getLogger(__name__)

PER_PAGE = 10


def _count_text(count):
    """A count as readers see it: "1,000+" past the point counting stops."""
    if count > backends.COUNT_LIMIT:
        return f"{backends.COUNT_LIMIT:,}+"
    return f"{count:,}"


def _best_bets():
    """{normalised words of a search: [item addresses]}, best first."""
    bets = {}
    for bet in BestBet.objects.all():
        for words in bet.query_list:
            urls = bets.setdefault(words, [])
            urls += [url for url in bet.url_list if url not in urls]
    return bets


# Results may sit in the reader's own browser cache, not in a shared proxy's.
@reader_page(params=["q", "kind", "audience", "briefing", "page"], private=True)
def search(request):
    """Results for ?q=, best first, with optional kind, audience and briefing
    filters."""
    audiences = per_version("audiences", lambda: list(Audience.objects.all()))
    synonyms = per_version("synonyms", lambda: [s.entry for s in Synonym.objects.all()])
    briefings = published_briefings()
    form = SearchForm(request.GET, audiences=audiences, briefings=briefings)
    form.is_valid()  # a filter with an error is left off; the message says so
    query = parse(form.value("q"), synonyms)
    kind = form.value("kind")
    results = backends.search(
        query,
        synonyms=synonyms,
        kind=kind,
        audience=form.value("audience"),
        briefing=form.value("briefing"),
    )
    page = None
    recommended = []
    if query:
        try:
            page = Paginator(results, PER_PAGE).page(form.value("page", 1))
        except EmptyPage:
            pass  # past the last page: the page says so and links to the first
        bets = per_version("best_bets", _best_bets).get(" ".join(query.words))
        if bets and page is not None and page.number == 1 and not kind:
            recommended = backends.items(bets)
    # The kind filter offers the kinds found (and the one chosen), with counts.
    counts = results.kind_counts
    form.fields["kind"].choices = [
        ALL_KINDS,
        *(
            (value, f"{label} ({_count_text(counts.get(value, 0))})")
            for value, label in search_kinds().items()
            if counts.get(value) or value == kind
        ),
    ]
    shown = {hit.url for hit in recommended}
    hits = [hit for hit in page.object_list if hit.url not in shown] if page else []
    # Best bets among the results are shown once, as Recommended: "All
    # results" counts the rest, as its list shows them.
    listed = results.total - len(results.matching(shown))
    if len(briefings) > 1:
        # With several briefings, each result names the one it comes from.
        titles = {briefing.slug: briefing.title for briefing in briefings}
        for hit in [*recommended, *hits]:
            hit.briefing_title = titles.get(hit.briefing, "")
    response = render(
        request,
        "search/search.html",
        {
            "form": form,
            "query": query,
            "results": results,
            "page": page,
            "recommended": recommended,
            "hits": hits,
            "several_briefings": len(briefings) > 1,
            "briefings": briefings,
            # A search for someone to refer to or call: the page points to
            # Local support as well as the results.
            "contact": bool(CONTACT_WORDS & set(query.words)),
            "count_limit": f"{backends.COUNT_LIMIT:,}",
            "listed": listed,
            "total": f"{listed:,}",
        },
    )
    if query and not results.total and not recommended:
        # Never kept by the page cache, so every such search reaches this view
        # and is counted (see search.report and "Using this site safely").
        patch_cache_control(response, private=True, no_store=True)
        if settings.SEARCH_NO_RESULTS_REPORT:
            try:
                report.record(query)
            except DatabaseError:
                # The reader still gets their answer; the count is only a signal.
                logger.warning("The no-results report could not be written")
    return response
