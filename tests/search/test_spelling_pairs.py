"""The spelling-pair table (tests/search/spelling_pairs.py) against the one search function.

Every real-world spelling must find its record, on SQLite and on PostgreSQL alike (the typo tier of
PostgreSQL is not needed for any of them); no near miss may find the other person's record, with
the typo tier included where it exists; a neighbour (same sound, one letter off) never comes before
the person the query spells.
"""

import pytest

from contacts.models import Counterpart
from contacts.search import PHONETIC, search_counterparts
from tenancy import policy

from ..factories import CounterpartFactory
from .spelling_pairs import MATCHES, NEAR_MISSES, NEIGHBOURS


def _ids(rows):
    return [f"{query}|{family}|{given}" for query, family, given, _ in rows]


def _found(user, post, family, given, query) -> bool:
    person = CounterpartFactory(post=post, family_name=family, given_names=given)
    results = search_counterparts(policy.visible(user, Counterpart), query)
    return person in results


def test_the_table_is_large_enough():
    assert len(MATCHES) >= 60 and len(NEAR_MISSES) >= 60
    for table in (MATCHES, NEAR_MISSES, NEIGHBOURS):
        assert len(set(_ids(table))) == len(table)


@pytest.mark.parametrize(("query", "family", "given", "why"), MATCHES, ids=_ids(MATCHES))
def test_every_spelling_finds_the_person(post, diplomat, query, family, given, why):
    assert _found(diplomat, post, family, given, query), why


@pytest.mark.parametrize(("query", "family", "given", "why"), NEAR_MISSES, ids=_ids(NEAR_MISSES))
def test_a_near_miss_finds_nobody_else(post, diplomat, query, family, given, why):
    assert not _found(diplomat, post, family, given, query), why


@pytest.mark.parametrize(("query", "family", "given", "why"), NEIGHBOURS, ids=_ids(NEIGHBOURS))
def test_a_neighbour_comes_after_the_person_spelt(post, diplomat, query, family, given, why):
    spelt = CounterpartFactory(post=post, family_name=query, given_names="Omar")
    neighbour = CounterpartFactory(post=post, family_name=family, given_names=given)
    results = list(search_counterparts(policy.visible(diplomat, Counterpart), query))
    assert results[0] == spelt
    assert all(c.search_rank >= PHONETIC for c in results if c == neighbour), why
