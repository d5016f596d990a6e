"""Name folding for search: one ASCII spelling, spelling keys and phonetic keys per name token.

A counterpart's names (family, given, native script, aliases) are stored twice in derived,
indexed columns (see `derived_name_fields`):

- `name_folded`: the lower-case ASCII transliteration of every name, space-separated and padded
  with a space at both ends, so that " garcia " is a whole word and " garc" a word prefix.
- `name_phonetic`: the keys of every name token, padded the same way:
  Double Metaphone codes (primary and alternate, upper case: "MHMT"), for tokens of three
  consonants or more the consonant skeleton prefixed with "=" ("=mhmd"), and spelling keys
  prefixed with "~" ("~almansuri", see `spelling_key`) where they differ from the folded word.

Spelling keys answer how clerks write the same name differently without changing its sound much:
an Arabic article or particle joined, spaced or hyphenated ("Al-Mansouri", "Almansoori"),
"abdul"/"abdel"/"abd al", doubled letters, "ou"/"oo"/"u", and the Latin transliteration systems
of Slavic names ("Kowalenko"/"Kovalenko", "Tchaikovsky"/"Czajkowski"/"Chaykovskiy"). A name
written in several words also stores the key of its words joined, so that the run-together
spelling finds the spaced one.

Why two kinds of key: Latin, Cyrillic and Greek transliterations keep the vowels and differ in
how they spell sounds ("Tchaikovsky" / "Chaykovskiy"), which Double Metaphone forgives. Arabic
script writes no short vowels ("محمد" is "mhmd" in ASCII), which no sound-based code of a Latin
spelling reproduces; the consonant skeleton of "Muhammad" is that same "mhmd". Queries use the
skeleton only for tokens typed in Arabic script: a Latin query compared by skeleton alone would
flood ("Mohamed" and "Mahmoud" share one).
"""

import re
import unicodedata
from functools import lru_cache
from itertools import pairwise

from anyascii import anyascii
from metaphone import doublemetaphone

_TOKEN = re.compile(r"[a-z0-9]+")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]+")
# Latin spellings of the long vowel Arabic writes as w: Mahmoud.
_LONG_U = re.compile(r"ou|oo")
_SKELETON_DROP = re.compile(r"[aeiouy]")
_REPEAT = re.compile(r"(.)\1+")
SKELETON_MARK = "="
# Shorter skeletons ("ly" for Ali) would match half the names of a region.
MIN_SKELETON = 3
# One-letter codes ("L" for Li, Lee, Leo, Lau) are not worth the noise.
MIN_PHONETIC_KEY = 2
# Query words shorter than this match by spelling only: the sound code of "yil" (a name being
# typed) is AL, the code of every Al- name; of "hus", HS. Whole short names still match exactly.
MIN_PHONETIC_WORD = 4

SPELLING_MARK = "~"
# Spelling keys are compared for query words of at least this many letters (as phonetic keys are).
MIN_SPELLING_WORD = MIN_PHONETIC_WORD

FOLDED_MAX = 800
PHONETIC_MAX = 1000


def _arabic_ascii(match: re.Match) -> str:
    # anyascii writes hamza and ain as ' and `, which would cut a word in two ("`bd`zyz").
    return anyascii(match.group()).replace("'", "").replace("`", "")


def fold(text: str) -> str:
    """Lower-case ASCII transliteration: 'José García' -> 'jose garcia', 'Мухаммад' -> 'mukhammad'."""
    return " ".join(_TOKEN.findall(anyascii(_ARABIC.sub(_arabic_ascii, text or "")).lower()))


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


@lru_cache(maxsize=65536)
def metaphone_codes(token: str) -> tuple[str, ...]:
    """The Double Metaphone codes (primary, then alternate if different) of one folded token."""
    # The library pads some alternates with a space ("chaykovskij" -> "XKFSK "): keys must not hold one.
    codes = (code.replace(" ", "") for code in doublemetaphone(token))
    return tuple(dict.fromkeys(code for code in codes if code))


@lru_cache(maxsize=65536)
def skeleton(token: str) -> str:
    """Consonants of a folded token without repeats: 'muhammad' -> 'mhmd', 'abdullah' -> 'bdlh'.

    Vowels go (Arabic script writes none of the short ones); a Latin "ou"/"oo" stays as "w", the
    letter Arabic writes for that long vowel, so that 'mahmoud' ('mhmwd') is not 'muhammad'.
    """
    stripped = _SKELETON_DROP.sub("", _LONG_U.sub("w", token))
    return _REPEAT.sub(r"\1", stripped)


# ---------------------------------------------------------------- spelling keys

# Words that belong to the next one: Arabic articles (with the sun letters' assimilated forms),
# "abd al-", "abu", "bin"/"ibn", and the particles of European family names.
PARTICLES = frozenset(
    "al el ul il ad ed ud as es us at et ut ar er ur az ez an en ash esh ath adh "
    "abd abdul abdel abdal abdu abu abou abo bin ibn ben bint bent "
    "de da di do dos das du del della der den van von le la mac mc".split()
)
_ABD = re.compile(r"^abd(?:[aeiou]l|[aeiou](sh|[tdrzsn])(?=\1)|(?=[^aeiou]))")
# The article, whatever its vowel or its assimilation to a sun letter: el-Sayed, as-Sayyid, ash-Shamsi.
_ARTICLE = re.compile(r"^(?:[aeiu]l(?=[^aeiou])|[aeiu](sh|[tdrzsn])(?=\1))(?=[a-z]{3})")
_SON_OF = re.compile(r"^(?:ibn|ben|bn)(?=[^aeiou])")
_FATHER_OF = re.compile(r"^abo(?=[^aeiou])")
_SPELLING_RULES = [
    (re.compile(r"t?sch|tch|cz"), "ch"),
    (re.compile(r"sz"), "sh"),
    (re.compile(r"dzh|dj|zh"), "j"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"gh"), "g"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"ck|q"), "k"),
    (re.compile(r"w"), "v"),
    # c sounds k before a, o, u and at the end (Kovalenco); ts and tz are the Slavic c (Tsvetkov).
    (re.compile(r"c(?=[aou]|$)"), "k"),
    (re.compile(r"t[sz]"), "c"),
    # i, y and a j that is no consonant are one vowel: Dmitriy, Dmitrij, Dmitry; Czajkowski.
    (re.compile(r"y"), "i"),
    (re.compile(r"j(?![aeiou])"), "i"),
    (re.compile(r"(?:ou|oo)(?!$)"), "u"),  # not a final ou: Zhou is not Zhu
    (re.compile(r"ee"), "i"),
    (re.compile(r"(.)\1+"), r"\1"),
    # A final h after a vowel is not heard: Abdallah, Abdalla.
    (re.compile(r"(?<=[aeiou])h$"), ""),
]


@lru_cache(maxsize=65536)
def spelling_key(word: str) -> str:
    """The spelling of a folded word (no spaces) with the variants clerks write reduced to one:
    'almansoori' and 'elmansouri' -> 'almansuri', 'abdelrahman' -> 'abdalrahman',
    'kowalenko' -> 'kovalenko', 'chaykovskiy' and 'czajkowski' -> 'chaikovski'."""
    word = _ABD.sub("abdal", word)
    word = _ARTICLE.sub("al", word)
    word = _SON_OF.sub("bin", word)
    word = _FATHER_OF.sub("abu", word)
    for pattern, replacement in _SPELLING_RULES:
        word = pattern.sub(replacement, word)
    return word


def joined_words(words: list[str]) -> list[str]:
    """The run-together spellings of a name written in several words: each particle (or run of
    them) with the word it belongs to ('al mansouri' -> 'almansouri'), and each pair of
    neighbouring words ('jin ping' -> 'jinping')."""
    joined: list[str] = []
    run = ""
    for word in words:
        if word in PARTICLES:
            run += word
            continue
        if run:
            joined.append(run + word)
            run = ""
    joined.extend(a + b for a, b in pairwise(words) if a not in PARTICLES and b not in PARTICLES)
    return joined


def _spelling_keys(name: str) -> list[str]:
    """Spelling keys of one name (a field or an alias) that its folded words do not already hold."""
    words = tokens(name)
    keys = []
    for word in [*words, *joined_words(words)]:
        key = spelling_key(word)
        if key not in words and key not in keys and not key.isdigit():
            keys.append(key)
    return keys


def _record_keys(token: str) -> list[str]:
    keys = list(metaphone_codes(token))
    bones = skeleton(token)
    if len(bones) >= MIN_SKELETON and not bones.isdigit():
        keys.append(SKELETON_MARK + bones)
    return keys


def phonetic_keys(text: str) -> list[str]:
    """Every key stored for a text: Double Metaphone codes and consonant skeletons, no duplicates."""
    keys: list[str] = []
    for token in tokens(text):
        for key in _record_keys(token):
            if key not in keys:
                keys.append(key)
    return keys


def derived_name_fields(family_name: str, given_names: str, native_name: str, aliases: str) -> tuple[str, str]:
    """(name_folded, name_phonetic) of a counterpart, as stored. The one function that computes them:
    the model's save(), the bulk loader and the migrations all call it, so searches agree with rows."""
    names = [family_name or "", given_names or "", native_name or "", *(aliases or "").split(",")]
    every_name = " ".join(names)
    folded = _pad(" ".join(dict.fromkeys(fold(every_name).split())), FOLDED_MAX)
    spelling = [SPELLING_MARK + key for name in names for key in _spelling_keys(name)]
    keys = " ".join(dict.fromkeys([*phonetic_keys(every_name), *spelling]))
    return folded, _pad(keys, PHONETIC_MAX)


def _pad(words: str, limit: int) -> str:
    """' w1 w2 … ' cut at a word boundary so that no half key or half name is ever stored."""
    padded = f" {words} " if words else ""
    if len(padded) > limit:
        padded = padded[: padded.rfind(" ", 0, limit) + 1]
    return padded


# ---------------------------------------------------------------- query side


def _script_of(word: str) -> str:
    """'arabic', 'cyrillic' or 'other' for the first letter of a word that says which."""
    for char in word:
        if char.isalpha():
            name = unicodedata.name(char, "")
            if name.startswith("ARABIC"):
                return "arabic"
            if name.startswith("CYRILLIC"):
                return "cyrillic"
            return "other"
    return "other"


class QueryToken:
    """One folded query word (or a particle with its word: "al mansouri") and the keys it may match by."""

    __slots__ = ("text", "spelling", "keys")

    def __init__(self, text: str, keys: list[str], spelling: str = ""):
        self.text = text
        self.keys = keys
        self.spelling = spelling

    def __repr__(self) -> str:
        return f"QueryToken({self.text!r}, {self.keys!r}, {self.spelling!r})"


def _phonetic_query_keys(token: str, script: str) -> list[str]:
    keys: list[str] = []
    if script == "arabic":
        bones = skeleton(token)
        candidates = [bones]
        if bones.startswith("l") and len(bones) > MIN_SKELETON:
            # The article al- is written joined to the name: الحربي.
            candidates.append(bones[1:])
        keys.extend(SKELETON_MARK + b for b in candidates if len(b) >= MIN_SKELETON)
    elif len(token) >= MIN_PHONETIC_WORD:
        spellings = [token]
        if script == "cyrillic" and "kh" in token:
            spellings.append(token.replace("kh", "h"))
        for spelling in spellings:
            for code in metaphone_codes(spelling):
                if len(code) >= MIN_PHONETIC_KEY and code not in keys:
                    keys.append(code)
    return keys


def query_tokens(query: str) -> list[QueryToken]:
    """Split a search query into folded words with the keys each one may match by.

    - A particle (al, abdul, bin, van, …) joins the word after it: "al mansouri" is one word,
      matched as written or by the spelling key of "almansouri".
    - Latin (and Greek, …) words of four letters or more: their spelling key and their Double
      Metaphone codes of two letters or more (shorter words, often names being typed, match by
      spelling only).
    - Cyrillic words: the same, plus the codes of the spelling with "kh" read as "h" — Russian
      writes the Arabic and Western h as Х, transliterated kh ("Мухаммад" is "Mukhammad").
    - Arabic-script words: the consonant skeleton only (no vowels were written, so sound codes of
      the ASCII spelling mean nothing).
    """
    words: list[tuple[str, str]] = []
    seen: set[str] = set()
    for word in (query or "").split():
        script = _script_of(word)
        for token in tokens(word):
            if token not in seen:
                seen.add(token)
                words.append((token, script))
    result: list[QueryToken] = []
    particles: list[str] = []
    for index, (token, script) in enumerate(words):
        if token in PARTICLES and script != "arabic" and index + 1 < len(words):
            particles.append(token)
            continue
        text = " ".join([*particles, token])
        joined = "".join([*particles, token])
        spelling = spelling_key(joined) if script != "arabic" and len(joined) >= MIN_SPELLING_WORD else ""
        result.append(QueryToken(text, _phonetic_query_keys(token, script), spelling))
        particles = []
    return result
