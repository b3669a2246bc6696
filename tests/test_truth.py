"""Truth at every edge (issue 26): every reader surface says only what the source
briefing, or an editor's recorded change, says.

The site is crawled once per module from its home page, following every link a
reader can follow (pages, print pages, PDFs read as text, feeds, CSV and JSON
downloads, the offline pack, handouts and their presets), and searched for
words of the source. A new page linked from anywhere is checked without a
change here. On every surface:

- every "N of D (P%)" is computed right, and a percentage that differs from the
  one the source printed carries its note in the same element and sentence;
- no year, date, count or denominator, place or description of a service
  appears that neither the source nor an editor gives (the site's own labels
  are allowed below, each with its reason);
- no search snippet starts or ends inside a number.
"""

import csv
import io
import json
import re
import shutil
import subprocess
from collections import deque
from decimal import ROUND_HALF_UP, Decimal
from html import unescape
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from handouts.models import HandoutPreset
from snapshot.models import Figure, StudyFigure
from tests.conftest import SOURCE

# Crawls every surface, PDFs too: make test runs it, make test-fast does not.
pytestmark = pytest.mark.slow

# Where a reader never goes, or what is not a page: staff screens, forms that
# only take posts, files.
NOT_READER = ("/admin/", "/editorial/", "/accounts/", "/feedback/", "/static/",
              "/media/", "/markdownx/", "/documents/", "/login/", "/logout/")  # fmt: skip
MAX_URLS = 400
# The same page with other query strings (filters, pages, since=): a few do.
MAX_QUERIES_A_PATH = 3
MIN_SEARCHES = 100

BLOCK = re.compile(
    r"</?(?:p|li|h\d|t[dhr]|div|d[tdl]|br|[uo]l|section|nav|title|header|footer|"
    r"main|article|aside|figure|figcaption|caption|blockquote|summary|details|"
    r"entry|summary|title|subtitle|content|name)\b[^>]*>"
)
FRACTION = re.compile(
    r"(?<![\d.,])(\d[\d,]*) of (\d[\d,]*)(?:\s+[a-z][a-z ]{0,40}?)?\s*"
    r"\((\d+(?:\.\d+)?)%\)"
)
NOTE = re.compile(r"printed this as (\d+(?:\.\d+)?)%")
SENTENCE_END = re.compile(r"(?<![A-Z])\.\s+(?=[A-Z])")


def html_segments(html):
    """The text of each block of a page (a paragraph, list item, cell) apart.

    Charts' SVG drawings are left out: their text description and the table
    beside each say the same, and are read.
    """
    html = re.sub(
        r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S | re.IGNORECASE
    )
    parts = BLOCK.split(html)
    segments = (" ".join(unescape(re.sub(r"<[^>]+>", "", p)).split()) for p in parts)
    return [s for s in segments if s]


def pdf_segments(content, tmp_dir):
    """A PDF's text as a reader's viewer extracts it, a paragraph at a time."""
    if shutil.which("pdftotext"):
        path = tmp_dir / "surface.pdf"
        path.write_bytes(content)
        text = subprocess.run(
            # -raw: in the order the PDF draws its text (the page's order), so
            # cards side by side are not read across.
            ["pdftotext", "-raw", str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    else:  # make test-fast on a machine without poppler-utils
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(content))
        text = "\n\n".join(page.extract_text() or "" for page in reader.pages)
    paragraphs = re.split(r"\n\s*\n|\f", text)
    return [" ".join(p.split()) for p in paragraphs if p.strip()]


def docx_segments(content):
    import docx

    document = docx.Document(io.BytesIO(content))
    cells = (c.text for t in document.tables for row in t.rows for c in row.cells)
    texts = [*(p.text for p in document.paragraphs), *cells]
    return [" ".join(t.split()) for t in texts if t.strip()]


def json_records(data):
    """Each object's own values as one segment: a row of the download."""
    if isinstance(data, dict):
        own = [str(v) for v in data.values() if not isinstance(v, (dict, list))]
        if own:
            yield " | ".join(own)
        children = data.values()
    elif isinstance(data, list):
        children = data
    else:
        return
    for child in children:
        if isinstance(child, (dict, list)):
            yield from json_records(child)


def plain_segments(text):
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _links(html):
    for href in re.findall(r'<(?:a|link)\b[^>]*\bhref="([^"]+)"', html):
        href = unescape(href).split("#")[0]
        if href.startswith("/") and not href.startswith("//"):
            yield href


def crawl(client, tmp_dir):
    """{url: [segment, ...]} for every reader surface reachable from home."""
    presets = [p.get_absolute_url() for p in HandoutPreset.objects.all()]
    queue = deque(["/", *presets])
    seen, queries, surfaces, pdf_kinds = set(queue), {}, {}, set()
    while queue and len(surfaces) < MAX_URLS:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code in (301, 302):
            location = urlsplit(response["Location"])
            links = [location._replace(scheme="", netloc="").geturl()]
        elif response.status_code != 200:
            continue
        else:
            body = (
                b"".join(response.streaming_content)
                if response.streaming
                else response.content
            )
            kind = response["Content-Type"].split(";")[0]
            if kind == "application/pdf":
                surfaces[url] = pdf_segments(body, tmp_dir)
                links = []
            elif kind in ("text/html", "application/atom+xml", "application/xml"):
                html = body.decode()
                surfaces[url] = html_segments(html)
                links = list(_links(html))
            elif kind == "text/csv":
                rows = csv.reader(io.StringIO(body.decode()))
                surfaces[url] = [" | ".join(row) for row in rows]
                links = []
            elif kind == "application/json":
                surfaces[url] = list(json_records(json.loads(body)))
                links = []
            elif kind in ("text/plain", "text/markdown"):
                surfaces[url] = plain_segments(body.decode())
                links = []
            elif kind.endswith("wordprocessingml.document"):
                surfaces[url] = docx_segments(body)
                links = []
            else:
                raise AssertionError(f"{url}: a {kind} surface nothing here reads")
        for link in links:
            path, _, query = link.partition("?")
            if link in seen or path.startswith(NOT_READER):
                continue
            if path.endswith(".pdf") and not path.startswith("/handouts/h/"):
                # A page's PDF is its page (read above) through the print
                # stylesheet: one of each kind is read, each handout's too.
                kind = re.sub(r"[^/]+\.pdf$", "*.pdf", path)
                if kind in pdf_kinds:
                    continue
                pdf_kinds.add(kind)
            if query:
                if path.startswith("/search/"):
                    continue  # searches are made below, many more of them
                variants = queries.setdefault(path, set())
                if len(variants) >= MAX_QUERIES_A_PATH:
                    continue
                variants.add(query)
            seen.add(link)
            queue.append(link)
    return surfaces


def search_words(source):
    """At least MIN_SEARCHES searches a reader might make: the source's own words
    and numbers, longest and rarest first."""
    words = sorted(
        set(re.findall(r"[A-Za-z]{6,}", source)), key=lambda w: (-len(w), w.lower())
    )
    numbers = sorted(set(re.findall(r"\d+(?:\.\d+)?%?", source)))
    pairs = ["child removed", "domestic abuse", "mental health", "150 women"]
    return [*numbers, *pairs, *words][: MIN_SEARCHES + 40]


def snippets(client, queries):
    found = {}
    for query in queries:
        html = client.get("/search/?" + urlencode({"q": query})).content.decode()
        found[query] = [
            " ".join(unescape(re.sub(r"<[^>]+>", "", s)).split())
            for s in re.findall(
                r'<p class="search-result__snippet">(.*?)</p>', html, flags=re.S
            )
        ]
    return found


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every surface and every snippet, read once for all the checks below."""
    tmp_dir = tmp_path_factory.mktemp("truth")
    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    caches = {
        alias: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"truth-{alias}",
        }
        for alias in ("default", "local")
    }
    with django_db_blocker.unblock():
        from django.conf import settings

        storages = {**settings.STORAGES, "staticfiles": plain_static}
        with override_settings(
            STORAGES=storages,
            CACHES=caches,
            SECURE_SSL_REDIRECT=False,
            RESOURCE_LINK_CHECK=False,
        ):
            client = Client()
            source = SOURCE.read_text(encoding="utf-8")
            surfaces = crawl(client, tmp_dir)
            searched = snippets(client, search_words(source))
            facts = Facts.gather(source)
    return surfaces, searched, facts


WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
                "twelve": 12}  # fmt: skip
NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?%?(?!\w)")
MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|"
    "November|December"
)
DATE = re.compile(rf"\b\d{{1,2}} (?:{MONTHS}) \d{{4}}\b")
YEAR = re.compile(r"(?<![\d.,£$])\b(?:19|20)\d\d\b(?!%|[.,]\d)")


def _figures():
    return [*Figure.objects.all(), *StudyFigure.objects.all()]


class Facts:
    """What the source gives, what editors recorded, and what the site works out
    from them (a percentage from a count and its denominator)."""

    def __init__(self, text, figures):
        self.text = text
        numbers = {_number(n) for n in NUMBER.findall(text)}
        for word, value in WORD_NUMBERS.items():
            if re.search(rf"\b{word}\b", text, re.IGNORECASE):
                numbers.add(Decimal(value))
        self.numbers = {n for n in numbers if n is not None}
        self.years = set(YEAR.findall(text))
        self.dates = set(DATE.findall(text))
        # (count, denominator): the percentages the site may print for it, and
        # those it must print with a note (they differ from the source's).
        self.fractions = {}
        for figure in figures:
            if figure.count is None or not figure.denominator:
                continue
            printed = figure.published_percentage
            self.fractions.setdefault(
                (figure.count, figure.denominator), {"noted": set(), "plain": False}
            )
            entry = self.fractions[(figure.count, figure.denominator)]
            if figure.disagrees_with_source:
                entry["noted"].add(printed)
            else:
                entry["plain"] = True
            for places in (0, 1):
                self.numbers.add(_rounded(figure.percentage, places))
        today = timezone.localdate()
        self.years.add(str(today.year))
        self.dates.add(f"{today.day} {today:%B %Y}")

    @classmethod
    def gather(cls, source):
        return cls(source + "\n" + editors_text(), _figures())


def editors_text():
    """Everything an editor's recorded change says: the historical rows saved by
    a signed-in person (loaded content has none), and the days they were made."""
    from django.apps import apps

    texts = []
    for model in apps.get_models():
        if not model.__name__.startswith("Historical"):
            continue
        for row in model.objects.filter(history_user__isnull=False):
            texts.append(str(row.history_date.date()))
            day = timezone.localtime(row.history_date)
            texts.append(f"{day.day} {day:%B %Y}")
            for field in row._meta.fields:
                value = getattr(row, field.attname)
                if isinstance(value, str):
                    texts.append(value)
    return "\n".join(texts)


def _number(token):
    try:
        return Decimal(token.rstrip("%").replace(",", ""))
    except ArithmeticError:
        return None


def _rounded(value, places):
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# --- What is checked -------------------------------------------------------

ADDRESS = re.compile(
    r"https?://\S+|\bwww\.\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:org|uk|info|com|net)\b\S*"
    r"|(?<![\w>])/[\w\-/.?=&%#:;]+"
)
# The site's own labels: numbers it states about itself, not about the subject.
LABELS = {
    r"\bPage \d+ of \d+\b": "a PDF's page numbers",
    r"\b\d{1,2}\. [^.]*?(?: \.){3,} ?\d+": "a PDF's contents: its parts' numbers "
    "and pages (each part's heading is read where it is printed)",
    r"\b[Uu]p to \d+ characters": "how much a form field takes (its maxlength)",
    r"\bcall 999\b": "the UK emergency number, on the safety page",
    r"\bafter \d+ days\b": "how long the site keeps what it counts (privacy)",
    r"\bcounted \d+ times\b": "when editors see a search (privacy)",
    r"\bchart of \d+ (?:figures|percentages)": "a chart's description counts its bars",
    r"\bscale from 0 to \d+%": "a chart's own axis",
    r"\b\d+ items? chosen\b": "the handout builder counts what is ticked",
    r"\bits \d+ (?:reflective|example) questions?\b": "the builder counts what "
    "a practice point brings with it",
    r"^[A-Z][^()]{0,60} \(\d+\)$": "a list's heading counts its items",
    r"^[A-Z][^():]{0,60}: \d+$": "a summary counts what is chosen of each kind",
    r"\bPractice point \d+\b": "practice points are numbered in order",
}
# A chart's axis in a PDF: its tick labels are text there (0%, 25%, ... 100%).
PDF_LABELS = {
    r"(?<![\d.])(?:[0-9]|[1-9][05]|100)%": "a chart's axis ticks",
    r"(?:\.\s){3,}\s*\d+": "the contents: leaders, then the page a part starts on",
    r"(?:\b\d{1,2}\.\s){2,}": "numbered lists' numbers, drawn apart from their items",
}
# Places the source does not name: a page naming one says where a service is or
# whom it is for, which only the source or an editor may say.
PLACES = ["Inverness", "Stirling", "Fife", "Highland", "Lanarkshire", "Ayrshire",
          "Falkirk", "Paisley", "Lothian", "Borders", "Glasgow City", "Wales",
          "Northern Ireland", "Ireland", "Manchester", "Birmingham", "Leeds",
          "Liverpool", "Belfast", "Cardiff", "Newcastle", "Bristol", "Orkney",
          "Shetland", "Moray", "Angus", "Argyll", "Dumfries", "Galloway"]  # fmt: skip
# What a service offers, or how to reach it: said only where the source says it.
SERVICE_CLAIMS = ["refer someone", "referral", "helpline", "24/7", "24 hours",
                  "drop-in", "outreach", "counselling", "free of charge",
                  "free and confidential", "open every", "appointment-only",
                  "local specialist support service", "with how to contact",
                  "the area each serves", "when the network runs"]  # fmt: skip


def fraction_problems(segment, facts):
    problems = []
    matches = list(FRACTION.finditer(segment))
    for i, match in enumerate(matches):
        count, denominator = (int(match[n].replace(",", "")) for n in (1, 2))
        shown = Decimal(match[3])
        places = len(match[3].partition(".")[2])
        worked_out = _rounded(Decimal(count) * 100 / denominator, places)
        if worked_out != shown:
            problems.append(f"{match[0]!r} is {worked_out}%")
        # Its note belongs to the same sentence, between it and its neighbours:
        # after it in text, before it where a chart's label carries it.
        start = matches[i - 1].end() if i else 0
        end = matches[i + 1].start() if i + 1 < len(matches) else len(segment)
        head = SENTENCE_END.split(segment[start : match.start()])[-1]
        tail = SENTENCE_END.split(segment[match.end() : end])[0]
        notes = {Decimal(n) for n in NOTE.findall(head + " " + tail)}
        known = facts.fractions.get((count, denominator))
        if known is None:
            problems.append(f"{match[0]!r}: no figure of the source counts this")
        elif not known["plain"] and not notes & known["noted"]:
            around = segment[max(0, match.start() - 80) : match.end() + 80]
            problems.append(f"{match[0]!r} without its note: {around!r}")
    return problems


def fact_problems(segment, facts, source_lower, labels=LABELS):
    problems = []
    text = ADDRESS.sub(" ", segment)
    for label in labels:
        text = re.sub(label, " ", text)
    for date in DATE.findall(text):
        if date not in facts.dates:
            problems.append(f"date {date!r}")
    text = DATE.sub(" ", text)
    for year in YEAR.findall(text):
        if year not in facts.years:
            problems.append(f"year {year!r}")
    for match in NUMBER.finditer(text):
        if _number(match[0]) not in facts.numbers:
            around = " ".join(
                text[max(0, match.start() - 60) : match.end() + 30].split()
            )
            problems.append(f"number {match[0]!r} in {around!r}")
    lower = segment.lower()
    for place in PLACES:
        if re.search(rf"\b{place}\b", segment) and place not in facts.text:
            problems.append(f"place {place!r}")
    for claim in SERVICE_CLAIMS:
        if claim in lower and claim not in source_lower:
            problems.append(f"service claim {claim!r}")
    return [p if " in " in p else f"{p} in {segment[:120]!r}" for p in problems]


def _report(found):
    lines = [
        f"{where}: {problem}"
        for where, problems in found.items()
        for problem in problems
    ]
    return "\n".join(lines[:150]) + (
        f"\n... {len(lines) - 150} more" if len(lines) > 150 else ""
    )


def test_the_crawl_reaches_every_kind_of_surface(site):
    surfaces, searched, _ = site
    urls = set(surfaces)
    assert any(u.endswith(".pdf") for u in urls)
    assert any(u.endswith(".csv") for u in urls) and any(
        u.endswith(".json") for u in urls
    )
    assert any("/feed/" in u for u in urls)
    assert any(u.endswith("/print/") for u in urls)
    assert any(re.search(r"/briefings/[\w-]+\.html$", u) for u in urls)  # offline
    assert any(u.startswith("/handouts/h/") for u in urls)
    assert len(searched) >= MIN_SEARCHES
    assert sum(map(len, searched.values())) >= MIN_SEARCHES


def test_every_figure_is_worked_out_right_and_carries_its_note(site):
    surfaces, _, facts = site
    found = {}
    for url, segments in surfaces.items():
        if url.endswith(".pdf"):
            # Paper breaks a note from its figure across lines and pages.
            segments = [" ".join(segments)]
        problems = [p for s in segments for p in fraction_problems(s, facts)]
        if problems:
            found[url] = problems
    assert not found, _report(found)


def test_nothing_is_stated_that_neither_the_source_nor_an_editor_gives(site):
    surfaces, _, facts = site
    source_lower = facts.text.lower()
    found = {}
    for url, segments in surfaces.items():
        labels = {**LABELS, **PDF_LABELS} if url.endswith(".pdf") else LABELS
        problems = [
            p for s in segments for p in fact_problems(s, facts, source_lower, labels)
        ]
        if problems:
            found[url] = sorted(set(problems))
    assert not found, _report(found)


ELLIPSIS = ("…", "...")


def _corpus(surfaces, facts):
    texts = [facts.text, *(s for segments in surfaces.values() for s in segments)]
    return " ".join(" ".join(texts).split())


def cut_numbers(snippet, corpus):
    """Where a snippet starts or ends inside a number (or inside a note)."""
    problems = []
    start = snippet.startswith(ELLIPSIS)
    core = snippet.strip("…. ") if snippet.endswith("...") else snippet.strip("… ")
    if start and core[:1] in "0123456789.,%)":
        found = [m.start() for m in re.finditer(re.escape(core[:25]), corpus)]
        if found and all(corpus[i - 1 : i] in "0123456789.," for i in found):
            problems.append("starts inside a number")
    if snippet.endswith(ELLIPSIS) and core[-1:] in "0123456789.,(":
        found = [m.end() for m in re.finditer(re.escape(core[-25:]), corpus)]
        if found and all(corpus[i : i + 1] in "0123456789.,%" for i in found):
            problems.append("ends inside a number")
    if snippet.endswith(ELLIPSIS) and re.search(r"printed(?: this)?(?: as)?\W*$", core):
        problems.append("ends inside the source's note")
    return problems


def test_search_snippets_keep_each_figure_with_its_note(site):
    _, searched, facts = site
    found = {}
    for query, snippets_found in searched.items():
        problems = [p for s in snippets_found for p in fraction_problems(s, facts)]
        if problems:
            found[f"search {query!r}"] = problems
    assert not found, _report(found)


def test_no_search_snippet_starts_or_ends_inside_a_number(site):
    surfaces, searched, facts = site
    corpus = _corpus(surfaces, facts)
    found = {}
    for query, snippets_found in searched.items():
        problems = [
            f"{problem}: {snippet!r}"
            for snippet in snippets_found
            for problem in cut_numbers(snippet, corpus)
        ]
        if problems:
            found[f"search {query!r}"] = problems
    assert not found, _report(found)


@pytest.mark.parametrize(
    ("snippet", "problems"),
    [
        ("…3%), fear of partner violence (15.3%)…", ["starts inside a number"]),
        ("…lack of financial support (16.…", ["ends inside a number"]),
        (
            "…as 20%.) and then (The source briefing printed…",
            ["ends inside the source's note"],
        ),
        ("…lack of financial support (16.3%), fear…", []),
        ("31 of 150 women (21%) disclosed", []),
    ],
)
def test_the_snippet_check_finds_cut_numbers(snippet, problems):
    corpus = "barriers were lack of financial support (16.3%), fear of partner violence (15.3%) and"
    assert cut_numbers(snippet, corpus) == problems
