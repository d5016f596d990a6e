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

import copy
import re
from dataclasses import dataclass

from django.db import connections
from django.db.models import F, Func, Q, Value

from tenancy import policy

from . import names
from .models import Counterpart
from .search import EXACT, FOLDED, MAX_QUERY_TOKENS, PHONETIC, PREFIX, search_counterparts, word_conditions

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


def _same_phone(visible, phone: str) -> Q | list[int] | None:
    """The counterparts with the same phone number, however it was written (spaces, dashes,
    brackets), compared digit by digit: on PostgreSQL a condition for the contact query (the
    digits stripped in SQL), elsewhere the ids found among one post's numbers in Python.
    None when the number is too short to compare."""
    digits = _phone_digits(phone)
    if len(digits) < MIN_PHONE_DIGITS:
        return None
    if connections[visible.db].vendor == "postgresql":
        return Q(phone_digits=digits)
    numbers = visible.exclude(phone="").values_list("pk", "phone")
    return [pk for pk, number in numbers if _phone_digits(number) == digits]


def _with_phone_digits(visible):
    return visible.annotate(
        phone_digits=Func(F("phone"), Value(r"\D"), Value(""), Value("g"), function="REGEXP_REPLACE")
    )


def _assemble(
    counterpart: Counterpart, name_matches: list[Counterpart], contact_matches: list[Counterpart], same_number
) -> list[Candidate]:
    """Candidates with their reasons: name matches first (best first), then contact matches."""
    words = set(names.tokens(f"{counterpart.given_names} {counterpart.family_name}"))
    reasons: dict[int, list[str]] = {}
    found: dict[int, Counterpart] = {}
    for match in name_matches:
        found.setdefault(match.pk, match)
        reasons.setdefault(match.pk, []).append(_name_reason(match, words))
    email = (counterpart.email or "").lower()
    position = (counterpart.position or "").lower()
    for match in contact_matches:
        found.setdefault(match.pk, match)
        mine = reasons.setdefault(match.pk, [])
        if email and match.email.lower() == email:
            mine.append("same e-mail")
        if match.pk in same_number:
            mine.append("same phone")
        if (
            counterpart.organization_id
            and position
            and match.organization_id == counterpart.organization_id
            and match.position.lower() == position
        ):
            mine.append("same organization and position")
    return [Candidate(found[pk], tuple(dict.fromkeys(why))) for pk, why in list(reasons.items())[:MAX_CANDIDATES]]


def _name_queries(counterpart: Counterpart) -> list[str]:
    """The full name and the native-script name, each once, when they hold a searchable word."""
    full_name = f"{counterpart.given_names} {counterpart.family_name}"
    return list(dict.fromkeys(q for q in (full_name, counterpart.native_name) if names.query_tokens(q)))


# A name matching more counterparts than this at one post is ranked by the database (search_counterparts).
RANK_IN_PYTHON_MAX = 200


def _name_matches(visible, query: str) -> list[Counterpart]:
    """The best MAX_CANDIDATES counterparts of `visible` whose every name word matches a word of
    `query` down to the phonetic tier, best first, as `search_counterparts` ranks them.

    The typo tier is left out of the SQL (its trigram comparison of every row of the post was most
    of the check's time) and the few rows found are ranked here, in the search's order (worst
    word, then the sum, then the name); a very common name falls back to ranking in the database.
    """
    words = names.query_tokens(query)[:MAX_QUERY_TOKENS]
    matching = visible
    for token in words:
        condition = Q()
        for _, tier in word_conditions(token, postgres=False)[1:]:  # "prefix" already covers "exact"
            condition |= tier
        matching = matching.filter(condition)
    rows = list(matching.order_by("family_name", "given_names", "pk")[: RANK_IN_PYTHON_MAX + 1])
    if len(rows) > RANK_IN_PYTHON_MAX:
        return [c for c in search_counterparts(visible, query)[:MAX_CANDIDATES] if c.search_rank <= PHONETIC]
    ranked = []
    for person in rows:
        ranks = [_word_rank(token, person.name_folded, person.name_phonetic) for token in words]
        person.search_rank = max(ranks)
        ranked.append((max(ranks), sum(ranks), person))
    ranked.sort(key=lambda item: item[:2])  # stable: the database's name order within a rank
    return [person for _, _, person in ranked[:MAX_CANDIDATES]]


def likely_duplicates(user, counterpart: Counterpart) -> list[Candidate]:
    """Counterparts of `counterpart.post` that `user` may see and that may be the same person as
    `counterpart` (unsaved, or saved and being renamed: it is never its own duplicate). One query
    per name (the full name; the native-script name when there is one), one for the contact details."""
    visible = policy.visible(user, Counterpart).filter(post_id=counterpart.post_id)
    if counterpart.pk:
        visible = visible.exclude(pk=counterpart.pk)
    name_matches = []
    for query in _name_queries(counterpart):
        name_matches += _name_matches(visible, query)

    same_phone = _same_phone(visible, counterpart.phone)
    contact = Q(pk__in=same_phone) if isinstance(same_phone, list) else same_phone or Q(pk__in=[])
    if counterpart.email:
        contact |= Q(email__iexact=counterpart.email)
    if counterpart.organization_id and counterpart.position:
        contact |= Q(organization_id=counterpart.organization_id, position__iexact=counterpart.position)
    contact_matches = []
    if same_phone or counterpart.email or (counterpart.organization_id and counterpart.position):
        candidates = _with_phone_digits(visible) if isinstance(same_phone, Q) else visible
        contact_matches = list(candidates.filter(contact).order_by("family_name", "given_names", "pk")[:MAX_CANDIDATES])
    digits = _phone_digits(counterpart.phone)
    same_number = {c.pk for c in contact_matches if same_phone is not None and _phone_digits(c.phone) == digits}
    return _assemble(counterpart, name_matches, contact_matches, same_number)


def _word_rank(token: names.QueryToken, folded: str, phonetic: str) -> int | None:
    """How one query word matches one counterpart's stored keys, as contacts.search ranks it in
    SQL (exact, prefix, folded spelling, phonetic); None when only a typo could match it."""
    if f" {token.text} " in folded:
        return EXACT
    if f" {token.text}" in folded:
        return PREFIX
    if token.spelling and (
        f" {names.SPELLING_MARK}{token.spelling} " in phonetic
        or (token.spelling != token.text and f" {token.spelling} " in folded)
    ):
        return FOLDED
    if any(f" {key} " in phonetic for key in token.keys):
        return PHONETIC
    return None


class DuplicateIndex:
    """Likely duplicates of many new counterparts at one post (an import's rows), found with one
    query: the counterparts of the post that the user may see, read once and indexed by folded
    word, word prefix, spelling key, phonetic key, e-mail and phone digits.

    `candidates()` gives the same candidates and reasons as `likely_duplicates` (the name tiers of
    contacts.search down to phonetic, the same contact details), without a query per row. Ties
    among more than MAX_CANDIDATES equally good matches are broken by Python's order of names
    rather than the database collation's.
    """

    def __init__(self, user, post):
        self.people: dict[int, Counterpart] = {
            c.pk: c for c in policy.visible(user, Counterpart).filter(post_id=getattr(post, "pk", post))
        }
        self.words: dict[str, set[int]] = {}
        self.prefixes: dict[str, set[int]] = {}
        self.keys: dict[str, set[int]] = {}
        self.emails: dict[str, set[int]] = {}
        self.phones: dict[str, set[int]] = {}
        self.desks: dict[tuple[int, str], set[int]] = {}
        for pk, person in self.people.items():
            for word in person.name_folded.split():
                self.words.setdefault(word, set()).add(pk)
                for end in range(1, len(word) + 1):
                    self.prefixes.setdefault(word[:end], set()).add(pk)
            for key in person.name_phonetic.split():
                self.keys.setdefault(key, set()).add(pk)
            if person.email:
                self.emails.setdefault(person.email.lower(), set()).add(pk)
            digits = _phone_digits(person.phone)
            if len(digits) >= MIN_PHONE_DIGITS:
                self.phones.setdefault(digits, set()).add(pk)
            if person.organization_id and person.position:
                self.desks.setdefault((person.organization_id, person.position.lower()), set()).add(pk)

    def _word_superset(self, token: names.QueryToken) -> set[int]:
        """Every counterpart the word could match in a tier down to phonetic (checked one by one after)."""
        first, *rest = token.text.split(" ")
        found = set(self.words.get(first, ())) if rest else set(self.prefixes.get(first, ()))
        if token.spelling:
            found |= self.keys.get(names.SPELLING_MARK + token.spelling, set())
            found |= self.words.get(token.spelling, set())
        for key in token.keys:
            found |= self.keys.get(key, set())
        return found

    def _name_matches(self, query: str) -> list[Counterpart]:
        words = names.query_tokens(query)[:MAX_QUERY_TOKENS]
        pool: set[int] | None = None
        for token in words:
            superset = self._word_superset(token)
            pool = superset if pool is None else pool & superset
            if not pool:
                return []
        ranked = []
        for pk in pool or ():
            person = self.people[pk]
            ranks = [_word_rank(token, person.name_folded, person.name_phonetic) for token in words]
            if None in ranks:
                continue
            ranked.append(((max(ranks), sum(ranks), person.family_name, person.given_names, pk), person))
        ranked.sort(key=lambda pair: pair[0])
        matches = []
        for (rank, *_), person in ranked[:MAX_CANDIDATES]:
            match = copy.copy(person)  # one person may rank otherwise for another query or row
            match.search_rank = rank
            matches.append(match)
        return matches

    def candidates(self, counterpart: Counterpart) -> list[Candidate]:
        name_matches = []
        for query in _name_queries(counterpart):
            name_matches += self._name_matches(query)
        digits = _phone_digits(counterpart.phone)
        same_number = self.phones.get(digits, set()) if len(digits) >= MIN_PHONE_DIGITS else set()
        contact = set(same_number)
        if counterpart.email:
            contact |= self.emails.get(counterpart.email.lower(), set())
        if counterpart.organization_id and counterpart.position:
            contact |= self.desks.get((counterpart.organization_id, counterpart.position.lower()), set())
        contact.discard(counterpart.pk)
        people = sorted((self.people[pk] for pk in contact), key=lambda c: (c.family_name, c.given_names, c.pk))
        return _assemble(counterpart, name_matches, people[:MAX_CANDIDATES], same_number)
