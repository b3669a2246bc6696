import pytest

from guidance.markdown import render_markdown
from tests.factories import SectionFactory

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=//evil.example></iframe>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<svg onload=alert(1)>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_is_sanitised(no_content, text):
    html = str(render_markdown(text)).lower()
    for bad in (
        "<script",
        "onerror",
        "javascript:",
        "<iframe",
        "onload",
        "style=",
        "<svg",
    ):
        assert bad not in html


def test_markdown_keeps_ordinary_formatting(no_content):
    html = str(
        render_markdown(
            "Some **bold** text\n\n- one\n- two\n\n[link](https://example.org)"
        )
    )
    assert "<strong>bold</strong>" in html
    assert "<li>one</li>" in html
    assert 'href="https://example.org"' in html


def test_unknown_data_token_is_shown_as_not_available(no_content):
    assert "[not available]" in str(render_markdown("See [[figure:nothing-here]]."))


def test_hostile_markdown_saved_in_admin_never_reaches_a_reader(client, no_content):
    section = SectionFactory(
        body="Hello <script>alert('x')</script> <img src=x onerror=alert(1)>",
    )
    html = client.get(section.get_absolute_url()).content.decode()
    assert "Hello" in html
    assert "<script>alert" not in html and "onerror" not in html


def test_markdownx_preview_is_sanitised_and_staff_only(client, admin_client):
    payload = {"content": "**hi** <script>alert(1)</script>"}
    assert client.post("/markdownx/markdownify/", payload).status_code == 302
    response = admin_client.post("/markdownx/markdownify/", payload)
    assert response.status_code == 200
    assert "<strong>hi</strong>" in response.content.decode()
    assert "<script" not in response.content.decode()


def test_markdownx_upload_refuses_anonymous_visitors(client):
    assert client.post("/markdownx/upload/", {}).status_code == 302


def test_qr_code_is_an_inline_svg_and_gives_up_on_absurd_addresses():
    from guidance.templatetags.guidance_tags import qr_code

    assert qr_code("https://guidance.example.org/practice-points/").startswith("<svg")
    assert qr_code("https://example.org/" + "a" * 5000) == ""


@pytest.mark.parametrize(
    "src",
    [
        "/media/%2e%2e/admin/",
        "/media/%2E%2E/%2e%2e/etc/passwd",
        "/media/markdownx/..%2fsecret.png",
        "/media/markdownx/%5c..%5cadmin",
    ],
)
def test_an_encoded_way_out_of_the_uploads_is_no_image(db, src):
    html = render_markdown(f'<img src="{src}" alt="chart">')
    assert "<img" not in html


def test_an_uploaded_image_is_kept(db):
    html = render_markdown('<img src="/media/markdownx/chart.png" alt="chart">')
    assert 'src="/media/markdownx/chart.png"' in html
