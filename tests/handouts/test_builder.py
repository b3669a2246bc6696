"""The handout builder and the handout's print view, as a trainer uses them."""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict

from editorial.models import Status
from handouts import selection
from handouts.forms import HandoutForm
from handouts.models import HandoutPreset, SavedHandout
from practice_points.models import PracticePoint
from snapshot.models import Organisation
from tests.factories import (
    FullPracticePointFactory,
)
from tests.handouts.test_pdf import read_pdf
from tests.pages import parse, text

HANDOUT = "/handouts/handout/"


def handout_url(*items, **fields):
    query = QueryDict(mutable=True)
    for name, value in fields.items():
        query[name] = value
    query.setlist("item", list(items))
    return f"{HANDOUT}?{query.urlencode()}"


def ticked(page, item):
    """Whether the builder's box for ``item`` (e.g. "resource:tara") is ticked."""
    return "checked" in page.find("input", attrs={"name": "item"}, value=item).attrs


def test_builder_starts_with_nothing_ticked_and_groups_kinds_with_counts(
    client, content
):
    page = parse(client.get("/handouts/").content)
    form = page.find("form", class_="handout-form")
    assert not [
        box for box in form.find_all("input", attrs={"name": "item"}) if ticked_box(box)
    ]
    assert [
        count.text for count in form.find_all(attrs={"data-chosen-count": True})
    ] == [
        "0 items chosen",
        "0 items chosen",
    ]
    groups = {
        group.find("legend").text: len(group.find_all("input", attrs={"name": "item"}))
        for group in form.find_all("fieldset", class_="handout-group")
    }
    assert set(groups) == {
        f"{label} ({count})"
        for label, count in zip(
            selection.kinds().values(), groups.values(), strict=True
        )
    }
    points = PracticePoint.objects.published().count()
    assert groups[f"Practice points ({points})"] == points
    organisations = Organisation.objects.count()
    assert organisations and groups[f"Local support ({organisations})"] == organisations


def ticked_box(box):
    return "checked" in box.attrs


def test_actions_are_at_the_top_and_the_bottom(client, content):
    form = parse(client.get("/handouts/").content).find("form", class_="handout-form")
    actions = form.find_all("div", class_="handout-actions")
    assert len(actions) == 2
    for bar in actions:
        assert [button.text for button in bar.find_all("button")] == [
            "Update the count",
            "Build handout",
            "Download PDF",
            "Clear all",
        ]
    # Only the top count is announced, so a change is read out once.
    assert form.find(attrs={"aria-live": "polite", "data-chosen-count": True})


def test_the_count_says_how_many_items_are_chosen(client, content):
    page = parse(client.get("/handouts/", {"item": "quote:wendy-box"}).content)
    assert page.find(id="chosen-count").text == "1 item chosen"
    page = parse(
        client.get("/handouts/", {"item": ["quote:wendy-box", "resource:tara"]}).content
    )
    assert page.find(id="chosen-count").text == "2 items chosen"


def test_beside_the_buttons_a_summary_says_what_is_chosen_kind_by_kind(client, content):
    page = parse(
        client.get(
            "/handouts/",
            {"item": ["resource:tara", "quote:wendy-box", "figure:domestic-abuse"]},
        )
    )
    for bar in page.find_all("div", class_="handout-actions"):
        summary = bar.find("ul", attrs={"data-chosen-summary": True})
        assert [text(line) for line in summary.find_all("li")] == [
            "Snapshot figures: 1",
            "In their words: 1",
            "Further resources: 1",
        ]
    for empty in parse(client.get("/handouts/")).find_all(
        "ul", attrs={"data-chosen-summary": True}
    ):
        assert "hidden" in empty.attrs and not empty.find_all("li")


def test_update_the_count_counts_the_ticked_items_on_the_server(client, content):
    """Without JavaScript the count is brought up to date by a round trip."""
    response = client.get(
        "/handouts/handout/",
        {
            "item": ["quote:wendy-box", "resource:tara"],
            "title": "Tuesday",
            "q": "box",
            "shown": "box",
            "action": "update",
        },
    )
    assert response.status_code == 302
    page = parse(client.get(response["Location"]))
    assert text(page.find(id="chosen-count")) == "2 items chosen"
    assert page.find("input", id="handout-title")["value"] == "Tuesday"
    assert page.find("input", id="handout-q")["value"] == "box"  # still narrowed


@pytest.mark.parametrize(
    ("q", "shown", "lands_on"),
    [
        ("", "", "/handouts/h/"),  # Enter in the title: the handout is built
        ("box", "box", "/handouts/h/"),  # the list already shows these words
        ("trauma", "", "/handouts/?"),  # new filter words: the list is narrowed
    ],
)
def test_enter_in_a_text_field_builds_unless_the_filter_words_changed(
    client, content, q, shown, lands_on
):
    # Enter presses the form's first button, a hidden one sending action=enter.
    page = parse(client.get("/handouts/"))
    first = page.find("form", class_="handout-form").find_all("button")[0]
    assert (first["name"], first["value"]) == ("action", "enter")
    assert "hidden" in first.attrs
    response = client.get(
        "/handouts/handout/",
        {"item": "quote:wendy-box", "title": "Tuesday", "q": q, "shown": shown,
         "action": "enter"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"].startswith(lands_on)


def test_a_quote_after_figures_gets_its_own_heading_on_the_handout(client, content):
    response = client.get(
        "/handouts/handout/",
        {
            "item": [
                "figure:domestic-abuse",
                "quote:wendy-box",
                "quote:natalia-lost-my-kids",
            ]
        },
        follow=True,
    )
    article = parse(response).find("article", class_="handout")
    sections = {
        text(section.find("h2")): section for section in article.find_all("section")
    }
    figures = sections["Encompass Snapshot figures"]
    assert "put it all away in a box" not in text(figures)
    quotes = sections["In their words"]
    assert len(quotes.find_all("blockquote")) == 2
    assert "put it all away in a box" in text(quotes)


def test_the_handout_page_has_a_print_button_for_script_and_a_hint_without(
    client, content
):
    response = client.get("/handouts/handout/", {"item": "resource:tara"}, follow=True)
    tools = parse(response).find("div", class_="handout-tools")
    button = tools.find("button", attrs={"data-print": True})
    assert text(button) == "Print this page"
    # Hidden until print.js shows it: without script the hint says what to do.
    assert "hidden" in button.attrs
    assert "Ctrl+P" in text(tools.find("p", class_="hint"))


def test_a_practice_point_says_its_questions_come_with_it(client, content):
    page = parse(client.get("/handouts/").content)
    point = page.find("input", value="practice-point:ask-the-question")
    label = page.find("label", attrs={"for": point["id"]})
    assert "Comes with its 3 example questions." in label.text
    question = page.find("input", value="question:ask-the-question.money-or-goods")
    label = page.find("label", attrs={"for": question["id"]})
    assert "Already printed with that practice point if you choose it." in label.text


def test_builder_works_without_javascript(client, content):
    page = parse(client.get("/handouts/").content)
    form = page.find("form", class_="handout-form")
    assert (form["method"], form["action"]) == ("get", "/handouts/handout/")
    # The only scripts are the site's enhancements (quick exit, Copy for "Cite
    # this", feedback), loaded deferred: nothing the form needs.
    assert [script.attrs for script in page.find_all("script")] == [
        {"src": "/static/js/quick-exit.js", "defer": ""},
        {"src": "/static/js/cite.js", "defer": ""},
        {"src": "/static/js/feedback.js", "defer": ""},
        {"src": "/static/js/handout-builder.js", "defer": ""},
    ]


def test_presets_are_listed_on_the_builder(client, content):
    HandoutPreset.objects.create(
        name="Mini: figures",
        slug="mini-figures",
        query="item=figure%3Adomestic-abuse",
        position=9,
    )
    page = parse(client.get("/handouts/").content)
    assert "One-page: asking the question" in page.text  # seeded by a data migration
    link = page.find("a", href="/handouts/handout/?item=figure%3Adomestic-abuse")
    assert link.text == "Mini: figures"


def test_seeded_presets_resolve_against_the_content(content):
    for preset in HandoutPreset.objects.all():
        preset.full_clean()
        assert client_safe(preset.query)


def client_safe(query):
    handout = HandoutForm(QueryDict(query)).handout()
    assert selection.resolve(handout)
    return not handout.notices


def test_preset_address_redirects_to_its_handout(client, content):
    response = client.get("/handouts/presets/one-page-asking-the-question/")
    assert response.status_code == 302
    assert response["Location"].startswith(HANDOUT)
    assert client.get("/handouts/presets/no-such-preset/").status_code == 404


def test_preset_keeps_only_the_query_of_a_pasted_address(content):
    preset = HandoutPreset(
        name="Pasted",
        slug="pasted",
        query="https://guidance.example.org/handouts/handout/?item=quote:wendy-box&title=Hi",
    )
    preset.full_clean()
    assert preset.query == "title=Hi&item=quote%3Awendy-box"


def test_preset_with_unknown_items_is_refused(content):
    preset = HandoutPreset(
        name="Bad", slug="bad", query="item=practice-point:no-such-point"
    )
    with pytest.raises(ValidationError, match="not published") as refused:
        preset.full_clean()
    assert list(refused.value.message_dict) == ["query"]


def test_form_submission_orders_items_and_redirects_to_a_short_address(client, content):
    response = client.get(
        HANDOUT,
        {
            "title": "Session one",
            "item": [
                "practice-point:ask-the-question",
                "figure:domestic-abuse",
                "quote:wendy-box",
            ],
            "order.practice-point:ask-the-question": "",
            "order.figure:domestic-abuse": "2",
            "order.quote:wendy-box": "1",
            "order.resource:tara": "",
            "format": "html",
        },
    )
    assert response.status_code == 302
    location = response["Location"]
    assert re.fullmatch(r"/handouts/h/[a-z2-7]{12}/", location)
    saved = SavedHandout.objects.get(code=location.split("/")[-2])
    assert parse_qsl(saved.query) == [
        ("title", "Session one"),
        ("item", "quote:wendy-box"),
        ("item", "figure:domestic-abuse"),
        ("item", "practice-point:ask-the-question"),
    ]
    html = client.get(location).content.decode()
    assert html.index("put it all away in a box") < html.index("Ask the question")


def test_form_can_go_straight_to_the_pdf(client, content):
    response = client.get(
        HANDOUT,
        {"item": "quote:wendy-box", "order.quote:wendy-box": "", "format": "pdf"},
    )
    assert re.fullmatch(r"/handouts/h/[a-z2-7]{12}\.pdf", response["Location"])


def test_handout_url_round_trips_the_selection(client, content):
    url = handout_url(
        "figure:domestic-abuse",
        "practice-point:ask-the-question",
        "quote:wendy-box",
        title="Session on asking",
        audience="Substance misuse team",
        date="2026-03-04",
        notes="Bring the slides.\nRoom 2.",
        discreet="1",
    )
    handout = HandoutForm(QueryDict(urlsplit(url).query)).handout()
    assert f"{HANDOUT}?{handout.querystring()}" == url
    # The builder opens with the same choices, in the same order.
    page = parse(client.get("/handouts/?" + urlsplit(url).query).content)
    assert page.find("input", attrs={"name": "title"})["value"] == "Session on asking"
    assert (
        page.find("input", attrs={"name": "audience"})["value"]
        == "Substance misuse team"
    )
    assert page.find("input", attrs={"name": "date"})["value"] == "2026-03-04"
    # A newline straight after <textarea> is not part of its value (HTML).
    notes = "".join(
        page.find("textarea", attrs={"name": "notes"}).children
    ).removeprefix("\n")
    assert notes == "Bring the slides.\nRoom 2."
    assert "checked" in page.find("input", attrs={"name": "discreet"}).attrs
    assert ticked(page, "practice-point:ask-the-question")
    assert (
        page.find("input", attrs={"name": "order.figure:domestic-abuse"})["value"]
        == "1"
    )
    assert page.find("input", attrs={"name": "order.quote:wendy-box"})["value"] == "3"


def test_handout_shows_chosen_items_in_order_and_not_others(client, content):
    html = client.get(
        handout_url(
            "quote:wendy-box",
            "practice-point:ask-the-question",
            "figure:domestic-abuse",
            title="Asking about it",
            audience="Social workers",
            date="2026-03-04",
        ),
        follow=True,
    ).content.decode()
    assert "Asking about it" in html and "Social workers" in html
    assert "4 March 2026" in html
    assert html.index("put it all away in a box") < html.index("Ask the question")
    assert html.index("Ask the question") < html.index(
        "disclosed experiences of domestic"
    )
    assert "Trauma informed" not in html
    assert "Content dated" not in html  # loaded content has no date
    pdf = parse(html).find("link", rel="alternate", type="application/pdf")
    assert re.fullmatch(r"/handouts/h/\w+\.pdf", pdf["href"])
    assert "Download PDF" in html


def test_questions_already_inside_a_chosen_point_are_shown_once(client, content):
    html = client.get(
        handout_url(
            "practice-point:ask-the-question",
            "question:ask-the-question.money-or-goods",
        )
    ).content.decode()
    handout = parse(html).find("article", class_="handout").text
    assert handout.count("in return for sex?") == 1
    assert "is already part of the practice point" in html


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        (
            {"item": ["quote:wendy-box", "practice-point:no-such-point"]},
            "not published",
        ),
        (
            {"item": ["quote:wendy-box", "<script>", "figure:"]},
            "2 items in the address",
        ),
        (
            {"item": "quote:wendy-box", "date": "next tuesday"},
            "session date was left off",
        ),
        (
            {"item": "quote:wendy-box", "date": "1066-10-14"},
            "session date was left off",
        ),
        (
            {"item": "quote:wendy-box", "notes": "x" * 50_000},
            "Trainer notes are limited",
        ),
        ({"item": "quote:wendy-box", "title": "T" * 5000}, "title was cut"),
        (
            {
                "item": [
                    "quote:wendy-box",
                    *[f"practice-point:p-{n}" for n in range(500)],
                ]
            },
            "at most 100 items",
        ),
    ],
)
def test_bad_parameters_are_dropped_with_a_clear_notice(
    client, content, params, notice
):
    response = client.get(HANDOUT, params)
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert notice in html
    assert "Please check your handout" in html
    assert "put it all away in a box" in html


def test_unpublished_practice_point_is_left_out(client, content):
    PracticePoint.objects.filter(slug="long-term-impact").update(status=Status.DRAFT)
    html = client.get(
        handout_url("practice-point:long-term-impact", "quote:wendy-box")
    ).content.decode()
    assert 'id="long-term-impact-title"' not in html
    assert "1 chosen item is not published" in html


def test_addresses_with_the_old_kind_names_still_work(client, content):
    old = handout_url(
        "point:ask-the-question",
        "reflection:person-centred-approach.previous-services",
        "reference:inside-outside",
    )
    handout = HandoutForm(QueryDict(urlsplit(old).query)).handout()
    assert handout.item_ids == [
        "practice-point:ask-the-question",
        "reflective-question:person-centred-approach.previous-services",
        "research:inside-outside",
    ]
    html = client.get(old, follow=True).content.decode()
    assert 'id="ask-the-question-title"' in html
    assert "Reflective questions</h2>" in html and ">Research</h2>" in html


def test_handout_with_nothing_printable_says_so(client, content):
    response = client.get(handout_url("practice-point:no-such-point"))
    assert response.status_code == 400
    assert "None of the chosen items can be printed" in response.content.decode()
    response = client.get(HANDOUT)
    assert response.status_code == 400
    assert "choose at least one item" in response.content.decode()


@pytest.mark.parametrize("path", [HANDOUT, "/handouts/handout.pdf", "/handouts/"])
def test_absurd_number_of_ids_gets_a_clear_message(client, content, path):
    query = "&".join(f"item=practice-point:p-{n}" for n in range(10_000))
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert "too long to read" in response.content.decode()


def test_discreet_handout_has_a_neutral_title(client, content):
    page = parse(
        client.get(
            handout_url("resource:tara", title="Selling sex: support", discreet="1"),
            follow=True,
        ).content
    )
    assert page.find("title").text.startswith("Information and support")
    assert "Selling sex: support" not in page.find("article", class_="handout").text


def test_draft_child_of_a_draft_point_cannot_be_chosen(client, no_content):
    point = FullPracticePointFactory()
    point.status = Status.DRAFT
    point.save()
    html = client.get("/handouts/").content.decode()
    assert "Has anyone asked?" not in html
    response = client.get(handout_url(f"question:{point.slug}.p"))
    assert response.status_code == 400


def test_a_handout_has_a_short_address_for_its_page_pdf_and_qr_code(client, content):
    long_address = handout_url("quote:wendy-box", "resource:tara", title="Short")
    short = client.get(long_address)["Location"]
    assert client.get(long_address)["Location"] == short  # the same code again
    html = client.get(short).content.decode()
    assert f"http://testserver{short}" in html  # printed and QR-coded
    assert long_address.split("?")[1] not in html
    assert client.get(short.rstrip("/") + ".pdf")["Content-Type"] == ("application/pdf")
    assert SavedHandout.objects.count() == 1


def test_an_unknown_short_address_is_not_found(client, content):
    assert client.get("/handouts/h/aaaaaaaaaaaa/").status_code == 404
    assert client.get("/handouts/h/aaaaaaaaaaaa.pdf").status_code == 404


def shown_items(page):
    return [
        choice.find("input", attrs={"name": "item"})["value"]
        for choice in page.find_all("div", class_="choice")
        if "hidden" not in choice.attrs
    ]


def test_the_list_filter_shows_matching_items_and_keeps_the_rest_ticked(
    client, content
):
    page = parse(
        client.get(
            "/handouts/",
            {"q": "TRAUMA", "item": ["quote:wendy-box", "resource:tara"]},
        ).content
    )
    shown = shown_items(page)
    assert "practice-point:trauma-informed-approach" in shown
    assert (
        "quote:wendy-box" not in shown
        and "practice-point:ask-the-question" not in shown
    )
    # Hidden, still ticked: the chosen items are sent with the form all the same.
    assert ticked(page, "quote:wendy-box") and ticked(page, "resource:tara")
    assert page.find(id="chosen-count").text == "2 items chosen"
    assert page.find("input", id="handout-q")["value"] == "TRAUMA"
    status = page.find(attrs={"data-filter-status": True}).text
    assert status == f"{len(shown)} items contain “TRAUMA”."
    # Groups with nothing matching are hidden; "Show all" keeps the choices.
    hidden = [
        group.find("legend").text
        for group in page.find_all("fieldset", class_="handout-group")
        if "hidden" in group.attrs
    ]
    assert any(legend.startswith("In their words") for legend in hidden)
    show_all = page.find(attrs={"data-show-all": True}).find("a")["href"]
    assert show_all == "/handouts/?item=quote%3Awendy-box&item=resource%3Atara"


def test_filtering_from_the_form_keeps_the_selection_and_its_order(client, content):
    response = client.get(
        HANDOUT,
        {
            "title": "Tuesday",
            "q": "money",
            "item": ["resource:tara", "quote:wendy-box"],
            "order.resource:tara": "2",
            "order.quote:wendy-box": "1",
            "previous": "resource:tara quote:wendy-box",
            "action": "filter",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == (
        "/handouts/?title=Tuesday&item=quote%3Awendy-box&item=resource%3Atara&q=money"
    )
    page = parse(client.get(response["Location"]).content)
    assert "question:ask-the-question.money-or-goods" in shown_items(page)
    assert page.find("input", attrs={"name": "order.quote:wendy-box"})["value"] == "1"
    assert not SavedHandout.objects.exists()


def test_clear_all_without_javascript_unticks_everything_but_keeps_the_rest(
    client, content
):
    response = client.get(
        HANDOUT,
        {
            "title": "Tuesday",
            "notes": "Room 2",
            "item": ["resource:tara", "quote:wendy-box"],
            "action": "clear",
        },
    )
    assert response["Location"] == "/handouts/?title=Tuesday&notes=Room+2"
    page = parse(client.get(response["Location"]).content)
    assert page.find(id="chosen-count").text == "0 items chosen"
    assert page.find("input", attrs={"name": "title"})["value"] == "Tuesday"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"action": "filter", "q": "x" * 500}, "were cut to 100 characters"),
        ({"action": "jump", "item": "quote:wendy-box"}, "does not do"),
    ],
)
def test_a_bad_filter_or_action_comes_back_to_the_builder_with_a_message(
    client, content, params, message
):
    response = client.get(HANDOUT, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "Please check your handout" in html


def test_a_handout_can_hold_local_support(client, content):
    Organisation.objects.filter(slug="routes-out").update(
        how_to_refer="Ask at the drop-in."
    )
    response = client.get(
        handout_url("organisation:routes-out", "organisation:another-way"),
        follow=True,
    )
    handout = parse(response.content).find("article", class_="handout")
    section = handout.find("section", class_="handout-organisations")
    assert section.find("h2").text == "Local support"
    cards = section.find_all("div", class_="organisation")
    assert [card.find("h3").text for card in cards] == ["Routes Out", "Another Way"]
    routes_out = cards[0].text
    assert "Area Glasgow" in routes_out
    assert "How to refer Ask at the drop-in." in routes_out
    # Nothing invented: a field left empty is not shown.
    assert "Phone" not in routes_out and "Website" not in routes_out
    # A handout leaves out what is not there: no "not added yet", no unknown area.
    another_way = cards[1].text
    assert "Contact details" not in another_way and "not been added" not in another_way
    assert "Not stated in the source" not in handout.text


@pytest.mark.slow  # renders a PDF
def test_a_handout_pdf_of_local_support_says_nothing_of_missing_details(
    client, content
):
    Organisation.objects.filter(slug="another-way").update(area="")
    response = client.get(
        handout_url(
            "organisation:routes-out", "organisation:another-way", title="Support"
        ),
        follow=True,
    )
    html = parse(response.content)
    page = html.find("article", class_="handout")
    assert "Another Way" in page.text and "Routes Out" in page.text
    pdf = html.find("link", rel="alternate", type="application/pdf")["href"]
    _, _, text = read_pdf(client.get(pdf))
    assert "Another Way" in text and "Area Glasgow" in text
    for absent in ("not been added", "Contact details", "Not stated in the source"):
        assert absent not in page.text
        assert absent not in text


def test_an_unknown_organisation_is_left_out_with_a_notice(client, content):
    html = client.get(
        handout_url("organisation:no-such-place", "quote:wendy-box")
    ).content.decode()
    assert "1 chosen item is not published" in html


def test_new_handouts_are_limited_per_client_but_made_ones_still_open(
    client, content, settings
):
    settings.HANDOUT_ADDRESS_LIMIT = 2
    made = [
        client.get(f"/handouts/handout/?item=figure%3Adomestic-abuse&title=Copy+{n}")
        for n in range(3)
    ]
    assert [answer.status_code for answer in made] == [302, 302, 429]
    assert "a lot of new handouts" in made[-1].content.decode()
    assert made[-1]["Retry-After"] == "3600"
    again = client.get("/handouts/handout/?item=figure%3Adomestic-abuse&title=Copy+0")
    assert again.status_code == 302
    assert SavedHandout.objects.count() == 2
