"""Name folding for search: one ASCII spelling and phonetic keys per name token."""

import re

from anyascii import anyascii
from metaphone import doublemetaphone

_TOKEN = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ASCII transliteration: 'José García' -> 'jose garcia', 'Мухаммад' -> 'mukhammad'."""
    return " ".join(_TOKEN.findall(anyascii(text or "").lower()))


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


def phonetic_keys(text: str) -> list[str]:
    """Double Metaphone codes (primary and alternate) of every token, without duplicates."""
    keys: list[str] = []
    for token in tokens(text):
        for code in doublemetaphone(token):
            if code and code not in keys:
                keys.append(code)
    return keys
