"""A frozen database costs a request a few seconds, never a worker.

PostgreSQL's statement_timeout is enforced by the server, and a server that
has stopped answering enforces nothing; the kernel still acknowledges TCP, so
keepalives don't notice either. A timer in the worker does: it interrupts the
wait, the connection is closed, and the reader gets the 503 page.
"""

import signal
import socket
import threading
from contextlib import ExitStack, contextmanager

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.db import OperationalError, connections
from django.http import HttpResponseNotAllowed
from django.urls import get_resolver


class DatabaseTimeout(OperationalError):
    """The database did not answer within DATABASE_TIMEOUT seconds."""


def _alarm(signum, frame):
    raise DatabaseTimeout(_late())


def _cut(connection):
    """Shut a connection's socket: a read waiting on it returns at once."""
    try:
        fd = connection.connection.fileno()
        # A duplicate of the descriptor: shutdown acts on the socket itself.
        with socket.fromfd(fd, socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except (AttributeError, OSError, ValueError):
        pass  # already closed


@contextmanager
def _watchdog(connection):
    """The deadline outside the main thread (gunicorn's gthread workers).

    Signals reach the main thread only, so a timer thread cuts the
    connection's socket instead, and the waiting query fails at once.
    """
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def fire():
        with lock:
            if not state["done"]:
                state["fired"] = True
                _cut(connection)

    timer = threading.Timer(settings.DATABASE_TIMEOUT, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    except Exception as error:
        if not state["fired"]:
            raise
        try:
            connection.close()  # cut mid-query: never reuse it
        except Exception:  # it is gone either way
            pass
        raise DatabaseTimeout(_late()) from error
    finally:
        with lock:
            state["done"] = True
        timer.cancel()


def _late():
    return f"The database did not answer within {settings.DATABASE_TIMEOUT:g} s"


@contextmanager
def deadline(connection):
    """Raise DatabaseTimeout if the block waits on the database too long.

    In the main thread (sync workers) a timer signal interrupts the wait;
    in other threads (gthread workers, a test's live server) a watchdog
    thread cuts the connection.
    """
    if threading.current_thread() is not threading.main_thread():
        with _watchdog(connection):
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


class KnownMethodsMiddleware:
    """Only the methods the site uses: TRACE, OPTIONS and the rest get a 405.

    Function views answer any method in full, so a TRACE or OPTIONS was
    served the page; it is refused before any view runs.
    """

    ALLOWED = ("GET", "HEAD", "POST")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.ALLOWED:
            return HttpResponseNotAllowed(self.ALLOWED)
        return self.get_response(request)
