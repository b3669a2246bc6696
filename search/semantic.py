"""The semantic signal: a small embedding model's view of what a search means.

wordllama ships its 256-dimension weights (16 MB) in its wheel, so nothing is
ever downloaded: its loader looks for the tokenizer under ``tokenizer/`` while
the wheel ships ``tokenizers/``, so the config is copied into a directory of
our own and the model is loaded with downloads turned off. Without the package
(or if it cannot load) every function here says so with None and search ranks
on words alone, as before.

Each index row keeps its item's vector (``Document.embedding``, float32
bytes, unit length), written by the indexer. The fallback's best
``RERANK`` items are re-ordered by reciprocal rank fusion of their full-text
rank and their closeness to the query (``fuse``), the first item kept.
"""

import functools
import logging
import shutil
import tempfile
from pathlib import Path

from django.conf import settings

# Imported on first use, not when Django starts: numpy and the model's code
# cost every process half a second of CPU (each gunicorn worker, manage.py call
# and test worker), and only a search needs them.
_NOT_YET = object()
wordllama = _NOT_YET

logger = logging.getLogger(__name__)

CONFIG = "l2_supercat"
# The fallback's items re-ordered (a multiple of the page size, so every
# page is cut from the same order).
RERANK = 30
# Reciprocal rank fusion: 1 / (K + rank) from each ranking, the model's
# counting for SEMANTIC_WEIGHT of the words' (chosen on the development half
# of bench/search_queries.csv, both engines).
K = 5
SEMANTIC_WEIGHT = 1.0
# What of an item is embedded: its title and the start of its text.
TEXT_WORDS = 200


@functools.cache
def model():
    """The loaded model, or None when the package is missing or will not load."""
    if _package() is None:
        return None
    try:
        config = f"{CONFIG}_tokenizer_config.json"
        shipped = Path(wordllama.__file__).parent / "tokenizers" / config
        cache = Path(tempfile.gettempdir()) / "encompass-wordllama" / "tokenizers"
        cache.mkdir(parents=True, exist_ok=True)
        if not (cache / config).exists():
            shutil.copy(shipped, cache / config)
        return wordllama.WordLlama.load(
            config=CONFIG, cache_dir=cache.parent, disable_download=True
        )
    except Exception as error:  # noqa: BLE001 - any failure: words alone
        logger.warning("Search's semantic signal is off: %s", type(error).__name__)
        return None


def _package():
    """wordllama, or None when it is not installed (search works on words alone)."""
    global wordllama
    if wordllama is _NOT_YET:
        try:
            import wordllama as package
        except ImportError:
            package = None
        wordllama = package
    return wordllama


def active():
    """The model, when settings.SEARCH_SEMANTIC leaves it on and it loads."""
    return model() if settings.SEARCH_SEMANTIC else None


def item_text(title, body):
    return " ".join([title, *body.split()[:TEXT_WORDS]])


def embed(texts):
    """[float32 bytes of each text's unit vector], or None without the model."""
    found = model()
    if found is None or not texts:
        return None
    vectors = found.embed(list(texts), norm=True).astype("float32")
    return [vector.tobytes() for vector in vectors]


def fuse(ids, vectors, query_text, tied=1):
    """``ids`` (best first by words) re-ordered with the model's closeness of
    each item (``vectors``: {id: bytes}) to ``query_text``; unchanged without
    the model or a vector for every item. The first ``tied`` items are those
    the words cannot tell apart (the same words, the same weight): the
    closest of them comes first."""
    found = active()
    if found is None or len(ids) < 2 or any(vectors.get(i) is None for i in ids):
        return ids
    import numpy  # wordllama's own dependency: here whenever the model is

    query = found.embed(query_text, norm=True).astype("float32").reshape(-1)
    items = numpy.frombuffer(b"".join(vectors[i] for i in ids), dtype="float32")
    closeness = items.reshape(len(ids), -1) @ query
    if tied > 1:
        # Only among the words' ties: the words' evidence still decides
        # whenever it can (the model alone is weak).
        lead = max(range(min(tied, len(ids))), key=lambda n: closeness[n])
        order = [lead, *(n for n in range(len(ids)) if n != lead)]
        ids, closeness = [ids[n] for n in order], closeness[order]
    by_meaning = {ids[i]: rank for rank, i in enumerate(numpy.argsort(-closeness))}
    score = {
        item: 1 / (K + rank) + SEMANTIC_WEIGHT / (K + by_meaning[item])
        for rank, item in enumerate(ids)
    }
    # Python's sort is stable: ties keep the words' order.
    fused = sorted(ids, key=lambda item: -score[item])
    # The words' best stays first: the model alone is weak, and on the
    # development half it moved right answers out of first place on
    # PostgreSQL; it helps by lifting items into the next places.
    return [ids[0], *(item for item in fused if item != ids[0])]
