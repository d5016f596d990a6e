"""Counterpart search that forgives transliteration: folded names and phonetic keys."""

from django.db.models import Q, QuerySet

from . import names


def search_counterparts(queryset: QuerySet, query: str) -> QuerySet:
    """Counterparts of `queryset` matching `query` (every token must match folded or by sound)."""
    for token in names.tokens(query):
        match = Q(name_folded__contains=token)
        for key in names.phonetic_keys(token):
            match |= Q(name_phonetic__contains=f" {key} ")
        queryset = queryset.filter(match)
    return queryset
