"""The dashboard's panels that run the week: stay in touch, exercise milestones, agreements nearing
expiry, and meetings per week drawn as SVG; each through the policy, each a fixed number of queries."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from engagements import charts, stay_in_touch
from tenancy.markings import Channel
from tests.access.matrix import OK, READ, code
from tests.access.world import RECORD_VARIANTS, build_world, marker
from tests.conftest import client_for
from tests.factories import (
    AgreementFactory,
    CounterpartFactory,
    ExerciseFactory,
    MeetingFactory,
    MeetingParticipantFactory,
)

pytestmark = pytest.mark.django_db


def _panel(body: str, heading_id: str) -> str:
    return body.split(f'id="{heading_id}"')[1].split("</section>")[0]


def _dashboard(user) -> str:
    response = client_for(user).get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def _meet(post, counterpart, days_ago, **fields):
    meeting = MeetingFactory(post=post, starts_at=timezone.now() - dt.timedelta(days=days_ago), **fields)
    MeetingParticipantFactory(meeting=meeting, counterpart=counterpart)
    return meeting


# ---------------------------------------------------------------- stay in touch


def test_the_panel_counts_each_status_at_its_boundary_days(post, attache):
    """The panel's day arithmetic (done by the database) agrees with status_for at the edges of a
    60-day cadence: due in 15 days, in 14, today, and yesterday; met just after midnight at the
    post, which is the day before in UTC."""
    today = timezone.localdate()
    met_at = {}
    for days_ago in (45, 46, 60, 61):
        counterpart = CounterpartFactory(post=post, owner=attache, contact_every_days=60)
        met_on = today - dt.timedelta(days=days_ago)
        meeting = MeetingFactory(post=post, starts_at=dt.datetime.combine(met_on, dt.time(0, 30), tzinfo=post.tzinfo))
        MeetingParticipantFactory(meeting=meeting, counterpart=counterpart)
        met_at[counterpart.pk] = meeting.starts_at
    CounterpartFactory(post=post, owner=attache, contact_every_days=60)  # never met
    panel = stay_in_touch.dashboard_panel(attache, today)
    assert panel["counts"] == {"never_met": 1, "overdue": 1, "due_soon": 2, "in_touch": 1}
    assert [c.stay_in_touch.status for c in panel["rows"]] == [
        "overdue",
        "never met",
        "due soon",
        "due soon",
        "in touch",
    ]
    # Each row's last contact is the meeting's moment itself, as the ranking read it.
    assert [c.stay_in_touch.last_contact for c in panel["rows"]] == [met_at.get(c.pk) for c in panel["rows"]]


def test_a_panel_smaller_than_the_watch_list_counts_every_one_and_shows_the_most_urgent(post, attache):
    """Ranked by the database: the longest overdue first, then never met, then the soonest due."""
    today = timezone.localdate()
    for days_ago, name in ((70, "Overdue ten"), (90, "Overdue thirty"), (50, "Due soon"), (5, "In touch")):
        _meet(post, CounterpartFactory(post=post, owner=attache, contact_every_days=60, family_name=name), days_ago)
    CounterpartFactory(post=post, owner=attache, contact_every_days=60, family_name="Never")
    panel = stay_in_touch.dashboard_panel(attache, today, size=3)
    assert [c.family_name for c in panel["rows"]] == ["Overdue thirty", "Overdue ten", "Never"]
    assert panel["counts"] == {"never_met": 1, "overdue": 2, "due_soon": 1, "in_touch": 1}
    assert (panel["total"], panel["needing_contact"]) == (5, 3)


def test_stay_in_touch_lists_my_counterparts_overdue_first_with_a_count(post, attache, second_attache):
    in_touch = CounterpartFactory(post=post, owner=attache, family_name="Intouch", contact_every_days=60)
    _meet(post, in_touch, 5)
    overdue = CounterpartFactory(post=post, owner=attache, family_name="Overdue", contact_every_days=30)
    _meet(post, overdue, 39)
    CounterpartFactory(post=post, owner=attache, family_name="Nevermet", contact_every_days=90)
    CounterpartFactory(post=post, owner=attache, family_name="Nocadence")
    CounterpartFactory(post=post, owner=second_attache, family_name="Theirs", contact_every_days=30)
    panel = _panel(_dashboard(attache), "stay-in-touch-heading")
    assert '<span class="badge badge-overdue">2</span>' in panel  # overdue and never met
    assert panel.index("OVERDUE") < panel.index("NEVERMET") < panel.index("INTOUCH")
    assert "overdue by 9 days" in panel
    assert "NOCADENCE" not in panel and "THEIRS" not in panel


def test_the_chief_watches_every_counterpart_with_a_cadence_at_the_post(post, attache, chief):
    CounterpartFactory(post=post, owner=attache, family_name="Kept", contact_every_days=30)
    CounterpartFactory(post=post, owner=None, family_name="Unkept", contact_every_days=30)
    panel = _panel(_dashboard(chief), "stay-in-touch-heading")
    assert "KEPT" in panel and "UNKEPT" in panel


def test_stay_in_touch_is_not_shown_to_those_who_keep_no_counterpart(post, diplomat):
    CounterpartFactory(post=post, family_name="Anyone", contact_every_days=30)
    assert "stay-in-touch-heading" not in _dashboard(diplomat)


def test_a_hidden_meeting_does_not_put_a_counterpart_back_in_touch(post, attache, second_attache, chief):
    counterpart = CounterpartFactory(post=post, owner=attache, family_name="Guarded", contact_every_days=30)
    _meet(post, counterpart, 3, channel=Channel.RESTRICTED, created_by=second_attache)
    assert "Never met" in _panel(_dashboard(attache), "stay-in-touch-heading")
    assert "In touch" in _panel(_dashboard(chief), "stay-in-touch-heading")


# ---------------------------------------------------------------- exercise milestones and agreements


def test_exercise_milestones_of_the_next_30_days_soonest_first(post, attache):
    today = timezone.localdate()
    ExerciseFactory(post=post, name="Later Shield", starts_on=today + dt.timedelta(days=25))
    ExerciseFactory(
        post=post, name="Planning Shield", starts_on=today + dt.timedelta(days=90), mpc_on=today + dt.timedelta(days=4)
    )
    ExerciseFactory(post=post, name="Far Shield", starts_on=today + dt.timedelta(days=45))
    ExerciseFactory(post=post, name="Cancelled Shield", starts_on=today + dt.timedelta(days=3), phase="cancelled")
    panel = _panel(_dashboard(attache), "milestones-heading")
    assert panel.index("Planning Shield") < panel.index("Later Shield")
    assert "Main planning conference" in panel and "Starts" in panel
    assert "Far Shield" not in panel and "Cancelled Shield" not in panel


def test_agreements_expiring_within_90_days_or_expired_while_active(post, attache):
    today = timezone.localdate()
    AgreementFactory(post=post, title="Soon ending", status="in_force", expires_on=today + dt.timedelta(days=80))
    AgreementFactory(post=post, title="Lapsed", status="signed", expires_on=today - dt.timedelta(days=3))
    AgreementFactory(post=post, title="Far ending", status="in_force", expires_on=today + dt.timedelta(days=120))
    AgreementFactory(post=post, title="Recorded expired", status="expired", expires_on=today - dt.timedelta(days=3))
    panel = _panel(_dashboard(attache), "expiring-heading")
    assert panel.index("Lapsed") < panel.index("Soon ending")
    assert "Expired" in panel.split("Lapsed")[1].split("</li>")[0] and "in 80 days" in panel
    assert "Far ending" not in panel and "Recorded expired" not in panel


@pytest.mark.parametrize("channel", [Channel.ATTACHE, Channel.RESTRICTED])
def test_a_diplomat_sees_no_attache_channel_or_restricted_row_in_the_new_panels(
    post, attache, diplomat, chief, channel
):
    today = timezone.localdate()
    owner = {"created_by": attache}
    ExerciseFactory(post=post, channel=channel, name="Hidden Shield", starts_on=today + dt.timedelta(days=5), **owner)
    AgreementFactory(post=post, channel=channel, title="Hidden accord", status="in_force", expires_on=today, **owner)
    counterpart = CounterpartFactory(post=post, channel=channel, family_name="Hiddenperson", owner=attache)
    counterpart.contact_every_days = 30
    counterpart.save()
    _meet(post, counterpart, 3, channel=channel, **owner)
    body = _dashboard(diplomat)
    for heading in ("milestones-heading", "expiring-heading"):
        panel = _panel(body, heading)
        assert "Hidden" not in panel and "None in the next" in panel
    assert "0 meetings in 26 weeks" in _panel(body, "meetings-chart-heading")
    assert "Hidden" not in body and "HIDDENPERSON" not in body
    attache_body = _dashboard(attache)
    assert "Hidden Shield" in attache_body and "Hidden accord" in attache_body and "HIDDENPERSON" in attache_body
    assert "1 meeting in 26 weeks" in _panel(attache_body, "meetings-chart-heading")


# ---------------------------------------------------------------- the chart


def test_meetings_are_counted_per_week_from_known_data(post, attache):
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    noon = dt.time(12)

    def at(day):
        return timezone.make_aware(dt.datetime.combine(day, noon))

    for days in (0, 0, 7 * 3):  # two this week's Monday, one three weeks before
        MeetingFactory(post=post, starts_at=at(monday - dt.timedelta(days=days)))
    MeetingFactory(post=post, starts_at=at(monday - dt.timedelta(weeks=26)))  # outside the window
    MeetingFactory(post=post, starts_at=at(monday), status="cancelled")  # not held
    MeetingFactory(post=post, starts_at=at(monday), channel=Channel.RESTRICTED)  # not visible
    chart = charts.meetings_per_week(attache, today)
    assert (
        len(chart.bars) == 26
        and chart.bars[-1].start == monday
        and chart.bars[0].start == monday - dt.timedelta(weeks=25)
    )
    assert [bar.count for bar in chart.bars if bar.count] == [1, 2]
    assert chart.bars[-1].count == 2 and chart.bars[-4].count == 1 and chart.total == 3
    assert chart.busiest == chart.bars[-1] and chart.bars[-1].height == charts.BAR_CHART_SIZE[1]
    assert chart.bars[-4].height == charts.BAR_CHART_SIZE[1] / 2 and chart.bars[0].height == 0
    assert chart.summary == f"3 meetings in 26 weeks, most in the week of {monday:%-d %b %Y} (2)."


def test_the_chart_is_svg_with_a_title_and_a_summary_and_no_script(post, attache):
    MeetingFactory(post=post)
    body = _dashboard(attache)
    panel = _panel(body, "meetings-chart-heading")
    svg = panel.split("<svg")[1].split("</svg>")[0]
    assert 'role="img"' in svg and 'aria-labelledby="meetings-per-week-title"' in svg
    assert '<title id="meetings-per-week-title">1 meeting in 26 weeks' in svg
    assert len(re.findall(r"<rect ", svg)) == 26
    assert '<p class="chart-summary">1 meeting in 26 weeks' in panel
    assert "<script" not in panel and " on" not in svg.split(">")[0]


def test_month_starts_cross_the_year():
    starts = charts.month_starts(dt.date(2026, 2, 14), 3)
    assert starts == [dt.date(2025, 12, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1)]


# ---------------------------------------------------------------- query ceilings

# What the busiest role's dashboard reads: each panel a fixed number of queries (stay in touch 2:
# the ranking with last contacts, the rows shown; upcoming meetings 2: the meetings, their
# people), so 30 rows of each kind read no more than 2.
DASHBOARD_CEILING = 15


@pytest.mark.parametrize("role", ["attache", "diplomat", "chief"])
@pytest.mark.parametrize("rows", [2, 30])
def test_dashboard_query_count_is_capped_for_every_role_whatever_the_rows(
    post, attache, diplomat, chief, role, rows, django_assert_max_num_queries
):
    today = timezone.localdate()
    for n in range(rows):
        counterpart = CounterpartFactory(post=post, owner=attache, contact_every_days=30 + n)
        _meet(post, counterpart, n * 3)
        ExerciseFactory(post=post, starts_on=today + dt.timedelta(days=n % 30))
        AgreementFactory(post=post, status="in_force", expires_on=today + dt.timedelta(days=n))
    user = {"attache": attache, "diplomat": diplomat, "chief": chief}[role]
    client = client_for(user)
    client.get(reverse("dashboard"))
    with django_assert_max_num_queries(DASHBOARD_CEILING):
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200


# ---------------------------------------------------------------- the counterpart page


def test_counterpart_page_tells_the_cadence_last_contact_and_lateness(post, attache):
    counterpart = CounterpartFactory(post=post, owner=attache, contact_every_days=60)
    # Noon at the post 69 days ago by its calendar, whatever the hour and daylight saving now.
    zone = post.tzinfo
    met_on = timezone.localdate(timezone=zone) - dt.timedelta(days=69)
    meeting = MeetingFactory(post=post, starts_at=dt.datetime.combine(met_on, dt.time(12), tzinfo=zone))
    MeetingParticipantFactory(meeting=meeting, counterpart=counterpart)
    body = client_for(attache).get(counterpart.get_absolute_url()).content.decode()
    line = body.split('class="stay-in-touch"')[1].split("</p>")[0]
    assert "Contact every 60 days" in line and "overdue by 9 days" in line
    assert f"last met {met_on.day} {met_on:%b %Y}" in line


def test_counterpart_page_sparkline_counts_visible_meetings_per_month(post, attache, diplomat):
    counterpart = CounterpartFactory(post=post, owner=attache)
    _meet(post, counterpart, 1)
    _meet(post, counterpart, 2, channel=Channel.ATTACHE)
    _meet(post, counterpart, 500)  # more than a year ago
    for user, expected in ((attache, "2 meetings in 12 months"), (diplomat, "1 meeting in 12 months")):
        body = client_for(user).get(counterpart.get_absolute_url()).content.decode()
        svg = body.split('<svg class="sparkline"')[1].split("</svg>")[0]
        assert f'<title id="counterpart-sparkline-title">{expected}' in svg
        assert len(re.findall(r"<rect ", svg)) == 12


def test_a_counterpart_without_a_cadence_shows_the_post_default(post, attache):
    counterpart = CounterpartFactory(post=post, owner=attache)
    body = client_for(attache).get(counterpart.get_absolute_url()).content.decode()
    assert "Contact every 90 days (post default)" in body and "never met" in body


# ---------------------------------------------------------------- the role matrix's world


@pytest.mark.parametrize("role", ["attache", "diplomat", "chief"])
def test_the_new_panels_show_each_role_exactly_the_rows_of_the_matrix(role):
    """The role matrix's world puts every channel's counterpart, exercise and agreement on these
    panels: each role's panels hold the ones it may read and none other (the matrix searches every
    body for the others too)."""
    world = build_world()
    body = _dashboard(world.users[role])
    panels = {
        "counterpart": _panel(body, "stay-in-touch-heading") if role != "diplomat" else "",
        "exercise": _panel(body, "milestones-heading"),
        "agreement": _panel(body, "expiring-heading"),
    }
    kept_by_attache = {"restricted_own"}
    for resource, panel in panels.items():
        for variant in RECORD_VARIANTS:
            readable = code(READ, role, variant) == OK
            if resource == "counterpart" and role == "attache":
                readable = variant in kept_by_attache  # the attaché's panel holds what they keep
            if resource == "counterpart" and role == "diplomat":
                readable = False  # a diplomat keeps no counterpart
            shown = marker(resource, variant).upper() in panel.upper()
            assert shown == readable, f"{role}: {resource} {variant} shown={shown}"
