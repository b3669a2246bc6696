"""The client's address, and per-client limits on what costs the site.

One function decides who a request comes from, for every per-client limit
(sign-in throttling, feedback, handout creation). ``X-Forwarded-For`` counts
only when the request came from a proxy listed in TRUSTED_PROXIES (nginx on
loopback, by default when BEHIND_PROXY is on), so a client reaching a node
directly cannot choose its own address.
"""

import hashlib
import hmac
import ipaddress
import logging
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import ClientCount

logger = logging.getLogger(__name__)


def _ip(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address):
    return address is not None and any(
        address in ipaddress.ip_network(network) for network in settings.TRUSTED_PROXIES
    )


def client_address(request):
    """The address of whoever sent ``request``: never one the client made up.

    From the right of X-Forwarded-For (each proxy appends the address it saw),
    skipping our own proxies: the first address a trusted proxy vouches for.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if not _trusted(_ip(remote)):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(forwarded):
        address = _ip(hop)
        if address is None:
            return remote  # garbled: fall back to what the socket says
        if not _trusted(address):
            return str(address)
    return remote


def allowed(scope, request, limit, window):
    """Count one request of ``scope`` from this client: False once over ``limit``.

    Counted in the database, atomically, under a keyed hash of the address
    (the address itself is never stored). A database that fails refuses: a
    limit that gives way when stressed is no limit.
    """
    now = timezone.now()
    day = now.date().isoformat()  # a new key each day: old hashes match nothing
    message = f"{scope}:{day}:{client_address(request)}".encode()
    key = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256)
    key = key.hexdigest()[:40]
    try:
        with transaction.atomic():
            counted = ClientCount.objects.filter(key=key, expires_at__gt=now)
            if counted.update(count=F("count") + 1):
                return counted.get().count <= limit
            ClientCount.objects.filter(expires_at__lte=now).delete()
            ClientCount.objects.update_or_create(
                key=key,
                defaults={"count": 1, "expires_at": now + timedelta(seconds=window)},
            )
            return 1 <= limit
    except IntegrityError:
        return allowed(scope, request, limit, window)  # another request began it
    except DatabaseError:
        logger.warning("Per-client limit %s refused: the database failed", scope)
        return False
