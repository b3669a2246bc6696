"""What a save on the change form asked for, and what it did."""

import enum
from dataclasses import dataclass
from typing import Any

# The change form's Publish button. Any other save (Save draft, or the admin's
# own "_save") keeps a draft, so a stray Enter never publishes.
PUBLISH = "_publish"


class Outcome(enum.Enum):
    """What a save did, for the message that says so."""

    WENT_LIVE = "went-live"
    DRAFT_SAVED = "draft-saved"  # an item readers cannot see
    DRAFT_OF_LIVE = "draft-of-live"  # a draft revision; readers keep the live one


@dataclass
class Edit:
    """One admin request's save: what it asks for and, once saved, what it did.

    Django's admin hands the request to every hook it calls, so the mixins
    (drafts, reverts, preview, schedules, notices) read and write this one
    object on it instead of leaving flags on the request, the item and its
    formsets.
    """

    publish: bool = False
    # A preview saves nothing, so no draft is kept and no one's edit overwritten.
    previewing: bool = False
    # The historical record a revert brings back.
    reverting_to: Any = None
    # Whether this save leaves the live item alone and keeps a draft (worked
    # out once, before anything is saved).
    keeps_a_draft: bool | None = None
    outcome: Outcome | None = None

    @property
    def reverting(self):
        return self.reverting_to is not None


def wants_publish(request):
    return request.method == "POST" and PUBLISH in request.POST


def edit_of(request):
    """The request's ``Edit``, made on first use."""
    edit = getattr(request, "editorial_edit", None)
    if edit is None:
        edit = request.editorial_edit = Edit(publish=wants_publish(request))
    return edit
