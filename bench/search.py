"""Search latency with 10,000 extra items: the engine against a naive icontains scan.

Run with ``make bench-search``. Works in a throw-away SQLite file (never the dev
database), or in the empty PostgreSQL database named by BENCH_DATABASE_URL: migrates, loads the real content, adds 10,000 sections as long as the
real sections and practice points, written from the briefing's own sentences, rebuilds the index, then times
a fixed set of queries through the same code path the search page uses.
"""

import os
import random
import re
import statistics
import tempfile
import time
from pathlib import Path

from throwaway import setup_django as setup

ROOT = Path(__file__).resolve().parent.parent
EXTRA_ITEMS = int(os.environ.get("BENCH_ITEMS", "10000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
QUERIES = [
    "food",
    "employability",
    "welfare rights",
    "somewhere to stay",
    "injecting",
    "domestic abuse",
    "grooming",
    "sexual health",
    "women",
    "selling or exchanging sex",
    "prostitution",
    "CSE",
    "trauma informed approach",
    "mental health",
    "confidentiality",
    "her kids",
    "Perth",
    "GP",
    "explotation",
    "zzyzx",
]


def setup_django(workdir):
    setup(workdir, "bench.sqlite3")


def sentences():
    # The repository's copy (tests check it is current), so a clone runs it anywhere.
    source = (ROOT / "docs" / "briefing-source.txt").read_text()
    found = re.split(r"(?<=[.?!])\s+", " ".join(source.split()))
    return [s for s in found if 6 <= len(s.split()) <= 60]


def make_corpus(count):
    """Sections as long as the real sections and practice points (110-370 words)."""
    from editorial.models import Status
    from guidance.models import Briefing, Section
    from search import index
    from search.models import Document

    rng = random.Random(42)
    pool = sentences()
    lengths = [
        len(body.split())
        for body in Document.objects.filter(
            kind__in=["section", "practice-point"]
        ).values_list("body", flat=True)
    ]
    briefing = Briefing.objects.create(
        slug="bench",
        title="Benchmark briefing",
        summary="Generated for the search benchmark.",
        author="bench",
        attribution="bench",
        status=Status.PUBLISHED,
    )
    sections = []
    for n in range(count):
        title = " ".join(rng.choice(pool).split()[: rng.randint(4, 9)]).rstrip(".,;")
        target, paragraphs, words = rng.choice(lengths), [], 0
        while words < target:
            paragraph = " ".join(rng.sample(pool, rng.randint(2, 4)))
            paragraphs.append(paragraph)
            words += len(paragraph.split())
        body = "\n\n".join(paragraphs)
        sections.append(
            Section(
                briefing=briefing,
                slug=f"bench-{n}",
                title=title,
                body=body,
                position=n,
                status=Status.PUBLISHED,
            )
        )
    Section.objects.bulk_create(sections, batch_size=500)
    started = time.perf_counter()
    total = index.rebuild()
    return total, time.perf_counter() - started


def naive(q):
    """The same results page as a simple Django view would build it.

    Every word icontains the title or the body; counts per kind for the filter;
    ten rows in title order; a plain excerpt around the first word found. No
    stemming, synonyms, ranking, highlighting or spelling suggestions.
    """
    from django.db.models import Count, Q

    from search.models import Document
    from search.query import STOP_WORDS, words_of

    words = [w for w in words_of(q) if w not in STOP_WORDS] or words_of(q)
    match = Q()
    for word in words:
        match &= Q(title__icontains=word) | Q(body__icontains=word)
    matches = Document.objects.filter(match)
    counts = dict(matches.values_list("kind").annotate(Count("id")).order_by())
    hits = []
    for doc in matches.order_by("title")[:10]:
        at = max(0, doc.body.lower().find(words[0]) if words else 0)
        hits.append(
            (doc.kind, doc.url, doc.title, doc.body[max(0, at - 80) : at + 160])
        )
    return counts, hits


def engine(q, synonyms):
    from search import backends
    from search.query import parse

    results = backends.search(parse(q, synonyms), synonyms=synonyms)
    return results.count(), results[:10]


def timings(run):
    """{query: [ms, ...]}, ROUNDS samples each after one warming run."""
    samples = {}
    for q in QUERIES:
        run(q)  # warm the page cache and statement cache
        for _ in range(ROUNDS):
            started = time.perf_counter()
            run(q)
            samples.setdefault(q, []).append((time.perf_counter() - started) * 1000)
    return samples


def pooled(samples):
    return [ms for per_query in samples.values() for ms in per_query]


def percentile(samples, p):
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


def main():
    with tempfile.TemporaryDirectory(prefix="encompass-bench-") as tmp:
        setup_django(Path(tmp))
        from django.core.management import call_command

        from search.models import Document, Synonym

        call_command("migrate", verbosity=0)
        call_command("load_content", verbosity=0)
        total, rebuild_seconds = make_corpus(EXTRA_ITEMS)
        words = sum(
            len((d.title + " " + d.body).split()) for d in Document.objects.all()
        )
        synonyms = [s.entry for s in Synonym.objects.all()]
        by_query = timings(lambda q: engine(q, synonyms))
        fts, scan = pooled(by_query), pooled(timings(naive))

    engine_name = "PostgreSQL" if "BENCH_DATABASE_URL" in os.environ else "SQLite FTS5"
    print(
        f"Search benchmark: {engine_name}, {total} indexed items ({EXTRA_ITEMS} extra),"
    )
    print(
        f"{words / total:.0f} words per item on average; index rebuilt in "
        f"{rebuild_seconds:.1f} s."
    )
    print(
        f"{len(QUERIES)} queries x {ROUNDS} rounds; whole results page "
        "(count, facets, page, snippets, spelling)."
    )
    print(f"{'':18}{'p50 ms':>10}{'p95 ms':>10}")
    for name, samples in [("engine", fts), ("naive icontains", scan)]:
        print(
            f"{name:18}{percentile(samples, 50):10.1f}{percentile(samples, 95):10.1f}"
        )
    ratio50 = percentile(scan, 50) / percentile(fts, 50)
    ratio95 = percentile(scan, 95) / percentile(fts, 95)
    print(f"{'speed-up':18}{ratio50:9.1f}x{ratio95:9.1f}x")
    slowest = sorted(by_query, key=lambda q: -statistics.median(by_query[q]))[:3]
    print(
        "Slowest for the engine (median): "
        + ", ".join(f'"{q}" {statistics.median(by_query[q]):.1f} ms' for q in slowest)
        + "."
    )
    if engine_name != "SQLite FTS5":
        print("The targets below are the issue's, set for SQLite.")
    fast = percentile(fts, 95) <= 30
    print(f"Target p95 <= 30 ms: {'met' if fast else 'NOT met'}.")
    print(f"Target >= 10x the scan at p95: {'met' if ratio95 >= 10 else 'NOT met'}.")


if __name__ == "__main__":
    main()
