"""Draft or published, the draft revisions of published items, and what the
running site keeps for itself, one module each; every model is importable from
``editorial.models``."""

from .publishable import Owned, Publishable, PublishedQuerySet, Status
from .revisions import (
    Deletion,
    PendingChange,
    Reversal,
    ScheduledChange,
)
from .site import (
    ClientCount,
    ContentVersion,
    EditorNotice,
    EmailPreference,
    Job,
    ReminderSent,
)

__all__ = [
    "ClientCount",
    "ContentVersion",
    "Deletion",
    "EditorNotice",
    "EmailPreference",
    "Job",
    "Owned",
    "PendingChange",
    "Publishable",
    "PublishedQuerySet",
    "ReminderSent",
    "Reversal",
    "ScheduledChange",
    "Status",
]
