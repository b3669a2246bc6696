"""The ContentVersion row: its table, the query that reads it, and the
``Version`` it becomes (editorial.versions reads it; watchers and triggers use
the same names)."""

import datetime
from typing import NamedTuple

TABLE = "editorial_contentversion"
TRIGGER_PREFIX = "content_version_"
# PostgreSQL's NOTIFY channel: the trigger announces each new version on it.
CHANNEL = "editorial_content_version"
SELECT = f"SELECT number, token, changed_at FROM {TABLE} WHERE id = 1"


class Version(NamedTuple):
    number: int
    token: str
    changed_at: datetime.datetime | None

    @property
    def key(self):
        return f"{self.number}.{self.token}"


EMPTY = Version(0, "", None)


def row_version(row):
    if row is None:
        return EMPTY
    number, token, changed_at = row
    if isinstance(changed_at, str):  # SQLite keeps text
        changed_at = datetime.datetime.fromisoformat(changed_at)
    if changed_at is not None and changed_at.tzinfo is None:
        changed_at = changed_at.replace(tzinfo=datetime.UTC)
    return Version(number, token, changed_at)
