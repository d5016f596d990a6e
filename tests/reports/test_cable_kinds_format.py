"""Property test: every kind of cable — weekly summary, contact report, correction — drafted,
cleared or released, passes the same format checks."""

import datetime as dt
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.rendering import CAPTIONS, WIDTH, Document, Paragraph, clean_text, render
from tenancy.markings import MARKING_RANK, PORTION_MARK, Marking

DTG = re.compile(r"[RO] \d{6}Z (JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC) \d\d")
markings = st.sampled_from(Marking.values)
texts = st.text(min_size=1, max_size=300).filter(clean_text)
names = st.from_regex(r"(DAO|DATT):[A-Z][A-Z'\-]{1,30}", fullmatch=True)
serials = st.from_regex(r"BANDAR [0-9]{6}", fullmatch=True)


def body(heading):
    return st.builds(Paragraph, marking=markings, text=texts, heading=st.just(heading))


def weekly_paragraphs():
    sections = st.lists(
        st.sampled_from(["KEY LEADER ENGAGEMENTS", "AGREEMENTS", "EXERCISES AND LOOK-AHEAD", "FOLLOW-UPS"]),
        max_size=4,
        unique=True,
    )
    return sections.flatmap(
        lambda headings: st.tuples(
            st.builds(Paragraph, marking=markings, text=texts, block=st.just("summary")),
            st.tuples(*[st.lists(body(h), min_size=1, max_size=3) for h in headings]),
            st.builds(Paragraph, marking=markings, text=texts, block=st.just("comment")),
        ).map(lambda t: [t[0], *[p for group in t[1] for p in group], t[2]])
    )


def contact_paragraphs():
    return st.tuples(
        st.builds(Paragraph, marking=markings, text=texts, block=st.just("summary")),
        st.lists(st.sampled_from(["PARTICIPANTS", "DISCUSSION", "FOLLOW-UP"]).flatmap(body), max_size=3),
        st.builds(Paragraph, marking=markings, text=texts, block=st.just("comment")),
    ).map(lambda t: [t[0], *t[1], t[2]])


def cables(kind):
    paragraphs = weekly_paragraphs() if kind != "contact_report" else contact_paragraphs()
    subject = st.text(min_size=1, max_size=200).filter(clean_text)  # a cable always has a subject
    if kind == "correction":
        subject = subject.map(lambda s: f"CORRECTED COPY: {s}")
    released = st.booleans()
    return released.flatmap(
        lambda is_released: st.builds(
            Document,
            precedence=st.sampled_from(["R", "O"]),
            dtg_at=st.datetimes(
                min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2040, 1, 1), timezones=st.just(dt.UTC)
            ),
            cable_from=st.just("AMEMBASSY BANDAR"),
            cable_to=st.just("SECSTATE WASHDC"),
            cable_info=st.lists(
                st.sampled_from(["SECDEF WASHDC", "DIA WASHDC", "USCENTCOM MACDILL AFB FL"]), max_size=3
            ),
            post_code=st.just("BANDAR"),
            serial=serials if is_released else st.just(""),
            tags=st.lists(st.sampled_from(["PREL", "MARR", "MASS", "MOPS", "BN"]), min_size=1, max_size=5),
            subject=subject,
            signature=st.just("HARTLEY"),
            paragraphs=paragraphs,
            ref=serials if kind == "correction" else st.just(""),
            drafted_by=names,
            cleared_by=st.lists(names, max_size=4),
            approved_by=names if is_released else st.just(""),
        )
    )


def check_format(doc: Document) -> None:
    """The checks every cable passes, whatever its kind."""
    text = render(doc)
    lines = text.splitlines()
    assert text.endswith("\n") and all(len(line) <= WIDTH for line in lines)
    # Header order: classification, caption (the roll-up of the highest portion mark), DTG, FM, TO, INFO.
    highest = max((p.marking for p in doc.paragraphs), key=MARKING_RANK.get)
    caption = CAPTIONS[highest]
    cursor = 0
    assert lines[cursor] == "UNCLASSIFIED"
    if caption:
        cursor += 1
        assert lines[cursor] == caption
    cursor += 1
    assert DTG.fullmatch(lines[cursor])
    assert lines[cursor + 1].startswith("FM ") and lines[cursor + 2].startswith("TO ")
    serial_at = next(i for i, line in enumerate(lines) if line.startswith("UNCLAS "))
    assert lines[serial_at] == (f"UNCLAS {doc.serial}" if doc.serial else "UNCLAS BANDAR DRAFT")
    assert lines[serial_at - 1] == ""
    after_serial = serial_at + (2 if caption else 1)
    if caption:
        assert lines[serial_at + 1] == caption
    eo = lines.index("E.O. 13526: N/A")
    between = [line for line in lines[after_serial:eo] if line]
    # Drafted / cleared / approved: in that order, and only what is known.
    labels = [line.split(":")[0] for line in between if not line.startswith(" ")]
    assert labels == ["DRAFTED BY"] + ["CLEARED"] * bool(doc.cleared_by) + ["APPROVED BY"] * bool(doc.approved_by)
    assert lines[eo + 1].startswith("TAGS: ")
    subject_at = eo + 2
    assert lines[subject_at].startswith("SUBJECT: ")
    if doc.ref:
        ref_at = next(i for i in range(subject_at, len(lines)) if lines[i].startswith("REF: "))
        assert lines[ref_at] == f"REF: {doc.ref}" and lines[ref_at + 1] == ""
    # Consecutive portion-marked paragraphs.
    position = subject_at
    for number, paragraph in enumerate(doc.paragraphs, start=1):
        prefix = f"{number}. ({PORTION_MARK[paragraph.marking]}) "
        position = next(i for i in range(position + 1, len(lines)) if lines[i].startswith(prefix))
    numbered = [line for line in lines if re.match(r"\d+\. \((U|SBU|SBU/N)\) ", line)]
    assert len(numbered) >= len(doc.paragraphs)
    # Signature last.
    assert lines[-1] == "HARTLEY" and lines[-2] == ""


@settings(max_examples=60, deadline=None)
@given(cables("weekly_summary"))
def test_a_weekly_summary_passes_the_format_checks(doc):
    check_format(doc)


@settings(max_examples=60, deadline=None)
@given(cables("contact_report"))
def test_a_contact_report_passes_the_format_checks(doc):
    check_format(doc)


@settings(max_examples=60, deadline=None)
@given(cables("correction"))
def test_a_correction_passes_the_format_checks(doc):
    check_format(doc)
    assert "SUBJECT: CORRECTED COPY:" in render(doc)
