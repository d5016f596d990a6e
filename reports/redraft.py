"""Planning a redraft: a fresh draft from the records merged into a draft people may have edited.

Pure (no writes): `plan` says, paragraph by paragraph, what a redraft would keep, replace, add and
remove, so the page can show it before anything is saved.
- A paragraph drafted from the records and left untouched is replaced by the new text of the
  same source (the same meeting, agreement, section…), or removed when that source has left the week.
- A paragraph a person edited or wrote is kept as it stands, in the place of the generated one of the
  same source, or after the paragraph it followed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .drafting import Draft, DraftParagraph

ADDED, UPDATED, UNCHANGED, KEPT, REMOVED = "added", "updated", "unchanged", "kept", "removed"


@dataclass
class Step:
    """One paragraph of the redraft: `existing` (a CableParagraph) and/or `new` (a DraftParagraph)."""

    change: str
    existing: object | None = None
    new: DraftParagraph | None = None

    @property
    def heading(self) -> str:
        return (self.new or self.existing).heading

    @property
    def text(self) -> str:
        if self.change in (KEPT, REMOVED):
            return self.existing.text
        return self.new.text

    @property
    def before(self) -> str:
        return self.existing.text if self.existing is not None else ""


@dataclass
class Plan:
    draft: Draft
    steps: list[Step]  # the new order, removed paragraphs included (they are simply not saved)

    @property
    def kept_steps(self) -> list[Step]:
        return [s for s in self.steps if s.change != REMOVED]

    @property
    def changed(self) -> bool:
        return any(s.change in (ADDED, UPDATED, REMOVED) for s in self.steps)

    @property
    def fingerprint(self) -> str:
        """Names this exact outcome, so what is saved is what was shown."""
        digest = hashlib.sha256()
        for step in self.steps:
            digest.update(repr((step.change, getattr(step.existing, "pk", None), step.text)).encode())
        return digest.hexdigest()


def _same(existing, new: DraftParagraph) -> bool:
    return all(getattr(existing, name) == value for name, value in new.as_fields().items())


def plan(existing: list, draft: Draft) -> Plan:
    """Merge a fresh `draft` into the `existing` paragraphs (in their order)."""
    by_source = {p.source: p for p in existing if p.source}
    steps: list[Step] = []
    placed: set[int] = set()
    for new in draft.paragraphs:
        old = by_source.get(new.source) if new.source else None
        if old is None:
            steps.append(Step(ADDED, new=new))
            continue
        placed.add(old.pk)
        if old.by_person:
            steps.append(Step(KEPT, existing=old))
        else:
            steps.append(Step(UNCHANGED if _same(old, new) else UPDATED, existing=old, new=new))

    # What is left: people's paragraphs stay after the paragraph they followed; the rest goes.
    anchor = -1
    for old in existing:
        if old.pk in placed:
            anchor = next(i for i, s in enumerate(steps) if s.existing is old)
            continue
        step = Step(KEPT if old.by_person else REMOVED, existing=old)
        anchor += 1
        steps.insert(anchor, step)
    return Plan(draft=draft, steps=steps)
