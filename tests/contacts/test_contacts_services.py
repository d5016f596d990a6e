"""Counterpart and organization services: validation, appointments, tags, history and audit."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from contacts import services
from contacts.models import Appointment, Counterpart, Organization
from tenancy.models import AuditEvent
from tests.factories import OrganizationFactory


def test_create_opens_first_appointment_and_audits(post, attache, ministry):
    counterpart = services.counterpart_create(
        post=post,
        by=attache,
        tags=["alumni", "maritime"],
        family_name="Haddad",
        given_names="Layla",
        rank_title="Aqid",
        nato_grade="OF-5",
        position="J5 Director of Plans",
        organization=ministry,
    )
    assert counterpart.owner == attache and counterpart.created_by == attache
    assert counterpart.country == post.host_country
    assert sorted(counterpart.tags.names()) == ["alumni", "maritime"]
    appointment = counterpart.appointments.get()
    assert (appointment.position, appointment.rank_title, appointment.nato_grade) == (
        "J5 Director of Plans",
        "Aqid",
        "OF-5",
    )
    assert appointment.organization == ministry and appointment.end_on is None
    assert appointment.start_on == services.post_today(post)
    assert AuditEvent.objects.filter(
        action="create", object_type="contacts.Counterpart", object_id=str(counterpart.pk), user=attache
    ).exists()
    assert counterpart.history.get().history_user == attache


def test_create_without_position_or_rank_opens_no_appointment(post, attache):
    counterpart = services.counterpart_create(post=post, by=attache, family_name="Saleh")
    assert not counterpart.appointments.exists()


def test_rank_change_closes_current_appointment_and_opens_next(counterpart, attache):
    first = Appointment.objects.create(
        counterpart=counterpart,
        position=counterpart.position,
        rank_title="Amid",
        nato_grade="OF-6",
        start_on=dt.date(2023, 7, 1),
    )
    updated = services.counterpart_update(counterpart=counterpart, by=attache, rank_title="Liwa", nato_grade="OF-7")
    today = services.post_today(counterpart.post)
    first.refresh_from_db()
    assert first.end_on == today
    current = updated.appointments.get(end_on__isnull=True)
    assert (current.rank_title, current.nato_grade, current.start_on) == ("Liwa", "OF-7", today)
    assert current.position == "Director of Defence Cooperation"
    assert updated.grade_seniority > 0 and updated.rank_title == "Liwa"
    event = AuditEvent.objects.get(action="update", object_id=str(counterpart.pk))
    assert event.detail == "changed: rank_title, nato_grade"


def test_change_of_organization_is_a_new_appointment(post, counterpart, attache):
    navy = OrganizationFactory(post=post, name="Navy HQ")
    services.counterpart_update(counterpart=counterpart, by=attache, organization=navy)
    assert counterpart.appointments.filter(end_on__isnull=True).get().organization == navy


def test_other_changes_add_no_appointment(counterpart, attache):
    services.counterpart_update(
        counterpart=counterpart, by=attache, phone="+000 1234", biography="New bio", tags=["vip"]
    )
    assert not counterpart.appointments.exists()
    assert AuditEvent.objects.get(action="update").detail == "changed: phone, biography, tags"


def test_update_detects_change_even_when_instance_was_already_modified(counterpart, attache):
    """A ModelForm writes the new values into the instance before the service sees it."""
    Appointment.objects.create(counterpart=counterpart, position=counterpart.position, start_on=dt.date(2024, 1, 1))
    counterpart.position = "Chief of Staff"
    services.counterpart_update(counterpart=counterpart, by=attache, position="Chief of Staff")
    assert counterpart.appointments.count() == 2


def test_future_dated_appointment_is_closed_when_it_starts(counterpart, attache):
    start = services.post_today(counterpart.post) + dt.timedelta(days=5)
    Appointment.objects.create(counterpart=counterpart, position="Incoming", start_on=start)
    services.counterpart_update(counterpart=counterpart, by=attache, position="Changed again")
    assert list(counterpart.appointments.order_by("id").values_list("end_on", flat=True)) == [start, None]


def test_update_refuses_invalid_values_and_saves_nothing(counterpart, attache):
    with pytest.raises(ValidationError) as excinfo:
        services.counterpart_update(counterpart=counterpart, by=attache, email="not-an-email", marking="SECRET")
    assert {"email", "marking"} <= set(excinfo.value.message_dict)
    counterpart.refresh_from_db()
    assert counterpart.email == "" and counterpart.marking == "U"
    assert not AuditEvent.objects.filter(action="update").exists()


def test_organization_of_another_post_is_refused(counterpart, attache, other_post):
    foreign = OrganizationFactory(post=other_post)
    with pytest.raises(ValidationError) as excinfo:
        services.counterpart_update(counterpart=counterpart, by=attache, organization=foreign)
    assert "organization" in excinfo.value.message_dict
    assert not counterpart.appointments.exists()


def test_owner_must_be_member_of_the_post(post, attache, outsider):
    with pytest.raises(ValidationError):
        services.counterpart_create(post=post, by=attache, family_name="Nasser", owner=outsider)
    assert not Counterpart.objects.filter(family_name="Nasser").exists()


def test_unknown_field_is_a_programming_error(post, attache):
    with pytest.raises(TypeError):
        services.counterpart_create(post=post, by=attache, family_name="X", grade_seniority=99)


def test_unicode_names_round_trip(post, attache):
    names = {
        "family_name": "Чайковский",
        "given_names": "Пётр",
        "native_name": "王建国 · محمد",
        "aliases": "José García, <script>",
    }
    counterpart = services.counterpart_create(post=post, by=attache, **names)
    counterpart.refresh_from_db()
    assert {k: getattr(counterpart, k) for k in names} == names


def test_organization_create_and_update(post, attache, ministry):
    army = services.organization_create(
        post=post, by=attache, name="Army HQ", acronym="BA", kind="service_hq", parent=ministry
    )
    assert army.country == post.host_country and army.parent == ministry
    updated = services.organization_update(organization=army, by=attache, acronym="BAHQ")
    assert updated.acronym == "BAHQ"
    assert AuditEvent.objects.filter(object_type="contacts.Organization", action__in=["create", "update"]).count() == 2


def test_organization_cannot_sit_under_its_own_descendant(post, attache, ministry):
    child = services.organization_create(post=post, by=attache, name="Child", parent=ministry)
    grandchild = services.organization_create(post=post, by=attache, name="Grandchild", parent=child)
    with pytest.raises(ValidationError):
        services.organization_update(organization=ministry, by=attache, parent=grandchild)
    ministry.refresh_from_db()
    assert ministry.parent is None


def test_organization_parent_of_another_post_is_refused(post, attache, other_post):
    foreign = OrganizationFactory(post=other_post)
    with pytest.raises(ValidationError):
        services.organization_create(post=post, by=attache, name="Lost", parent=foreign)
    assert not Organization.objects.filter(name="Lost").exists()
