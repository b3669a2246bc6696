"""Readers never see drafts; "What's changed"; content exported as code."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from editorial.content import editor_data, fixtures
from guidance.models import Briefing, Quote, Resource, Section
from practice_points.models import PracticeList, PracticePoint, Prompt
from snapshot.models import Figure, Snapshot
from tests.conftest import BRIEFING
from tests.factories import (
    BriefingFactory,
    FullPracticePointFactory,
    GlossaryTermFactory,
    PracticePointFactory,
    QuoteFactory,
    ResearchReferenceFactory,
    SectionFactory,
)


def make_draft(obj):
    obj.status = "draft"
    obj.save()


@pytest.mark.parametrize(
    ("model", "slug", "hidden_text", "pages"),
    [
        (PracticePoint, "ask-the-question", "Ask the question",
         ["/practice-points/", f"/briefings/{BRIEFING}/", "/"]),
        (Section, "northern-rock-foundation", "Northern Rock Foundation research",
         [f"/briefings/{BRIEFING}/"]),
        (Snapshot, "encompass-snapshot-2021", "Vice Versa", ["/", "/snapshot/"]),
    ],
)  # fmt: skip
def test_draft_page_is_404_and_absent_from_lists(
    client, content, model, slug, hidden_text, pages
):
    obj = model.objects.get(slug=slug)
    url = obj.get_absolute_url()
    make_draft(obj)
    assert client.get(url).status_code == 404
    for page in pages:
        assert hidden_text not in client.get(page).content.decode(), page


def test_draft_briefing_hides_its_sections_and_practice_points(client, content):
    make_draft(Briefing.objects.get(slug=BRIEFING))
    assert client.get(f"/briefings/{BRIEFING}/").status_code == 404
    assert client.get(f"/briefings/{BRIEFING}/encompass-snapshot/").status_code == 404
    assert client.get("/practice-points/ask-the-question/").status_code == 404


def test_draft_children_and_figures_are_hidden(client, content):
    prompt = Prompt.objects.first()
    make_draft(prompt)
    practice_list = PracticeList.objects.first()
    make_draft(practice_list)
    figure = Figure.objects.get(slug="domestic-abuse")
    make_draft(figure)
    html = client.get(prompt.get_absolute_url()).content.decode()
    assert prompt.text.replace("'", "&#x27;") not in html
    assert (
        practice_list.title
        not in client.get(practice_list.get_absolute_url()).content.decode()
    )
    section = client.get(f"/briefings/{BRIEFING}/encompass-snapshot/").content.decode()
    assert "81 of 150" not in section and "[not available]" in section


def test_draft_resource_and_quote_are_absent(client, content):
    resource = Resource.objects.first()
    make_draft(resource)
    assert f'id="{resource.slug}"' not in client.get("/resources/").content.decode()
    quote = Quote.objects.first()
    make_draft(quote)
    assert quote.paragraphs[0][:30] not in client.get(
        "/in-their-words/"
    ).content.decode().replace("&#x27;", "'")


def noted_change(obj, note, when=None):
    obj._change_reason = note
    obj.save()
    if when is not None:
        obj.history.filter(history_change_reason=note).update(history_date=when)


def test_whats_changed_lists_published_noted_changes_newest_first(client, no_content):
    briefing = BriefingFactory()
    first = PracticePointFactory(briefing=briefing, title="First point")
    second = SectionFactory(briefing=briefing, title="A section")
    draft = PracticePointFactory(
        briefing=briefing, title="Secret draft", status="draft"
    )
    tz = timezone.get_current_timezone()
    noted_change(first, "Older change", datetime.datetime(2024, 1, 10, tzinfo=tz))
    noted_change(second, "Newer change", datetime.datetime(2024, 3, 5, tzinfo=tz))
    noted_change(draft, "Draft change")
    html = client.get("/whats-changed/").content.decode()
    assert html.index("Newer change") < html.index("Older change")
    assert "5 March 2024" in html and first.get_absolute_url() in html
    assert "Draft change" not in html and "Secret draft" not in html

    since = client.get("/whats-changed/?since=2024-02-01").content.decode()
    assert "Newer change" in since and "Older change" not in since
    assert "Changes since 1 February 2024" in since


def test_whats_changed_lists_every_kind_of_published_content(client, no_content):
    term = GlossaryTermFactory(term="Outreach", definition="Going to women.")
    noted_change(term, "Explained outreach")
    html = client.get("/whats-changed/").content.decode()
    assert "Explained outreach" in html and term.get_absolute_url() in html


@pytest.mark.parametrize("since", ["yesterday", "2024-13-01", "2024-02-30"])
def test_whats_changed_explains_a_bad_date(client, no_content, since):
    response = client.get(f"/whats-changed/?since={since}")
    assert response.status_code == 400
    assert "is not a date" in response.content.decode()


@pytest.mark.slow  # grows the content
def test_whats_changed_query_count_does_not_grow(
    client, no_content, django_assert_max_num_queries
):
    briefing = BriefingFactory()
    source = ResearchReferenceFactory()

    def grow():
        point = FullPracticePointFactory(briefing=briefing, source=source)
        noted_change(point, "Changed")
        noted_change(SectionFactory(briefing=briefing), "Changed")
        noted_change(point.prompts.get(), "Changed")

    grow()
    with CaptureQueriesContext(connection) as ctx:
        client.get("/whats-changed/")
    # Two more rounds of changes: a query per change would show as two more.
    for _ in range(2):
        grow()
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        assert client.get("/whats-changed/").content.decode().count("Changed") >= 9


def test_withdrawn_quote_is_not_in_whats_changed(client, no_content):
    quote = QuoteFactory(text="Her private words.")
    noted_change(quote, "Added a quote")
    assert "Added a quote" in client.get("/whats-changed/").content.decode()
    quote.withdrawn_at = timezone.now()
    quote.save()
    html = client.get("/whats-changed/").content.decode()
    assert "Added a quote" not in html and "Her private words" not in html


def test_export_reproduces_the_committed_fixtures(content, tmp_path, settings):
    call_command("export_content", output=str(tmp_path), verbosity=0)
    assert list(fixtures()) == [
        "guidance.json",
        "practice_points.json",
        "snapshot.json",
    ]
    assert list(editor_data()) == ["handouts.json", "search.json"]
    for name in [*fixtures(), *editor_data()]:
        committed = (settings.BASE_DIR / "fixtures" / name).read_bytes()
        assert (tmp_path / name).read_bytes() == committed, name


@pytest.mark.slow  # exports and reloads the whole content
@pytest.mark.django_db(transaction=True)
def test_round_trip_is_byte_identical(tmp_path):
    call_command("load_content", verbosity=0)
    point = PracticePoint.objects.get(slug="ask-the-question")
    point.summary = "Edited in the admin: “quotes” and café."
    point.save()
    first, second = tmp_path / "first", tmp_path / "second"
    call_command("export_content", output=str(first), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("load_content", input=str(first), verbosity=0)
    call_command("export_content", output=str(second), verbosity=0)
    for path in first.glob("*.json"):
        text = path.read_text(encoding="utf-8")
        assert (second / path.name).read_text(encoding="utf-8") == text
        assert text.endswith("}\n]\n") and text.startswith("[\n  {\n    ")
    assert "café" in (second / "practice_points.json").read_text(encoding="utf-8")
