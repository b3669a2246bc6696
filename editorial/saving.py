"""What a save on the change form asked for, and what it did."""

# The change form's Publish button. Any other save (Save draft, or the admin's
# own "_save") keeps a draft, so a stray Enter never publishes.
PUBLISH = "_publish"


class Outcome:
    """What a save did, for the message that says so."""

    WENT_LIVE = "went-live"
    DRAFT_SAVED = "draft-saved"  # an item readers cannot see
    DRAFT_OF_LIVE = "draft-of-live"  # a draft revision; readers keep the live one


def wants_publish(request):
    return request.method == "POST" and PUBLISH in request.POST
