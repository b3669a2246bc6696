"""Pages without the whitespace template indentation leaves behind.

Template tags on lines of their own leave lines of spaces, which html-validate
reports and which cost bytes on a slow phone connection. This strips trailing
spaces and blank lines from HTML responses once, before the page cache keeps
them. Text inside <pre> and <textarea> is left exactly as it was, and the
admin is left alone: a markdown line break is two trailing spaces.
"""

import re

# Blocks whose whitespace is content, kept as they are.
_KEEP = re.compile(rb"(<(pre|textarea)\b.*?</\2\s*>)", re.IGNORECASE | re.DOTALL)
_TRAILING = re.compile(rb"[ \t]+(?=\r?\n)")
_BLANK_LINES = re.compile(rb"\n(?:[ \t]*\r?\n)+")


def tidy(html):
    parts = _KEEP.split(html)
    # split() gives text, block, tag name, text, block, tag name, ...
    for index in range(0, len(parts), 3):
        text = _TRAILING.sub(b"", parts[index])
        parts[index] = _BLANK_LINES.sub(b"\n", text)
    return b"".join(part for index, part in enumerate(parts) if index % 3 != 2)


class TidyHTMLMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and not request.path_info.startswith("/admin/")
        ):
            response.content = tidy(response.content)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
