"""Pages leave template indentation behind; text whose spaces matter keeps them."""

from django.http import HttpResponse

from config.whitespace import TidyHTMLMiddleware, tidy


def test_trailing_spaces_and_blank_lines_go():
    html = b"<ul>  \n    \n  <li>One</li>\t\n\n\n  <li>Two</li>\n</ul>\n"
    assert tidy(html) == b"<ul>\n  <li>One</li>\n  <li>Two</li>\n</ul>\n"


def test_pre_and_textarea_keep_their_whitespace():
    kept = b'<textarea name="notes">line one  \n\n  line two  </textarea>'
    code = b"<PRE>a  \n\n b</PRE>"
    html = b"<p>x</p>   \n" + kept + b"  \n\n" + code + b" \n"
    assert tidy(html) == b"<p>x</p>\n" + kept + b"\n" + code + b"\n"


def test_pages_are_served_tidy_with_the_right_length(client, content):
    response = client.get("/practice-points/")
    body = response.content
    assert b" \n" not in body and b"\n\n" not in body
    if response.has_header("Content-Length"):
        assert int(response["Content-Length"]) == len(body)


def served(rf, path):
    page = HttpResponse(b"<p>Line break  \n\n</p>")
    return TidyHTMLMiddleware(lambda request: page)(rf.get(path)).content


def test_reader_pages_are_tidied_and_the_admin_is_left_alone(rf):
    assert served(rf, "/practice-points/") == b"<p>Line break\n</p>"
    # A markdown line break is two trailing spaces: the admin keeps every one.
    assert served(rf, "/admin/guidance/section/1/change/") == (
        b"<p>Line break  \n\n</p>"
    )
