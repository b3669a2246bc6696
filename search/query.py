"""What a reader typed, made safe and meaningful for any search engine.

The reader's text never reaches an engine as syntax: it is cut into plain words
(letters and digits only), so FTS5 and tsquery operators, quotes, brackets,
NUL bytes, emoji and HTML simply disappear. Phrases in double quotes stay
phrases; synonyms an editor maintains widen a term into all its equivalents.
"""

import functools
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


# Words of a question or a request that say nothing about its topic: "what
# should I do if...", "is it ok to...", "tell me about...". Left out like stop
# words, and the page says which words it left out.
FILLER = frozenset(
    """
    many much tell tells told say says said ok okay alright please know knows
    think someone somebody anyone anybody something thing things like find get
    gets got getting go going really best way ways mean means meaning
    definition define explain advice stand stands guidance info may might must shall whats
    hows whos wheres im ive id can could cannot also anything everything yo yrs
    """.split()
)
# Words that ask for a number: they favour figures, and are left out.
NUMBER_WORDS = frozenset(
    """
    percentage percentages percent proportion proportions statistics statistic
    stats figures figure rate rates number numbers
    """.split()
)
# Words of a search for a service to contact or refer to: organisations and
# resources first (kept as words: "referral" still finds the guidance on it).
SERVICE_WORDS = frozenset(
    """
    service services refer referral referrals referring signpost signposting
    contact contacts helpline helplines organisation organisations charity
    charities phone telephone
    """.split()
)
# Words of a search for someone to refer to or contact: the page points to
# Local support, and its organisations come first among the services.
CONTACT_WORDS = frozenset(
    "referral referrals refer referring signpost signposting contact contacts"
    " phone telephone".split()
)
QUESTION_WORDS = frozenset(
    "what when where which who whom why how is are can could should do does did "
    "will would".split()
)
# Negative contractions, bare ("wont") or as typed ("won't" is read as "wont").
NEGATIONS = frozenset(
    """
    cant wont dont doesnt didnt isnt wasnt werent arent havent hasnt hadnt
    couldnt shouldnt wouldnt mustnt neednt shant aint
    """.split()
)
# Contractions typed without their apostrophe on a phone ("shes", "cant"):
# stop words once the apostrophe is back ("she's": "she"), so left out too.
# Not "shell", "hell", "well", "were", "wed", "ill": those are words.
BARE_CONTRACTIONS = (
    frozenset(
        """
    shes hes youre youve youd theyre theyve theyd thats theres heres whos
    whats wheres hows ive im lets itll shell hed
    """.split()
    )
    - {"shell"}
) | NEGATIONS
IGNORED = STOP_WORDS | FILLER | NUMBER_WORDS | BARE_CONTRACTIONS
# Phone spellings of little words: "her kids r in care", "sex 4 drugs". The
# topic's own phone words (pics, bf, msgs) are vocabulary, kept with the rest
# (search/migrations/0018_situation_vocabulary.py).
PHONE_WORDS = {
    "r": "are",
    "u": "you",
    "ur": "your",
    "n": "and",
    "b4": "before",
    "pls": "please",
    "plz": "please",
}
# "4" and "2" stand for "for" and "to" only between two words ("sex 4 drugs"),
# never in a figure ("4 women").
PHONE_DIGITS = {"4": "for", "2": "to"}
# Letters run into digits ("under18", "16yo") are two words.
LETTERS_DIGITS = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
# Abbreviations that are also stop words ("OF": OnlyFans) are searched for
# only when typed in capitals and the vocabulary names them.
CAPITALS = re.compile(r"\b[A-Z]{2,5}\b")
# "won't", "can't", "don't": one word, as typed on a phone ("wont"), never a
# stray "won" or "ca"; it is left out like a stop word, but a vocabulary term
# may hold it as "not" ("not tell": see ``key``). "women's", "she'll": the
# word before the apostrophe stays.
CONTRACTION = re.compile(r"(\w+)['’](t|s|re|ve|ll|d|m)\b", re.IGNORECASE)


def _without_contractions(text):
    def replace(match):
        word, tail = match.group(1), match.group(2).lower()
        if tail == "t" and word.lower().endswith("n"):
            bare = word.lower() + "t"
            return bare if bare in NEGATIONS else "not"
        return word

    return CONTRACTION.sub(replace, text)


def words_of(text):
    return [w.lower() for w in WORD.findall(text)]


def phone_words(words):
    """Phone spellings of little words as the words they stand for."""
    out = []
    for n, word in enumerate(words):
        if word in PHONE_DIGITS and 0 < n < len(words) - 1:
            before, after = words[n - 1], words[n + 1]
            if before.isalpha() and after.isalpha():
                word = PHONE_DIGITS[word]
        out.append(PHONE_WORDS.get(word, word))
    return out


def key(word):
    """A word as synonyms are looked up: "punters" finds the entry for "punter";
    "wont", "doesnt" (and "won't") find terms written with "not" ("not tell")."""
    if word in NEGATIONS:
        return "not"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


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
    # The reader's words that were left out (question words, filler), in order.
    ignored: list = field(default_factory=list)
    # The words that were searched for, in order: best bets and the report
    # compare searches by these.
    words: list = field(default_factory=list)
    # A question asking for a number ("how many", "what proportion"): figures first.
    numeric: bool = False
    # A question asking what a term means ("what is CSE"): glossary terms first.
    defining: bool = False
    # The reader put words in double quotes (a speaker's words, a title).
    quoted: bool = False
    # A search for a service to contact or refer to (not for a number):
    # organisations and resources first.
    services: bool = False

    @property
    def contacts(self):
        """A search for someone to refer to or contact ("referral", "phone
        number for Routes Out")."""
        return self.services and bool(CONTACT_WORDS & set(self.words))

    @property
    def topics(self):
        """The groups that are not service words ("mums avoiding services":
        mums, avoiding): what the service is for."""
        return [
            group
            for group in self.groups
            if not any(len(a) == 1 and a[0] in SERVICE_WORDS for a in group)
        ]

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
        # A word replaced by nothing leaves no double space behind.
        return parse(" ".join(text.split()), synonyms)


def _variants(word):
    """The word, plus its plural or singular when it has no vowel (PhD, GPs).

    Stemmers leave such abbreviations alone (PostgreSQL keeps "phds"), so
    "PhD" would miss "PhDs" on one engine and find it on the other.
    """
    stem = word[:-1] if word.endswith("s") else word
    if len(stem) < 2 or VOWELS.search(stem) or stem.isdigit():
        return ((word,),)
    return ((word,), (stem,) if stem != word else (word + "s",))


def _phrases(terms):
    return tuple(dict.fromkeys(tuple(words_of(t)) for t in terms if words_of(t)))


def _synonym_index(synonyms):
    """{first word's key: [(keys of a term, alternatives), ...]}, longest first.

    ``synonyms``: entries of equivalent terms (each finds the others), or
    (terms, everything they find) pairs: one-way entries, whose extra words do
    not find the terms back (see ``Synonym.entry``).
    """
    index = {}
    for entry in synonyms:
        if len(entry) == 2 and not isinstance(entry[0], str):
            typed, alternatives = _phrases(entry[0]), _phrases(entry[1])
        else:
            typed = alternatives = _phrases(entry)
        # "of" (OnlyFans) is typed, never searched for: it would match everything.
        alternatives = tuple(
            a for a in alternatives if not all(w in STOP_WORDS for w in a)
        )
        if not alternatives:
            continue
        for term in typed:
            keys = tuple(map(key, term))
            # A phrase of stop words and one word ("in care") is that one
            # common word to PostgreSQL: it would bring in every item using
            # it, there alone. Found only when typed.
            # A phrase with "not" is never searched: PostgreSQL drops the stop
            # word ("not tell" is "tell" there), SQLite keeps it.
            found = tuple(
                a
                for a in alternatives
                if "not" not in a and (a == term or not weak_phrase(a))
            )
            index.setdefault(keys[0], []).append((keys, found or alternatives))
    for entries in index.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return index


# Stop words left of a contraction or a prefix ("re-traumatisation"): part
# of a word, not a phrase's function word.
WORD_PARTS = frozenset("s d ll m re ve don t".split())


def weak_phrase(phrase):
    """True for a phrase of function words and a single other word ("in care")."""
    function_words = [w for w in phrase if w in STOP_WORDS - WORD_PARTS]
    return bool(function_words) and len(phrase) - len(function_words) < 2


def _frozen(synonyms):
    """Synonyms as nested tuples, so their index can be kept (it takes ms)."""
    return tuple(
        tuple(entry) if isinstance(entry[0], str) else tuple(map(tuple, entry))
        for entry in synonyms
    )


@functools.lru_cache(maxsize=8)
def _kept_index(frozen):
    return _synonym_index(frozen)


def _groups_of_words(words, index, capitals=frozenset()):
    groups, checkable, used, ignored, i = [], [], [], [], 0
    keys = [key(word) for word in words]
    while i < len(words):
        for term, alternatives in index.get(keys[i], ()):
            if term == (words[i],) and words[i] in IGNORED and words[i] not in capitals:
                continue  # "of", unless typed as "OF"
            if tuple(keys[i : i + len(term)]) == term:
                groups.append(alternatives)
                used += words[i : i + len(term)]
                i += len(term)
                break
        else:
            word = words[i]
            if word in IGNORED:
                ignored.append(word)
            else:
                groups.append(_variants(word))
                used.append(word)
                if word.isalpha() and len(word) >= 4 and key(word) not in index:
                    checkable.append(word)
            i += 1
    return groups, checkable, used, ignored


def _defining(words):
    if {"meaning", "definition", "define", "stands"} & set(words):
        return True
    if words[-2:] in (["stand", "for"], ["stands", "for"]) or words[-1:] == ["mean"]:
        return True
    return words[:2] in (["what", "is"], ["what", "are"]) or words[:1] == ["whats"]


# "at 16", "aged 15": an age, not a question about numbers.
AGE_WORDS = frozenset({"at", "aged", "age"})


def _numeric(text, words):
    ages = {n for n, w in enumerate(words) if n and words[n - 1] in AGE_WORDS}
    numbers = [w for n, w in enumerate(words) if n not in ages]
    if "%" in text or any(w in NUMBER_WORDS or w.isdigit() for w in numbers):
        return True
    pairs = set(zip(words, words[1:], strict=False))
    return bool(pairs & {("how", "many"), ("how", "much"), ("how", "often")})


def parse(text, synonyms=()):
    """Reader's text to a Query. ``synonyms``: lists of equivalent terms."""
    text, truncated = _clean(text)
    index = _kept_index(_frozen(synonyms))
    groups, checkable, loose, used, ignored = [], [], [], [], []
    # Capitals mean an abbreviation, unless the whole search is in capitals.
    capitals = set() if text.isupper() else {w.lower() for w in CAPITALS.findall(text)}
    pieces = QUOTED.split(_without_contractions(LETTERS_DIGITS.sub(" ", text)))
    # QUOTED.split alternates: outside quotes, inside quotes, outside, ...
    for inside, piece in enumerate(pieces):
        words = words_of(piece)
        if inside % 2:
            if words:
                groups.append((tuple(words),))
                used += words
        else:
            words = phone_words(words)
            loose += words
            more, more_checkable, more_used, more_ignored = _groups_of_words(
                words, index, capitals
            )
            groups += more
            checkable += more_checkable
            used += more_used
            ignored += more_ignored
    unique = list(dict.fromkeys(groups))
    if len(unique) > MAX_TERMS:
        unique, truncated = unique[:MAX_TERMS], True
    # Typed words in order, to rank items with the exact phrase above scattered
    # words; for one word that synonyms widened, items using the word the reader
    # typed above those using only its synonyms.
    widened = len(unique) == 1 and len(unique[0]) > 1
    typed = 2 <= len(loose) <= 8 or (len(loose) == 1 and widened)
    phrase = tuple(loose) if len(pieces) == 1 and typed else ()
    question = loose[:1] and loose[0] in QUESTION_WORDS
    if len(pieces) == 1 and (question or set(ignored) & (FILLER | NUMBER_WORDS)):
        # A question's own words, in order, make the phrase to prefer.
        phrase = tuple(used) if len(used) >= 2 else ()
    # "phone number" is a contact, not a question about numbers.
    numeric = _numeric(text, [w for w in loose if w not in used or w.isdigit()])
    return Query(
        text=text,
        groups=unique,
        phrase=phrase if unique else (),
        truncated=truncated,
        checkable=list(dict.fromkeys(checkable)),
        ignored=list(dict.fromkeys(w for w in ignored if w not in used)),
        words=[w for w in used if w not in IGNORED],
        numeric=numeric,
        defining=_defining(loose),
        quoted=len(pieces) > 1,
        # "why do mothers avoid services" asks for reasons, not a contact; a
        # question about numbers keeps figures first.
        services=bool(SERVICE_WORDS & set(loose))
        and loose[:1] != ["why"]
        and not numeric,
    )
