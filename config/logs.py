"""Log lines nobody can forge: control characters written as escapes.

A request for ``/x%0d%0aGET /admin/ 200`` would otherwise put a made-up line
in the log. Used by Django's logging (settings.LOGGING) and by gunicorn's access
log (gunicorn.conf.py).
"""

import logging
import re

from gunicorn.glogging import Logger

# C0 controls (CR, LF, tab, ESC ...), DEL and the C1 controls (NEL among them).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def escape_controls(text):
    return CONTROL_CHARACTERS.sub(lambda match: f"\\x{ord(match[0]):02x}", text)


class EscapeControlCharacters(logging.Filter):
    """Escapes control characters in a record's message (not its traceback)."""

    def filter(self, record):
        message = record.getMessage()
        if CONTROL_CHARACTERS.search(message):
            record.msg, record.args = escape_controls(message), None
        return True


class AccessLogger(Logger):
    """gunicorn's logger, with the request's own values escaped."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: escape_controls(value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }
