"""The Django admin shows counterparts' names verbatim and escaped (operators only)."""

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import AppointmentFactory, CounterpartFactory, UserFactory

HOSTILE = '<script>alert("x")</script>'
NAMES = {"arabic": "محمد المنصوري", "cyrillic": "Пётр Чайковский", "chinese": "王建国", "accents": "José García"}


@pytest.fixture
def operator(db):
    return UserFactory(username="operator", is_staff=True, is_superuser=True)


@pytest.fixture
def hostile_counterpart(post):
    counterpart = CounterpartFactory(
        post=post,
        family_name=HOSTILE,
        given_names=NAMES["accents"],
        native_name=f"{NAMES['arabic']} {NAMES['chinese']}",
        aliases=NAMES["cyrillic"],
    )
    AppointmentFactory(counterpart=counterpart, position=f'{HOSTILE} "Chief"')
    return counterpart


def _assert_escaped(body: str) -> None:
    assert HOSTILE not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    for text in NAMES.values():
        assert text in body


def test_admin_changelist_escapes_names(operator, hostile_counterpart, post):
    for text in (NAMES["arabic"], NAMES["cyrillic"], NAMES["chinese"]):
        CounterpartFactory(post=post, family_name=text, given_names="")
    response = client_for(operator).get(reverse("admin:contacts_counterpart_changelist"))
    assert response.status_code == 200
    _assert_escaped(response.content.decode())


def test_admin_change_page_escapes_names(operator, hostile_counterpart):
    response = client_for(operator).get(reverse("admin:contacts_counterpart_change", args=[hostile_counterpart.pk]))
    assert response.status_code == 200
    _assert_escaped(response.content.decode())


def test_admin_search_finds_native_script(operator, hostile_counterpart):
    response = client_for(operator).get(reverse("admin:contacts_counterpart_changelist"), {"q": "王建国"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


@pytest.mark.parametrize("role", ["attache", "chief", "admin"])
def test_content_is_not_in_the_admin_for_roles(role, users_by_role, hostile_counterpart):
    users_by_role[role].is_staff = True
    users_by_role[role].save()
    response = client_for(users_by_role[role]).get(reverse("admin:contacts_counterpart_changelist"))
    assert response.status_code in (302, 403)
