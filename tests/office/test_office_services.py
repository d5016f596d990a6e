"""Clearance and gift services: deadlines from their tables, the lifecycle, the write rules."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from attache_crm.lifecycle.services import step
from office import leadtimes, selectors, services
from office.lifecycles import CLEARANCE_LIFECYCLE
from office.models import ClearanceLeadTime, GiftThreshold
from tenancy import policy
from tenancy.markings import Channel
from tests.factories import ClearanceFactory, CounterpartFactory, GiftFactory, MeetingFactory, PostFactory

pytestmark = pytest.mark.django_db


def clearance_fields(**overrides):
    return {
        "kind": "overflight",
        "mission": "REACH 421 — C-17 Ramstein–Bandar",
        "starts_on": dt.date(2027, 1, 11),
        "ends_on": dt.date(2027, 1, 12),
    } | overrides


def gift_fields(**overrides):
    return {
        "official": "Maj Gen Amal Rahimi, Chief of Staff",
        "received_on": dt.date(2026, 11, 2),
        "description": "Silver ceremonial khanjar",
        "value_usd": Decimal("650.00"),
        "value_basis": "Appraisal by the embassy's GSO",
        "recipient": "Col. J. Smith",
    } | overrides


# ---------------------------------------------------------------- lead times


def test_aircraft_lead_time_counts_host_nation_working_days():
    # Travel Monday 4 Jan 2027 in Germany: 10 working days back skips the weekends and the
    # public holidays of 25 and 26 Dec (Christmas) and 1 Jan (New Year).
    assert leadtimes.working_days_before(dt.date(2027, 1, 4), 10, "DE") == dt.date(2026, 12, 17)
    # A country without a holiday calendar counts weekends only.
    assert leadtimes.working_days_before(dt.date(2027, 1, 4), 10, "XB") == dt.date(2026, 12, 21)


def test_submit_by_follows_the_post_table_or_the_default(post, attache):
    ship = services.clearance_create(post=post, by=attache, **clearance_fields(kind="ship_visit"))
    assert ship.submit_by == dt.date(2027, 1, 11) - dt.timedelta(days=30)
    ClearanceLeadTime.objects.create(post=post, kind="ship_visit", days=45, working_days=False)
    moved = services.clearance_update(clearance=ship, by=attache, starts_on=dt.date(2027, 1, 10))
    assert moved.submit_by == dt.date(2027, 1, 10) - dt.timedelta(days=45)
    aircraft = services.clearance_create(post=post, by=attache, **clearance_fields())
    assert aircraft.submit_by == dt.date(2026, 12, 28)  # 10 working days before Monday 11 Jan (XB: weekends)


# ---------------------------------------------------------------- clearance lifecycle


@time_machine.travel(dt.datetime(2026, 12, 20, 12, tzinfo=dt.UTC), tick=False)
def test_clearance_goes_from_draft_to_approved_with_the_reply(post, attache):
    clearance = services.clearance_create(post=post, by=attache, **clearance_fields())
    assert clearance.status == "draft"
    submitted = step(
        CLEARANCE_LIFECYCLE, record=clearance, by=attache, to="submitted", on=dt.date(2026, 12, 18),
        host_reference="MFA/24/117",
    )  # fmt: skip
    assert (submitted.submitted_on, submitted.host_reference) == (dt.date(2026, 12, 18), "MFA/24/117")
    approved = step(
        CLEARANCE_LIFECYCLE, record=clearance, by=attache, to="approved", host_reply="Approved; route via KALBA."
    )
    assert approved.status == "approved"
    assert approved.replied_on == dt.date(2026, 12, 20)
    assert approved.host_reply == "Approved; route via KALBA."
    assert approved.host_reference == "MFA/24/117"  # kept when the reply does not repeat it
    assert CLEARANCE_LIFECYCLE.allowed(approved) == ["cancelled"]
    log = [(row.from_status, row.to_status, row.changed_on) for row in CLEARANCE_LIFECYCLE.log(approved).order_by("id")]
    assert log == [
        ("", "draft", dt.date(2026, 12, 20)),
        ("draft", "submitted", dt.date(2026, 12, 18)),
        ("submitted", "approved", dt.date(2026, 12, 20)),
    ]


@time_machine.travel(dt.datetime(2026, 12, 20, 12, tzinfo=dt.UTC), tick=False)
def test_a_clearance_reply_cannot_be_dated_before_its_submission(post, attache):
    clearance = services.clearance_create(post=post, by=attache, **clearance_fields())
    step(CLEARANCE_LIFECYCLE, record=clearance, by=attache, to="submitted", on=dt.date(2026, 12, 18))
    with pytest.raises(ValidationError) as refused:
        step(CLEARANCE_LIFECYCLE, record=clearance, by=attache, to="denied", on=dt.date(2026, 12, 17))
    assert "on" in refused.value.message_dict
    clearance.refresh_from_db()
    assert (clearance.status, clearance.replied_on) == ("submitted", None)


def test_a_clearance_step_sets_only_the_host_nations_fields(post, attache):
    clearance = ClearanceFactory(post=post, created_by=attache)
    with pytest.raises(TypeError):
        step(CLEARANCE_LIFECYCLE, record=clearance, by=attache, to="submitted", mission="another mission")
    assert not clearance.status_changes.exists()


@pytest.mark.parametrize(
    ("start", "to_status"),
    [("draft", "approved"), ("draft", "denied"), ("denied", "submitted"), ("cancelled", "draft")],
)
def test_clearance_refuses_a_step_not_in_the_table(post, attache, start, to_status):
    clearance = ClearanceFactory(post=post, created_by=attache, status=start)
    with pytest.raises(ValidationError) as refused:
        step(CLEARANCE_LIFECYCLE, record=clearance, by=attache, to=to_status)
    assert "to_status" in refused.value.message_dict


def test_clearance_write_rules(post, attache, diplomat, outsider):
    with pytest.raises(policy.Denied):
        services.clearance_create(post=post, by=diplomat, **clearance_fields())
    with pytest.raises(policy.NotFound):
        services.clearance_create(post=post, by=outsider, **clearance_fields())
    clearance = ClearanceFactory(post=post, created_by=attache)
    with pytest.raises(policy.NotFound):
        step(CLEARANCE_LIFECYCLE, record=clearance, by=outsider, to="submitted")


def test_clearance_refuses_travel_ending_before_it_starts(post, attache):
    with pytest.raises(ValidationError) as refused:
        services.clearance_create(post=post, by=attache, **clearance_fields(ends_on=dt.date(2027, 1, 1)))
    assert "ends_on" in refused.value.message_dict


# ---------------------------------------------------------------- gifts


@pytest.mark.parametrize(
    ("received_on", "value", "threshold", "due"),
    [
        (dt.date(2022, 6, 1), "450.00", "415.00", dt.date(2022, 7, 31)),  # above the 2020 value
        (dt.date(2023, 6, 1), "450.00", "480.00", None),  # below the 2023 value
        (dt.date(2023, 6, 1), "480.00", "480.00", None),  # at the value is not above it
        (dt.date(2023, 6, 1), "480.01", "480.00", dt.date(2023, 7, 31)),
    ],
)
def test_gift_report_due_follows_the_value_in_force_on_the_day(post, attache, received_on, value, threshold, due):
    gift = services.gift_create(post=post, by=attache, **gift_fields(received_on=received_on, value_usd=Decimal(value)))
    assert gift.threshold_usd == Decimal(threshold)
    assert gift.report_due_on == due


def test_gift_given_is_never_reported(post, attache):
    gift = services.gift_create(post=post, by=attache, **gift_fields(direction="given"))
    assert gift.report_due_on is None


def test_a_later_minimal_value_entered_by_an_operator_applies_from_its_date(post, attache):
    gift = services.gift_create(post=post, by=attache, **gift_fields(value_usd=Decimal("500.00")))
    assert gift.report_due_on == dt.date(2027, 1, 1)
    GiftThreshold.objects.create(effective_on=dt.date(2026, 1, 1), value_usd=Decimal("510.00"))
    assert services.gift_terms_refresh(since=dt.date(2026, 1, 1)) == 1
    gift.refresh_from_db()
    assert (gift.threshold_usd, gift.report_due_on) == (Decimal("510.00"), None)


def test_gift_disposition_needs_its_date_and_a_gift_received(post, attache):
    gift = services.gift_create(post=post, by=attache, **gift_fields())
    with pytest.raises(ValidationError) as refused:
        services.gift_update(gift=gift, by=attache, disposition="deposited")
    assert "disposed_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.gift_create(post=post, by=attache, **gift_fields(direction="given", disposition="returned"))
    assert "disposition" in refused.value.message_dict
    disposed = services.gift_update(gift=gift, by=attache, disposition="deposited", disposed_on=dt.date(2026, 11, 20))
    assert not disposed.undisposed


def test_gift_links_are_visible_records_of_the_same_post(post, other_post, attache):
    hidden = CounterpartFactory(post=post, channel=Channel.RESTRICTED, owner=None, created_by=None)
    with pytest.raises(ValidationError) as refused:
        services.gift_create(post=post, by=attache, **gift_fields(counterpart=hidden))
    assert refused.value.message_dict["counterpart"] == [policy.NO_SUCH_RECORD_ID.format(id=hidden.pk)]
    elsewhere = MeetingFactory(post=other_post)
    with pytest.raises(ValidationError) as refused:
        services.gift_create(post=post, by=attache, **gift_fields(meeting=elsewhere))
    assert "meeting" in refused.value.message_dict


def test_gift_edit_keeps_a_link_the_editor_cannot_see(post, attache, second_attache):
    private = CounterpartFactory(post=post, channel=Channel.RESTRICTED, owner=attache)
    gift = services.gift_create(post=post, by=attache, **gift_fields(counterpart=private))
    services.gift_update(gift=gift, by=second_attache, counterpart=None, recipient="Col. J. Smith, DATT")
    gift.refresh_from_db()
    assert gift.counterpart_id == private.pk


# ---------------------------------------------------------------- the reads other pages use


def test_pending_clearances_and_undisposed_gifts_are_visible_only(post, attache, diplomat, other_post):
    pending = ClearanceFactory(post=post, created_by=attache, status="submitted")
    quiet = ClearanceFactory(post=post, created_by=attache, channel=Channel.ATTACHE)
    ClearanceFactory(post=post, created_by=attache, status="approved")
    ClearanceFactory(post=PostFactory(), status="draft")
    assert list(selectors.pending_clearances(attache, post)) == sorted([pending, quiet], key=lambda c: c.starts_on)
    assert list(selectors.pending_clearances(diplomat, post)) == [pending]

    undisposed = GiftFactory(post=post, created_by=attache, value_usd=900)
    GiftFactory(post=post, created_by=attache, value_usd=900, disposition="retained", disposed_on=dt.date.today())
    GiftFactory(post=post, created_by=attache, value_usd=50)
    GiftFactory(post=post, created_by=attache, value_usd=900, channel=Channel.ATTACHE)
    assert list(selectors.undisposed_gifts(diplomat, post)) == [undisposed]
    assert selectors.undisposed_gifts(attache, post).count() == 2
    assert not selectors.undisposed_gifts(diplomat, other_post).exists()
