"""Duplicates caught where they are born: the check, the service's refusal, the form's confirmation
step and the API's 409 — each naming only records the writer may see."""

import pytest
from django.urls import reverse

from contacts import services
from contacts.duplicates import DuplicateIndex, likely_duplicates
from contacts.models import Counterpart
from tenancy.markings import Channel
from tests.api.conftest import api_for
from tests.conftest import client_for
from tests.factories import CounterpartFactory, OrganizationFactory

from .test_contacts_views import counterpart_data


@pytest.fixture
def mansouri(post):
    return CounterpartFactory(
        post=post,
        family_name="AL-MANSOURI",
        given_names="Muhammad",
        aliases="Mohamed Al Mansouri",
        email="m.mansouri@example.org",
        phone="+971 50 123 4567",
        position="Director of Operations",
    )


def reasons(user, **fields):
    fields.setdefault("post", fields.get("post"))
    new = Counterpart(**fields)
    return {c.counterpart.pk: c.reasons for c in likely_duplicates(user, new)}


@pytest.mark.parametrize(
    ("family", "given", "reason"),
    [
        ("AL-MANSOURI", "Muhammad", "same name"),
        ("AL-MANSOURI", "Mohamed", "same name as an alias"),
        ("Almansoori", "Muhammad", "same name, spelt otherwise"),
        ("Al-Mansuri", "Mahammad", "name sounds the same"),
    ],
)
def test_the_name_check_says_why(post, attache, mansouri, family, given, reason):
    assert reasons(attache, post=post, family_name=family, given_names=given) == {mansouri.pk: (reason,)}


def test_contact_details_and_position_are_reasons_too(post, attache, mansouri):
    assert reasons(attache, post=post, family_name="Stranger", email="M.Mansouri@example.org") == {
        mansouri.pk: ("same e-mail",)
    }
    assert reasons(attache, post=post, family_name="Stranger", phone="+971-50-1234567") == {
        mansouri.pk: ("same phone",)
    }
    assert reasons(attache, post=post, family_name="Stranger", phone="+971 50 999 4567") == {}
    same_desk = {"organization_id": mansouri.organization_id, "position": "director of operations"}
    assert reasons(attache, post=post, family_name="Stranger", **same_desk) == {
        mansouri.pk: ("same organization and position",)
    }
    assert reasons(attache, post=post, family_name="Mansouri", given_names="Muhammad", email="M.Mansouri@example.org")[
        mansouri.pk
    ] == ("same name", "same e-mail")


def test_unrelated_people_are_no_candidates(post, attache, mansouri):
    assert reasons(attache, post=post, family_name="Al-Mansour", given_names="Faisal") == {}
    assert reasons(attache, post=post, family_name="Kovalenko", given_names="Ivan") == {}


def test_hidden_records_are_never_named(post, other_post, attache, second_attache, diplomat, outsider):
    restricted = CounterpartFactory(
        post=post, family_name="Haddad", given_names="Layla", channel=Channel.RESTRICTED, owner=second_attache
    )
    attache_only = CounterpartFactory(post=post, family_name="Haddad", given_names="Layla", channel=Channel.ATTACHE)
    CounterpartFactory(post=other_post, family_name="Haddad", given_names="Layla")
    assert set(reasons(attache, post=post, family_name="Haddad", given_names="Layla")) == {attache_only.pk}
    assert set(reasons(second_attache, post=post, family_name="Haddad", given_names="Layla")) == {
        attache_only.pk,
        restricted.pk,
    }
    assert reasons(diplomat, post=post, family_name="Haddad", given_names="Layla") == {}


def test_service_refuses_until_confirmed_and_saves_nothing(post, attache, mansouri):
    with pytest.raises(services.DuplicateSuspected) as refused:
        services.counterpart_create(post=post, by=attache, family_name="AL-MANSOURI", given_names="Mohamed")
    assert [c.counterpart for c in refused.value.candidates] == [mansouri]
    assert Counterpart.objects.count() == 1
    second = services.counterpart_create(
        post=post, by=attache, family_name="AL-MANSOURI", given_names="Mohamed", confirm_duplicate=True
    )
    assert Counterpart.objects.count() == 2 and second.family_name == "AL-MANSOURI"


def test_a_rename_is_checked_and_other_changes_are_not(post, attache, mansouri):
    other = CounterpartFactory(post=post, family_name="Haddad", given_names="Omar")
    with pytest.raises(services.DuplicateSuspected):
        services.counterpart_update(counterpart=other, by=attache, family_name="Almansouri", given_names="Mohammed")
    other.refresh_from_db()
    assert other.family_name == "Haddad"
    # The person is never their own duplicate, and edits that keep the name are not checked.
    services.counterpart_update(counterpart=mansouri, by=attache, position="Deputy Chief of Staff")
    services.counterpart_update(counterpart=mansouri, by=attache, family_name="Al-Mansouri")


def test_the_form_lists_the_candidates_then_saves_once_confirmed(post, attache, mansouri):
    client = client_for(attache)
    data = counterpart_data(family_name="AL-MANSOURI", given_names="Mohamed", email="", phone="", owner=attache.pk)
    response = client.post(reverse("counterpart_create"), data)
    html = response.content.decode()
    assert response.status_code == 400 and Counterpart.objects.count() == 1
    assert "Already on record?" in html and mansouri.get_absolute_url() in html
    assert "same name as an alias" in html and 'name="confirm_duplicate"' in html
    response = client.post(reverse("counterpart_create"), {**data, "confirm_duplicate": "on"})
    assert response.status_code == 302 and Counterpart.objects.count() == 2


def test_the_api_answers_409_with_candidates_unless_confirmed(post, attache, mansouri):
    api = api_for(attache)
    payload = {"post": post.pk, "family_name": "Almansoori", "given_names": "Mohammed"}
    response = api.post("/api/v1/counterparts/", payload)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "duplicate" and body["fields"] == {}
    assert body["candidates"] == [
        {
            "id": mansouri.pk,
            "display_name": "Muhammad AL-MANSOURI",
            "url": f"/api/v1/counterparts/{mansouri.pk}/",
            "reasons": ["same name, spelt otherwise"],
        }
    ]
    assert Counterpart.objects.count() == 1
    response = api.post("/api/v1/counterparts/", {**payload, "confirm_duplicate": True})
    assert response.status_code == 201 and Counterpart.objects.count() == 2
    assert "confirm_duplicate" not in response.json()


def test_the_api_stays_silent_about_a_hidden_duplicate(post, attache, second_attache):
    CounterpartFactory(
        post=post, family_name="Haddad", given_names="Layla", channel=Channel.RESTRICTED, owner=second_attache
    )
    response = api_for(attache).post(
        "/api/v1/counterparts/", {"post": post.pk, "family_name": "Haddad", "given_names": "Layla"}
    )
    assert response.status_code == 201


def test_the_check_costs_a_few_queries(post, attache, mansouri, django_assert_max_num_queries):
    for _ in range(20):
        CounterpartFactory(post=post, organization=OrganizationFactory(post=post))
    new = Counterpart(
        post=post, family_name="Almansoori", given_names="Mohammed", phone="+971 50 123 4567", email="x@example.org"
    )
    with django_assert_max_num_queries(4):
        assert likely_duplicates(attache, new)


# Names written every way the check forgives, and strangers: the import's index must answer as the form's check.
SPELLINGS = [
    ("AL-MANSOURI", "Muhammad", ""),
    ("AL-MANSOURI", "Mohamed", ""),
    ("Almansoori", "Muhammad", ""),
    ("Al-Mansuri", "Mahammad", ""),
    ("al mansouri", "muh", ""),
    ("Haddad", "Layla", ""),
    ("Haddad", "Omar", ""),
    ("Stranger", "", "محمد المنصوري"),
    ("Kovalenko", "Ivan", ""),
    ("Kowalenko", "Iwan", ""),
    ("Ковальенко", "Иван", ""),
    ("Li", "Wei", "李伟"),
    ("Lee", "Wei", ""),
    ("Al-Mansour", "Faisal", ""),
    ("Zzyzx", "Quentin", ""),
]


def test_the_import_index_finds_what_the_check_finds(post, attache, mansouri, django_assert_max_num_queries):
    others = [
        CounterpartFactory(post=post, family_name="Haddad", given_names="Layla", email="l.haddad@example.org"),
        CounterpartFactory(post=post, family_name="HADDAD", given_names="Omar Layla"),
        CounterpartFactory(post=post, family_name="Kovalenko", given_names="Ivan", native_name="Иван Коваленко"),
        CounterpartFactory(
            post=post, family_name="Li", given_names="Wei", native_name="李伟", phone="+86 10 5555 0101"
        ),
        CounterpartFactory(post=post, family_name="Mansour", given_names="Muhammad", channel=Channel.ATTACHE),
    ]
    organization = others[0].organization
    with django_assert_max_num_queries(3):
        index = DuplicateIndex(attache, post)
    news = [Counterpart(post=post, family_name=f, given_names=g, native_name=n) for f, g, n in SPELLINGS]
    news += [
        Counterpart(post=post, family_name="X", email="L.Haddad@example.org"),
        Counterpart(post=post, family_name="Y", phone="(+86) 10-5555-0101"),
        Counterpart(post=post, family_name="Z", organization=organization, position=others[0].position.upper()),
    ]
    found_any = 0
    for new in news:
        expected = [(c.counterpart.pk, c.reasons) for c in likely_duplicates(attache, new)]
        assert [(c.counterpart.pk, c.reasons) for c in index.candidates(new)] == expected, new.family_name
        found_any += bool(expected)
    assert found_any >= 12  # the comparison is worth something: most names do match someone


def test_the_import_index_never_names_a_hidden_record(post, attache, diplomat, second_attache):
    CounterpartFactory(
        post=post, family_name="Haddad", given_names="Layla", channel=Channel.RESTRICTED, owner=second_attache
    )
    new = Counterpart(post=post, family_name="Haddad", given_names="Layla")
    assert DuplicateIndex(attache, post).candidates(new) == []
    assert DuplicateIndex(diplomat, post).candidates(new) == []
    assert len(DuplicateIndex(second_attache, post).candidates(new)) == 1
