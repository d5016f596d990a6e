"""The spill guard: classification banners and portion marks above SBU never enter the system.

This is an unclassified system. Text that carries a classified banner or portion mark
(`SECRET//NOFORN`, `(S)`, `TOP SECRET//SCI`, `TAGS: S, NF, TS` …) is refused wherever it comes in,
and the refusal is audited (`audit.classified_refused`; docs/access.md, "Spill guard"). One function decides,
`find(value, kind=...)`; the models call it from `full_clean()` (every service validates with it),
the form base and the API input serializers call it on the raw input before their own length and
choice checks, so that a long form in a short field is still refused *as classified* and audited.

Text is normalised first, so that look-alikes do not slip through: Unicode NFKC (full-width and
mathematical letters), invisible and format characters removed (category Cf: zero-width spaces,
soft hyphens, joiners; combining marks), look-alike letters folded to Latin with Unicode's
confusables table (the `confusable-homoglyphs` package: Cyrillic "Ѕ" is "S"), and upper-case
letters spelt out one by one ("S E C R E T") joined up.

What counts as a marking (prose must still save: "a secret ballot", "Confidential Secretary Ali"):
1. a level or an SCI/dissemination control joined by slashes, in any case: `SECRET//NOFORN`,
   `s//nf`, `TS//SCI`, `S/NF`, `//REL TO USA`, `//NOFORN` — unless the level is unclassified
   (`SBU//NOFORN`, `(SBU/N)`, `U//FOUO` pass);
2. a portion mark in parentheses, in upper case: `(C)`, `(S)`, `(TS)`, `(SECRET)` (`(c)` is a list
   item or a copyright sign; `(C) 2026` passes as the latter);
3. a line that is nothing but a level, in any case: `Secret`, `TOP SECRET`, `confidential noforn`;
4. an upper-case level as a banner: at the start or the end of a line set off by punctuation
   (`SECRET: …`, `… - CONFIDENTIAL`), followed by a control (`SECRET NOFORN`), or anywhere in a line
   that also has lower-case letters (`the plan is SECRET`). All upper-case prose such as a cable
   subject "…: SECRET BALLOT REFORM, 16 JUNE 2026" passes;
5. tags (`kind="tags"`): any one tag that is a level or a control, in any case (`S`, `NF`, `TS`, `SCI`);
6. the marking field (`kind="marking"`): any spelling of a classified level, `C` and `S` included.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from confusable_homoglyphs import confusables
from django.core.exceptions import ValidationError
from django.db import models

CLASSIFIED = "classified_marking"  # the error code every interface recognises (and audits)

MESSAGE = (
    "This system holds unclassified information only: classified markings (CONFIDENTIAL, SECRET, "
    "TOP SECRET) cannot be stored here."
)

# ---------------------------------------------------------------- normalisation

# Invisible code points that are not in category Cf (Hangul fillers, Khmer inherent vowels, the
# combining grapheme joiner): they render as nothing and would split a word.
_INVISIBLE = {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0}
_FOLD_TARGETS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz/()"


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """Non-ASCII look-alike -> the ASCII letter (or slash, parenthesis) it imitates.

    The table is symmetric (each character lists its look-alikes), so it is read from the ASCII
    side; where a character imitates several letters, the one of the same case wins.
    """
    table: dict[int, str] = {}
    for target in _FOLD_TARGETS:
        for glyph in confusables.confusables_data.get(target, []):
            char = glyph["c"]
            if len(char) != 1 or char.isascii():
                continue
            current = table.get(ord(char))
            if current is None or (current.isupper() != char.isupper() and target.isupper() == char.isupper()):
                table[ord(char)] = target
    return table


def normalise(value: str) -> str:
    """The text as a reader sees it: NFKC, invisible characters and combining marks gone,
    look-alike letters folded to Latin. Only for detection: stored text is kept as typed."""
    text = str(value)
    if text.isascii():
        return text  # nothing to fold, nothing invisible: the common case, kept fast
    text = unicodedata.normalize("NFKC", text)
    # One translation table for the distinct characters of this text (a few dozen), not one
    # category lookup per character of a 20,000-character summary.
    fold = _fold_table()
    table: dict[int, str | None] = {}
    for ch in set(text):
        if unicodedata.category(ch) in ("Cf", "Cs", "Co") or ord(ch) in _INVISIBLE:
            table[ord(ch)] = None
        elif ord(ch) in fold:
            table[ord(ch)] = fold[ord(ch)]
    text = unicodedata.normalize("NFD", text.translate(table))
    marks = {ord(ch): None for ch in set(text) if unicodedata.category(ch) == "Mn"}
    return unicodedata.normalize("NFC", text.translate(marks))


# Upper-case letters spelt out one by one: "S E C R E T", "S.E.C.R.E.T", "T-O-P S-E-C-R-E-T".
_SPELT_OUT = re.compile(r"(?<![A-Za-z])[A-Z](?:[\s._\-·•]+[A-Z](?![A-Za-z])){3,}")


def _joined_up(text: str) -> str:
    return _SPELT_OUT.sub(lambda m: re.sub(r"[^A-Z]", "", m.group(0)), text)


# ---------------------------------------------------------------- detection

_LEVEL = r"(?:(?:NATO|COSMIC)\s+)?(?:TOP\s*SECRET|SECRET|CONFIDENTIAL)"
_SHORT_LEVEL = r"(?:TS|S|C)"
# Controls that only exist for classified information (SCI systems, foreign-release markings).
_CONTROL = r"(?:(?:NOFORN|NF|RELIDO|SCI|SI|TK|HCS|ORCON|FVEY|PROPIN|FISA|IMCON)\b|REL\s*TO\b)"

# Unclassified levels may carry dissemination controls: these chains are taken out before rule 1.
_UNCLASSIFIED_CHAIN = re.compile(
    r"\b(?:SENSITIVE\s+BUT\s+UNCLASSIFIED|UNCLASSIFIED|SBU(?:-NF)?|CUI|U)"
    r"(?:\s*/{1,2}\s*(?:NOFORN|NF|FOUO|LES|PROPIN|SBU|N)\b)+"
)
# Rule 1 (run on the upper-cased text: slashes make it a marking in any case).
_SLASHED = [
    re.compile(rf"\b(?:{_LEVEL}|{_SHORT_LEVEL})\s*//"),
    re.compile(rf"\b(?:{_LEVEL}|{_SHORT_LEVEL})\s*/\s*{_CONTROL}"),
    re.compile(rf"(?<![:/])//\s*{_CONTROL}"),
]
# Rule 2 (case-sensitive: portion marks are upper case).
_PORTION = re.compile(rf"(?<![A-Za-z0-9])\(\s*(?:{_LEVEL}|TS|S|C(?!\)\s*\d{{4}}))\s*(?:/[^()]*)?\)")
# Rule 3 (on the upper-cased line stripped of punctuation).
_WHOLE_LINE = re.compile(rf"^{_LEVEL}(?:[\s/,]+{_CONTROL})*$")
# Rule 4 (case-sensitive).
_BANNER_AT_EDGE = [
    re.compile(rf"^[\W_]*{_LEVEL}\s*[:|\-–—](?:\s|$)"),
    re.compile(rf"[:|\-–—]\s*{_LEVEL}[\W_]*$"),
    re.compile(rf"\b(?:{_LEVEL}|TS)[\s,]+{_CONTROL}"),
]
_LEVEL_WORD = re.compile(rf"\b{_LEVEL}\b")
# Rule 6: the whole value of a marking field.
CLASSIFIED_MARKING = re.compile(
    r"^\s*(?:\(?\s*)(C|S|TS|CONFIDENTIAL|SECRET|TOP[\s_-]*SECRET)(?:\s*\)?)?(?:\s*(?://|/).*)?\s*$",
    re.IGNORECASE,
)
_TAG_MARKINGS = {
    "C", "S", "TS", "CONFIDENTIAL", "SECRET", "TOP SECRET", "TOPSECRET", "NF", "NOFORN", "SCI", "SI", "TK",
    "HCS", "ORCON", "FVEY", "RELIDO", "REL",
}  # fmt: skip
_PUNCTUATION = " \t-=*_#:|[](){}<>.,;!?\"'`~"


def _snippet(text: str) -> str:
    return " ".join(text.split())[:40]


def _token(text: str, match: re.Match) -> str:
    """The match and the rest of its word: 'TOP SECRET//' -> 'TOP SECRET//SCI'."""
    end = re.compile(r"\S*").match(text, match.end()).end()
    return _snippet(text[match.start() : end])


def _find_in_text(text: str) -> str | None:
    upper = _UNCLASSIFIED_CHAIN.sub(" ", text.upper())
    for pattern in _SLASHED:
        if match := pattern.search(upper):
            return _token(upper, match)
    if match := _PORTION.search(text):
        return _snippet(match.group(0))
    for line in text.splitlines():
        bare = line.strip(_PUNCTUATION)
        if not bare:
            continue
        if _WHOLE_LINE.match(bare.upper()):
            return _snippet(bare)
        for pattern in _BANNER_AT_EDGE:
            if match := pattern.search(line):
                return _snippet(match.group(0).strip(_PUNCTUATION))
        if any(ch.islower() for ch in line) and (match := _LEVEL_WORD.search(line)):
            return _snippet(match.group(0))
    return None


def find(value, *, kind: str = "text") -> str | None:
    """The classified marking `value` carries (as normalised, at most 40 characters), or None.

    `kind`: "text" (any free text), "tags" (comma-separated tags, or a list of them), "marking"
    (the value of a marking field).
    """
    if value is None or value == "":
        return None
    if isinstance(value, (list, tuple, set)):
        for item in value:
            if found := find(item, kind=kind):
                return found
        return None
    text = normalise(value)
    candidates = [text]
    joined = _joined_up(text)
    if joined != text:
        candidates.append(joined)
    for candidate in candidates:
        if kind == "marking" and CLASSIFIED_MARKING.match(candidate):
            return _snippet(candidate)
        if kind == "tags":
            for tag in re.split(r"[,;\n]", candidate):
                bare = " ".join(tag.strip(_PUNCTUATION).upper().split())
                if bare in _TAG_MARKINGS or bare.startswith("REL TO"):
                    return bare
        if found := _find_in_text(candidate):
            return found
    return None


def kind_for(field_name: str) -> str:
    """How to read a field by its name: the marking, a list of tags, or free text."""
    name = field_name.rsplit(".", 1)[-1]
    if name == "marking":
        return "marking"
    if name in {"tags", "default_tags"}:
        return "tags"
    return "text"


def refusal(found: str) -> ValidationError:
    """The error every interface shows (code `classified_marking`, which they audit)."""
    return ValidationError(f"{MESSAGE} Found “{found}”.", code=CLASSIFIED)


def check(**values) -> None:
    """Refuse (one ValidationError, by field) any of these values that carries a classified marking."""
    errors = {}
    for name, value in values.items():
        if found := find(value, kind=kind_for(name)):
            errors[name] = [refusal(found)]
    if errors:
        raise ValidationError(errors)


def scan_instance(instance, exclude=()) -> dict[str, ValidationError]:
    """{field name: refusal} for the text fields of a model instance that carry a classified marking."""
    errors = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude or not isinstance(field, (models.CharField, models.TextField)):
            continue
        if field.choices and field.name != "marking":
            continue  # a choice column only takes its listed values
        if found := find(getattr(instance, field.attname), kind=kind_for(field.name)):
            errors[field.name] = refusal(found)
    return errors


def classified_fields(error: ValidationError) -> dict[str, str]:
    """{field: ""} of the errors of a (model or service) ValidationError refused as classified."""
    fields = {}
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            if any(e.code == CLASSIFIED for e in errors):
                fields[name] = ""
    elif any(e.code == CLASSIFIED for e in error.error_list):
        fields["__all__"] = ""
    return fields
