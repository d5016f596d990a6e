"""Benchmark volume of clearances and gifts, written in bulk by seeding.volume (seed_volume).

Per post: years of clearance requests (mostly aircraft, answered long ago; a few pending around
today) and a register of gifts, some above the minimal value and undisposed. Deadlines are computed
by the same functions the services use (`leadtimes.submit_by_with`, `services.report_terms_with`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from office import leadtimes
from office.choices import DEFAULT_LEAD_TIMES, ClearanceKind, ClearanceStatus, GiftDirection, GiftDisposition
from office.models import Clearance, Gift, GiftThreshold
from office.services import report_terms_with

CLEARANCES_PER_POST = 200
GIFTS_PER_POST = 100
KIND_WEIGHTS = (45, 30, 10, 15)  # overflight, landing, ship visit, official visit
MISSIONS = {
    ClearanceKind.OVERFLIGHT: ("REACH", "RCH", "SPAR", "EVAC", "KING"),
    ClearanceKind.LANDING: ("REACH", "SAM", "SPAR", "VENUS"),
    ClearanceKind.SHIP_VISIT: ("USS Carney (DDG-64)", "USS Mason (DDG-87)", "USNS Supply (T-AOE-6)"),
    ClearanceKind.OFFICIAL_VISIT: ("CODEL visit", "DASD policy visit", "Service chief's visit", "Staff talks"),
}
GIFTS = (
    "Ceremonial dagger in a presentation case", "Framed photograph with a dedication", "Hand-woven carpet",
    "Crystal bowl with a crest", "Wristwatch", "Book on the national military history", "Model aircraft",
    "Coffee set in silver", "Unit coin and plaque", "Calligraphy panel",
)  # fmt: skip


def write(spec, sink, plans, *, record, rng_for, weighted, at) -> None:
    """Write the clearances and gifts of every post (the helpers are seeding.volume's own)."""
    thresholds = sorted(GiftThreshold.objects.values_list("effective_on", "value_usd"))

    def threshold_on(day):
        in_force = [value for effective_on, value in thresholds if effective_on <= day]
        return in_force[-1] if in_force else None

    def clearances():
        for plan in plans:
            rng = rng_for(spec, plan.number, "clearances")
            for clearance_id in sink.ids(Clearance, CLEARANCES_PER_POST):
                kind = weighted(rng, ClearanceKind.values, KIND_WEIGHTS)
                starts = spec.anchor + dt.timedelta(days=rng.randint(-365 * 5, 60))
                ends = starts + dt.timedelta(days=rng.randint(0, 4))
                submit_by = leadtimes.submit_by_with(DEFAULT_LEAD_TIMES[ClearanceKind(kind)], plan.country, starts)
                status, submitted, replied = _lifecycle(rng, spec.anchor, starts, submit_by)
                prefix = rng.choice(MISSIONS[ClearanceKind(kind)])
                mission = f"{prefix} {rng.randint(100, 9999)}" if kind in ("overflight", "landing") else prefix
                yield record(
                    plan, rng, at(min(submit_by, spec.anchor) - dt.timedelta(days=rng.randint(1, 10)), 9),
                    id=clearance_id, kind=kind, mission=mission, itinerary="", starts_on=starts, ends_on=ends,
                    host_reference=f"MFA/{starts.year}/{rng.randint(1, 999)}" if submitted else "",
                    status=status, submitted_on=submitted, replied_on=replied,
                    host_reply="Approved as requested." if status == ClearanceStatus.APPROVED else "",
                    submit_by=submit_by,
                )  # fmt: skip

    def gifts():
        for plan in plans:
            rng = rng_for(spec, plan.number, "gifts")
            for gift_id in sink.ids(Gift, GIFTS_PER_POST):
                received = spec.anchor - dt.timedelta(days=rng.randint(0, 365 * 5))
                direction = GiftDirection.GIVEN if rng.random() < 0.3 else GiftDirection.RECEIVED
                value = Decimal(rng.choice((40, 90, 250, 450, 600, 900, 1500)))
                threshold, due = report_terms_with(threshold_on(received), direction, received, value)
                disposed = direction == GiftDirection.RECEIVED and (received < spec.anchor - dt.timedelta(days=90))
                disposition = rng.choice(GiftDisposition.values[1:]) if disposed else GiftDisposition.UNDISPOSED
                yield record(
                    plan, rng, at(received, 16),
                    id=gift_id, direction=direction, official=f"Official of {plan.country}", counterpart_id=None,
                    government=plan.country, received_on=received, meeting_id=None, description=rng.choice(GIFTS),
                    value_usd=value, value_basis="Retail price of a comparable item", recipient="Defense attaché",
                    disposition=disposition, disposed_on=received + dt.timedelta(days=30) if disposition else None,
                    threshold_usd=threshold, report_due_on=due,
                )  # fmt: skip

    sink.write(Clearance, clearances())
    sink.write(Gift, gifts())


def _lifecycle(rng, today, starts, submit_by):
    """(status, submitted on, replied on) of a request travelling on `starts`, as seen on `today`."""
    submitted = submit_by - dt.timedelta(days=rng.randint(0, 10))
    if submitted > today:  # not due yet: still a draft
        return ClearanceStatus.DRAFT, None, None
    if starts > today and rng.random() < 0.3:  # travel ahead, no answer yet (some never submitted)
        return (
            (ClearanceStatus.SUBMITTED, submitted, None) if rng.random() < 0.8 else (ClearanceStatus.DRAFT, None, None)
        )
    replied = min(today, submitted + dt.timedelta(days=rng.randint(2, 9)))
    status = weighted_status(rng)
    return status, submitted, (replied if status != ClearanceStatus.CANCELLED else None)


def weighted_status(rng):
    draw = rng.random()
    return (
        ClearanceStatus.DENIED if draw < 0.05 else ClearanceStatus.CANCELLED if draw < 0.1 else ClearanceStatus.APPROVED
    )
