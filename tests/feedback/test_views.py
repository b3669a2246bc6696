"""Readers answer "Was this page useful?": only the page, answer, day and text kept."""

import datetime
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from feedback import limits
from feedback.models import Feedback
from tests.conftest import BRIEFING
from tests.pages import parse

PAGE = f"/briefings/{BRIEFING}/"
SAME_SITE = {"HTTP_ORIGIN": "http://testserver"}
JSON = {**SAME_SITE, "HTTP_ACCEPT": "application/json"}


def answer(client, headers=SAME_SITE, **data):
    return client.post("/feedback/", {"path": PAGE, "useful": "yes", **data}, **headers)


@pytest.mark.parametrize(
    "path",
    [
        PAGE,
        f"/briefings/{BRIEFING}/encompass-snapshot/",
        "/practice-points/long-term-impact/",
        "/snapshot/",
        "/resources/",
        "/using-this-site-safely/",
    ],
)
def test_every_guidance_page_has_the_form_and_no_token(client, content, path):
    page = parse(client.get(path).content.decode())
    form = page.find("form", attrs={"data-feedback-answer": True})
    assert form["action"] == "/feedback/"
    assert form["method"] == "post"
    assert [i["value"] for i in page.find_all("input", attrs={"name": "path"})] == [
        path,
        path,
    ]
    assert page.find("legend").text == "Is this page useful?"
    choices = form.find_all("button", attrs={"name": "useful"})
    assert [(b["value"], b.text) for b in choices] == [
        ("yes", "Yes, this page is useful"),
        ("no", "No, this page is not useful"),
    ]
    # The optional box is there for the script, hidden until an answer.
    box = page.find("form", attrs={"data-feedback-more": True})
    assert "hidden" in box.attrs
    assert box.find("input", attrs={"name": "answer"})["value"] == ""
    assert box.find("textarea", attrs={"name": "comment"})["maxlength"] == "500"
    assert not page.find_all("input", attrs={"name": "csrfmiddlewaretoken"})


def test_pages_without_the_form(client, content):
    for path in (f"/briefings/{BRIEFING}/print/", "/no-such-page/"):
        page = parse(client.get(path).content.decode())
        assert not page.find_all("form", action="/feedback/")


def test_an_answer_keeps_only_page_answer_day_and_text(client, content):
    response = answer(client, useful="no", comment="  Housing\x01 advice\r\n for\tnow ")
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    assert parse(response.content.decode()).find("a", href=PAGE)
    assert not response.cookies
    assert response["Cache-Control"] == "no-store"
    row = Feedback.objects.values().get()
    assert row == {
        "id": row["id"],
        "path": PAGE,
        "useful": False,
        "day": timezone.localdate(),
        "comment": "Housing  advice\n for now",
    }


def test_the_script_gets_json(client, content):
    response = answer(client, headers=JSON)
    assert response.status_code == 200
    assert response.json()["message"].startswith("Thank you")
    assert Feedback.objects.get().useful is True


def test_a_yes_or_no_alone_leads_to_the_optional_box(client, content):
    """Without JavaScript the answer is kept and a small page offers the box."""
    response = answer(client, useful="no")
    assert response.status_code == 200
    assert Feedback.objects.get().useful is False
    page = parse(response.content.decode())
    assert page.find("h1").text == "Thank you for your answer"
    box = page.find("form", attrs={"data-feedback-more": True})
    assert "hidden" not in box.attrs
    assert box.find("input", attrs={"name": "path"})["value"] == PAGE
    token = box.find("input", attrs={"name": "answer"})["value"]
    assert page.find("label", **{"for": "feedback-comment"})
    assert not page.find_all("form", attrs={"data-feedback-answer": True})
    assert page.find("a", href=PAGE)
    assert not response.cookies

    added = client.post(
        "/feedback/",
        {"path": PAGE, "answer": token, "comment": "Housing"},
        **SAME_SITE,
    )
    assert added.status_code == 200
    assert parse(added.content.decode()).find("h1").text == "Thank you"
    assert Feedback.objects.values_list("useful", "comment").get() == (False, "Housing")
    # Sent again, the token adds nothing and replaces nothing.
    client.post(
        "/feedback/", {"path": PAGE, "answer": token, "comment": "Other"}, **SAME_SITE
    )
    assert Feedback.objects.values_list("useful", "comment").get() == (False, "Housing")


def test_the_script_gets_a_token_to_add_a_comment(client, content):
    token = answer(client, headers=JSON).json()["follow_up"]
    response = client.post(
        "/feedback/", {"path": PAGE, "answer": token, "comment": "Training"}, **JSON
    )
    assert response.status_code == 200
    assert "follow_up" not in response.json()
    assert Feedback.objects.values_list("useful", "comment").get() == (True, "Training")


def test_a_forged_or_old_token_adds_nothing(client, content, monkeypatch):
    from feedback import forms

    token = answer(client, headers=JSON).json()["follow_up"]
    forged = client.post(
        "/feedback/", {"path": PAGE, "answer": token + "x", "comment": "a"}, **JSON
    )
    assert forged.status_code == 400
    assert "answer" in forged.json()["errors"]
    monkeypatch.setattr(forms, "FOLLOW_UP_MAX_AGE", -1)
    old = client.post("/feedback/", {"path": PAGE, "answer": token, "comment": "a"})
    assert old.status_code == 403  # no Origin: refused before anything is read
    old = client.post(
        "/feedback/", {"path": PAGE, "answer": token, "comment": "a"}, **SAME_SITE
    )
    assert old.status_code == 400
    assert "too long since you answered" in old.content.decode()
    # The page asks the question again rather than offer a box that cannot work.
    assert parse(old.content.decode()).find("button", value="yes")
    assert Feedback.objects.get().comment == ""


def test_a_too_long_comment_keeps_its_answer(client, content):
    token = answer(client, headers=JSON).json()["follow_up"]
    response = client.post(
        "/feedback/", {"path": PAGE, "answer": token, "comment": "x" * 501}, **SAME_SITE
    )
    assert response.status_code == 400
    page = parse(response.content.decode())
    assert page.find("input", attrs={"name": "answer"})["value"] == token
    assert "feedback-comment-error" in page.find("textarea")["aria-describedby"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"useful": "maybe"}, "useful"),
        ({"useful": ""}, "useful"),
        ({"comment": "x" * 501}, "comment"),
        ({"path": "/admin/"}, "path"),
        ({"path": "https://example.org/"}, "path"),
        ({"path": "/no-such-page/"}, "path"),
        ({"path": "/\x01"}, "path"),
    ],
)
def test_bad_answers_are_refused_clearly(client, content, data, field):
    response = answer(client, headers=JSON, **data)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    page = answer(client, **data)
    assert page.status_code == 400
    assert "There is a problem with your answer" in page.content.decode()
    assert not Feedback.objects.exists()


def test_errors_are_linked_to_their_fields(client, content):
    page = parse(answer(client, useful="", comment="x" * 501).content.decode())
    assert page.find("h1").text == "Is this page useful?"
    assert page.find("fieldset")["aria-describedby"] == "feedback-useful-error"
    assert page.find(id="feedback-useful-error")
    box = page.find("textarea")
    assert "feedback-comment-error" in box["aria-describedby"]
    summary = page.find("div", class_="error-summary")
    links = [a["href"] for a in summary.find_all("a")]
    assert links == ["#feedback-useful", "#feedback-comment"]
    assert page.find(id="feedback-useful")
    assert "x" * 501 in box.text


def test_a_500_character_answer_is_kept(client, content):
    assert answer(client, comment="é" * 500).status_code == 200
    assert Feedback.objects.get().comment == "é" * 500


def test_the_honeypot_keeps_nothing(client, content):
    response = answer(client, website="http://spam.example/")
    assert response.status_code == 200
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_REFERER": "https://evil.example/page"},
        {"HTTP_ORIGIN": "null"},
    ],
)
def test_answers_from_other_sites_are_refused(client, content, headers):
    assert answer(client, headers=headers).status_code == 403
    assert not Feedback.objects.exists()


def test_a_referer_from_this_site_will_do(client, content):
    headers = {"HTTP_REFERER": f"http://testserver{PAGE}"}
    assert answer(client, headers=headers).status_code == 200


def test_the_public_site_url_is_this_site(client, content, settings):
    settings.SITE_URL = "https://guidance.example.org/"
    headers = {"HTTP_ORIGIN": "https://guidance.example.org"}
    assert answer(client, headers=headers).status_code == 200


def test_a_huge_body_is_refused_unread(client, content):
    response = answer(client, comment="x" * 20000)
    assert response.status_code == 413
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(("size", "status"), [(8 * 1024, 200), (8 * 1024 + 1, 413)])
def test_a_body_over_8_kib_is_refused_and_one_of_8_kib_is_read(
    client, content, size, status
):
    # The limit written out here, not imported: doubling it must fail a test.
    body = urlencode({"path": PAGE, "useful": "yes", "filler": ""})
    body += "x" * (size - len(body))
    response = client.post(
        "/feedback/", body, "application/x-www-form-urlencoded", **SAME_SITE
    )
    assert len(body) == size
    assert response.status_code == status
    assert Feedback.objects.exists() is (status == 200)


def test_a_get_is_not_an_answer(client, content):
    assert client.get("/feedback/").status_code == 405


def test_a_mangled_body_is_a_clear_answer(client, content):
    response = client.post(
        "/feedback/",
        b"--x\r\nnonsense",
        content_type="multipart/form-data; boundary=x",
        **SAME_SITE,
    )
    assert response.status_code == 400


def test_too_many_answers_from_one_address(client, content, monkeypatch):
    monkeypatch.setattr(limits, "LIMIT", 3)
    codes = [answer(client).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert Feedback.objects.count() == 3
    other = client.post(
        "/feedback/",
        {"path": PAGE, "useful": "yes"},
        REMOTE_ADDR="10.0.0.9",
        **SAME_SITE,
    )
    assert other.status_code == 200
    limited = answer(client)
    assert limited["Retry-After"] == str(limits.WINDOW)


def test_the_limit_keeps_no_address(client, content):
    from editorial.models import ClientCount

    client.post("/feedback/", {"path": PAGE, "useful": "yes"}, **SAME_SITE)
    kept = list(ClientCount.objects.values_list("key", flat=True))
    assert kept and not any("127.0.0.1" in key for key in kept)


def test_behind_the_proxy_each_reader_has_their_own_budget(
    client, content, monkeypatch, settings
):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    monkeypatch.setattr(limits, "LIMIT", 2)

    def answer_from(address):
        return client.post(
            "/feedback/",
            {"path": PAGE, "useful": "yes"},
            HTTP_X_FORWARDED_FOR=address,
            **SAME_SITE,
        ).status_code

    assert [answer_from("198.51.100.1") for _ in range(3)] == [200, 200, 429]
    assert answer_from("198.51.100.2") == 200  # not the proxy's shared budget


def test_a_failing_database_refuses_rather_than_counts_nothing(
    client, content, monkeypatch
):
    from django.db import DatabaseError

    from editorial.models import ClientCount

    def broken(*args, **kwargs):
        raise DatabaseError("disk I/O error")

    monkeypatch.setattr(ClientCount.objects, "filter", broken)
    assert answer(client).status_code == 429


def test_a_failing_cache_does_not_stop_answers(client, content, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError

    from django.core.cache import caches

    monkeypatch.setattr(caches["default"], "add", broken)
    assert answer(client).status_code == 200


def test_answering_leaves_the_content_version_and_pages_alone(client, content):
    from editorial import versions

    before = versions.read()
    answer(client)
    assert versions.read() == before


def test_the_day_is_today(client, content):
    answer(client)
    assert Feedback.objects.get().day == timezone.localdate()
    assert isinstance(Feedback.objects.get().day, datetime.date)
