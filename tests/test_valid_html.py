"""Every page type is valid HTML by html-validate's recommended rules.

GOV.UK Frontend runs html-validate in CI beside axe. The pages come from the
Django test client (faster than a browser) and are checked by one run of the
validator pinned in package-lock.json, with the rules in .htmlvalidate.json.
"""

import json
import shutil
import subprocess

import pytest

from practice_points.models import PracticePoint
from tests.browser.pages import PAGE_TYPES
from tests.conftest import BRIEFING, ROOT
from tests.factories import second_briefing

pytestmark = pytest.mark.integration

VALIDATOR = ROOT / "node_modules" / ".bin" / "html-validate"
CONFIG = ROOT / ".htmlvalidate.json"


@pytest.fixture
def validate(tmp_path):
    """html-validate's messages for each page, as {name: ["line:col rule: text"]}."""
    if not VALIDATOR.exists() or not shutil.which("node"):
        pytest.fail(f"{VALIDATOR} is missing: run make install-test (npm ci)")

    def run(pages):
        paths = {}
        for name, html in pages.items():
            path = tmp_path / f"{name}.html"
            path.write_text(html, encoding="utf-8")
            paths[str(path)] = name
        report_path = tmp_path / "report.json"
        # To a file: Node may exit before a large report on a pipe is flushed.
        done = subprocess.run(
            [
                str(VALIDATOR),
                "--config",
                str(CONFIG),
                "--formatter",
                f"json={report_path}",
                *paths,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode in (0, 1), done.stderr
        report = json.loads(report_path.read_text(encoding="utf-8") or "[]")
        found = {name: [] for name in pages}
        for result in report:
            for message in result["messages"]:
                found[paths[result["filePath"]]].append(
                    f"{message['line']}:{message['column']} "
                    f"{message['ruleId']}: {message['message']}"
                )
        return found

    return run


def test_every_page_type_is_valid_html(client, content, validate):
    pages = {}
    for name, path, status in PAGE_TYPES:
        response = client.get(path, follow=True)
        assert response.status_code == status, name
        pages[name] = response.content.decode()
    problems = [
        f"{name} {message}"
        for name, messages in validate(pages).items()
        for message in messages
    ]
    assert not problems, "\n".join(problems)


# Pages whose content pushes the limits: the longest titles, a long query.
LONG_TITLES = {
    "long-section-title": f"/briefings/{BRIEFING}/grooming-and-recruitment/",
    "long-point-title": "/practice-points/individuals-may-hide-their-involvement/",
    "long-query": "/search/?q=" + "sexual exploitation and survival sex " * 4,
    # A best bet (Recommended) above the results, and words left out.
    "best-bet-question": "/search/?q=how+do+I+ask",
    "best-bet-alone": "/search/?q=support+in+glasgow",
}


def test_pages_with_the_longest_titles_are_valid(client, content, validate):
    pages = {}
    for name, path in LONG_TITLES.items():
        response = client.get(path)
        assert response.status_code == 200, name
        pages[name] = response.content.decode()
    assert validate(pages) == {name: [] for name in pages}


def test_whats_changed_with_changes_and_a_bad_date_is_valid(client, content, validate):
    for slug in ("ask-the-question", "long-term-impact"):
        point = PracticePoint.objects.get(slug=slug)
        point._change_reason = "Reworded the opening."
        point.save()
    pages = {
        "changes": client.get("/whats-changed/").content.decode(),
        "bad-date": client.get("/whats-changed/?since=2024-13-45").content.decode(),
    }
    assert "Reworded the opening." in pages["changes"]
    assert validate(pages) == {name: [] for name in pages}


def test_the_validator_reports_what_it_should(validate):
    page = (
        '<!DOCTYPE html><html lang="en"><head><title>T</title></head>'
        '<body><main><p id="a">One</p><p id="a">Two</p></main></body></html>\n'
    )
    [message] = validate({"broken": page})["broken"]
    assert "no-dup-id" in message


def test_the_offline_briefing_pack_and_feedback_answers_are_valid(
    client, content, validate
):
    # Downloads and POST answers are not pages a browser test walks to.
    origin = {"HTTP_ORIGIN": "http://testserver"}
    page = f"/briefings/{BRIEFING}/"
    pages = {
        "offline-pack": client.get(f"/briefings/{BRIEFING}.html").content.decode(),
        "feedback-thanks": client.post(
            "/feedback/", {"path": page, "useful": "yes"}, **origin
        ).content.decode(),
        "feedback-errors": client.post(
            "/feedback/", {"path": page, "comment": "x" * 501}, **origin
        ).content.decode(),
        "feedback-refused": client.post(
            "/feedback/", {"path": page, "useful": "yes"}
        ).content.decode(),
    }
    assert validate(pages) == {name: [] for name in pages}


# The library's pages, with a second briefing beside the shipped one.
LIBRARY_PAGES = {
    "library": "/",
    "library-filtered": "/?audience=housing-officers&topic=Housing",
    "library-no-match": "/?audience=substance-misuse-professionals&topic=Housing",
    "library-bad-filter": "/?audience=nobody&topic=zzz",
    "practice-points-by-briefing": "/practice-points/",
    "practice-points-filtered": "/practice-points/?briefing=housing",
    "practice-points-no-match": "/practice-points/?briefing=housing&audience=nobody",
    "second-briefing": "/briefings/housing/",
    "second-briefing-print": "/briefings/housing/print/",
    "second-briefing-section": "/briefings/housing/tenancy/",
    "second-practice-point": "/practice-points/ask-about-the-tenancy/",
    "whats-changed-filtered": "/whats-changed/?briefing=housing",
    "search-narrowed": "/search/?q=tenancy&briefing=housing",
    "search-both": "/search/?q=women",
    "handout-builder-grouped": "/handouts/",
    "handout-builder-other-briefing": (
        "/handouts/?briefing=housing&item=practice-point:ask-the-question&q=flat"
    ),
    "handout-builder-unknown-briefing": "/handouts/?briefing=nowhere",
}


def test_the_library_pages_are_valid_html(client, content, validate):
    second_briefing()
    pages = {}
    for name, path in LIBRARY_PAGES.items():
        response = client.get(path)
        assert response.status_code == 200, name
        pages[name] = response.content.decode()
    offline = client.get("/briefings/housing.html")
    pages["second-briefing-offline"] = offline.content.decode()
    problems = [
        f"{name} {message}"
        for name, messages in validate(pages).items()
        for message in messages
    ]
    assert not problems, "\n".join(problems)
