"""Demo clearances and gifts at the demo post, for `seed_demo`: written once, through the services
(a dozen records), relative to the day it runs. One request is past its lead time and travels
within the week, and one gift above the minimal value is still undisposed: the dashboard and the
weekly summary show both."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from attache_crm.lifecycle import services as lifecycle
from contacts.models import Counterpart
from engagements.models import Meeting
from tenancy.markings import Channel, Marking

from . import services
from .lifecycles import CLEARANCE_LIFECYCLE
from .models import Clearance


def seed(post, attache) -> None:
    """Idempotent: nothing is written at a post that already has clearances."""
    if Clearance.objects.filter(post=post).exists():
        return
    today = timezone.localdate(timezone=post.tzinfo)
    _clearances(post, attache, today)
    _gifts(post, attache, today)


def _day(today, days) -> dt.date:
    return today + dt.timedelta(days=days)


def _clearances(post, by, today) -> None:
    def request(kind, mission, starts_in, length=1, steps=(), **fields):
        clearance = services.clearance_create(
            post=post, by=by, kind=kind, mission=mission, starts_on=_day(today, starts_in),
            ends_on=_day(today, starts_in + length), **fields,
        )  # fmt: skip
        for to_status, days_ago, extra in steps:
            lifecycle.step(
                CLEARANCE_LIFECYCLE, record=clearance, by=by, to=to_status, on=_day(today, -days_ago), **extra
            )

    request("overflight", "REACH 4417 — C-17A, Ramstein to Bandar International", 6, 1,
            itinerary="Entry at waypoint KALBA 0600Z, landing Bandar International, departure next day.")  # fmt: skip
    request("landing", "SPAR 19 — C-37B, CODEL visit", 24, 2,
            steps=[("submitted", 8, {"host_reference": "MFA/PROT/26/311"})])  # fmt: skip
    request("ship_visit", "USS Carney (DDG-64) — port visit Port Rashid", 45, 4,
            steps=[("submitted", 20, {"host_reference": "MOD/NAV/26/88"}),
                   ("approved", 2, {"host_reply": "Approved; berth 4, pilot at 0700 local."})])  # fmt: skip
    request("overflight", "RCH 7720 — KC-46A tanker transit", 3, 0,
            steps=[("submitted", 12, {"host_reference": "MFA/PROT/26/305"}),
                   ("denied", 3, {"host_reply": "Denied: the corridor is closed for an air show."})])  # fmt: skip
    request("official_visit", "Country clearance: DASD Middle East policy visit", 40, 3)
    request("landing", "EVAC 02 — C-130J, training sortie", 60, 1, channel=Channel.ATTACHE, marking=Marking.SBU)
    request("overflight", "REACH 4102 — C-17A, cargo to the exercise area", -20, 1,
            steps=[("submitted", 40, {"host_reference": "MFA/PROT/26/240"}),
                   ("approved", 30, {"host_reply": "Approved as requested."})])  # fmt: skip


def _gifts(post, by, today) -> None:
    meetings = list(Meeting.objects.filter(post=post, starts_at__lte=timezone.now()).order_by("-starts_at")[:4])
    counterparts = list(Counterpart.objects.filter(post=post, channel=Channel.POST).order_by("-grade_seniority")[:4])

    def gift(days_ago, description, value, meeting=None, counterpart=None, **fields):
        services.gift_create(
            post=post, by=by, received_on=_day(today, -days_ago), description=description,
            value_usd=Decimal(value), value_basis=fields.pop("value_basis", "Retail price of a comparable item"),
            official=fields.pop("official", counterpart.rank_and_name if counterpart else "Host-nation delegation"),
            recipient=fields.pop("recipient", "COL Dana Whitfield, Defense Attaché"), meeting=meeting,
            counterpart=counterpart, government=post.host_country, **fields,
        )  # fmt: skip

    first = lambda items, n: items[n] if len(items) > n else None  # noqa: E731
    gift(12, "Silver khanjar (ceremonial dagger) in a presentation case", "650.00",
         first(meetings, 0), first(counterparts, 0), value_basis="Appraisal by the embassy's GSO")  # fmt: skip
    gift(40, "Framed photograph of the joint exercise, with the chief of staff's dedication", "45.00",
         first(meetings, 1), first(counterparts, 1))  # fmt: skip
    gift(75, "Hand-woven carpet, 2 × 3 m", "1200.00", first(meetings, 2), first(counterparts, 2),
         disposition="deposited", disposed_on=_day(today, -50))  # fmt: skip
    gift(20, "Engraved crystal bowl with the office's crest", "300.00", direction="given",
         official="Brigadier General of the Bandarian Air Force, on his retirement")  # fmt: skip
    gift(55, "Gold-plated wristwatch", "900.00", first(meetings, 3), first(counterparts, 3),
         channel=Channel.ATTACHE, marking=Marking.SBU)  # fmt: skip
