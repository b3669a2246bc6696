"""Atom feeds of "What's changed": the whole site, each briefing, each Snapshot.

Every feed is cut from the same list as the HTML page (``reader_changes``), so
a change a reader can see on /whats-changed/ is in the feeds, and nothing else.
Feeds are reader pages: cached per content version, with no cookies.
"""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from editorial import versions
from editorial.pagecache import find, reader_page
from guidance.views import published_briefings
from snapshot.models import Figure, Snapshot
from snapshot.views import snapshot_context

from .views import briefing_belongs, reader_changes

# Only when nothing readers can see was ever written: see latest_post_date.
NEVER_CHANGED = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class ChangesAtom1Feed(Atom1Feed):
    def latest_post_date(self):
        # Atom requires the feed's <updated>. Django would put "now" there when
        # the feed has no entries, so a feed reader would see it change on every
        # request (and the cached copy would claim a time nothing happened).
        # Instead: the newest change; with none, when the content readers see
        # last changed (the content version, as Last-Modified uses), a real
        # edit's time. Only a database nothing was ever written to falls back
        # to the epoch: there is no content, so there is no date to claim.
        if self.items:
            return super().latest_post_date()
        return self.feed["content_changed"] or NEVER_CHANGED


class ChangesFeed(Feed):
    """Published changes with their notes, newest first, each linking its page."""

    feed_type = ChangesAtom1Feed
    title = f"What’s changed: {settings.SITE_NAME}"
    subtitle = "Changes to this guidance, newest first, with a note of what changed."
    # This site writes the changes: the briefing's author did not make them.
    author_name = settings.SITE_NAME

    def link(self, obj):
        return reverse("whats_changed")

    def feed_url(self, obj):
        return reverse("whats_changed_feed")

    def belongs(self, obj):
        return lambda item: True

    def items(self, obj):
        belongs = self.belongs(obj)
        return [change for change in reader_changes() if belongs(change["item"])]

    def feed_extra_kwargs(self, obj):
        return {"content_changed": versions.current().changed_at}

    def item_title(self, change):
        return f"{change['kind'].capitalize()}: {change['item']}"

    def item_description(self, change):
        return change["note"]

    def item_link(self, change):
        return change["item"].get_absolute_url()

    def item_updateddate(self, change):
        return change["date"]

    def item_pubdate(self, change):
        return change["date"]

    def item_guid(self, change):
        # One id per change, stable across requests and hosts: two changes to
        # one item on the same day must not share Django's default tag URI.
        item = change["item"]
        return (
            f"tag:{settings.SITE_NAME.lower().replace(' ', '-')},"
            f"{change['date']:%Y-%m-%d}:{item._meta.label_lower}/{item.pk}/"
            f"{change['date'].timestamp():.6f}"
        )


class ItemChangesFeed(ChangesFeed):
    """The changes to one item (a briefing, a Snapshot) and what it shows."""

    url_name = None

    def title(self, obj):
        return f"What’s changed: {obj.title}"

    def link(self, obj):
        return obj.get_absolute_url()

    def feed_url(self, obj):
        return reverse(self.url_name, args=[obj.slug])


class BriefingChangesFeed(ItemChangesFeed):
    """Changes to what the whole briefing page shows, and its practice points."""

    url_name = "briefing_changes_feed"

    def get_object(self, request, slug):
        return find(published_briefings(), slug=slug)

    def belongs(self, briefing):
        return briefing_belongs(briefing)


class SnapshotChangesFeed(ItemChangesFeed):
    """Changes to a Snapshot and its figures."""

    url_name = "snapshot_changes_feed"

    def get_object(self, request, slug):
        return snapshot_context(slug)["snapshot"]

    def belongs(self, snapshot):
        def belongs(item):
            match item:
                case Snapshot():
                    return item.pk == snapshot.pk
                case Figure():
                    return item.snapshot_id == snapshot.pk
            return False

        return belongs


whats_changed_feed = reader_page()(ChangesFeed())
briefing_changes_feed = reader_page()(BriefingChangesFeed())
snapshot_changes_feed = reader_page()(SnapshotChangesFeed())
