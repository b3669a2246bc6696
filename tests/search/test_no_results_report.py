"""The private report of searches that found nothing."""

import datetime

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from search import report
from search.models import NoResultSearch
from search.query import parse


def test_only_the_normalised_words_and_a_count_per_day_are_kept(client, content):
    for _ in range(2):
        response = client.get("/search/", {"q": "How do I find FOOTBALL?"})
        assert not response.cookies
    row = NoResultSearch.objects.get()
    assert (row.words, row.count, row.day) == ("football", 2, timezone.localdate())
    fields = {f.name for f in NoResultSearch._meta.fields}
    assert fields == {"id", "day", "words", "count"}


def test_a_search_with_results_is_not_counted(client, content):
    client.get("/search/", {"q": "methadone"})
    assert not NoResultSearch.objects.exists()


def test_a_page_with_no_results_is_never_cached_so_each_search_counts(client, content):
    first = client.get("/search/", {"q": "football"})
    assert "no-store" in first["Cache-Control"]
    client.get("/search/", {"q": "football"})
    assert NoResultSearch.objects.get().count == 2


def test_the_report_can_be_switched_off(client, content, settings):
    settings.SEARCH_NO_RESULTS_REPORT = False
    client.get("/search/", {"q": "football"})
    assert not NoResultSearch.objects.exists()


def test_counts_older_than_90_days_are_deleted_on_write_and_by_command(db):
    today = timezone.localdate()
    old = today - datetime.timedelta(days=91)
    NoResultSearch.objects.create(day=old, words="old", count=5)
    report.record(parse("weather"))
    assert list(NoResultSearch.objects.values_list("words", flat=True)) == ["weather"]
    NoResultSearch.objects.create(day=old, words="old", count=5)
    call_command("prune_search_report", stdout=open("/dev/null", "w"))
    assert not NoResultSearch.objects.filter(words="old").exists()


def test_editors_see_a_search_only_once_it_was_seen_three_times(admin_client, db):
    today = timezone.localdate()
    NoResultSearch.objects.create(day=today, words="twice", count=2)
    NoResultSearch.objects.create(day=today, words="thrice", count=2)
    NoResultSearch.objects.create(
        day=today - datetime.timedelta(days=1), words="thrice", count=1
    )
    html = admin_client.get(
        reverse("admin:search_noresultsearch_changelist")
    ).content.decode()
    assert "thrice" in html and "twice" not in html
    assert reverse("admin:search_synonym_add") + "?terms=thrice" in html
    assert reverse("admin:search_bestbet_add") + "?queries=thrice" in html


def test_the_safety_page_says_what_is_kept(client, db, settings):
    html = client.get("/using-this-site-safely/").content.decode()
    assert "Only the words are kept" in html and "90 days" in html
    settings.SEARCH_NO_RESULTS_REPORT = False
    for cache in caches.all():
        cache.clear()  # the page is cached per content version, not per setting
    html = client.get("/using-this-site-safely/").content.decode()
    assert "The words you search for are not kept." in html


@pytest.mark.parametrize(
    "typed",
    [
        "Jane Smithson 07700 900123",
        "Kirsty McPherson 12 Brae Road DD1 4HN",
        "my name is Aoife Brennan",
        "jsmithson@qqmailzz.zz football",
    ],
)
def test_no_name_number_address_or_postcode_is_kept(client, content, typed):
    for _ in range(3):
        client.get("/search/", {"q": typed})
    stored = " ".join(NoResultSearch.objects.values_list("words", flat=True)).split()
    # At most the common words around them ("road", "name", "football").
    assert set(stored) <= {"road", "name", "football"}, stored


def test_a_common_word_beside_an_address_is_still_counted(client, content):
    client.get("/search/", {"q": "jsmithson@qqmailzz.zz football"})
    assert NoResultSearch.objects.get().words == "football"
