"""Counterpart search that forgives transliteration, run-together particles and typos.

One function serves the list page, the type-ahead and the API. Every word of the query must match
one of the counterpart's names (family, given, native script, aliases) in one of these ways,
best first:

    exact     the folded word ("jose" for "José")                        name_folded LIKE '% jose %'
    prefix    the start of a folded word (type-ahead: "muh")             name_folded LIKE '% muh%'
    folded    the same spelling key (names.spelling_key: "Almansoori" for "Al-Mansouri",
              "Kowalenko" for "Kovalenko"), words of 4+ letters         name_phonetic LIKE '% ~almansuri %'
    phonetic  a Double Metaphone code or, for Arabic script, the consonant skeleton
                                                                        name_phonetic LIKE '% MHMT %'
    trigram   (PostgreSQL only, words of 4+ letters) a typo:            name_folded %>> 'ivanob'
              pg_trgm strict word similarity (whole words) ≥ 0.5, the default
              pg_trgm.strict_word_similarity_threshold

A counterpart ranks by its worst-matching word, then by the sum over its words, then by name:
every word exact before any folded one, folded before phonetic, phonetic before trigram. Trigram
similarity is never lowered to make transliterations pass ("Mohamed"/"Muhammad" is 0.13): phonetic keys
bridge those, so the trigram tier stays strict and unrelated names stay out.

On PostgreSQL, GIN trigram indexes on name_folded and name_phonetic (migration
contacts.0002) serve every one of these conditions, LIKE included; on SQLite (embedded mode,
one office) the same conditions scan the visible rows.
"""

from django.db import connections
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Greatest

from . import names

# Rank of a word by how it matched; the gaps keep the sum over a few words in tier order.
EXACT, PREFIX, FOLDED, PHONETIC, TRIGRAM = 0, 1, 2, 4, 16
# Below this a word has too few trigrams for similarity to mean anything.
TRIGRAM_MIN_LENGTH = 4
# A pasted paragraph must not become a 100-way join of LIKEs.
MAX_QUERY_TOKENS = 8


def word_conditions(token: names.QueryToken, postgres: bool) -> list[tuple[int, Q]]:
    """(rank, condition) pairs for one query word, best first; the trigram tier on PostgreSQL only
    (`postgres=False` leaves it out wherever the search runs: the duplicate check does)."""
    conditions = [
        (EXACT, Q(name_folded__contains=f" {token.text} ")),
        (PREFIX, Q(name_folded__contains=f" {token.text}")),
    ]
    if token.spelling:
        folded = Q(name_phonetic__contains=f" {names.SPELLING_MARK}{token.spelling} ")
        if token.spelling != token.text:
            folded |= Q(name_folded__contains=f" {token.spelling} ")
        conditions.append((FOLDED, folded))
    if token.keys:
        phonetic = Q()
        for key in token.keys:
            phonetic |= Q(name_phonetic__contains=f" {key} ")
        conditions.append((PHONETIC, phonetic))
    if postgres and len(token.text) >= TRIGRAM_MIN_LENGTH:
        conditions.append((TRIGRAM, Q(name_folded__trigram_strict_word_similar=token.text)))
    return conditions


def search_counterparts(queryset: QuerySet, query: str) -> QuerySet:
    """Counterparts of `queryset` matching every word of `query`, best matches first.

    `queryset` is what the policy lets the user see (callers pass `policy.visible(user, ...)`,
    possibly filtered further); the search only narrows and orders it. An empty query returns it
    unchanged. The result carries `search_rank` (0 = every word exact); callers that re-order it
    lose the ranking, so order by "search_rank" first if you need another tiebreaker.
    """
    words = names.query_tokens(query)[:MAX_QUERY_TOKENS]
    if not words:
        return queryset
    postgres = connections[queryset.db].vendor == "postgresql"
    word_ranks = []
    for word in words:
        conditions = word_conditions(word, postgres)
        match = Q()
        for _, condition in conditions[1:]:  # "prefix" already covers "exact"
            match |= condition
        queryset = queryset.filter(match)
        word_ranks.append(
            Case(
                *(When(condition, then=Value(rank)) for rank, condition in conditions[:-1]),
                default=Value(conditions[-1][0]),
                output_field=IntegerField(),
            )
        )
    worst = word_ranks[0] if len(word_ranks) == 1 else Greatest(*word_ranks)
    total = word_ranks[0]
    for rank in word_ranks[1:]:
        total = total + rank
    tiebreak = list(queryset.query.order_by) or list(queryset.model._meta.ordering) or []
    return queryset.annotate(search_rank=worst, search_score=total).order_by(
        "search_rank", "search_score", *tiebreak, F("pk").asc()
    )
