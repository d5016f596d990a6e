"""Engagement services against the database: snapshots, lifecycles, follow-ups, one transaction each."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from engagements import services
from engagements.models import ActionItem, AgreementStatusChange, ExercisePhaseChange, Meeting, MeetingParticipant
from tenancy.markings import Channel, Marking
from tenancy.models import AuditEvent
from tests.factories import CounterpartFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def _days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def _log(post, by, **extra):
    fields = {"title": "Office call", "starts_at": timezone.now() - dt.timedelta(hours=2)} | extra
    return services.meeting_log(post=post, by=by, **fields)


def test_participant_keeps_rank_and_position_of_the_day_after_a_promotion(post, attache, counterpart):
    meeting = _log(post, attache, counterparts=[counterpart])

    counterpart.rank_title, counterpart.nato_grade, counterpart.position = "Brigadier General", "OF-6", "Deputy Chief"
    counterpart.save()

    participant = MeetingParticipant.objects.get(meeting=meeting)
    assert (participant.rank_title_at_time, participant.nato_grade_at_time) == ("Colonel", "OF-5")
    assert participant.position_at_time == "Director of Plans"


def test_meeting_update_keeps_earlier_snapshots_and_snapshots_new_participants(post, attache, counterpart):
    meeting = _log(post, attache, counterparts=[counterpart])
    counterpart.rank_title = "Brigadier General"
    counterpart.save()
    newcomer = CounterpartFactory(post=post, rank_title="Major")

    services.meeting_update(meeting=meeting, by=attache, counterparts=[counterpart, newcomer], title="Renamed")

    ranks = dict(meeting.participants.values_list("counterpart_id", "rank_title_at_time"))
    assert ranks == {counterpart.pk: "Colonel", newcomer.pk: "Major"}
    assert Meeting.objects.get(pk=meeting.pk).title == "Renamed"


def test_meeting_update_drops_removed_participants(post, attache, counterpart):
    meeting = _log(post, attache, counterparts=[counterpart])
    services.meeting_update(meeting=meeting, by=attache, counterparts=[])
    assert not meeting.participants.exists()


def test_meeting_log_creates_follow_ups_handled_like_the_meeting(post, attache, second_attache):
    meeting = _log(
        post, attache, marking=Marking.SBU, channel=Channel.ATTACHE,
        follow_ups=[{"description": "Send the agenda", "assignee": second_attache, "due_on": dt.date(2030, 1, 10)}],
    )  # fmt: skip

    item = ActionItem.objects.get(meeting=meeting)
    assert (item.marking, item.channel, item.post, item.created_by) == (Marking.SBU, Channel.ATTACHE, post, attache)
    assert (item.assignee, item.due_on, item.status) == (second_attache, dt.date(2030, 1, 10), "open")


def test_meeting_log_audits_and_records_history_author(post, attache):
    meeting = _log(post, attache)
    assert AuditEvent.objects.filter(
        action="create", object_type="engagements.Meeting", object_id=str(meeting.pk)
    ).exists()
    assert meeting.history.first().history_user == attache


def test_meeting_log_is_one_transaction(post, attache, outsider):
    """A follow-up assigned to someone from another post refuses the whole meeting."""
    with pytest.raises(ValidationError):
        _log(post, attache, follow_ups=[{"description": "x", "assignee": outsider}])
    assert not Meeting.objects.exists() and not ActionItem.objects.exists()


def test_meeting_log_refuses_counterpart_of_another_post(post, other_post, attache):
    foreign = CounterpartFactory(post=other_post)
    with pytest.raises(ValidationError) as exc:
        _log(post, attache, counterparts=[foreign])
    assert "counterparts" in exc.value.message_dict
    assert not Meeting.objects.exists()


def test_meeting_log_refuses_end_before_start(post, attache):
    start = timezone.now()
    with pytest.raises(ValidationError) as exc:
        _log(post, attache, starts_at=start, ends_at=start - dt.timedelta(hours=1))
    assert "ends_at" in exc.value.message_dict


def test_meeting_log_refuses_classified_marking(post, attache):
    with pytest.raises(ValidationError):
        _log(post, attache, marking="SECRET")
    assert not Meeting.objects.exists()


def test_meeting_update_refuses_fields_it_does_not_own(meeting, attache, other_post):
    with pytest.raises(TypeError):
        services.meeting_update(meeting=meeting, by=attache, post=other_post)


# ---------------------------------------------------------------- agreements


def test_agreement_create_opens_the_status_log(post, attache):
    party = OrganizationFactory(post=post)
    agreement = services.agreement_create(post=post, by=attache, title="MOU on training", parties=[party])
    change = agreement.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("", "proposed", attache)
    assert list(agreement.parties.all()) == [party]


@pytest.mark.parametrize(
    ("start", "target"),
    [("proposed", "negotiating"), ("negotiating", "text_agreed"), ("text_agreed", "signed"), ("signed", "in_force"),
     ("in_force", "expired"), ("in_force", "superseded"), ("negotiating", "abandoned"), ("text_agreed", "negotiating")],
)  # fmt: skip
def test_agreement_allowed_transitions_are_logged(agreement, attache, start, target):
    agreement.status = start
    agreement.save()
    changed = services.agreement_change_status(agreement=agreement, by=attache, to_status=target, note="per MOD letter")
    assert changed.status == target
    log = AgreementStatusChange.objects.get(agreement=agreement)
    assert (log.from_status, log.to_status, log.changed_by, log.note) == (start, target, attache, "per MOD letter")


@pytest.mark.parametrize(
    ("start", "target"),
    [("proposed", "signed"), ("negotiating", "in_force"), ("signed", "abandoned"), ("expired", "in_force"),
     ("abandoned", "negotiating"), ("proposed", "proposed"), ("proposed", "nonsense")],
)  # fmt: skip
def test_agreement_refuses_transitions_outside_the_lifecycle(agreement, attache, start, target):
    agreement.status = start
    agreement.save()
    with pytest.raises(ValidationError) as exc:
        services.agreement_change_status(agreement=agreement, by=attache, to_status=target)
    assert "to_status" in exc.value.message_dict
    agreement.refresh_from_db()
    assert agreement.status == start and not agreement.status_changes.exists()


def test_signing_and_entry_into_force_fill_their_dates_when_empty(agreement, attache):
    agreement.status = "text_agreed"
    agreement.save()
    signed = services.agreement_change_status(agreement=agreement, by=attache, to_status="signed", on=_days_ago(30))
    assert signed.signed_on == _days_ago(30) and signed.effective_on is None
    in_force = services.agreement_change_status(agreement=signed, by=attache, to_status="in_force", on=_days_ago(2))
    assert in_force.effective_on == _days_ago(2) and in_force.signed_on == _days_ago(30)


def test_signing_keeps_a_signature_date_already_recorded(agreement, attache):
    agreement.status, agreement.signed_on = "text_agreed", _days_ago(40)
    agreement.save()
    signed = services.agreement_change_status(agreement=agreement, by=attache, to_status="signed", on=_days_ago(10))
    assert signed.signed_on == _days_ago(40)


def test_status_change_cannot_be_dated_in_the_future_or_before_the_last_one(agreement, attache):
    with pytest.raises(ValidationError) as exc:
        services.agreement_change_status(
            agreement=agreement, by=attache, to_status="text_agreed", on=timezone.localdate() + dt.timedelta(days=5)
        )
    assert "on" in exc.value.message_dict
    services.agreement_change_status(agreement=agreement, by=attache, to_status="text_agreed", on=_days_ago(10))
    with pytest.raises(ValidationError) as exc:
        services.agreement_change_status(agreement=agreement, by=attache, to_status="signed", on=_days_ago(20))
    assert "on" in exc.value.message_dict


def test_a_step_may_be_older_than_the_recording_of_the_agreement(post, attache):
    agreement = services.agreement_create(post=post, by=attache, title="Legacy SOFA", status="text_agreed")
    signed = services.agreement_change_status(agreement=agreement, by=attache, to_status="signed", on=_days_ago(400))
    assert signed.signed_on == _days_ago(400)


def test_agreement_update_routes_a_new_status_through_the_lifecycle(agreement, attache):
    with pytest.raises(ValidationError):
        services.agreement_update(agreement=agreement, by=attache, status="in_force")
    updated = services.agreement_update(agreement=agreement, by=attache, status="text_agreed", title="New title")
    assert (updated.status, updated.title) == ("text_agreed", "New title")
    assert agreement.status_changes.filter(to_status="text_agreed").exists()


def test_agreement_refuses_effect_before_signature(post, attache):
    with pytest.raises(ValidationError) as exc:
        services.agreement_create(
            post=post, by=attache, title="x", signed_on=dt.date(2026, 5, 1), effective_on=dt.date(2026, 4, 1)
        )
    assert "effective_on" in exc.value.message_dict


# ---------------------------------------------------------------- exercises


def test_exercise_phase_moves_forward_or_cancels_and_is_logged(exercise, attache):
    services.exercise_change_phase(exercise=exercise, by=attache, to_phase="ipc")
    moved = services.exercise_change_phase(exercise=exercise, by=attache, to_phase="fpc")  # no MPC this time
    assert moved.phase == "fpc"
    assert list(ExercisePhaseChange.objects.filter(exercise=exercise).values_list("from_phase", "to_phase")) == [
        ("ipc", "fpc"),
        ("concept", "ipc"),
    ]
    with pytest.raises(ValidationError):
        services.exercise_change_phase(exercise=moved, by=attache, to_phase="concept")
    cancelled = services.exercise_change_phase(exercise=moved, by=attache, to_phase="cancelled")
    with pytest.raises(ValidationError):
        services.exercise_change_phase(exercise=cancelled, by=attache, to_phase="execution")


def test_exercise_planning_conferences_come_in_order_before_the_start(post, attache):
    start = dt.date(2027, 5, 1)
    with pytest.raises(ValidationError) as exc:
        services.exercise_create(
            post=post, by=attache, name="X", host_country="BN", starts_on=start, ends_on=start,
            ipc_on=dt.date(2027, 2, 1), mpc_on=dt.date(2027, 1, 1),
        )  # fmt: skip
    assert "mpc_on" in exc.value.message_dict
    created = services.exercise_create(
        post=post, by=attache, name="X", host_country="BN", starts_on=start, ends_on=start, ipc_on=dt.date(2027, 1, 1)
    )
    assert created.phase_changes.get().to_phase == "concept"


# ---------------------------------------------------------------- follow-ups


def test_action_close_stamps_completion_and_refuses_a_second_close(action_item, attache):
    closed = services.action_item_close(item=action_item, by=attache)
    assert closed.status == "done" and closed.completed_at is not None
    with pytest.raises(ValidationError):
        services.action_item_close(item=closed, by=attache, status="dropped")


def test_action_close_as_dropped_and_reopen_clears_completion(action_item, attache):
    dropped = services.action_item_close(item=action_item, by=attache, status="dropped")
    assert dropped.status == "dropped" and dropped.completed_at
    reopened = services.action_item_update(item=dropped, by=attache, status="open")
    assert reopened.completed_at is None


def test_action_close_refuses_unknown_status(action_item, attache):
    with pytest.raises(ValidationError):
        services.action_item_close(item=action_item, by=attache, status="open")
    action_item.refresh_from_db()
    assert action_item.status == "open"


def test_action_item_create_takes_handling_of_its_source(post, attache, attache_meeting):
    item = services.action_item_create(post=post, by=attache, description="Call back", meeting=attache_meeting)
    assert item.channel == Channel.ATTACHE


def test_action_item_refuses_admin_as_assignee(post, attache, post_admin):
    with pytest.raises(ValidationError) as exc:
        services.action_item_create(post=post, by=attache, description="x", assignee=post_admin)
    assert "assignee" in exc.value.message_dict
