"""Property tests: any data yields a cable that obeys the format rules of DESIGN §4."""

import datetime as dt
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from reports import weeks
from reports.rendering import CAPTIONS, WIDTH, Document, Paragraph, clean_text, render
from tenancy.markings import MARKING_RANK, PORTION_MARK, Marking
from tenancy.models import Post

markings = st.sampled_from(Marking.values)
words = st.text(min_size=1, max_size=40)
paragraphs = st.builds(
    Paragraph,
    marking=markings,
    text=st.text(min_size=1, max_size=400),
    heading=st.one_of(st.just(""), st.text(max_size=60)),
    block=st.sampled_from(["", "summary", "comment"]),
)
documents = st.builds(
    Document,
    precedence=st.sampled_from(["R", "O"]),
    dtg_at=st.datetimes(
        min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 31), timezones=st.just(dt.UTC)
    ),
    cable_from=st.text(max_size=80),
    cable_to=st.text(max_size=80),
    cable_info=st.lists(st.text(max_size=80), max_size=4),
    post_code=st.text(min_size=1, max_size=16),
    serial=st.one_of(st.just(""), st.from_regex(r"[A-Z]{3,8} [0-9]{6}", fullmatch=True)),
    tags=st.lists(st.text(max_size=8), max_size=8),
    subject=st.text(max_size=250),
    signature=st.text(min_size=1, max_size=40).filter(lambda s: clean_text(s)),
    paragraphs=st.lists(paragraphs, min_size=1, max_size=12),
)


@settings(max_examples=150, deadline=None)
@given(documents)
def test_every_line_fits_69_columns_and_text_ends_with_one_newline(doc):
    text = render(doc)
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert all(len(line) <= WIDTH for line in text.splitlines())


@settings(max_examples=150, deadline=None)
@given(documents)
def test_classification_line_and_caption_match_the_highest_paragraph(doc):
    lines = render(doc).splitlines()
    highest = max((p.marking for p in doc.paragraphs), key=MARKING_RANK.get)
    assert lines[0] == "UNCLASSIFIED"
    caption = CAPTIONS[highest]
    if caption:
        assert lines[1] == caption
        serial_at = next(i for i, line in enumerate(lines) if line.startswith("UNCLAS "))
        assert lines[serial_at + 1] == caption
    else:
        assert not lines[1].startswith("SENSITIVE")
        assert "SENSITIVE" not in lines[: lines.index("E.O. 13526: N/A")]


@settings(max_examples=150, deadline=None)
@given(documents)
def test_paragraphs_are_numbered_consecutively_and_each_carries_its_portion_mark(doc):
    lines = render(doc).splitlines()
    cursor = lines.index("E.O. 13526: N/A")
    for number, paragraph in enumerate(doc.paragraphs, start=1):
        prefix = f"{number}. ({PORTION_MARK[paragraph.marking]})"
        cursor = next(i for i in range(cursor + 1, len(lines)) if lines[i].startswith(prefix))
        assert lines[cursor - 1] == "" or set(lines[cursor - 1]) == {"-"}
    assert doc.paragraphs  # at least one was found above


@settings(max_examples=150, deadline=None)
@given(documents)
def test_signature_is_the_last_line_and_dtg_is_ddhhmmz_mon_yy(doc):
    text = render(doc)
    signature_block = text.rsplit("\n\n", 1)[1]
    # Only the signature follows the last blank line (wrapped, should it be longer than a line).
    assert signature_block.replace("\n", "").replace(" ", "") == clean_text(doc.signature).upper().replace(" ", "")
    if len(clean_text(doc.signature).upper()) <= WIDTH:
        assert text.splitlines()[-1] == clean_text(doc.signature).upper()
    lines = text.splitlines()
    dtg_line = lines[2] if CAPTIONS[doc.marking] else lines[1]
    assert re.fullmatch(r"[RO] \d{6}Z (JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC) \d\d", dtg_line)
    assert dtg_line[2:4] == f"{doc.dtg_at.day:02d}"


@settings(max_examples=100, deadline=None)
@given(documents)
def test_a_new_heading_is_upper_case_and_underlined_with_dashes_of_its_length(doc):
    lines = render(doc).splitlines()
    cursor, previous = lines.index("E.O. 13526: N/A"), ""
    for number, paragraph in enumerate(doc.paragraphs, start=1):
        prefix = f"{number}. ({PORTION_MARK[paragraph.marking]})"
        cursor = next(i for i in range(cursor + 1, len(lines)) if lines[i].startswith(prefix))
        heading = clean_text(paragraph.heading).upper()
        if heading and heading != previous:
            underline, title = lines[cursor - 1], lines[cursor - 2]
            assert underline == "-" * len(title) and title == title.upper() and title
        else:
            assert lines[cursor - 1] == ""
        previous = heading


@settings(max_examples=100, deadline=None)
@given(documents)
def test_serial_line_shows_the_serial_only_once_released(doc):
    lines = render(doc).splitlines()
    serial_line = next(line for line in lines if line.startswith("UNCLAS "))
    if doc.serial:
        assert serial_line == f"UNCLAS {doc.serial}"
    else:
        assert serial_line.endswith(" DRAFT")


# ---------------------------------------------------------------- reporting weeks

zones = st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Auckland", "Asia/Tehran"])
cutoff_times = st.times().map(lambda t: t.replace(second=0, microsecond=0))
instants = st.datetimes(
    min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 12, 31), timezones=st.just(dt.UTC)
)


def a_post(zone, weekday, at):
    return Post(code="X", timezone=zone, weekly_cutoff_weekday=weekday, weekly_cutoff_time=at)


@settings(max_examples=200, deadline=None)
@given(zones, st.integers(0, 6), cutoff_times, instants)
def test_the_week_due_at_an_instant_is_computed_from_the_cutoff_not_from_the_instant(zone, weekday, at, now):
    post = a_post(zone, weekday, at)
    due = weeks.latest_due(post, now)
    nxt = due + dt.timedelta(days=7)
    assert due.weekday() == 0
    assert weeks.cutoff(post, due) <= now < weeks.cutoff(post, nxt)
    # The same week is due all the way from its cutoff to the next one, whatever hour the task runs.
    assert weeks.latest_due(post, weeks.cutoff(post, due)) == due
    assert weeks.latest_due(post, weeks.cutoff(post, nxt) - dt.timedelta(seconds=1)) == due


@settings(max_examples=200, deadline=None)
@given(zones, st.integers(0, 6), cutoff_times, instants)
def test_windows_follow_one_another_without_gap_or_overlap(zone, weekday, at, now):
    post = a_post(zone, weekday, at)
    week = weeks.week_of(post, now)
    period = weeks.period(post, week)
    assert period.window_start < now <= period.window_end
    assert weeks.period(post, week + dt.timedelta(days=7)).window_start == period.window_end
    assert period.end - period.start == dt.timedelta(days=weekday)
    assert period.end.weekday() == weekday


@given(zones, st.integers(0, 6), cutoff_times, instants, st.integers(0, 10), st.integers(1, 6))
@settings(max_examples=100, deadline=None)
def test_due_weeks_catch_up_missed_weeks_after_the_latest_summary(zone, weekday, at, now, missed, catch_up):
    post = a_post(zone, weekday, at)
    latest = weeks.latest_due(post, now)
    last_drafted = latest - dt.timedelta(weeks=missed)
    due = weeks.due_weeks(post, now, after=last_drafted, catch_up=catch_up)
    assert len(due) == min(missed, catch_up)
    assert due == sorted(due) and all(w > last_drafted for w in due)
    if due:
        assert due[-1] == latest
    assert weeks.due_weeks(post, now, after=None, catch_up=catch_up) == [latest]
