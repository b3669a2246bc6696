"""What one feature hides stays hidden in every other: search, handouts, PDFs."""

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from guidance.models import Quote
from practice_points.models import PracticePoint
from snapshot.models import Figure
from tests.pages import parse


def pdf_text(response):
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.mark.slow  # renders PDFs
def test_withdrawn_quote_leaves_search_handouts_and_pdfs(client, content):
    handout = "/handouts/handout/?title=Session&item=quote:wendy-box&item=resource:tara"
    assert "Wendy" in client.get("/search/?q=lid+box+panic").content.decode()
    handout = client.get(handout)["Location"]  # its short address
    assert "lid comes off" in client.get(handout).content.decode()

    quote = Quote.objects.get(slug="wendy-box")
    quote.withdrawn_at = timezone.now()
    quote.withdrawn_by = "editor"
    quote.save()

    assert (
        "lid comes off" not in client.get("/search/?q=lid+box+panic").content.decode()
    )
    assert "lid comes off" not in client.get(handout).content.decode()
    assert "lid comes off" not in pdf_text(client.get(handout.rstrip("/") + ".pdf"))
    point_pdf = client.get("/practice-points/long-term-impact.pdf")
    assert "lid comes off" not in pdf_text(point_pdf)
    assert "lid comes off" not in client.get("/in-their-words/").content.decode()


def test_draft_practice_point_leaves_search_and_handouts(client, content):
    point = PracticePoint.objects.get(slug="the-exchange-may-not-be-for-money")
    point.status = "draft"
    point.save()
    results = client.get("/search/?q=food+shelter").content.decode()
    assert point.get_absolute_url() not in results
    handout = client.get(
        f"/handouts/handout/?item=practice-point:{point.slug}&item=resource:tara",
        follow=True,
    )
    assert "survival" not in handout.content.decode().lower().split("<main")[1]
    builder = parse(client.get("/handouts/").content)
    assert not builder.find_all("input", value=f"point:{point.slug}")
    assert point.title not in builder.text


def test_suppressed_figure_never_leaks_its_number_in_search(client, content):
    figure = Figure.objects.get(slug="images-under-16")
    figure.display = "suppressed"
    figure.save()
    html = client.get("/search/?q=intimate+images+online").content.decode()
    assert "fewer than 5" in html
    assert "3 women" not in html
