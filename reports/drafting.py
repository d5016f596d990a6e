"""Composing a cable's paragraphs from the office's records (no writes here; see services.py).

Every paragraph carries the highest marking and the narrowest channel of the records it was
written from. Restricted-channel records never reach this module (selectors read through
`policy.reportable`), and a counterpart in the restricted channel is never named: the paragraph
says "a host-nation official" instead. `restricted_notes` are never used.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from contacts.choices import NatoGrade
from engagements.choices import AgreementKind, AgreementStatus, ExercisePhase, MeetingKind
from tenancy.markings import Channel, Marking, highest_marking, narrowest_channel

from .models import ParagraphBlock
from .rendering import clean_text
from .selectors import WeeklySources
from .weeks import Period

HEADING_ENGAGEMENTS = "KEY LEADER ENGAGEMENTS"
HEADING_AGREEMENTS = "AGREEMENTS"
HEADING_EXERCISES = "EXERCISES AND LOOK-AHEAD"
HEADING_FOLLOW_UPS = "FOLLOW-UPS"
COMMENT_PLACEHOLDER = "DATT assessment to be added before release."

AGREEMENT_NAMES = {
    AgreementKind.MOU: "MOU",
    AgreementKind.SOFA: "SOFA",
    AgreementKind.ACSA: "ACSA",
    AgreementKind.LOA: "LOA",
    AgreementKind.TECHNICAL: "technical arrangement",
    AgreementKind.OTHER: "agreement",
}
# Subject tags by the kind of item a cable includes (DESIGN §4).
TAG_ENGAGEMENTS, TAG_ARRANGEMENTS, TAG_SALES, TAG_OPERATIONS = "PREL", "MARR", "MASS", "MOPS"


@dataclass
class DraftParagraph:
    text: str
    marking: str = Marking.U
    channel: str = Channel.POST
    heading: str = ""
    block: str = ParagraphBlock.TEXT

    def as_fields(self) -> dict:
        return {
            "text": self.text,
            "marking": self.marking,
            "channel": self.channel,
            "heading": self.heading,
            "block": self.block,
        }


@dataclass
class Draft:
    """A drafted cable. Its channel is the narrowest of its paragraphs *and* of the records its
    subject was written from (`subject_channel`): a subject naming an attaché-channel counterpart
    keeps the cable in the attaché channel even when every paragraph about them is edited away."""

    subject: str
    tags: str
    paragraphs: list[DraftParagraph] = field(default_factory=list)
    subject_channel: str = Channel.POST
    marking: str = Marking.U
    channel: str = Channel.POST

    def __post_init__(self):
        self.marking = highest_marking(p.marking for p in self.paragraphs)
        self.channel = narrowest_channel([self.subject_channel, *(p.channel for p in self.paragraphs)])


# ---------------------------------------------------------------- phrases


def day_month(day: dt.date) -> str:
    return f"{day.day} {day:%B}"


def day_month_year(day: dt.date) -> str:
    return f"{day.day} {day:%B} {day.year}"


def date_range(start: dt.date, end: dt.date) -> str:
    """15-19 June 2026; 29 June-3 July 2026; 29 December 2025-2 January 2026."""
    if start == end:
        return day_month_year(start)
    if start.year != end.year:
        return f"{day_month_year(start)}-{day_month_year(end)}"
    if start.month != end.month:
        return f"{day_month(start)}-{day_month_year(end)}"
    return f"{start.day}-{day_month_year(end)}"


def country_name(post) -> str:
    return str(post.host_country.name or post.host_country.code or post.code).upper()


def _sentence(text: str) -> str:
    text = clean_text(text)
    if text and text[-1] not in ".!?":
        text += "."
    return text


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def person(participant) -> str:
    """Position, rank, given names, FAMILY NAME and NATO grade, as they were at the meeting."""
    counterpart = participant.counterpart
    if counterpart.channel == Channel.RESTRICTED:
        return "a host-nation official"
    position = participant.position_at_time or counterpart.position
    rank = participant.rank_title_at_time or counterpart.rank_title
    grade = participant.nato_grade_at_time or counterpart.nato_grade
    words = [position, rank, counterpart.given_names, counterpart.family_name.upper()]
    name = " ".join(clean_text(w) for w in words if clean_text(w))
    if grade and grade != NatoGrade.CIVILIAN:
        name += f" ({grade})"
    return name


def _people(meeting) -> list[str]:
    return [person(p) for p in meeting.participants.all()]


def _sources_mark(records, extra_channels=()) -> tuple[str, str]:
    records = list(records)
    marking = highest_marking(r.marking for r in records)
    channels = [r.channel for r in records] + list(extra_channels)
    return marking, narrowest_channel(channels)


def _counterpart_channels(meeting) -> list[str]:
    # Naming an attaché-channel counterpart puts the paragraph in the attaché channel.
    return [p.counterpart.channel for p in meeting.participants.all() if p.counterpart.channel != Channel.RESTRICTED]


def meeting_sentence(meeting, tz, *, future: bool = False) -> str:
    day = day_month(meeting.starts_at.astimezone(tz).date())
    people = _join(_people(meeting))
    title = clean_text(meeting.title)
    if not people:
        return f"DATT {'will attend' if future else 'attended'} {title} on {day}."
    verb = {MeetingKind.PHONE_VTC: "will speak by phone/VTC with" if future else "spoke by phone/VTC with"}.get(
        meeting.kind, "will meet" if future else "met"
    )
    where = (
        f" at {title}"
        if meeting.kind in {MeetingKind.WORKING_GROUP, MeetingKind.CONFERENCE, MeetingKind.SOCIAL}
        else ""
    )
    return f"DATT {verb} {people} on {day}{where}."


def meeting_paragraph(meeting, tz, heading: str = HEADING_ENGAGEMENTS) -> DraftParagraph:
    text = " ".join(
        t for t in [meeting_sentence(meeting, tz), _sentence(meeting.summary), _sentence(meeting.outcome)] if t
    )
    marking, channel = _sources_mark([meeting], _counterpart_channels(meeting))
    return DraftParagraph(text=text, marking=marking, channel=channel, heading=heading)


def agreement_paragraph(agreement, changes) -> DraftParagraph:
    name = AGREEMENT_NAMES.get(agreement.kind, "agreement")
    sentences = []
    for change in changes:
        to_label = AgreementStatus(change.to_status).label.lower()
        if change.from_status:
            from_label = AgreementStatus(change.from_status).label.lower()
            sentences.append(f"moved from {from_label} to {to_label} on {day_month(change.changed_on)}")
        else:
            sentences.append(f"was recorded as {to_label} on {day_month(change.changed_on)}")
    text = f'The {name} "{clean_text(agreement.title)}" ' + "; then ".join(sentences) + "."
    notes = [_sentence(c.note) for c in changes if clean_text(c.note)]
    if notes:
        text += " " + " ".join(notes)
    marking, channel = _sources_mark([agreement])
    return DraftParagraph(text=text, marking=marking, channel=channel, heading=HEADING_AGREEMENTS)


def _exercise_label(exercise) -> str:
    dates = date_range(exercise.starts_on, exercise.ends_on)
    where = f", {clean_text(exercise.location)}" if clean_text(exercise.location) else ""
    return f"Exercise {clean_text(exercise.name).upper()} ({exercise.get_kind_display().lower()}, {dates}{where})"


def exercise_change_paragraph(exercise, changes) -> DraftParagraph:
    steps = [
        f"entered the {ExercisePhase(c.to_phase).label.lower()} phase on {day_month(c.changed_on)}" for c in changes
    ]
    text = f"{_exercise_label(exercise)} " + "; then ".join(steps) + "."
    marking, channel = _sources_mark([exercise])
    return DraftParagraph(text=text, marking=marking, channel=channel, heading=HEADING_EXERCISES)


def upcoming_exercise_paragraph(exercise) -> DraftParagraph:
    text = f"Look-ahead: {_exercise_label(exercise)} starts on {day_month(exercise.starts_on)}; planning is at the {exercise.get_phase_display().lower()} stage."
    marking, channel = _sources_mark([exercise])
    return DraftParagraph(text=text, marking=marking, channel=channel, heading=HEADING_EXERCISES)


def upcoming_meetings_paragraph(meetings, tz) -> DraftParagraph:
    text = "Next week: " + " ".join(meeting_sentence(m, tz, future=True) for m in meetings)
    extra = [c for m in meetings for c in _counterpart_channels(m)]
    marking, channel = _sources_mark(meetings, extra)
    return DraftParagraph(text=text, marking=marking, channel=channel, heading=HEADING_EXERCISES)


OVERDUE_LISTED = 5


def overdue_paragraph(actions) -> DraftParagraph:
    # The longest overdue are named; the rest are counted, so a backlog does not swamp the cable.
    listed = actions[:OVERDUE_LISTED]
    items = "; ".join(f"{clean_text(a.description)} (due {day_month_year(a.due_on)})" for a in listed)
    more = f"; and {len(actions) - len(listed)} more" if len(actions) > len(listed) else ""
    verb = "was" if len(actions) == 1 else "were"
    text = f"{_plural(len(actions), 'follow-up action')} {verb} overdue at the cutoff: {items}{more}."
    marking, channel = _sources_mark(listed)
    return DraftParagraph(text=text, marking=marking, channel=channel, heading=HEADING_FOLLOW_UPS)


def _most_senior(meetings) -> str:
    best, best_rank = "", -1
    for meeting in meetings:
        for participant in meeting.participants.all():
            counterpart = participant.counterpart
            if counterpart.channel == Channel.RESTRICTED:
                continue
            if counterpart.grade_seniority > best_rank:
                best, best_rank = person(participant), counterpart.grade_seniority
    return best


def _tags(post, *kinds: str) -> str:
    subject = sorted(set(post.default_tag_list) | {k for k in kinds if k})
    geographic = post.cable_country_tag.upper()
    return ", ".join([t for t in subject if t != geographic] + ([geographic] if geographic else []))


def comment_paragraph() -> DraftParagraph:
    return DraftParagraph(text=COMMENT_PLACEHOLDER, block=ParagraphBlock.COMMENT)


# ---------------------------------------------------------------- weekly summary


def _grouped(changes, key):
    groups: dict = {}
    for change in changes:
        groups.setdefault(getattr(change, key).pk, (getattr(change, key), []))[1].append(change)
    return list(groups.values())


def weekly_summary(post, period: Period, sources: WeeklySources) -> Draft:
    """The weekly summary of one post for one reporting week."""
    tz = post.tzinfo
    body: list[DraftParagraph] = []
    body += [meeting_paragraph(m, tz) for m in sources.meetings]
    agreements = _grouped(sources.agreement_changes, "agreement")
    body += [agreement_paragraph(a, changes) for a, changes in agreements]
    exercises = _grouped(sources.exercise_changes, "exercise")
    body += [exercise_change_paragraph(e, changes) for e, changes in exercises]
    body += [upcoming_exercise_paragraph(e) for e in sources.upcoming_exercises]
    if sources.upcoming_meetings:
        body.append(upcoming_meetings_paragraph(sources.upcoming_meetings, tz))
    if sources.overdue_actions:
        body.append(overdue_paragraph(sources.overdue_actions))

    summary = []
    if sources.meetings:
        engagements = f"DATT conducted {_plural(len(sources.meetings), 'engagement')} with host-nation counterparts"
        senior = _most_senior(sources.meetings)
        summary.append(f"{engagements}; the most senior was {senior}." if senior else f"{engagements}.")
    else:
        summary.append("DATT recorded no engagements with host-nation counterparts this week.")
    if agreements:
        summary.append(f"{_plural(len(agreements), 'agreement')} changed status.")
    if exercises:
        summary.append(f"{_plural(len(exercises), 'exercise')} moved to a new planning phase.")
    if sources.upcoming_exercises:
        count = len(sources.upcoming_exercises)
        summary.append(f"{_plural(count, 'exercise')} {'starts' if count == 1 else 'start'} within 30 days.")
    if sources.overdue_actions:
        count = len(sources.overdue_actions)
        summary.append(f"{_plural(count, 'follow-up action')} {'is' if count == 1 else 'are'} overdue.")
    # The summary speaks of every source, so it is as sensitive as the most sensitive of them.
    summary_paragraph = DraftParagraph(
        text=" ".join(summary),
        marking=highest_marking(p.marking for p in body),
        channel=narrowest_channel(p.channel for p in body),
        block=ParagraphBlock.SUMMARY,
    )
    has_sales = any(a.kind == AgreementKind.LOA for a, _ in agreements)
    tags = _tags(
        post,
        TAG_ENGAGEMENTS if sources.meetings or sources.upcoming_meetings else "",
        TAG_ARRANGEMENTS if agreements else "",
        TAG_SALES if has_sales else "",
        TAG_OPERATIONS if exercises or sources.upcoming_exercises else "",
    )
    subject = f"{country_name(post)}: DAO WEEKLY SUMMARY, {date_range(period.start, period.end).upper()}"
    return Draft(subject=subject, tags=tags, paragraphs=[summary_paragraph, *body, comment_paragraph()])


# ---------------------------------------------------------------- contact report


def contact_report(post, meeting, follow_ups) -> Draft:
    """A contact report of one meeting (drafted on demand from the meeting page)."""
    tz = post.tzinfo
    day = meeting.starts_at.astimezone(tz).date()
    marking, channel = _sources_mark([meeting], _counterpart_channels(meeting))
    location = f" in {clean_text(meeting.location)}" if clean_text(meeting.location) else ""
    headline = meeting_sentence(meeting, tz)[:-1] + f"{location}."
    paragraphs = [
        DraftParagraph(
            text=" ".join(t for t in [headline, _sentence(meeting.outcome)] if t),
            marking=marking,
            channel=channel,
            block=ParagraphBlock.SUMMARY,
        )
    ]
    people = _people(meeting)
    if people:
        paragraphs.append(
            DraftParagraph(text=_sentence("; ".join(people)), marking=marking, channel=channel, heading="PARTICIPANTS")
        )
    discussion = " ".join(t for t in [_sentence(meeting.objectives), _sentence(meeting.summary)] if t)
    if discussion:
        paragraphs.append(DraftParagraph(text=discussion, marking=marking, channel=channel, heading="DISCUSSION"))
    if follow_ups:
        text = (
            "Follow-up: "
            + "; ".join(
                f"{clean_text(a.description)}" + (f" (due {day_month(a.due_on)})" if a.due_on else "")
                for a in follow_ups
            )
            + "."
        )
        a_marking, a_channel = _sources_mark(follow_ups)
        paragraphs.append(DraftParagraph(text=text, marking=a_marking, channel=a_channel, heading="FOLLOW-UP"))
    paragraphs.append(comment_paragraph())

    participants = list(meeting.participants.all())
    if participants and participants[0].counterpart.channel != Channel.RESTRICTED:
        lead = participants[0]
        who = " ".join(
            w
            for w in [
                clean_text(lead.rank_title_at_time or lead.counterpart.rank_title),
                lead.counterpart.family_name.upper(),
            ]
            if w
        )
        who += " AND OTHERS" if len(participants) > 1 else ""
        about = f"DATT {meeting.get_kind_display()} WITH {who}"
    else:
        about = f"DATT {meeting.get_kind_display()}: {clean_text(meeting.title)}"
    subject = f"{country_name(post)}: {about}, {day_month_year(day)}".upper()[:250]
    tags = _tags(
        post,
        TAG_ENGAGEMENTS,
        TAG_ARRANGEMENTS if meeting.agreements.exists() else "",
        TAG_OPERATIONS if meeting.exercises.exists() else "",
    )
    # The subject names the meeting's lead participant (or its title): it is as narrow as the
    # meeting and everyone in it, whatever later happens to the paragraphs.
    return Draft(subject=subject, tags=tags, paragraphs=paragraphs, subject_channel=channel)
