"""A per-address limit on feedback answers, held only in the cache.

The address itself is never kept anywhere: the cache key is an HMAC of it
under a random salt made each day and kept only in the cache, so after two
days not even a cache dump can be matched against a list of addresses. Nothing
here is logged.
"""

import hashlib
import hmac
import logging
import secrets

from django.core.cache import caches
from django.utils import timezone

logger = logging.getLogger(__name__)

# Answers one address may give within WINDOW seconds: a reader who answers
# every page they read stays well inside it.
LIMIT = 20
WINDOW = 60 * 60
SALT_SECONDS = 60 * 60 * 24 * 2


def _salt(cache):
    key = f"feedback:salt:{timezone.localdate().isoformat()}"
    cache.add(key, secrets.token_hex(16), SALT_SECONDS)
    return cache.get(key)


def allowed(address):
    """Count one answer from this address; False once it is over the limit."""
    cache = caches["default"]
    try:
        salt = _salt(cache)
        digest = hmac.new(salt.encode(), address.encode(), hashlib.sha256)
        key = f"feedback:rate:{digest.hexdigest()[:32]}"
        cache.add(key, 0, WINDOW)
        count = cache.incr(key)
    except ValueError:
        return True  # the count expired between add and incr
    except Exception:
        # A cache that fails must not stop readers answering (nor log who).
        logger.warning("Feedback rate limit skipped: the cache failed")
        return True
    return count <= LIMIT
