"""Django's log lines escape control characters, so none can be forged."""

import io
import logging

import pytest

from config.logs import EscapeControlCharacters, escape_controls


@pytest.fixture
def console():
    """What the site's console log handler writes, as text."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, EscapeControlCharacters) for f in h.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_line_breaks_in_a_logged_value_are_escaped(console):
    path = "/x\r\n[01/Jan/2030] forged line"
    logging.getLogger("django.request").warning("Not Found: %s", path)
    assert console.getvalue() == "Not Found: /x\\x0d\\x0a[01/Jan/2030] forged line\n"


def test_line_breaks_in_a_message_itself_are_escaped(console):
    logging.getLogger("editorial").error("Saved\nERROR forged\x1b[2J\x7f")
    assert console.getvalue() == "Saved\\x0aERROR forged\\x1b[2J\\x7f\n"


def test_a_traceback_keeps_its_lines(console):
    try:
        raise ValueError("broken")
    except ValueError:
        logging.getLogger("django.request").exception("Internal Server Error: /")
    lines = console.getvalue().splitlines()
    assert lines[0] == "Internal Server Error: /"
    assert lines[-1] == "ValueError: broken"


@pytest.mark.parametrize(
    ("text", "escaped"),
    [("plain text", "plain text"), ("tab\there", "tab\\x09here"), ("\x85", "\\x85")],
)
def test_escape_controls(text, escaped):
    assert escape_controls(text) == escaped
