"""A page reads each piece of per-version data (every practice point, every
section) from the cache tiers once, however many briefings it lists: each read
unpickles a fresh copy of the whole lot, which at 20 briefings took seconds."""

from collections import Counter

import pytest
from django.core.cache import caches

from editorial import page_tiers
from tests.factories import second_briefing


@pytest.mark.parametrize("url", ["/", "/practice-points/", "/handouts/"])
def test_a_library_page_reads_each_shared_datum_once(client, content, monkeypatch, url):
    second_briefing()
    reads = Counter()
    cache_get = page_tiers.cache_get

    def counted(key):
        if key.startswith("data:"):
            reads[key.split(":")[1]] += 1
        return cache_get(key)

    monkeypatch.setattr(page_tiers, "cache_get", counted)
    for cache in caches.all():
        cache.clear()
    assert client.get(url).status_code == 200
    assert reads and max(reads.values()) == 1
    # Cached now: a second render of the version (another page) reads it once more.
    reads.clear()
    caches["local"].clear()
    assert client.get(url, {"audience": "housing-officers"}).status_code == 200
    assert max(reads.values()) == 1
