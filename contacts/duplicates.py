"""Likely duplicates of a counterpart being created or renamed, with the reason for each.

Only counterparts the writer may see, at the same post, are compared: a hidden record is never
named, and the check stays silent about it. Reasons, strongest first:

    same name                  every word of the name is one of theirs, as written
    same name as an alias      … one of their aliases included
    same name, spelt otherwise the same spelling keys (joined article, doubled letters, w/v …)
    name sounds the same       the same phonetic keys
    same e-mail / same phone
    same organization and position

Typos (PostgreSQL's trigram tier) are left out: a name one letter away is usually someone else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q

from tenancy import policy

from . import names
from .models import Counterpart
from .search import EXACT, FOLDED, PHONETIC, PREFIX, search_counterparts

MAX_CANDIDATES = 8
_NOT_DIGIT = re.compile(r"\D")
# Fewer digits than this are an extension or a typo, not a number worth comparing.
MIN_PHONE_DIGITS = 6
NAME_REASONS = {
    EXACT: "same name",
    PREFIX: "same name, shortened",
    FOLDED: "same name, spelt otherwise",
    PHONETIC: "name sounds the same",
}


@dataclass(frozen=True)
class Candidate:
    counterpart: Counterpart
    reasons: tuple[str, ...]


def _name_reason(candidate: Counterpart, words: set[str]) -> str:
    if candidate.search_rank == EXACT:
        own = set(names.tokens(f"{candidate.family_name} {candidate.given_names} {candidate.native_name}"))
        if not words <= own:
            return "same name as an alias"
    return NAME_REASONS[candidate.search_rank]


def _phone_digits(phone: str) -> str:
    return _NOT_DIGIT.sub("", phone or "")


def _same_phone(visible, phone: str) -> list[int]:
    """Ids of the counterparts with the same phone number, however it was written (spaces, dashes,
    brackets): compared digit by digit in Python, over one post's numbers only."""
    digits = _phone_digits(phone)
    if len(digits) < MIN_PHONE_DIGITS:
        return []
    numbers = visible.exclude(phone="").values_list("pk", "phone")
    return [pk for pk, number in numbers if _phone_digits(number) == digits]


def likely_duplicates(user, counterpart: Counterpart) -> list[Candidate]:
    """Counterparts of `counterpart.post` that `user` may see and that may be the same person as
    `counterpart` (unsaved, or saved and being renamed: it is never its own duplicate)."""
    visible = policy.visible(user, Counterpart).filter(post_id=counterpart.post_id)
    if counterpart.pk:
        visible = visible.exclude(pk=counterpart.pk)
    reasons: dict[int, list[str]] = {}
    found: dict[int, Counterpart] = {}

    full_name = f"{counterpart.given_names} {counterpart.family_name}"
    words = set(names.tokens(full_name))
    for query in dict.fromkeys(q for q in (full_name, counterpart.native_name) if names.query_tokens(q)):
        # Typos rank last: dropped here rather than filtered in SQL, which would repeat the ranking.
        by_name = [c for c in search_counterparts(visible, query)[:MAX_CANDIDATES] if c.search_rank <= PHONETIC]
        for match in by_name:
            found.setdefault(match.pk, match)
            reasons.setdefault(match.pk, []).append(_name_reason(match, words))

    same_number = _same_phone(visible, counterpart.phone)
    contact = Q(pk__in=same_number)
    if counterpart.email:
        contact |= Q(email__iexact=counterpart.email)
    if counterpart.organization_id and counterpart.position:
        contact |= Q(organization_id=counterpart.organization_id, position__iexact=counterpart.position)
    if same_number or counterpart.email or (counterpart.organization_id and counterpart.position):
        for match in visible.filter(contact).order_by("family_name", "given_names", "pk")[:MAX_CANDIDATES]:
            found.setdefault(match.pk, match)
            mine = reasons.setdefault(match.pk, [])
            if counterpart.email and match.email.lower() == counterpart.email.lower():
                mine.append("same e-mail")
            if match.pk in same_number:
                mine.append("same phone")
            if (
                counterpart.organization_id
                and counterpart.position
                and match.organization_id == counterpart.organization_id
                and match.position.lower() == counterpart.position.lower()
            ):
                mine.append("same organization and position")
    return [Candidate(found[pk], tuple(dict.fromkeys(why))) for pk, why in list(reasons.items())[:MAX_CANDIDATES]]
