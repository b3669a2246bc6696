"""What a reader typed, made safe and meaningful for any search engine.

The reader's text never reaches an engine as syntax: it is cut into plain words
(letters and digits only), so FTS5 and tsquery operators, quotes, brackets,
NUL bytes, emoji and HTML simply disappear. Phrases in double quotes stay
phrases; synonyms an editor maintains widen a term into all its equivalents.
"""

import re
import unicodedata
from dataclasses import dataclass, field

# Cut very long input before any work; a query this long is a paste, not a search.
MAX_CHARS = 500
MAX_TERMS = 16
WORD = re.compile(r"[^\W_]+")
QUOTED = re.compile(r'"([^"]*)"')
VOWELS = re.compile(r"[aeiouy]")

# PostgreSQL's English stop words, so both engines ignore the same words.
STOP_WORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been
    before being below between both but by can could did do does doing down during
    each few for from further had has have having he her here hers herself him
    himself his how i if in into is it its itself just me more most my myself no nor
    not now of off on once only or other ought our ours ourselves out over own same
    she should so some such t than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your yours yourself
    yourselves s d ll m re ve don
    """.split()
)


def words_of(text):
    return [w.lower() for w in WORD.findall(text)]


def _clean(text):
    """Control characters (NUL included) become spaces; length is capped."""
    text = "".join(
        " " if unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co"} else ch
        for ch in (text or "")[: MAX_CHARS * 4]
    )
    text = " ".join(text.split())
    truncated = len(text) > MAX_CHARS
    return text[:MAX_CHARS], truncated


@dataclass
class Query:
    """A search as engines need it: every group must match (or any, as a fallback).

    A group is a tuple of alternatives; an alternative is a phrase (a tuple of
    words). ``fire`` is ``(("fire",),)``; ``CSE`` with its synonyms is
    ``(("cse",), ("child", "sexual", "exploitation"))``.
    """

    text: str
    groups: list = field(default_factory=list)
    phrase: tuple = ()
    truncated: bool = False
    # Single words a reader typed that could be misspelt: candidates for "Did you mean".
    checkable: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.groups)

    @property
    def only_stop_words(self):
        return bool(self.text) and not self.groups and bool(words_of(self.text))

    def replaced(self, corrections, synonyms):
        """The same query with misspelt words swapped for their corrections."""
        text = WORD.sub(
            lambda m: corrections.get(m.group().lower(), m.group()), self.text
        )
        return parse(text, synonyms)


def _variants(word):
    """The word, plus its plural or singular when it has no vowel (PhD, GPs).

    Stemmers leave such abbreviations alone (PostgreSQL keeps "phds"), so
    "PhD" would miss "PhDs" on one engine and find it on the other.
    """
    stem = word[:-1] if word.endswith("s") else word
    if len(stem) < 2 or VOWELS.search(stem) or stem.isdigit():
        return ((word,),)
    return ((word,), (stem,) if stem != word else (word + "s",))


def _synonym_index(synonyms):
    """{first word: [(words of a term, alternatives), ...]}, longest terms first."""
    index = {}
    for terms in synonyms:
        alternatives = tuple(tuple(words_of(t)) for t in terms if words_of(t))
        for alternative in alternatives:
            index.setdefault(alternative[0], []).append((alternative, alternatives))
    for entries in index.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return index


def _groups_of_words(words, index):
    groups, checkable, i = [], [], 0
    while i < len(words):
        for term, alternatives in index.get(words[i], ()):
            if tuple(words[i : i + len(term)]) == term:
                groups.append(alternatives)
                i += len(term)
                break
        else:
            word = words[i]
            if word not in STOP_WORDS:
                groups.append(_variants(word))
                if word.isalpha() and len(word) >= 4:
                    checkable.append(word)
            i += 1
    return groups, checkable


def parse(text, synonyms=()):
    """Reader's text to a Query. ``synonyms``: lists of equivalent terms."""
    text, truncated = _clean(text)
    index = _synonym_index(synonyms)
    groups, checkable, loose = [], [], []
    pieces = QUOTED.split(text)
    # QUOTED.split alternates: outside quotes, inside quotes, outside, ...
    for inside, piece in enumerate(pieces):
        words = words_of(piece)
        if inside % 2:
            if words:
                groups.append((tuple(words),))
        else:
            loose += words
            more, more_checkable = _groups_of_words(words, index)
            groups += more
            checkable += more_checkable
    unique = list(dict.fromkeys(groups))
    if len(unique) > MAX_TERMS:
        unique, truncated = unique[:MAX_TERMS], True
    # Typed words in order, to rank items with the exact phrase above scattered
    # words; for one word that synonyms widened, items using the word the reader
    # typed above those using only its synonyms.
    widened = len(unique) == 1 and len(unique[0]) > 1
    typed = 2 <= len(loose) <= 8 or (len(loose) == 1 and widened)
    phrase = tuple(loose) if len(pieces) == 1 and typed else ()
    return Query(
        text=text,
        groups=unique,
        phrase=phrase if unique else (),
        truncated=truncated,
        checkable=list(dict.fromkeys(checkable)),
    )
