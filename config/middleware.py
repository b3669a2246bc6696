"""A frozen database costs a request a few seconds, never a worker.

PostgreSQL's statement_timeout is enforced by the server, and a server that
has stopped answering enforces nothing; the kernel still acknowledges TCP, so
keepalives don't notice either. A timer in the worker does: it interrupts the
wait, the connection is closed, and the reader gets the 503 page.
"""

import signal
import threading
from contextlib import ExitStack, contextmanager

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.db import OperationalError, connections
from django.urls import get_resolver


class DatabaseTimeout(OperationalError):
    """The database did not answer within DATABASE_TIMEOUT seconds."""


def _alarm(signum, frame):
    raise DatabaseTimeout(
        f"The database did not answer within {settings.DATABASE_TIMEOUT:g} s"
    )


@contextmanager
def deadline(connection):
    """Raise DatabaseTimeout if the block waits on the database too long.

    Timers need the main thread, where gunicorn's sync workers serve requests;
    elsewhere (a test's live server) the block runs without one.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, settings.DATABASE_TIMEOUT)
    try:
        yield
    except DatabaseTimeout:
        connection.close()  # mid-query: never reuse it
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _query_deadline(execute, sql, params, many, context):
    with deadline(context["connection"]):
        return execute(sql, params, many, context)


class DatabaseDeadlineMiddleware:
    """Every PostgreSQL query of a request is answered in time, or a 503."""

    def __init__(self, get_response):
        self.get_response = get_response
        # Settings fix each connection's engine: decided once, not per request.
        self.aliases = [
            alias for alias in connections if connections[alias].vendor == "postgresql"
        ]

    def __call__(self, request):
        if not self.aliases:
            return self.get_response(request)
        with ExitStack() as stack:
            for alias in self.aliases:
                wrapper = connections[alias].execute_wrapper(_query_deadline)
                stack.enter_context(wrapper)
            return self.get_response(request)


def _has_nul(*texts):
    return any("\x00" in text for text in texts)


def _form_has_nul(form):
    return any(_has_nul(name, *values) for name, values in form.lists())


def _address_has_nul(request):
    try:
        query = _form_has_nul(request.GET)
    except SuspiciousOperation:
        # Too many fields to read: the view answers that (the handouts say the
        # address is too long to read), meeting the same error when it reads.
        query = False
    return query or _has_nul(request.path, *request.COOKIES.values())


class RefuseNulMiddleware:
    """A NUL character anywhere in what a request sends is a 400, never a 500.

    PostgreSQL cannot store or compare text containing NUL, so a ``%00`` that
    reached a query (an admin search, a filter, a form) failed on the database
    alone. Refused here, the answer is the same on every engine. Uploaded files
    are not read: only the form's names and values. A posted form that cannot
    be read at all is Django's 400, as it would be when the view read it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _address_has_nul(request) or (
            request.method == "POST" and _form_has_nul(request.POST)
        ):
            # The site's own 400 page (handler400), as for any bad request.
            handler = get_resolver().resolve_error_handler(400)
            return handler(request, exception=BadRequest("NUL character"))
        return self.get_response(request)
