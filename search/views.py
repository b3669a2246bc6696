from django.core.paginator import EmptyPage, Paginator
from django.shortcuts import render

from editorial.pagecache import per_version, reader_page
from guidance.models import Audience

from . import backends
from .forms import ALL_KINDS, SearchForm
from .models import Kind, Synonym
from .query import parse

PER_PAGE = 10


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
    synonyms = per_version(
        "synonyms", lambda: [s.term_list for s in Synonym.objects.all()]
    )
    form = SearchForm(request.GET, audiences=audiences)
    form.is_valid()  # a filter with an error is left off; the message says so
    query = parse(form.value("q"), synonyms)
    kind = form.value("kind")
    results = backends.search(
        query, synonyms=synonyms, kind=kind, audience=form.value("audience")
    )
    page = None
    if query:
        try:
            page = Paginator(results, PER_PAGE).page(form.value("page", 1))
        except EmptyPage:
            pass  # past the last page: the page says so and links to the first
    # The kind filter offers the kinds found (and the one chosen), with counts.
    counts = results.kind_counts
    form.fields["kind"].choices = [
        ALL_KINDS,
        *(
            (value, f"{label} ({_count_text(counts.get(value, 0))})")
            for value, label in Kind.choices
            if counts.get(value) or value == kind
        ),
    ]
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "query": query,
            "results": results,
            "page": page,
            "count_limit": f"{backends.COUNT_LIMIT:,}",
            "total": f"{results.total:,}",
        },
    )
