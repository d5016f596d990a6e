"""The one lifecycle mechanism, as agreements and exercises use it: declarations checked at import,
one service that logs and audits each step, one panel on the record's page."""

import dataclasses

import pytest
from django.urls import reverse

from attache_crm.lifecycle.services import post_today, step
from engagements.choices import AgreementStatus, ExercisePhase
from engagements.lifecycles import AGREEMENT_LIFECYCLE, EXERCISE_LIFECYCLE
from engagements.models import Agreement, AgreementStatusChange, Exercise
from office.lifecycles import CLEARANCE_LIFECYCLE
from tenancy.models import AuditEvent
from tests.conftest import client_for
from tests.factories import ClearanceFactory

# ---------------------------------------------------------------- declarations


def _redeclare(lifecycle, **changes):
    return dataclasses.replace(lifecycle, **changes)


def test_a_table_without_a_row_for_every_state_is_refused():
    table = dict(AGREEMENT_LIFECYCLE.transitions)
    del table[AgreementStatus.SUPERSEDED]
    with pytest.raises(ValueError, match="one row per status"):
        _redeclare(AGREEMENT_LIFECYCLE, transitions=table)


@pytest.mark.parametrize("target", ["approved", AgreementStatus.PROPOSED])
def test_a_table_naming_an_unknown_state_or_a_loop_is_refused(target):
    table = dict(AGREEMENT_LIFECYCLE.transitions) | {AgreementStatus.PROPOSED: {target}}
    with pytest.raises(ValueError, match="another known status"):
        _redeclare(AGREEMENT_LIFECYCLE, transitions=table)


def test_a_log_without_its_foreign_key_to_the_record_is_refused():
    with pytest.raises(ValueError, match="exactly one foreign key to Exercise"):
        _redeclare(EXERCISE_LIFECYCLE, log_model=AgreementStatusChange)


@pytest.mark.parametrize("name", ["host_answer", "status", "post"])
def test_a_step_field_the_record_lacks_or_that_is_no_plain_field_is_refused(name):
    with pytest.raises(ValueError, match=f"Clearance has no field {name} a step may set"):
        _redeclare(CLEARANCE_LIFECYCLE, step_fields=(name,))


def test_next_states_come_in_the_order_of_the_choices():
    assert AGREEMENT_LIFECYCLE.allowed(Agreement(status=AgreementStatus.TEXT_AGREED)) == [
        "negotiating", "signed", "abandoned",
    ]  # fmt: skip
    assert EXERCISE_LIFECYCLE.allowed(Exercise(phase=ExercisePhase.FPC)) == [
        "execution", "after_action", "closed", "cancelled",
    ]  # fmt: skip
    assert EXERCISE_LIFECYCLE.allowed(Exercise(phase=ExercisePhase.CLOSED)) == []


def test_the_names_both_kinds_use_come_from_their_declarations():
    assert (AGREEMENT_LIFECYCLE.label, AGREEMENT_LIFECYCLE.to_field, AGREEMENT_LIFECYCLE.log_related_name) == (
        "Status", "to_status", "status_changes",
    )  # fmt: skip
    assert (EXERCISE_LIFECYCLE.label, EXERCISE_LIFECYCLE.to_field, EXERCISE_LIFECYCLE.log_related_name) == (
        "Phase", "to_phase", "phase_changes",
    )  # fmt: skip
    assert AGREEMENT_LIFECYCLE.note_max_length == 300 and EXERCISE_LIFECYCLE.note_max_length is None


# ---------------------------------------------------------------- the one service


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lifecycle", "record", "target", "detail"),
    [(AGREEMENT_LIFECYCLE, "agreement", "text_agreed", "status negotiating -> text_agreed"),
     (EXERCISE_LIFECYCLE, "exercise", "ipc", "phase concept -> ipc")],
)  # fmt: skip
def test_a_step_is_saved_logged_in_history_and_audited(request, attache, lifecycle, record, target, detail):
    record = request.getfixturevalue(record)
    moved = step(lifecycle, record=record, by=attache, to=target)
    assert getattr(moved, lifecycle.state) == target
    row = lifecycle.log(record).get()
    assert (getattr(row, lifecycle.to_field), row.changed_by) == (target, attache)
    assert moved.history.latest().history_user == attache
    event = AuditEvent.objects.get(action="update", object_id=str(record.pk))
    assert (event.user, event.detail) == (attache, detail)


@pytest.mark.django_db
def test_a_refused_step_names_its_field_in_the_kinds_own_words(exercise, attache):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        step(EXERCISE_LIFECYCLE, record=exercise, by=attache, to="concept")
    assert refused.value.message_dict == {"to_phase": ["An exercise in phase concept cannot move to concept."]}
    assert not AuditEvent.objects.filter(action="update").exists()


@pytest.mark.django_db
def test_a_log_without_notes_takes_no_note(exercise, attache):
    with pytest.raises(TypeError):
        step(EXERCISE_LIFECYCLE, record=exercise, by=attache, to="ipc", note="after the IPC")
    assert not exercise.phase_changes.exists()


# ---------------------------------------------------------------- the one panel


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("record", "url_name", "heading", "button"),
    [("agreement", "agreement_change_status", "Status history", "Change status"),
     ("exercise", "exercise_change_phase", "Phase history", "Change phase")],
)  # fmt: skip
def test_both_pages_show_the_same_panel(request, attache, record, url_name, heading, button):
    record = request.getfixturevalue(record)
    body = client_for(attache).get(record.get_absolute_url()).content.decode()
    assert heading in body and f'<button type="submit">{button}</button>' in body
    assert f'action="{reverse(url_name, args=[record.pk])}"' in body


@pytest.mark.django_db
def test_a_final_state_shows_the_log_and_no_form(attache, exercise):
    step(EXERCISE_LIFECYCLE, record=exercise, by=attache, to="cancelled")
    body = client_for(attache).get(exercise.get_absolute_url()).content.decode()
    assert "This exercise is cancelled" in body and "Concept" in body and "Cancelled" in body
    assert reverse("exercise_change_phase", args=[exercise.pk]) not in body


@pytest.mark.django_db
def test_a_refused_step_shows_the_page_again_with_the_error(attache, exercise):
    url = reverse("exercise_change_phase", args=[exercise.pk])
    response = client_for(attache).post(url, {"to_phase": "ipc", "on": "2099-01-01"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "A change cannot be dated in the future." in body and exercise.name in body


@pytest.mark.django_db
def test_a_step_field_joins_the_form_with_its_stored_value_and_empty_keeps_it(post, attache):
    clearance = ClearanceFactory(post=post, created_by=attache, status="submitted", host_reference="MFA/26/9")
    client = client_for(attache)
    body = client.get(clearance.get_absolute_url()).content.decode()
    assert 'name="host_reference"' in body and 'value="MFA/26/9"' in body and 'name="host_reply"' in body
    url = reverse("clearance_change_status", args=[clearance.pk])
    on = post_today(clearance.post).isoformat()
    response = client.post(url, {"to_status": "approved", "on": on, "host_reference": "", "host_reply": "Oui."})
    assert response.status_code == 302
    clearance.refresh_from_db()
    assert (clearance.status, clearance.host_reference, clearance.host_reply) == ("approved", "MFA/26/9", "Oui.")
