"""How well search finds what a practitioner wants: hit@1, hit@3, MRR, empty pages.

Run with ``make bench-search-quality``. Each row of ``bench/search_queries.csv``
is a search a practitioner might type (category, query, and the item they would
want first; " | " separates items that would serve equally). The queries run
through the search page itself (vocabulary, best bets and all; ``--no-best-bets``
leaves the best bets out, ``-v`` lists the misses) in a throw-away
SQLite file, or in the empty PostgreSQL database named by BENCH_DATABASE_URL,
loaded with the real content.
"""

import csv
import os
import re
import sys
import tempfile
from pathlib import Path

from throwaway import setup_django as setup

QUERIES = Path(__file__).with_name("search_queries.csv")
RESULT_LINK = re.compile(r'class="search-result__title"><a href="([^"]+)"')
# Pages are rendered without collectstatic having run.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TARGETS = {"hit@1": 0.85, "hit@3": 0.95}


def setup_django(workdir):
    setup(workdir, "quality.sqlite3")


def result_urls(query):
    """The result links of the search page for ``query``, in order."""
    from django.test import RequestFactory

    from search.views import search

    response = search(RequestFactory().get("/search/", {"q": query}))
    return RESULT_LINK.findall(response.content.decode())


def score(rows):
    """{category: {measure: value}} with "overall" last, and the misses."""
    totals, misses = {}, []
    for category, query, expected in rows:
        wanted = {url.strip() for url in expected.split("|")}
        urls = result_urls(query)
        rank = next((n for n, url in enumerate(urls, 1) if url in wanted), None)
        for name in (category, "overall"):
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
        for name, t in [*sorted(totals.items()), ("overall", overall)]
    }
    return table, misses


def main():
    with QUERIES.open(newline="") as fh:
        rows = [(r["category"], r["query"], r["expected"]) for r in csv.DictReader(fh)]
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
        with override_settings(
            SEARCH_NO_RESULTS_REPORT=False,
            ALLOWED_HOSTS=["testserver"],
            STORAGES=STORAGES,
        ):
            table, misses = score(rows)

    engine = "PostgreSQL" if "BENCH_DATABASE_URL" in os.environ else "SQLite FTS5"
    print(f"Search quality: {engine}, {len(rows)} queries from {QUERIES.name}.")
    print(
        f"| {'category':10} | queries | hit@1 | hit@3 |  MRR  | empty |\n"
        f"| {'-' * 10} | ------- | ----- | ----- | ----- | ----- |"
    )
    for name, m in table.items():
        print(
            f"| {name:10} | {m['queries']:7} | {m['hit@1']:5.0%} | {m['hit@3']:5.0%} "
            f"| {m['MRR']:5.2f} | {m['empty']:5.0%} |"
        )
    if "-v" in sys.argv[1:]:
        for category, query, rank, urls in misses:
            print(f"  {category}: {query!r} rank {rank}: {urls}")
    overall = table["overall"]
    for name, target in TARGETS.items():
        met = overall[name] >= target
        print(f"Target {name} >= {target:.0%}: {'met' if met else 'NOT met'}.")
    print(f"Target no empty page: {'met' if not overall['empty'] else 'NOT met'}.")


if __name__ == "__main__":
    main()
