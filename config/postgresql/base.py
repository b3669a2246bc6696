"""Django's PostgreSQL backend, with its health check under the deadline.

The health check (CONN_HEALTH_CHECKS) runs ``SELECT 1`` outside the query
wrappers: on a frozen server it would wait forever.
"""

from django.db.backends.postgresql import base

from config.middleware import deadline


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        with deadline(self):
            return super().is_usable()
