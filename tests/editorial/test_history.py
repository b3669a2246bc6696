"""History an editor can read: word diffs, labels, who changed what, breadcrumbs."""

import pytest

from editorial.diff import Segment, word_diff
from practice_points.models import PracticePoint
from tests.conftest import change_form_data
from tests.factories import PracticePointFactory
from tests.pages import admin_url, parse

ADDED = (
    "If you are unsure, ask a colleague who knows the local services before you "
    "refer; a second opinion costs nothing and can stop a referral going astray."
)


def test_word_diff_keeps_every_word_and_marks_the_changes():
    segments = word_diff("Ask the question gently.", "Ask the question early.")
    assert "".join(s.text for s in segments if s.kind != "added") == (
        "Ask the question gently."
    )
    assert "".join(s.text for s in segments if s.kind != "removed") == (
        "Ask the question early."
    )
    assert Segment("removed", "gently.") in segments
    assert Segment("added", "early.") in segments


def test_history_shows_an_added_sentence_in_full(client, editor, content):
    point = PracticePoint.objects.get(slug="ask-the-question")
    url = admin_url(point)
    client.force_login(editor)
    body = point.body + "\n\n" + ADDED
    response = client.post(
        url,
        change_form_data(
            client, url, _publish="Publish", body=body, change_note="Added advice"
        ),
    )
    assert response.status_code == 302

    page = parse(client.get(admin_url(point, "history")).content)
    table = page.find("table", id="change-history")
    newest = table.find_all("tr")[1]
    changes = dict(
        zip(
            [dt.text for dt in newest.find_all("dt")],
            newest.find_all("dd"),
            strict=True,
        )
    )
    # Only changed fields, under their labels. Loaded content keeps no
    # "published" date: its first edit here is not its publication.
    assert set(changes) == {"Body"}
    added = [ins.text for ins in changes["Body"].find_all("ins")]
    assert added == [f"added: {ADDED}"]
    assert changes["Body"].find_all("del") == []
    assert "chars]" not in newest.text
    assert "Added advice" in newest.text


def test_history_labels_are_human(client, editor, no_content):
    point = PracticePointFactory(title="Old title", status="draft")
    url = admin_url(point)
    client.force_login(editor)
    client.post(url, change_form_data(client, url, title="New title"))
    client.post(url, change_form_data(client, url, _publish="Publish"))

    table = parse(client.get(admin_url(point, "history")).content).find(
        "table", id="change-history"
    )
    headings = [th.text for th in table.find("thead").find_all("th")]
    assert "Status" in headings
    assert not any("_" in heading for heading in headings)
    rows = table.find("tbody").find_all("tr")
    published = dict(
        zip(
            [dt.text for dt in rows[0].find_all("dt")],
            rows[0].find_all("dd"),
            strict=True,
        )
    )
    assert set(published) == {"Status", "Published at"}
    assert published["Status"].text == "was: Draft → now: Published"
    assert published["Published at"].find("del").text == "was: (empty)"
    retitled = rows[1]
    assert [del_.text.strip() for del_ in retitled.find_all("del")] == ["removed: Old"]
    assert [ins.text.strip() for ins in retitled.find_all("ins")] == ["added: New"]


def test_a_browser_s_line_endings_change_nothing(client, editor, no_content):
    # A browser sends a text box's lines ending in CR LF, whatever was stored.
    point = PracticePointFactory(body="First line.\n\nSecond line.", status="draft")
    url = admin_url(point)
    client.force_login(editor)
    data = change_form_data(client, url, summary="A new summary.")
    data["body"] = data["body"].replace("\n", "\r\n")
    assert client.post(url, data).status_code == 302

    point.refresh_from_db()
    assert point.body == "First line.\n\nSecond line."
    newest, before = point.history.all()[:2]
    assert newest.diff_against(before).changed_fields == ["summary"]


def test_loaded_content_says_where_it_came_from(client, editor, content):
    point = PracticePoint.objects.get(slug="ask-the-question")
    url = admin_url(point)
    client.force_login(editor)
    client.post(
        url,
        change_form_data(
            client, url, _publish="Publish", title="Ask the question, kindly"
        ),
    )

    table = parse(client.get(admin_url(point, "history")).content).find(
        "table", id="change-history"
    )
    rows = table.find("tbody").find_all("tr")
    changed_by = [row.find_all("td")[3].text for row in rows]
    assert changed_by == ["editor", "Loaded from the source briefing"]
    assert "None" not in changed_by


def test_revert_page_breadcrumbs_name_the_app_and_list(client, editor, content):
    point = PracticePoint.objects.get(slug="ask-the-question")
    url = admin_url(point)
    client.force_login(editor)
    client.post(
        url, change_form_data(client, url, _publish="Publish", title="Reworded")
    )
    version = point.history.earliest("history_id")

    for page_url in [
        admin_url(point, "history"),
        admin_url(point, "simple_history", version.history_id),
    ]:
        crumbs = (
            parse(client.get(page_url).content)
            .find("div", class_="breadcrumbs")
            .get_text(" ", strip=True)
        )
        assert "Home › Practice points › Practice points ›" in crumbs, page_url
        assert "Practice_points" not in crumbs and "istorical" not in crumbs


@pytest.mark.parametrize(
    "path",
    [
        "/admin/practice_points/practicepoint/abc/history/",
        "/admin/practice_points/practicepoint/999999/history/",
        "/admin/practice_points/practicepoint/abc/history/1/",
        "/admin/practice_points/practicepoint/1/history/abc/",
        "/admin/practice_points/practicepoint/999999/history/999999/",
    ],
)
def test_history_with_a_bad_id_is_not_found(admin_client, content, path):
    assert admin_client.get(path).status_code == 404


def test_admin_is_named_for_the_editors(admin_client):
    page = parse(admin_client.get("/admin/").content)
    assert page.find("title").text == "Content to edit | Encompass Guidance editors"
    assert page.find("div", id="site-name").text == "Encompass Guidance editors"
    assert "Django" not in page.find("header").text


def test_index_counts_draft_changes_in_words(admin_client, no_content, contributor):
    review = parse(admin_client.get("/admin/").content).find("div", id="review-due")
    assert "No draft changes waiting to be published." in review.text
    assert "Nothing due for review" in review.text

    point = PracticePointFactory(title="Live", status="published")
    url = admin_url(point)
    admin_client.force_login(contributor)
    admin_client.post(url, change_form_data(admin_client, url, title="Reworded"))
    review = parse(admin_client.get("/admin/").content).find("div", id="review-due")
    assert "1 draft change waiting to be published." in review.text
    assert "changes" not in review.text


@pytest.mark.parametrize("bad_id", ["abc", "1.5", "%00", "999999"])
@pytest.mark.parametrize(
    ("method", "route"),
    [
        ("get", "/admin/practice_points/practicepoint/{}/history/"),
        ("get", "/admin/practice_points/practicepoint/{}/history/1/"),
        ("post", "/admin/practice_points/practicepoint/{}/preview/"),
        ("post", "/admin/practice_points/practicepoint/{}/discard-draft-change/"),
        ("get", "/admin/preview/practice_points/practicepoint/{}/"),
    ],
)
def test_every_staff_address_with_an_id_answers_404_to_a_bad_one(
    admin_client, content, method, route, bad_id
):
    response = getattr(admin_client, method)(route.format(bad_id))
    # A NUL byte is refused before any view, with the site's 400 page.
    assert response.status_code == (400 if bad_id == "%00" else 404)


def test_shared_fields_are_labelled_and_explained_for_editors(admin_client, content):
    point = PracticePoint.objects.get(slug="ask-the-question")
    form = admin_client.get(admin_url(point)).context["adminform"].form
    assert form.fields["slug"].label == "Web address"
    assert "web address" in form.fields["slug"].help_text
    assert form.fields["position"].label == "Order"
    assert "lower numbers come first" in form.fields["position"].help_text
    assert "listed under Review" in form.fields["next_review_due"].help_text
    # A model's own help text is kept.
    assert form.fields["summary"].help_text == (
        PracticePoint._meta.get_field("summary").help_text
    )
    inline = admin_client.get(admin_url(point)).context["inline_admin_formsets"][1]
    headings = [field["label"] for field in inline.fields()]
    assert "Order" in headings and "Web address" in headings


def test_history_uses_the_same_labels_as_the_form(client, editor, no_content):
    point = PracticePointFactory(slug="old-address")
    url = admin_url(point)
    client.force_login(editor)
    client.post(
        url, change_form_data(client, url, _publish="Publish", slug="new-address")
    )
    table = parse(client.get(admin_url(point, "history")).content).find(
        "table", id="change-history"
    )
    newest = table.find("tbody").find_all("tr")[0]
    assert [dt.text for dt in newest.find_all("dt")] == ["Web address"]
    assert newest.find("dd").text == "was: old-address → now: new-address"
