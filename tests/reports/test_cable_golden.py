"""Golden test: the exact text of a weekly summary drafted from a fixed week of records."""

import datetime as dt
import hashlib

import pytest

from reports import services
from reports.models import Cable, CableStatus
from reports.rendering import cable_text

from .conftest import WEEK

UTC = dt.UTC

GOLDEN_BODY = """\
E.O. 13526: N/A
TAGS: MARR, MOPS, PREL, GM
SUBJECT: GERMANY: DAO WEEKLY SUMMARY, 15-19 JUNE 2026

1. (SBU) SUMMARY: DATT conducted 2 engagements with host-nation
counterparts; the most senior was Chief of Defence Staff General
Tomas ARDEN (OF-9). 1 agreement changed status. 1 exercise moved to a
new planning phase. 1 exercise starts within 30 days. END SUMMARY.

KEY LEADER ENGAGEMENTS
----------------------
2. (SBU) DATT met Chief of Defence Staff General Tomas ARDEN (OF-9)
on 16 June. Discussed the 2027 exercise calendar and the host
nation's request for helicopter maintenance training. General ARDEN
agreed to a round of staff talks in September.

3. (U) DATT met Head of International Cooperation Colonel Jana WEISS
(OF-5) and a host-nation official on 17 June at Bendlerblock, Berlin.
Agreed the agenda for the next working group.

AGREEMENTS
----------
4. (U) The technical arrangement "Helicopter maintenance training"
moved from negotiating to text agreed on 18 June. Signature planned
for July.

EXERCISES AND LOOK-AHEAD
------------------------
5. (U) Exercise NORTHERN SHIELD 26 (bilateral, 1-12 September 2026,
Munster) entered the initial planning conference phase on 17 June.

6. (U) Look-ahead: Exercise DESERT ANCHOR (multilateral, 10-20 July
2026) starts on 10 July; planning is at the final planning conference
stage.

7. (U) Next week: DATT will meet Chief of Defence Staff General Tomas
ARDEN (OF-9) on 24 June.

8. (U) COMMENT: DATT assessment to be added before release. END
COMMENT.

HARTLEY
"""

HEADER = """\
UNCLASSIFIED
SENSITIVE
{dtg}
FM AMEMBASSY BANDAR
TO SECSTATE WASHDC
INFO SECDEF WASHDC
     DIA WASHDC

UNCLAS {serial}
SENSITIVE

{clearance}"""
# Released: the chief approved it, and drafted it too since nobody else touched the scheduler's draft.
RELEASED_CLEARANCE = "DRAFTED BY: DATT:HARTLEY\nAPPROVED BY: DATT:HARTLEY\n\n"


@pytest.fixture
def drafted(golden_week):
    cable = services.weekly_summary_draft(post=golden_week, period_start=WEEK)
    Cable.objects.filter(pk=cable.pk).update(drafted_at=dt.datetime(2026, 6, 19, 13, 0, tzinfo=UTC))
    cable.refresh_from_db()
    return cable


def test_draft_text_is_exactly_the_golden_text(drafted):
    expected = HEADER.format(dtg="R 191300Z JUN 26", serial="BANDAR DRAFT", clearance="") + GOLDEN_BODY
    assert cable_text(drafted) == expected


def test_released_text_has_serial_and_release_dtg_and_is_frozen_with_its_hash(drafted, berlin_chief):
    released = services.cable_release(cable=drafted, by=berlin_chief, at=dt.datetime(2026, 6, 19, 15, 0, tzinfo=UTC))
    expected = HEADER.format(dtg="R 191500Z JUN 26", serial="BANDAR 000001", clearance=RELEASED_CLEARANCE) + GOLDEN_BODY
    assert released.status == CableStatus.RELEASED
    assert released.released_text == expected
    assert released.sha256 == hashlib.sha256(expected.encode("utf-8")).hexdigest()
    assert cable_text(Cable.objects.get(pk=released.pk)) == expected


def test_cable_marking_is_highest_paragraph_and_channel_narrowest_source(drafted):
    # The SBU meeting makes it SBU; the attaché-channel counterpart makes it attaché channel.
    assert (drafted.marking, drafted.channel) == ("SBU", "attache")
    assert drafted.tags == "MARR, MOPS, PREL, GM"
    assert (drafted.period_start, drafted.period_end) == (dt.date(2026, 6, 15), dt.date(2026, 6, 19))


def test_restricted_records_and_their_names_never_reach_the_draft(drafted):
    text = cable_text(drafted)
    for absent in ["HIDDEN", "Hidden", "Restricted", "Never in a cable", "Left out", "next week.", "last week"]:
        assert absent not in text
