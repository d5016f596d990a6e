"""The plain-text cable of DESIGN §4, byte for byte.

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
- The text ends with the signature line and one newline.
"""

from __future__ import annotations

import datetime as dt
import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

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
    lines.append("E.O. 13526: N/A")
    lines += _wrap("TAGS: " + ", ".join(t for t in (clean_text(t).upper() for t in doc.tags) if t))
    lines += _wrap("SUBJECT: " + clean_text(doc.subject).upper())
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


def split_tags(value: str) -> list[str]:
    """'marr, PREL,,bn' -> ['MARR', 'PREL', 'BN']"""
    return [t for t in (clean_text(t).upper() for t in value.split(",")) if t]


def document_for(cable, paragraphs=None) -> Document:
    """The Document of a Cable (its paragraphs in order, unless given)."""
    post = cable.post
    if paragraphs is None:
        paragraphs = cable.paragraphs.all()
    return Document(
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
