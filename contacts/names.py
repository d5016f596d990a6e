"""Name folding for search: one ASCII spelling and phonetic keys per name token.

A counterpart's names (family, given, native script, aliases) are stored twice in derived,
indexed columns (see `derived_name_fields`):

- `name_folded`: the lower-case ASCII transliteration of every name, space-separated and padded
  with a space at both ends, so that " garcia " is a whole word and " garc" a word prefix.
- `name_phonetic`: the keys of every name token, padded the same way:
  Double Metaphone codes (primary and alternate, upper case: "MHMT") and, for tokens of three
  consonants or more, the consonant skeleton prefixed with "=" ("=mhmd").

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
    every_name = " ".join(
        [
            family_name or "",
            given_names or "",
            native_name or "",
            (aliases or "").replace(",", " "),
        ]
    )
    folded = _pad(" ".join(dict.fromkeys(fold(every_name).split())), FOLDED_MAX)
    phonetic = _pad(" ".join(phonetic_keys(every_name)), PHONETIC_MAX)
    return folded, phonetic


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
    """One folded query token and the phonetic keys it may match by."""

    __slots__ = ("text", "keys")

    def __init__(self, text: str, keys: list[str]):
        self.text = text
        self.keys = keys

    def __repr__(self) -> str:
        return f"QueryToken({self.text!r}, {self.keys!r})"


def query_tokens(query: str) -> list[QueryToken]:
    """Split a search query into folded tokens with the keys each one may match by.

    - Latin (and Greek, …) tokens of four letters or more: their Double Metaphone codes of two
      letters or more (shorter words, often names being typed, match by spelling only).
    - Cyrillic tokens: the same, plus those of the spelling with "kh" read as "h" — Russian writes
      the Arabic and Western h as Х, transliterated kh ("Мухаммад" is "Mukhammad").
    - Arabic-script tokens: the consonant skeleton only (no vowels were written, so sound codes of
      the ASCII spelling mean nothing).
    """
    result: list[QueryToken] = []
    seen: set[str] = set()
    for word in (query or "").split():
        script = _script_of(word)
        for token in tokens(word):
            if token in seen:
                continue
            seen.add(token)
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
            result.append(QueryToken(token, keys))
    return result
