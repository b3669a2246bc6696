"""The whole story of a second briefing: an editor imports a Word file the
network wrote, checks it arrived as drafts readers cannot see, publishes it in
the admin, and then readers find it everywhere beside the shipped briefing."""

import io
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from pypdf import PdfReader

from guidance.models import Briefing, Quote
from practice_points.models import PracticePoint
from tests.conftest import BRIEFING, change_form_data
from tests.editorial.test_reader_pages import noted_change
from tests.pages import admin_url, page_of, parse

pytestmark = pytest.mark.django_db

IMPORT = "/admin/guidance/briefing/import/"
SLUG = "hostels"
TITLE = "Staying safe in hostels: a briefing for hostel workers"
SECTIONS = ["Why hostels matter", "Working with curfews"]
POINT = "Ask about the curfew"
QUOTE = "The curfew meant I slept outside twice that week."
ATOM = "{http://www.w3.org/2005/Atom}"


def add_link(paragraph, text, url):
    """A real Word hyperlink (python-docx has no helper for one)."""
    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:t")
    text_element.text = text
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)


def hostel_briefing_docx():
    """Written here with python-docx in the import conventions, not exported."""
    doc = Document()
    doc.add_heading(TITLE, 1)
    doc.add_paragraph("By Hostels Network")
    doc.add_paragraph("What hostel workers can do when a resident is exchanging sex.")
    doc.add_heading(SECTIONS[0], 2)
    para = doc.add_paragraph("A hostel place is ")
    para.add_run("often the last").bold = True
    para.add_run(" stop before the street, and ")
    para.add_run("rules").italic = True
    para.add_run(" can push women out. See ")
    add_link(para, "the hostel guide", "https://example.org/hostels")
    para.add_run(".")
    doc.add_paragraph("Curfews", style="List Bullet")
    doc.add_paragraph("Visitor bans", style="List Bullet")
    doc.add_paragraph(QUOTE, style="Quote")
    doc.add_paragraph("— Dee, Hostel Residents Survey")
    doc.add_heading(SECTIONS[1], 2)
    doc.add_paragraph("A missed curfew can cost a woman her place.")
    doc.add_heading(f"Practice point 1: {POINT}", 2)
    doc.add_paragraph("Ask why a resident missed the curfew before any warning.")
    doc.add_heading("Example questions", 3)
    doc.add_paragraph("Where were you last night?", style="List Bullet")
    doc.add_paragraph("Is someone keeping you out late?", style="List Bullet")
    doc.add_heading("Reflective questions", 3)
    doc.add_paragraph("Do our warnings reach the right person?", style="List Bullet")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def main_text(client, url):
    return page_of(client, url).find("main").text


def publish(client, obj, **changes):
    """Press Publish on the item's own admin page, as an editor does."""
    url = admin_url(obj)
    data = change_form_data(
        client, url, change_note="First published", _publish="Publish", **changes
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    obj.refresh_from_db()
    assert obj.status == "published", obj


def import_as_editor(client):
    upload = SimpleUploadedFile("hostels.docx", hostel_briefing_docx())
    preview = client.post(IMPORT, {"file": upload, "slug": SLUG})
    assert preview.status_code == 200
    page = parse(preview.content)
    assert "Nothing has been saved yet" in page.text
    for recognised in [*SECTIONS, POINT, "Where were you last night?", QUOTE]:
        assert recognised in page.text
    assert not Briefing.objects.filter(slug=SLUG).exists()
    token = page.find("input", attrs={"name": "token"})["value"]
    done = client.post(IMPORT, {"token": token})
    briefing = Briefing.objects.get(slug=SLUG)
    assert done["Location"] == admin_url(briefing)
    return briefing


def drafts_of(briefing):
    point = briefing.practice_points.get()
    quote = Quote.objects.get(speaker="Dee")
    return [
        *briefing.sections.all(),
        quote,
        quote.source,
        point,
        *point.prompts.all(),
        *point.reflective_questions.all(),
    ]


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


def import_and_publish(editor_client, client):
    """The briefing imported and published by an editor, in the admin only;
    ``client`` is a reader checking nothing shows until then."""
    home_before = main_text(client, "/")
    briefing = import_as_editor(editor_client)

    # Everything arrived, as drafts, and readers see none of it yet.
    assert briefing.title == TITLE and briefing.author == "Hostels Network"
    assert [s.title for s in briefing.sections.all()] == SECTIONS
    body = briefing.sections.get(title=SECTIONS[0]).body
    assert "**often the last**" in body and "*rules*" in body
    assert "[the hostel guide](https://example.org/hostels)" in body
    assert "- Curfews\n- Visitor bans" in body
    items = drafts_of(briefing)
    assert all(item.is_draft for item in [briefing, *items])
    assert main_text(client, "/") == home_before
    found = page_of(client, "/search/?q=curfew").find_all("li", class_="search-result")
    assert not found
    assert client.get(f"/briefings/{SLUG}/").status_code == 404

    # The editor says who it is for (not in the file), then publishes it all.
    response = editor_client.post(
        reverse("admin:guidance_audience_add"),
        {"name": "Hostel workers", "slug": "hostel-workers", "position": 9},
    )
    assert response.status_code == 302
    audience = briefing.audiences.model.objects.get(slug="hostel-workers")
    publish(editor_client, briefing, audiences=[audience.pk], topic="Hostels")
    for item in items:
        extra = {"audiences": [audience.pk]} if isinstance(item, PracticePoint) else {}
        publish(editor_client, item, **extra)
    return briefing


@pytest.fixture
def hostels(content, editor_client, client):
    return import_and_publish(editor_client, client)


def home_is_a_library_of_both_with_filters(client, hostels):
    page = page_of(client, "/")
    entries = page.find_all("li", class_="library-item")
    titles = [entry.find("h3").text for entry in entries]
    assert len(titles) == 2 and titles[1] == TITLE
    assert titles[0].startswith("Women involved in selling or exchanging sex")
    entry = entries[1]
    assert entry.find("h3").find("a")["href"] == f"/briefings/{SLUG}/"
    assert "Written for hostel workers" in entry.text
    assert "What hostel workers can do" in entry.text
    # The filters are a GET form: an audience narrows to the imported briefing.
    form = page.find("form", class_="filter-form")
    assert form["method"] == "get"
    filtered = page_of(client, "/?audience=hostel-workers")
    assert [h.text for h in filtered.find_all("h3")] == [TITLE]
    assert [h.text for h in page_of(client, "/?topic=Hostels").find_all("h3")] == [
        TITLE
    ]


def briefing_landing_page_and_cite_this(client, hostels):
    page = page_of(client, f"/briefings/{SLUG}/")
    assert page.find("h1").text == TITLE
    assert "By Hostels Network." in page.text
    contents = page.find("nav", class_="contents").text
    for title in [*SECTIONS, POINT]:
        assert title in contents
    assert "Recognise the diversity" not in page.text
    section = page_of(
        client, hostels.sections.get(title=SECTIONS[0]).get_absolute_url()
    )
    # Bold, italics, the list and the link came through as a reader sees them.
    body = section.find("main")
    (para,) = [p for p in body.find_all("p") if p.text.startswith("A hostel place")]
    assert [s.text for s in para.find_all("strong")] == ["often the last"]
    assert [em.text for em in para.find_all("em")] == ["rules"]
    (link,) = para.find_all("a")
    assert link.text == "the hostel guide"
    assert link["href"] == "https://example.org/hostels"
    lists = [[li.text for li in ul.find_all("li")] for ul in body.find_all("ul")]
    assert ["Curfews", "Visitor bans"] in lists
    assert QUOTE in body.text and "Dee" in body.text
    citation = page.find_all("details", class_="cite")[0].text
    assert TITLE in citation and f"/briefings/{SLUG}/" in citation
    # Cited by the year it was published here, as its page dates it.
    assert f"Hostels Network ({timezone.localdate().year}) {TITLE}." in citation


def practice_points_grouped_filtered_and_numbered_within_briefing(client, hostels):
    page = page_of(client, "/practice-points/")
    groups = page.find_all("section", class_="briefing-group")
    assert [g.find("h2").text for g in groups][1] == TITLE
    assert [h3.text for h3 in groups[1].find_all("h3")] == [POINT]
    assert POINT not in groups[0].text
    only = page_of(client, f"/practice-points/?briefing={SLUG}")
    assert [
        g.find("h2").text for g in only.find_all("section", class_="briefing-group")
    ] == [TITLE]
    point = PracticePoint.objects.get(title=POINT)
    detail = page_of(client, point.get_absolute_url())
    assert detail.find(class_="eyebrow").text == "Practice point 1"
    assert "Is someone keeping you out late?" in detail.text
    assert "Do our warnings reach the right person?" in detail.text
    # The shipped briefing's first point keeps its own number 1.
    first = PracticePoint.objects.filter(briefing__slug=BRIEFING).earliest("position")
    shipped = page_of(client, first.get_absolute_url())
    assert shipped.find(class_="eyebrow").text == "Practice point 1"


def search_narrows_to_the_briefing_and_names_it(client, hostels):
    point = PracticePoint.objects.get(title=POINT)
    page = page_of(client, f"/search/?q=curfew&briefing={SLUG}")
    results = page.find_all("li", class_="search-result")
    urls = [
        r.find("h2", class_="search-result__title").find("a")["href"] for r in results
    ]
    assert point.get_absolute_url() in urls
    for result in results:
        named = result.find_all("p", class_="search-result__briefing")
        assert [n.text for n in named] in ([f"From {TITLE}"], []), result
    assert any(r.find_all("p", class_="search-result__briefing") for r in results)
    shipped_only = page_of(client, f"/search/?q=curfew&briefing={BRIEFING}")
    assert not shipped_only.find_all("li", class_="search-result")


def handout_builder_groups_the_new_items_under_their_briefing(client, hostels):
    page = page_of(client, f"/handouts/?briefing={SLUG}")
    groups = {
        fieldset.find_all("legend")[0].text.split(" (")[0]: fieldset
        for fieldset in page.find_all("fieldset", class_="handout-group")
    }
    subgroups = {
        sub.find_all("legend")[0].text: sub
        for sub in groups["Practice points"].find_all(
            "fieldset", class_="handout-subgroup"
        )
    }
    assert POINT in subgroups[f"From {TITLE} (1)"].text
    quotes = {
        sub.find_all("legend")[0].text: sub
        for sub in groups["In their words"].find_all(
            "fieldset", class_="handout-subgroup"
        )
    }
    assert QUOTE in quotes[f"From {TITLE} (1)"].text
    point = PracticePoint.objects.get(title=POINT)
    handout = client.get(
        f"/handouts/handout/?item=practice-point:{point.slug}", follow=True
    )
    assert "Where were you last night?" in parse(handout.content).text


def feed_print_pdf_and_offline_pack_are_the_imported_briefings(client, hostels):
    feed_url = f"/whats-changed/feed/briefings/{SLUG}/"
    landing = page_of(client, f"/briefings/{SLUG}/")
    feeds = [
        link["href"] for link in landing.find_all("link", type="application/atom+xml")
    ]
    assert feed_url in feeds
    feed = ET.fromstring(client.get(feed_url).content)
    assert TITLE in feed.findtext(f"{ATOM}title")
    links = [e.get("href") for e in feed.iter(f"{ATOM}link")]
    assert any(POINT.lower().replace(" ", "-") in (href or "") for href in links)

    printed = page_of(client, f"/briefings/{SLUG}/print/")
    for text in [TITLE, *SECTIONS, POINT, QUOTE, "Where were you last night?"]:
        assert text in printed.text
    assert "Recognise the diversity" not in printed.text

    pdf = client.get(f"/briefings/{SLUG}.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    pdf_text = " ".join(
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(pdf.content)).pages
    )
    for text in [POINT, "Where were you last night?", SECTIONS[1]]:
        assert text in pdf_text
    assert "Recognise the diversity" not in pdf_text

    offline = client.get(f"/briefings/{SLUG}.html")
    assert SLUG not in offline["Content-Disposition"]
    pack = parse(offline.content.decode())
    for text in [TITLE, *SECTIONS, POINT, QUOTE]:
        assert text in pack.text
    assert "Recognise the diversity" not in pack.text


def whats_changed_filters_by_the_imported_briefing(client, hostels):
    shipped = PracticePoint.objects.filter(briefing__slug=BRIEFING).earliest("position")
    noted_change(shipped, "Clearer wording")
    everything = page_of(client, "/whats-changed/").find("main").text
    assert "Clearer wording" in everything and POINT in everything
    page = page_of(client, f"/whats-changed/?briefing={SLUG}")
    entries = " ".join(page.find("main").text.split())
    assert f"practice point {POINT}: First published" in entries
    assert f"section {SECTIONS[1]}: First published" in entries
    assert "Clearer wording" not in entries


@pytest.mark.slow  # imports a briefing, reads every feature
def test_an_imported_briefing_reaches_every_reader_feature(client, hostels):
    """One import and publish (about 4 s), then each reader feature in turn."""
    home_is_a_library_of_both_with_filters(client, hostels)
    briefing_landing_page_and_cite_this(client, hostels)
    practice_points_grouped_filtered_and_numbered_within_briefing(client, hostels)
    search_narrows_to_the_briefing_and_names_it(client, hostels)
    handout_builder_groups_the_new_items_under_their_briefing(client, hostels)
    feed_print_pdf_and_offline_pack_are_the_imported_briefings(client, hostels)
    whats_changed_filters_by_the_imported_briefing(client, hostels)
