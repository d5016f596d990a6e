"""Daily e-mails (once per day / per threshold), the hourly sweep and the Celery settings."""

import datetime as dt
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail

from attache_crm.celery import app
from reports import notices, tasks
from reports.models import Cable
from tenancy.markings import Channel, Marking
from tests.factories import ActionItemFactory, AgreementFactory

UTC = dt.UTC
MORNING = dt.datetime(2026, 6, 16, 5, 0, tzinfo=UTC)  # 07:00 in Berlin (the fixture post's zone)
TODAY = dt.date(2026, 6, 16)


def test_follow_up_reminders_go_to_assignees_once_a_day(post, attache, second_attache):
    ActionItemFactory(post=post, assignee=attache, description="Send the agenda", due_on=TODAY - dt.timedelta(days=2))
    ActionItemFactory(post=post, assignee=attache, description="Confirm the venue", due_on=TODAY + dt.timedelta(days=1))
    ActionItemFactory(post=post, assignee=attache, description="Far away", due_on=TODAY + dt.timedelta(days=9))
    ActionItemFactory(post=post, assignee=attache, description="Done already", due_on=TODAY, status="done")
    ActionItemFactory(post=post, assignee=attache, description="Sensitive chore", due_on=TODAY, marking=Marking.SBU)
    assert notices.send_follow_up_reminders(now=MORNING) == 1
    assert notices.send_follow_up_reminders(now=MORNING + dt.timedelta(hours=3)) == 0
    (message,) = mail.outbox
    assert message.to == [attache.email]
    assert "OVERDUE" in message.body and "Send the agenda" in message.body and "Confirm the venue" in message.body
    assert "Far away" not in message.body and "Done already" not in message.body
    assert "Sensitive chore" not in message.body and "SBU" in message.body
    assert notices.send_follow_up_reminders(now=MORNING + dt.timedelta(days=1)) == 1  # a new day


def test_reminders_leave_out_restricted_items_the_assignee_may_not_see(post, attache, second_attache):
    ActionItemFactory(
        post=post,
        assignee=attache,
        description="Not yours to see",
        due_on=TODAY,
        channel=Channel.RESTRICTED,
        created_by=second_attache,
    )
    assert notices.send_follow_up_reminders(now=MORNING) == 0
    assert mail.outbox == []


def test_agreement_expiry_alerts_at_90_then_30_days_once_each(post, attache, diplomat, chief):
    agreement = AgreementFactory(
        post=post, title="Cross-servicing", status="in_force", expires_on=TODAY + dt.timedelta(days=90)
    )
    AgreementFactory(post=post, title="Too far", status="in_force", expires_on=TODAY + dt.timedelta(days=1000))
    AgreementFactory(
        post=post, title="Still negotiating", status="negotiating", expires_on=TODAY + dt.timedelta(days=30)
    )
    assert notices.send_agreement_expiry_alerts(now=MORNING) == 1
    assert notices.send_agreement_expiry_alerts(now=MORNING + dt.timedelta(days=1)) == 0  # 89 days: already told
    sixty_days_later = MORNING + dt.timedelta(days=60)
    assert notices.send_agreement_expiry_alerts(now=sixty_days_later) == 1  # 30 days
    assert notices.send_agreement_expiry_alerts(now=sixty_days_later) == 0
    assert [m.to for m in mail.outbox] == [[attache.email], [attache.email]]
    assert "Cross-servicing" in mail.outbox[0].body and "90 days" in mail.outbox[0].subject
    agreement.expires_on = TODAY + dt.timedelta(days=200)  # extended: a new date, alerts again in time
    agreement.save()
    assert notices.send_agreement_expiry_alerts(now=MORNING + dt.timedelta(days=110)) == 1


def test_a_failed_send_is_not_marked_sent_so_the_retry_sends(post, attache):
    ActionItemFactory(post=post, assignee=attache, due_on=TODAY)
    with mock.patch("reports.notices.send_mail", side_effect=ConnectionError("smtp down")):
        with pytest.raises(ConnectionError):
            notices.send_follow_up_reminders(now=MORNING)
    assert notices.send_follow_up_reminders(now=MORNING) == 1


def test_sweep_enqueues_each_due_week_with_ids_and_iso_dates(post):
    with mock.patch.object(tasks.weekly_summary_draft, "delay_on_commit") as delay:
        with mock.patch("reports.services.timezone.now", return_value=dt.datetime(2026, 6, 19, 12, tzinfo=UTC)):
            assert tasks.weekly_summary_sweep() == 1
    delay.assert_called_once_with(post.pk, "2026-06-15")


def test_draft_task_body_drafts_through_the_service(post):
    cable_id = tasks.weekly_summary_draft.run(post.pk, "2026-06-15")
    assert Cable.objects.get().pk == cable_id
    assert tasks.weekly_summary_draft.run(post.pk, "2026-06-15") == cable_id


def test_celery_is_configured_for_at_least_once_delivery_of_json():
    conf = app.conf
    assert conf.task_serializer == "json" and conf.accept_content == ["json"]
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    longest = max(
        [conf.task_time_limit] + [t.time_limit or 0 for name, t in app.tasks.items() if name.startswith("reports.")]
    )
    if settings.CELERY_BROKER_URL.startswith("redis"):
        assert conf.broker_transport_options["visibility_timeout"] >= 2 * longest
    for name in ["weekly_summary_draft", "weekly_summary_sweep", "follow_up_reminders", "agreement_expiry_alerts"]:
        task = app.tasks[f"reports.tasks.{name}"]
        assert task.autoretry_for and task.retry_backoff
    schedule = {entry["task"] for entry in conf.beat_schedule.values()}
    assert schedule == {
        "reports.tasks.weekly_summary_sweep",
        "reports.tasks.follow_up_reminders",
        "reports.tasks.agreement_expiry_alerts",
        "reports.tasks.clear_sessions",
        "operations.tasks.scheduler_tick",
    }
