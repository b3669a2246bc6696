"""How well search finds what a practitioner wants: hit@1, hit@3, MRR, empty pages.

Run with ``make bench-search-quality``. Each row of ``bench/search_queries.csv``
is a search a practitioner might type (category, query, the item they would
want first, " | " separating items that would serve equally, and its half).
The "dev" half is for tuning; the "test" half is frozen (tests/search/
test_quality_set.py pins it) and never tuned against: ``-v`` lists the dev
half's misses only. Each half is reported by category and by the path the page
took (all words, spelling correction, fallback to some words). The queries run
through the search page itself (vocabulary, best bets and all; ``--no-best-bets``
leaves the best bets out, ``--no-semantic`` the embedding model, ``--dev``
scores the development half alone, ``-v`` lists the misses) in a throw-away
SQLite file, or in the empty PostgreSQL database named by BENCH_DATABASE_URL,
loaded with the real content.
"""

import csv
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from throwaway import setup_django as setup

QUERIES = Path(__file__).with_name("search_queries.csv")
RESULT_LINK = re.compile(r'class="search-result__title"><a href="([^"]+)"')
PATH = re.compile(r'data-search-path="([^"]+)"')
# Pages are rendered without collectstatic having run.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Milliseconds per search page, each query's first (uncached) rendering.
TIMINGS = []
TARGETS = {"hit@1": 0.90, "hit@3": 0.97}


def setup_django(workdir):
    setup(workdir, "quality.sqlite3")


def result_urls(query):
    """The result links of the search page for ``query``, in order, and the
    path the page took."""
    from django.test import RequestFactory

    from search.views import search

    started = time.perf_counter()
    html = search(RequestFactory().get("/search/", {"q": query})).content.decode()
    TIMINGS.append((time.perf_counter() - started) * 1000)
    path = PATH.search(html)
    return RESULT_LINK.findall(html), path.group(1) if path else "none"


def score(rows):
    """{category or path: {measure: value}} with "overall" last, and the misses."""
    totals, misses = {}, []
    for category, query, expected in rows:
        wanted = {url.strip() for url in expected.split("|")}
        urls, path = result_urls(query)
        rank = next((n for n, url in enumerate(urls, 1) if url in wanted), None)
        for name in (category, f"path:{path}", "overall"):
            t = totals.setdefault(name, {"n": 0, "h1": 0, "h3": 0, "rr": 0, "e": 0})
            t["n"] += 1
            t["h1"] += rank == 1
            t["h3"] += rank is not None and rank <= 3
            t["rr"] += 1 / rank if rank else 0
            t["e"] += not urls
        if rank != 1:
            misses.append((category, query, rank, urls[:3]))
    overall = totals.pop("overall")
    table = {
        name: {
            "queries": t["n"],
            "hit@1": t["h1"] / t["n"],
            "hit@3": t["h3"] / t["n"],
            "MRR": t["rr"] / t["n"],
            "empty": t["e"] / t["n"],
        }
        for name, t in [
            *sorted(
                totals.items(), key=lambda item: (item[0].startswith("path:"), item[0])
            ),
            ("overall", overall),
        ]
    }
    return table, misses


def print_table(title, table):
    print(title)
    print(
        f"| {'category':14} | queries | hit@1 | hit@3 |  MRR  | empty |\n"
        f"| {'-' * 14} | ------- | ----- | ----- | ----- | ----- |"
    )
    for name, m in table.items():
        print(
            f"| {name:14} | {m['queries']:7} | {m['hit@1']:5.0%} | {m['hit@3']:5.0%} "
            f"| {m['MRR']:5.2f} | {m['empty']:5.0%} |"
        )


def main():
    with QUERIES.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    halves = {
        half: [
            (r["category"], r["query"], r["expected"])
            for r in rows
            if r["half"] == half
        ]
        for half in ("dev", "test")
        # --dev: the development half alone, for tuning.
        if half == "dev" or "--dev" not in sys.argv[1:]
    }
    with tempfile.TemporaryDirectory(prefix="encompass-quality-") as tmp:
        setup_django(Path(tmp))
        from django.core.management import call_command
        from django.test.utils import override_settings

        call_command("migrate", verbosity=0)
        call_command("load_content", verbosity=0)
        if "--no-best-bets" in sys.argv[1:]:
            # What the engine and vocabulary do alone, without editors' pins.
            from search.models import BestBet

            BestBet.objects.all().delete()
        # --no-semantic: words alone (settings.SEARCH_SEMANTIC off).
        with override_settings(
            SEARCH_SEMANTIC="--no-semantic" not in sys.argv[1:],
            SEARCH_NO_RESULTS_REPORT=False,
            ALLOWED_HOSTS=["testserver"],
            STORAGES=STORAGES,
        ):
            scored = {half: score(half_rows) for half, half_rows in halves.items()}

    engine = "PostgreSQL" if "BENCH_DATABASE_URL" in os.environ else "SQLite FTS5"
    print(f"Search quality: {engine}, {len(rows)} queries from {QUERIES.name}.")
    for half, (table, _) in scored.items():
        name = "development half" if half == "dev" else "frozen test half"
        print_table(f"\n{name}:", table)
    if "-v" in sys.argv[1:]:
        print("\nDevelopment half misses:")
        for category, query, rank, urls in scored["dev"][1]:
            print(f"  {category}: {query!r} rank {rank}: {urls}")
    # The page time for --dev too: measuring it needs no look at the test half.
    p95 = statistics.quantiles(TIMINGS, n=20)[-1]
    print(
        f"Uncached search page: p50 {statistics.median(TIMINGS):.1f} ms,"
        f" p95 {p95:.1f} ms over {len(TIMINGS)} queries."
    )
    if "test" not in scored:
        return
    test, dev = scored["test"][0]["overall"], scored["dev"][0]["overall"]
    for name, target in TARGETS.items():
        met = test[name] >= target
        print(
            f"Target (test half) {name} >= {target:.0%}: {'met' if met else 'NOT met'}."
        )
    gap = abs(dev["hit@1"] - test["hit@1"])
    print(
        f"Development and test hit@1 within 5 points: {'met' if gap <= 0.05 else 'NOT met'} ({gap:.0%})."
    )
    empty = test["empty"] or dev["empty"]
    print(f"Target no empty page: {'NOT met' if empty else 'met'}.")


if __name__ == "__main__":
    main()
