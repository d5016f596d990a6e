"""Reads of engagements, shaped for pages, always through the access policy."""

from __future__ import annotations

import datetime as dt
from itertools import chain

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Value, When, Window, prefetch_related_objects
from django.db.models.functions import RowNumber
from django.utils import timezone

from contacts.models import Counterpart, Organization
from tenancy import policy
from tenancy.history import history_for
from tenancy.markings import highest_marking
from tenancy.models import Membership

from . import charts, milestones, services, stay_in_touch
from .choices import ActionStatus
from .models import ActionItem, Agreement, Exercise, Meeting, MeetingParticipant


def page_marking(*groups) -> str:
    """The highest marking among the records (or iterables of records) a page displays."""
    markings = []
    for group in groups:
        items = [group] if hasattr(group, "marking") else (group or [])
        markings.extend(item.marking for item in items if getattr(item, "marking", None))
    return highest_marking(markings)


# ---------------------------------------------------------------- choices for forms


def counterparts_at(user, post) -> QuerySet:
    """Counterparts of one post this user may see (for pickers)."""
    return policy.visible(user, Counterpart).filter(post=post).order_by("family_name", "given_names")


def organizations_at(user, post) -> QuerySet:
    return policy.visible(user, Organization).filter(post=post).order_by("name")


def agreements_at(user, post) -> QuerySet:
    return policy.visible(user, Agreement).filter(post=post).order_by("title")


def exercises_at(user, post) -> QuerySet:
    return policy.visible(user, Exercise).filter(post=post).order_by("-starts_on")


def people_at(post_or_ids) -> QuerySet:
    """Users holding a content role at the post(s): attendees and assignees are chosen from them."""
    posts = post_or_ids if isinstance(post_or_ids, (list, tuple, set)) else [getattr(post_or_ids, "pk", post_or_ids)]
    members = Membership.objects.filter(post_id__in=posts, role__in=services.CONTENT_ROLES).values("user_id")
    return get_user_model().objects.filter(pk__in=members, is_active=True).order_by("last_name", "username")


# ---------------------------------------------------------------- meetings


def visible_participants(user) -> Prefetch:
    """Participants whose counterpart this user may see: a hidden counterpart is not even named."""
    queryset = (
        MeetingParticipant.objects.filter(counterpart__in=policy.visible(user, Counterpart).values("pk"))
        .select_related("counterpart")
        .order_by("-counterpart__grade_seniority", "counterpart__family_name")
    )
    return Prefetch("participants", queryset=queryset, to_attr="visible_participants")


def meeting_list(user) -> QuerySet:
    """Visible meetings, newest first, with their visible participants."""
    return policy.visible(user, Meeting).prefetch_related(visible_participants(user)).order_by("-starts_at", "-id")


def meeting_detail(user, meeting: Meeting) -> dict:
    """Everything the meeting page shows, each part filtered by what this user may see."""
    show_notes = policy.can_see_restricted_notes(user, meeting.post)
    participants = list(
        meeting.participants.filter(counterpart__in=policy.visible(user, Counterpart).values("pk"))
        .select_related("counterpart")
        .order_by("-counterpart__grade_seniority", "counterpart__family_name")
    )
    agreements = list(policy.visible(user, meeting.agreements.all()))
    exercises = list(policy.visible(user, meeting.exercises.all()))
    follow_ups = list(
        policy.visible(user, meeting.action_items.select_related("assignee")).order_by("status", "due_on")
    )
    history = history_for(user, meeting)
    counterparts = [p.counterpart for p in participants]
    return {
        "meeting": meeting,
        "obj": meeting,
        "participants": participants,
        "attendees": list(meeting.attendees.order_by("last_name", "username")),
        "agreements": agreements,
        "exercises": exercises,
        "follow_ups": follow_ups,
        "history": history,
        "show_restricted_notes": show_notes,
        "can_edit": policy.can(user, "change", meeting),
        **_follow_up_context(user, meeting),
        "page_marking": page_marking(
            meeting, counterparts, agreements, exercises, follow_ups, [e["record"] for e in history]
        ),
    }


def _follow_up_context(user, obj) -> dict:
    return {
        "today": timezone.localdate(),
        "can_add_follow_up": policy.can(user, "add", model=ActionItem, post=obj.post),
    }


# ---------------------------------------------------------------- agreements and exercises


def agreement_list(user) -> QuerySet:
    """Visible agreements with their visible parties."""
    parties = Prefetch("parties", queryset=Organization.objects.filter(
        pk__in=policy.visible(user, Organization).values("pk")), to_attr="visible_parties")  # fmt: skip
    return policy.visible(user, Agreement).prefetch_related(parties).order_by("-updated_at", "-id")


def agreement_detail(user, agreement: Agreement) -> dict:
    """The agreement page: parties, linked meetings and follow-ups, change history (its status log:
    attache_crm.lifecycle.views.with_step_form)."""
    parties = list(policy.visible(user, agreement.parties.all()))
    meetings = list(policy.visible(user, agreement.meetings.all()).order_by("-starts_at")[:50])
    follow_ups = list(policy.visible(user, agreement.action_items.select_related("assignee")))
    history = history_for(user, agreement)
    return {
        "agreement": agreement,
        "obj": agreement,
        "parties": parties,
        "meetings": meetings,
        "follow_ups": follow_ups,
        "history": history,
        "can_edit": policy.can(user, "change", agreement),
        **_follow_up_context(user, agreement),
        "page_marking": page_marking(agreement, parties, meetings, follow_ups, [e["record"] for e in history]),
    }


def exercise_list(user) -> QuerySet:
    """Visible exercises, the latest first."""
    return policy.visible(user, Exercise).order_by("-starts_on", "-id")


def exercise_detail(user, exercise: Exercise) -> dict:
    """The exercise page: counterparts involved, planning conferences, linked meetings (its phase log:
    attache_crm.lifecycle.views.with_step_form)."""
    counterparts = list(policy.visible(user, exercise.counterparts.all()))
    meetings = list(policy.visible(user, exercise.meetings.all()).order_by("-starts_at")[:50])
    follow_ups = list(policy.visible(user, exercise.action_items.select_related("assignee")))
    history = history_for(user, exercise)
    return {
        "exercise": exercise,
        "obj": exercise,
        "counterparts": counterparts,
        "meetings": meetings,
        "follow_ups": follow_ups,
        "history": history,
        "can_edit": policy.can(user, "change", exercise),
        **_follow_up_context(user, exercise),
        "page_marking": page_marking(exercise, counterparts, meetings, follow_ups, [e["record"] for e in history]),
    }


# ---------------------------------------------------------------- follow-ups


def action_list(user) -> QuerySet:
    """Visible follow-ups: my open ones first (overdue at the top), then open, then closed."""
    return (
        policy.visible(user, ActionItem)
        .select_related("assignee", "post")  # the post answers policy.can() for each row
        .annotate(
            mine_open=Case(When(assignee=user, status=ActionStatus.OPEN, then=Value(0)), default=Value(1)),
            open_first=Case(When(status=ActionStatus.OPEN, then=Value(0)), default=Value(1)),
        )
        .order_by("mine_open", "open_first", F("due_on").asc(nulls_last=True), "id")
    )


def attach_sources(user, items) -> list:
    """Set `visible_source` on each follow-up: its meeting/agreement/exercise if this user may see it.

    One query per kind of source present on the page, whatever the number of rows.
    """
    items = list(items)
    for field, model in (("meeting", Meeting), ("agreement", Agreement), ("exercise", Exercise)):
        ids = {getattr(i, f"{field}_id") for i in items} - {None}
        found = {o.pk: o for o in policy.visible(user, model).filter(pk__in=ids)} if ids else {}
        for item in items:
            source_id = getattr(item, f"{field}_id")
            if source_id is not None and not hasattr(item, "visible_source"):
                item.visible_source = found.get(source_id)
    for item in items:
        if not hasattr(item, "visible_source"):
            item.visible_source = None
    return items


def action_rows(user, items) -> list:
    """Follow-ups of a list page, each with its visible source and whether this user may change it."""
    items = attach_sources(user, items)
    for item in items:
        item.can_change = policy.can(user, "change", item)
    return items


# ---------------------------------------------------------------- dashboard


def dashboard_for(user) -> dict:
    """My upcoming meetings, my open and overdue follow-ups, recent activity at my post(s)."""
    meetings = policy.visible(user, Meeting)
    upcoming = _my_upcoming_meetings(user, meetings)
    follow_ups = my_follow_ups(user)
    my_actions = [item for group in follow_ups for item in group["items"]]
    recent = _recent_activity(user, meetings)
    today = timezone.localdate()
    # Only attachés and the chief keep counterparts: nobody else has any to watch.
    keeper = policy.has_role(user, policy.OWNER_ROLES)
    in_touch = stay_in_touch.dashboard_panel(user, today) if keeper else None
    exercise_milestones = milestones.exercise_milestones(user, today)
    expiring = milestones.expiring_agreements(user, today)
    return {
        "upcoming_meetings": upcoming,
        "my_actions": my_actions,
        "follow_ups": follow_ups,
        "recent_activity": recent,
        "stay_in_touch": in_touch,
        "exercise_milestones": exercise_milestones,
        "expiring_agreements": expiring,
        "meetings_chart": charts.meetings_per_week(user, today),
        "today": today,
        "can_log_meeting": bool(policy.writable_posts(user, Meeting)),
        "can_close_follow_ups": policy.has_role(user, policy.ACTION_ITEM_WRITERS),
        "page_marking": page_marking(
            upcoming,
            my_actions,
            [r["object"] for r in recent],
            in_touch["rows"] if in_touch else [],
            [m.exercise for m in exercise_milestones],
            expiring,
        ),
    }


FOLLOW_UPS_SHOWN = 8


def my_follow_ups(user, shown: int = FOLLOW_UPS_SHOWN) -> list[dict]:
    """My open follow-ups in three groups, each counted in full and shown up to `shown`, oldest due
    first: overdue, due this week (the next seven days, today included), later (or undated).

    Each group is ranked on its own so that a long overdue backlog never hides this week's items;
    one query for the three groups and their counts.
    """
    today = timezone.localdate()
    week_end = today + dt.timedelta(days=6)
    groups = {
        "overdue": ("Overdue", Q(due_on__lt=today)),
        "this_week": ("Due this week", Q(due_on__gte=today, due_on__lte=week_end)),
        "later": ("Later", Q(due_on__gt=week_end) | Q(due_on__isnull=True)),
    }
    group = Case(*(When(where, then=Value(key)) for key, (_, where) in groups.items()))
    ranked = (
        policy.visible(user, ActionItem)
        .filter(assignee=user, status=ActionStatus.OPEN)
        .annotate(group=group)
        .annotate(
            rank=Window(RowNumber(), partition_by=F("group"), order_by=[F("due_on").asc(nulls_last=True), F("id")]),
            group_count=Window(Count("pk"), partition_by=F("group")),
        )
        .filter(rank__lte=shown)
        .order_by("rank")
    )
    items = {key: [] for key in groups}
    counts = dict.fromkeys(groups, 0)
    for item in ranked:
        items[item.group].append(item)
        counts[item.group] = item.group_count
    # The sources of all three groups in one pass: one query per kind of source, not per group.
    attach_sources(user, [item for group_items in items.values() for item in group_items])
    return [
        {"key": key, "heading": heading, "count": counts[key], "items": items[key]}
        for key, (heading, _) in groups.items()
    ]


def _my_upcoming_meetings(user, meetings, size: int = 10) -> list[Meeting]:
    """Meetings ahead that I logged or attend, soonest first, with their visible participants.

    One query for the meetings: the first `size` I logged and the first `size` I attend, each
    found through its own index (author, attendee) and merged by the database. An OR of the two
    makes it walk every future meeting of every post.
    """
    ahead = meetings.filter(starts_at__gte=timezone.now()).order_by("starts_at", "id").values("pk")
    attended = Meeting.attendees.through.objects.filter(user=user).values("meeting_id")
    logged, attending = ahead.filter(created_by=user), ahead.filter(pk__in=attended)
    if connection.features.supports_slicing_ordering_in_compound:
        logged, attending = logged[:size], attending[:size]
    else:
        # SQLite cannot limit the parts of a UNION: there each part gives all its meetings ahead.
        logged, attending = logged.order_by(), attending.order_by()
    upcoming = list(Meeting.objects.filter(pk__in=logged.union(attending, all=True)).order_by("starts_at", "id")[:size])
    prefetch_related_objects(upcoming, visible_participants(user))
    return upcoming


def _recent_activity(user, meetings, size: int = 12) -> list[dict]:
    """Meetings, agreements and exercises changed lately at my post(s), newest first."""
    sources = (
        ("Meeting", meetings),
        ("Agreement", policy.visible(user, Agreement)),
        ("Exercise", policy.visible(user, Exercise)),
    )
    rows = chain.from_iterable(
        ({"kind": kind, "object": o, "at": o.updated_at} for o in qs.order_by("-updated_at")[:size])
        for kind, qs in sources
    )
    return sorted(rows, key=lambda row: row["at"], reverse=True)[:size]


def organization_agreements(user, organization: Organization) -> list[Agreement]:
    """The visible agreements an organization is party to, most recently changed first."""
    return list(policy.visible(user, Agreement).filter(parties=organization).order_by("-updated_at"))
