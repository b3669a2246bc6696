"""Where a link to one of this site's pages points, on the page being rendered.

On the site a link is the page's path. The offline pack is one file read
without a network, so there a link goes to the same item inside the file where
the file holds it, and to the site's full public address otherwise (still
useful once back online). The pack's template renders its body inside
``{% pack_addresses pack %}``; every link the templates (``|href``) and the
markdown write meanwhile comes from here, so nothing rewrites HTML afterwards.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import urlsplit

_current = ContextVar("site_addresses", default=None)


@dataclass(frozen=True)
class PackAddresses:
    """Addresses inside one file. ``anchors`` maps the site's address of each
    page or item the file holds (``/glossary/#ptsd``) to its anchor in the
    file; ``base`` is the site's public address."""

    base: str
    anchors: dict

    def href(self, address):
        if not address.startswith("/") or address.startswith("//"):
            return address
        anchor = self.anchors.get(address)
        if anchor is None:
            # An item the file does not hold: its page, if the file holds that.
            parts = urlsplit(address)
            anchor = None if parts.query else self.anchors.get(parts.path)
        return f"#{anchor}" if anchor else f"{self.base}{address}"


def href(address):
    """``address`` (a path on this site, or any link) as this page links to it."""
    addresses = _current.get()
    return address if addresses is None else addresses.href(str(address))


def active():
    """Whether links are being written for a file rather than the site."""
    return _current.get() is not None


@contextmanager
def using(addresses):
    """Links written inside this block follow ``addresses`` (None: the site's)."""
    token = _current.set(addresses)
    try:
        yield
    finally:
        _current.reset(token)
