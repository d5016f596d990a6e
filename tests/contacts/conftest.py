"""Fixtures of the counterpart and organization tests."""

import pytest

from tests.factories import CounterpartFactory, OrganizationFactory


@pytest.fixture
def ministry(post):
    return OrganizationFactory(post=post, name="Ministry of Defence", acronym="MOD", country="BN")


@pytest.fixture
def counterpart(post, ministry, attache):
    return CounterpartFactory(
        post=post,
        organization=ministry,
        owner=attache,
        created_by=attache,
        family_name="Al-Mansouri",
        given_names="Muhammad",
        native_name="محمد المنصوري",
        aliases="Mohamed Al Mansouri",
        country="BN",
        rank_title="Amid",
        nato_grade="OF-6",
        position="Director of Defence Cooperation",
    )
