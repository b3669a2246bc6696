"""Images editors upload: raster images only, served back safely to readers."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import SectionFactory
from tests.pages import parse

UPLOAD = "/markdownx/upload/"
AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)


def image_file(image_format, name, content_type):
    data = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(data, image_format)
    return SimpleUploadedFile(name, data.getvalue(), content_type=content_type)


def upload(client, file):
    return client.post(UPLOAD, {"image": file}, **AJAX)


def uploaded_url(response):
    assert response.status_code == 200, response.content
    code = response.json()["image_code"]
    assert code.startswith("![](/media/markdownx/") and code.endswith(")")
    return code[4:-1]


def stored_files(settings):
    return [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("image_format", "name", "content_type"),
    [
        ("PNG", "chart.png", "image/png"),
        ("JPEG", "photo.jpg", "image/jpeg"),
        ("GIF", "icon.gif", "image/gif"),
        ("WEBP", "photo.webp", "image/webp"),
    ],
)
def test_an_uploaded_image_is_served_as_an_image(
    client, editor, image_format, name, content_type
):
    client.force_login(editor)
    url = uploaded_url(upload(client, image_file(image_format, name, content_type)))
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == "inline"
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = {part.strip() for part in response["Content-Security-Policy"].split(";")}
    assert policy == {"default-src 'none'", "img-src 'self'", "sandbox"}
    assert "max-age" in response["Cache-Control"]
    assert "Set-Cookie" not in response.headers
    body = b"".join(response.streaming_content)
    assert Image.open(io.BytesIO(body)).format == image_format


def test_an_uploaded_image_shows_in_the_preview_and_on_the_readers_page(
    client, editor, no_content
):
    client.force_login(editor)
    url = uploaded_url(upload(client, image_file("PNG", "chart.png", "image/png")))
    body = f"Before.\n\n![Bar chart of answers]({url})"
    preview = client.post("/markdownx/markdownify/", {"content": body})
    assert parse(preview.content.decode()).find("img", src=url)
    client.logout()

    section = SectionFactory(body=body)
    page = parse(client.get(section.get_absolute_url()).content.decode())
    image = page.find("main").find("img", src=url)
    assert image["alt"] == "Bar chart of answers"
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "src",
    [
        "https://tracker.example/pixel.png",
        "//tracker.example/media/pixel.png",
        "/media/../admin/",
        "data:image/png;base64,iVBORw0KGgo=",
    ],
)
def test_images_from_anywhere_but_the_uploads_are_left_out(client, no_content, src):
    section = SectionFactory(body=f"Before.\n\n![Tracker]({src})")
    page = parse(client.get(section.get_absolute_url()).content.decode())
    assert "Before." in page.find("main").text
    assert not page.find("main").find_all("img")


def test_an_image_is_stored_as_what_it_really_is(client, editor):
    client.force_login(editor)
    jpeg_called_png = image_file("JPEG", "chart.png", "image/png")
    url = uploaded_url(upload(client, jpeg_called_png))
    assert url.endswith(".jpg")
    assert client.get(url)["Content-Type"] == "image/jpeg"


REFUSED = "Only PNG, JPEG, GIF or WebP images can be uploaded"


@pytest.mark.parametrize(
    ("name", "data", "content_type", "reason"),
    [
        ("drawing.svg", SVG, "image/svg+xml", REFUSED),
        # The same script under a raster name and type: Pillow finds no image.
        ("drawing.png", SVG, "image/png", REFUSED),
        ("page.gif", b"<html><script>alert(1)</script></html>", "image/gif", REFUSED),
        ("empty.png", b"", "image/png", "The submitted file is empty"),
    ],
)
def test_svg_and_other_non_images_are_refused_with_a_reason(
    client, editor, settings, name, data, content_type, reason
):
    client.force_login(editor)
    file = SimpleUploadedFile(name, data, content_type=content_type)
    response = upload(client, file)
    assert response.status_code == 400
    message = " ".join(json.loads(response.content)["image"])
    assert reason in message
    assert stored_files(settings) == []


def test_a_refused_upload_without_the_editor_script_is_not_a_500(client, editor):
    client.force_login(editor)
    file = SimpleUploadedFile("drawing.svg", SVG, content_type="image/svg+xml")
    response = client.post(UPLOAD, {"image": file})
    assert response.status_code == 400


def test_anonymous_visitors_cannot_upload(client, settings, db):
    response = upload(client, image_file("PNG", "chart.png", "image/png"))
    assert response.status_code == 302
    assert stored_files(settings) == []


def test_uploads_can_be_switched_off(client, editor, settings):
    settings.IMAGE_UPLOADS = False
    client.force_login(editor)
    response = upload(client, image_file("PNG", "chart.png", "image/png"))
    assert response.status_code == 403
    assert "switched off" in response.json()["image"][0]
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    "url",
    [
        "/media/..%2fsecret.png",
        "/media/markdownx/..%2f..%2fsecret.png",
        "/media/%2e%2e/secret.png",
        "/media/notes.html",
        "/media/markdownx/missing.png",
        "/media/markdownx/",
    ],
)
def test_only_images_inside_the_media_folder_are_served(client, settings, db, url):
    settings.MEDIA_ROOT.mkdir(parents=True)
    (settings.MEDIA_ROOT / "markdownx").mkdir()
    (settings.MEDIA_ROOT.parent / "secret.png").write_bytes(b"not for readers")
    (settings.MEDIA_ROOT / "notes.html").write_text("<script>alert(1)</script>")
    assert client.get(url).status_code == 404


def test_an_unwritable_media_folder_gets_a_clear_message(client, editor, settings):
    # A file where the folder should be: no one can write there, root included.
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    settings.MEDIA_ROOT = settings.MEDIA_ROOT / "not-a-folder"
    settings.MEDIA_ROOT.write_text("a file, not a folder")
    client.force_login(editor)
    response = upload(client, image_file("PNG", "chart.png", "image/png"))
    assert response.status_code == 503
    assert "cannot be written to" in response.json()["image"][0]
