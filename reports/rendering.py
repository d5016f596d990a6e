"""The plain-text cable of docs/design.md ("Reporting cables"), byte for byte.

Rendering is a pure function of a `Document` (no database), so the format rules can be checked
on any data. Decisions the design leaves open, written down here:
- A draft has no serial yet: its serial line reads `UNCLAS BANDAR DRAFT`; the serial
  (`UNCLAS BANDAR 000123`) appears only once the chief releases it.
- The date-time group of a draft is its drafting time; of a released cable, its release time.
- The caption after the classification line and after the serial line is `SENSITIVE` when the
  highest paragraph is SBU, and `SENSITIVE NOFORN` when it is SBU-NF; none when all are U.
- Whitespace inside a paragraph (line breaks typed in a form included) collapses to single
  spaces, and control characters are dropped: a paragraph is one block wrapped at 69 columns.
- Continuation lines are flush left, except addressee lines, which align under the first one.
- Who drafted, cleared and approved it stands between the serial and the E.O. line, one
  `DRAFTED BY:` / `CLEARED:` / `APPROVED BY:` line each (office:initial and surname); a draft shows
  what is known so far, and the chief's release is the approval.
- A correction carries `REF: <the original's serial>` under its subject.
- The text ends with the signature line and one newline.
"""

from __future__ import annotations

import datetime as dt
import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from tenancy import policy
from tenancy.choices import Role
from tenancy.markings import PORTION_MARK, Marking, highest_marking

WIDTH = 69
CLASSIFICATION = "UNCLASSIFIED"
CAPTIONS = {Marking.U: "", Marking.SBU: "SENSITIVE", Marking.SBU_NF: "SENSITIVE NOFORN"}
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
BLOCKS = {"summary": ("SUMMARY: ", " END SUMMARY."), "comment": ("COMMENT: ", " END COMMENT.")}
ADDRESSEE_INDENT = " " * 5  # under the first addressee, after "INFO "


@dataclass(frozen=True)
class Paragraph:
    marking: str
    text: str
    heading: str = ""
    block: str = ""


@dataclass(frozen=True)
class Document:
    precedence: str  # "R" routine, "O" immediate
    dtg_at: dt.datetime
    cable_from: str
    cable_to: str
    post_code: str
    subject: str
    signature: str
    cable_info: Sequence[str] = ()
    serial: str = ""  # "BANDAR 000123" once released
    tags: Sequence[str] = ()
    paragraphs: Sequence[Paragraph] = field(default_factory=tuple)
    ref: str = ""  # the serial a correction corrects
    drafted_by: str = ""  # "DAO:JSMITH"
    cleared_by: Sequence[str] = ()
    approved_by: str = ""

    @property
    def marking(self) -> str:
        return highest_marking(p.marking for p in self.paragraphs)


def clean_text(value: str) -> str:
    """One line of text: every run of whitespace becomes one space, control characters go."""
    value = "".join(ch for ch in str(value) if ch.isspace() or unicodedata.category(ch) != "Cc")
    return " ".join(value.split())


def dtg(moment: dt.datetime) -> str:
    """Date-time group `DDHHMMZ MON YY`, in UTC."""
    moment = moment.astimezone(dt.UTC)
    return f"{moment:%d%H%M}Z {MONTHS[moment.month - 1]} {moment:%y}"


def _wrap(text: str, *, first: str = "", rest: str = "") -> list[str]:
    """Wrap at WIDTH; words longer than a line are cut, as a teletype would."""
    wrapper = textwrap.TextWrapper(
        width=WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=True,
        break_on_hyphens=False,
    )
    return wrapper.wrap(clean_text(text)) or [first.rstrip()]


def _addressees(label: str, names: Sequence[str]) -> list[str]:
    lines: list[str] = []
    for i, name in enumerate(n for n in (clean_text(n) for n in names) if n):
        lines += _wrap(name, first=f"{label} " if i == 0 else ADDRESSEE_INDENT, rest=ADDRESSEE_INDENT)
    return lines


def paragraph_lines(number: int, paragraph: Paragraph) -> list[str]:
    opening, closing = BLOCKS.get(paragraph.block, ("", ""))
    body = f"{opening}{clean_text(paragraph.text)}{closing}"
    return _wrap(body, first=f"{number}. ({PORTION_MARK[paragraph.marking]}) ")


def heading_lines(heading: str) -> list[str]:
    lines = _wrap(clean_text(heading).upper())
    return lines + ["-" * len(lines[-1])]


def render(doc: Document) -> str:
    """The cable as plain text, lines of 69 characters at most, ending with a newline."""
    caption = CAPTIONS[doc.marking]
    lines = [CLASSIFICATION]
    if caption:
        lines.append(caption)
    lines.append(f"{doc.precedence} {dtg(doc.dtg_at)}")
    lines += _addressees("FM", [doc.cable_from])
    lines += _addressees("TO", [doc.cable_to])
    lines += _addressees("INFO", doc.cable_info)
    lines.append("")
    serial = clean_text(doc.serial) or f"{clean_text(doc.post_code)} DRAFT"
    lines += _wrap(f"UNCLAS {serial}")
    if caption:
        lines.append(caption)
    lines.append("")
    clearance = clearance_lines(doc)
    if clearance:
        lines += clearance + [""]
    lines.append("E.O. 13526: N/A")
    lines += _wrap("TAGS: " + ", ".join(t for t in (clean_text(t).upper() for t in doc.tags) if t))
    lines += _wrap("SUBJECT: " + clean_text(doc.subject).upper())
    if clean_text(doc.ref):
        lines += _wrap("REF: " + clean_text(doc.ref).upper())
    previous_heading = ""
    for number, paragraph in enumerate(doc.paragraphs, start=1):
        lines.append("")
        heading = clean_text(paragraph.heading).upper()
        if heading and heading != previous_heading:
            lines += heading_lines(heading)
        previous_heading = heading
        lines += paragraph_lines(number, paragraph)
    lines.append("")
    lines += _wrap(clean_text(doc.signature).upper())
    return "\n".join(lines) + "\n"


def clearance_lines(doc: Document) -> list[str]:
    """DRAFTED BY / CLEARED / APPROVED BY, the clearers aligned under the first."""
    lines: list[str] = []
    if clean_text(doc.drafted_by):
        lines += _wrap(clean_text(doc.drafted_by).upper(), first="DRAFTED BY: ", rest=" " * 12)
    for i, name in enumerate(n for n in (clean_text(n).upper() for n in doc.cleared_by) if n):
        lines += _wrap(name, first="CLEARED: " if i == 0 else " " * 9, rest=" " * 9)
    if clean_text(doc.approved_by):
        lines += _wrap(clean_text(doc.approved_by).upper(), first="APPROVED BY: ", rest=" " * 13)
    return lines


def officer(user, office: str) -> str:
    """'DAO:JSMITH': the office, then the initial of the given name and the surname."""
    if user is None:
        return ""
    surname = clean_text(user.last_name) or user.get_username()
    initial = clean_text(user.first_name)[:1]
    return f"{office}:{initial}{surname}".replace(" ", "").upper()


def split_tags(value: str) -> list[str]:
    """'marr, PREL,,bn' -> ['MARR', 'PREL', 'BN']"""
    return [t for t in (clean_text(t).upper() for t in value.split(",")) if t]


def _office(user, post) -> str:
    return "DATT" if policy.role_at(user, post) == Role.CHIEF else "DAO"


def document_for(cable, paragraphs=None) -> Document:
    """The Document of a Cable (its paragraphs in order, unless given)."""
    post = cable.post
    if paragraphs is None:
        paragraphs = cable.paragraphs.all()
    drafter = cable.drafted_by or (cable.released_by if cable.is_released else None)
    cleared = [c.clearer for c in cable.clearances.all() if c.is_cleared]
    return Document(
        ref=cable.corrects.serial if cable.corrects_id else "",
        drafted_by=officer(drafter, _office(drafter, post)) if drafter else "",
        cleared_by=[officer(user, _office(user, post)) for user in cleared],
        approved_by=officer(cable.released_by, "DATT") if cable.is_released else "",
        precedence=cable.precedence,
        dtg_at=cable.released_at or cable.drafted_at,
        cable_from=post.cable_from,
        cable_to=post.cable_to,
        cable_info=post.cable_info_lines,
        post_code=post.code,
        serial=cable.serial,
        tags=split_tags(cable.tags),
        subject=cable.subject,
        signature=post.signature,
        paragraphs=[Paragraph(p.marking, p.text, p.heading, p.block) for p in paragraphs],
    )


def cable_text(cable) -> str:
    """What the cable says: the frozen text once released, else the draft rendered now."""
    if cable.is_released and cable.released_text:
        return cable.released_text
    return render(document_for(cable))
