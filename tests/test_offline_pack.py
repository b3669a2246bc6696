"""The offline briefing pack: one HTML file, whole, self-contained, small."""

import re

import pytest

from guidance.models import Briefing
from tests.conftest import BRIEFING
from tests.pages import parse
from tests.test_security_headers import policy

URL = f"/briefings/{BRIEFING}.html"
MAX_BYTES = 150 * 1024


@pytest.fixture
def pack(client, content):
    return client.get(URL)


def test_pack_is_a_download_of_one_small_file(pack):
    assert pack.status_code == 200
    assert pack["Content-Type"] == "text/html; charset=utf-8"
    # Neutral: a download folder must not name the subject.
    briefing = Briefing.objects.get(slug=BRIEFING)
    assert pack["Content-Disposition"] == (
        f'attachment; filename="offline-copy-{briefing.pk}.html"'
    )
    size = len(pack.content)
    print(f"\nOffline briefing pack: {size:,} bytes ({size / 1024:.1f} KB)")
    assert size <= MAX_BYTES
    assert not pack.cookies


def test_pack_allows_its_inline_style_and_no_script(pack):
    csp = policy(pack)
    assert csp["default-src"] == ["'none'"]
    assert csp["style-src"] == ["'unsafe-inline'"]
    assert "script-src" not in csp
    page = parse(pack.content.decode())
    meta = page.find("meta", **{"http-equiv": "Content-Security-Policy"})
    assert "default-src 'none'" in meta["content"]
    assert "script" not in meta["content"]


def test_pack_loads_nothing_and_runs_nothing(pack):
    html = pack.content.decode()
    page = parse(html)
    assert not page.find_all("script")
    assert not page.find_all("link")
    assert len(page.find_all("style")) == 1
    sources = [e["src"] for e in page.find_all(True) if "src" in e.attrs]
    assert all(src.startswith("data:") for src in sources)
    assert not re.search(r"url\((?!\s*['\"]?data:)", html)


def test_every_link_inside_the_pack_resolves(pack):
    page = parse(pack.content.decode())
    ids = {e["id"] for e in page.find_all(True) if "id" in e.attrs}
    hrefs = [a["href"] for a in page.find_all("a")]
    inside = [href[1:] for href in hrefs if href.startswith("#")]
    assert inside and all(anchor in ids for anchor in inside)
    # No address relative to the site: offline it would lead nowhere.
    assert not [
        h for h in hrefs if not h.startswith(("#", "http://", "https://", "mailto:"))
    ]


def test_site_links_become_anchors(pack):
    hrefs = {a["href"] for a in parse(pack.content.decode()).find_all("a")}
    assert "#section-encompass-snapshot" in hrefs
    assert any(h.startswith("#glossary-") for h in hrefs)
    assert any(h.startswith("#figure-") for h in hrefs)
    # Only the copy's note points back at the site.
    site = [h for h in hrefs if h.startswith("http://testserver")]
    assert site == [f"http://testserver/briefings/{BRIEFING}/"]


def test_pack_leaves_out_cite_this(pack):
    assert not parse(pack.content.decode()).find_all("details", class_="cite")


def test_pack_holds_the_whole_briefing(client, content, pack):
    page = parse(pack.content.decode())
    briefing = parse(client.get(f"/briefings/{BRIEFING}/").content.decode())

    def words(text):
        return " ".join(text.split())

    for section in briefing.find_all("section", class_="briefing-section"):
        # Less "Cite this": a saved copy is not the live address it gives.
        expected = section.text
        for cite in section.find_all("details", class_="cite"):
            expected = expected.replace(cite.text, "")
        assert words(page.find(id=section["id"]).text) == words(expected)
    assert page.find(id="snapshot-figures").find_all("li", class_="figure-card")
    assert page.find(id="practice-points")
    assert page.find(id="further-resources").find_all("li")
    assert page.find(id="research").find_all("li")
    assert page.find(id="glossary").find_all("dt")


def test_pack_is_stamped_with_the_day_it_was_saved_and_no_invented_date(pack):
    from django.utils import timezone
    from django.utils.dateformat import format as date_format

    stamp = parse(pack.content.decode()).find("section", class_="offline-stamp")
    # A reader is told when the copy was made, not an internal version number.
    today = date_format(timezone.localdate(), "j F Y")
    assert f"It was saved on {today}." in stamp.text
    assert "content version" not in stamp.text
    assert "stays on your device" in stamp.text
    # The loaded content has no noted change: no date is claimed for it.
    assert "content as of" not in stamp.text


def test_pack_dates_its_content_from_a_real_edit(client, content):
    briefing = Briefing.objects.get(slug=BRIEFING)
    briefing._change_reason = "Updated the summary."
    briefing.save()
    stamp = parse(client.get(URL).content.decode()).find(
        "section", class_="offline-stamp"
    )
    assert "content as of" in stamp.text
    assert stamp.find("span", class_="content-date")


def test_pack_is_offered_beside_the_pdf(client, content):
    page = parse(client.get(f"/briefings/{BRIEFING}/").content.decode())
    tools = page.find("p", class_="page-tools")
    hrefs = [a["href"] for a in tools.find_all("a")]
    assert hrefs.index(URL) == hrefs.index(f"/briefings/{BRIEFING}.pdf") + 1


def test_unknown_briefing_is_not_found(client, content):
    assert client.get("/briefings/no-such-briefing.html").status_code == 404


def test_pack_is_cached_like_other_reader_pages(client, content):
    first = client.get(URL)
    second = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 304
    again = client.get(URL)
    assert again.content == first.content
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert again["Content-Disposition"] == first["Content-Disposition"]


def test_pack_is_its_pages_template_and_context_with_nothing_rewritten(
    rf, pack, content
):
    """One render path: the page's own context and template give the file the
    reader downloads, links and all (the preview renders the same way)."""
    from config.views import briefing_offline_page
    from guidance.markdown import new_page

    request = rf.get(URL)
    new_page()  # a request of its own: glossary terms are linked afresh
    rendered = parse(briefing_offline_page.render_to_string(request, slug=BRIEFING))
    served = parse(pack.content.decode())
    # (The served file's white space is trimmed on the way out.)
    assert [a["href"] for a in rendered.find_all("a")] == [
        a["href"] for a in served.find_all("a")
    ]
    assert rendered.find("main").text.split() == served.find("main").text.split()


def test_an_editors_link_in_the_pack_goes_inside_it_or_to_the_site(client, content):
    from guidance.models import Section

    section = Section.objects.filter(briefing__slug=BRIEFING).first()
    section.body += (
        "\n\nSee [asking](/practice-points/ask-the-question/),"
        " [a figure](/snapshot/encompass-snapshot-2021/#figure-domestic-abuse),"
        " [support](/local-support/tara/) and [a term](/glossary/#ptsd)."
    )
    section.save()
    page = parse(client.get(URL).content.decode())
    links = {
        a.text: a["href"] for a in page.find(id=f"section-{section.slug}").find_all("a")
    }
    assert links["asking"] == "#ask-the-question"
    assert links["a figure"] == "#figure-domestic-abuse"
    assert links["support"] == "http://testserver/local-support/tara/"
    assert links["a term"] == "#glossary-ptsd"
    # On the site the same markdown links to the site's own pages.
    site = parse(client.get(section.get_absolute_url()).content.decode())
    assert (
        site.find("a", string="asking")["href"] == "/practice-points/ask-the-question/"
    )
