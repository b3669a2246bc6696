"""Saved handouts nobody uses are pruned; used ones stay."""

import datetime

from django.core.management import call_command
from django.http import QueryDict
from django.utils import timezone

from handouts.models import SavedHandout

ADDRESS = "/handouts/handout/?item=figure%3Adomestic-abuse&title="


def test_unused_handouts_are_pruned_and_used_ones_kept(client, content, settings):
    settings.HANDOUT_KEEP_DAYS = 30
    for title in ("Old", "Opened", "Made+again"):
        assert client.get(ADDRESS + title).status_code == 302
    long_ago = timezone.localdate() - datetime.timedelta(days=31)
    SavedHandout.objects.update(used_on=long_ago)
    opened = SavedHandout.objects.get(query__contains="title=Opened")
    assert client.get(opened.get_absolute_url()).status_code == 200
    assert client.get(ADDRESS + "Made+again").status_code == 302

    call_command("prune_handouts", stdout=open("/dev/null", "w"))

    kept = sorted(QueryDict(h.query)["title"] for h in SavedHandout.objects.all())
    assert kept == ["Made again", "Opened"]
    assert client.get(opened.get_absolute_url()).status_code == 200
