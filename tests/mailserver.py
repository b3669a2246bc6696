"""A real SMTP server on loopback for tests (aiosmtpd), on a free port."""

import threading
from contextlib import contextmanager
from email import message_from_bytes
from email.policy import default

from aiosmtpd.controller import Controller

from tests.servers import free_port


class Inbox:
    """What the server received: one parsed message per delivery."""

    def __init__(self):
        self._lock = threading.Lock()
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=default)
        with self._lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def to(self, address):
        return [message for rcpt, message in self.messages if address in rcpt]

    def clear(self):
        with self._lock:
            self.messages.clear()


def text_of(message):
    return message.get_body(("plain",)).get_content()


def html_of(message):
    return message.get_body(("html",)).get_content()


@contextmanager
def smtp_server():
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()
