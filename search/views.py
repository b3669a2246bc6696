from django.shortcuts import render

from editorial.pagecache import per_version, reader_page
from guidance.models import Audience

from . import backends
from .models import OLD_KINDS, Kind, Synonym
from .query import parse

PER_PAGE = 10
MAX_PAGE = 500


def _page_number(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def _count_text(count):
    """A count as readers see it: "1,000+" past the point counting stops."""
    if count > backends.COUNT_LIMIT:
        return f"{backends.COUNT_LIMIT:,}+"
    return f"{count:,}"


# Results may sit in the reader's own browser cache, not in a shared proxy's.
@reader_page(params=["q", "kind", "audience", "page"], private=True)
def search(request):
    """Results for ?q=, best first, with optional kind and audience filters."""
    audiences = per_version("audiences", lambda: list(Audience.objects.all()))
    kind = request.GET.get("kind", "")
    kind = OLD_KINDS.get(kind, kind)
    kind = kind if kind in Kind.values else ""
    audience = request.GET.get("audience", "")
    audience = audience if audience in {a.slug for a in audiences} else ""
    synonyms = per_version(
        "synonyms", lambda: [s.term_list for s in Synonym.objects.all()]
    )
    query = parse(request.GET.get("q", ""), synonyms)
    results = backends.search(
        query,
        synonyms=synonyms,
        kind=kind,
        audience=audience,
        number=_page_number(request.GET.get("page")),
        per_page=PER_PAGE,
    )
    counts = results.page.kind_counts
    kinds = [
        (value, label, _count_text(counts.get(value, 0)))
        for value, label in Kind.choices
        if counts.get(value) or value == kind
    ]
    return render(
        request,
        "search/search.html",
        {
            "query": query,
            "results": results,
            "kind": kind,
            "kinds": kinds,
            "audience": audience,
            "audiences": audiences,
            "count_limit": f"{backends.COUNT_LIMIT:,}",
            "total": f"{results.page.total:,}",
        },
    )
