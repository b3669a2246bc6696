"""The handout builder's form as a trainer uses it: messages, and positions."""

from html.parser import HTMLParser
from urllib.parse import parse_qsl

import pytest
from pytest_django.asserts import assertContains, assertInHTML

from handouts.models import HandoutPreset, SavedHandout

BUILDER = "/handouts/"
HANDOUT = "/handouts/handout/"


class FormFields(HTMLParser):
    """What a browser would send for the builder's form, as (name, value) pairs."""

    def __init__(self, html):
        super().__init__()
        self.fields, self._textarea = [], None
        self.feed(html.split('<form class="handout-form"', 1)[1].split("</form>")[0])

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "checkbox":
            if "checked" in attrs:
                self.fields.append((attrs["name"], attrs.get("value", "on")))
        elif tag == "input" and "name" in attrs:
            self.fields.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.fields.append((self._textarea, ""))

    def handle_data(self, data):
        if self._textarea:
            self.fields[-1] = (self._textarea, self.fields[-1][1] + data.lstrip("\n"))

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def submit(client, builder_html, tick=(), positions=None, button="html", **fields):
    """Send the builder's form as a browser would, after ticking the items in
    ``tick``, typing ``positions`` ({item id: number}) and filling in ``fields``."""
    typed = {**fields, **{f"order.{i}": n for i, n in (positions or {}).items()}}
    sent = [(n, typed.get(n, v)) for n, v in FormFields(builder_html).fields]
    sent += [("item", item_id) for item_id in tick]
    return client.get(HANDOUT, [*sent, ("format", button)])


def saved_items(response):
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = SavedHandout.objects.get(code=response["Location"].split("/")[-2])
    return [value for name, value in parse_qsl(saved.query) if name == "item"]


def preset_builder(client):
    preset = HandoutPreset.objects.get(slug="snapshot-and-practice")
    items = [value for name, value in parse_qsl(preset.query) if name == "item"]
    return client.get(preset.get_builder_url()).content.decode(), items


def test_an_adapted_preset_keeps_its_order(client, content):
    html, items = preset_builder(client)
    assert saved_items(submit(client, html)) == items


def test_a_ticked_item_numbered_one_goes_first(client, content):
    html, items = preset_builder(client)
    # Every item of the preset is numbered, so 1 is taken: the new item still
    # goes first, where the trainer put it.
    response = submit(
        client, html, tick=["quote:wendy-box"], positions={"quote:wendy-box": "1"}
    )
    assert saved_items(response) == ["quote:wendy-box", *items]


@pytest.mark.parametrize(("moved", "to"), [(0, 3), (6, 2), (3, 1), (2, 7)])
def test_a_renumbered_item_moves_to_its_number(client, content, moved, to):
    html, items = preset_builder(client)
    item = items[moved]
    response = submit(client, html, positions={item: str(to)})
    expected = [i for i in items if i != item]
    expected.insert(to - 1, item)
    assert saved_items(response) == expected


def test_a_bad_address_opens_the_builder_with_each_message_by_its_field(
    client, content
):
    response = client.get(
        BUILDER,
        {"title": "T" * 200, "date": "next tuesday", "item": ["quote:wendy-box", "?"]},
    )
    html = response.content.decode()
    summary = html.split('<div class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "Please check your handout" in summary
    title_message = "The title was cut to 120 characters."
    date_message = (
        "The session date was left off: write it as year-month-day, such as 2026-03-31."
    )
    item_message = "1 item in the address could not be read and was left out."
    assertInHTML(f'<li><a href="#handout-title">{title_message}</a></li>', summary)
    assertInHTML(f'<li><a href="#handout-date">{date_message}</a></li>', summary)
    assertInHTML(f"<li>{item_message}</li>", summary)
    # Each field shows the handout as read, described by its message.
    assertInHTML(
        f'<input type="text" name="title" value="{"T" * 120}" maxlength="120"'
        ' placeholder="Handout for practitioners" id="handout-title"'
        ' aria-invalid="true" aria-describedby="handout-title_error">',
        html,
    )
    assertInHTML(
        f'<ul class="errorlist" id="handout-title_error"><li>{title_message}</li></ul>',
        html,
    )
    assertInHTML(
        '<input type="date" name="date" id="handout-date" aria-invalid="true"'
        ' aria-describedby="handout-date_error">',
        html,
    )
    assertInHTML(
        f'<ul class="errorlist" id="handout-item_error"><li>{item_message}</li></ul>',
        html,
    )


def test_a_good_address_opens_the_builder_without_messages(client, content):
    html = client.get(BUILDER, {"title": "Hi", "item": "quote:wendy-box"})
    assert "error-summary" not in html.content.decode()
    assert "aria-invalid" not in html.content.decode()


def test_a_sent_form_with_a_bad_date_comes_back_to_the_builder(client, content):
    html = client.get(BUILDER).content.decode()
    response = submit(
        client, html, tick=["resource:tara"], title="Tuesday", date="31/03/2026"
    )
    assert response.status_code == 400
    assertContains(response, "Please check your handout", status_code=400)
    assertContains(response, 'value="Tuesday"', status_code=400)
    assertContains(response, "The session date was left off", status_code=400)
    assert not SavedHandout.objects.exists()
    # Sent again as it now stands, it makes the handout.
    assert saved_items(submit(client, response.content.decode()))


def test_a_bad_position_is_named_and_the_item_left_unnumbered(client, content):
    html = client.get(BUILDER).content.decode()
    response = submit(
        client, html, tick=["resource:tara"], positions={"resource:tara": "first"}
    )
    assertContains(
        response,
        "The position of resource:tara was left off: positions are whole numbers "
        "from 1 to 100.",
        status_code=400,
    )


def test_an_old_address_with_a_bad_part_still_prints_and_says_what_changed(
    client, content
):
    response = client.get(
        HANDOUT, {"item": ["quote:wendy-box", "x", "y"], "date": "2024-02-30"}
    )
    assert response.status_code == 200
    assertContains(response, "Please check your handout")
    assertContains(
        response, "2 items in the address could not be read and were left out."
    )
    assertContains(response, "The session date was left off")
    assertContains(response, "put it all away in a box")
