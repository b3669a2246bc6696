"""Page tools (Download PDF, Print this page, the handout's links) are each a
list item of their own, so they are neither read nor seen run together."""

import pytest

from tests.pages import parse

HANDOUT = (
    "/handouts/handout/?item=practice-point:ask-the-question&item=figure:domestic-abuse"
)


@pytest.mark.parametrize(
    "path",
    ["/snapshot/encompass-snapshot-2021/", "/practice-points/long-term-impact/"],
)
def test_download_pdf_and_print_are_separate_list_items(client, content, path):
    tools = parse(client.get(path).content).find("ul", class_="page-tools")
    items = tools.find_all("li")
    assert [item.text for item in items] == ["Download PDF", "Print this page"]
    # Without JavaScript the print button cannot work: its item stays hidden too.
    assert "hidden" in items[1].attrs
    assert items[1].find("button", attrs={"data-print": True})
    assert not [
        child for child in tools.children if isinstance(child, str) and child.strip()
    ]


def test_handout_links_have_no_loose_separator(client, content):
    links = parse(client.get(HANDOUT, follow=True).content).find(
        "ul", class_="handout-tools__links"
    )
    assert [item.text for item in links.find_all("li")] == [
        "Download PDF",
        "Print this page",  # its item hidden until the script can print
        "Change this handout",
        "Start a new one",
    ]
    assert "·" not in links.text
