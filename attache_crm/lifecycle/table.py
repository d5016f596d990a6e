"""A record kind's lifecycle, declared as data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from django.db import models


@dataclass(frozen=True, eq=False)
class Lifecycle:
    """Which state may follow which for one record kind, and where its steps are logged.

    - `model`, `state`: the record kind and the name of its state field (a field with choices);
    - `transitions`: every state → the states it may move to next (an empty set: final);
    - `log_model`: a `LifecycleStep` with one foreign key to `model` and `from_<state>` /
      `to_<state>` fields; a `note` field there makes the step take a note;
    - `refusal`: the words of a refused step, with `{current}` (the state's label) and `{target}`;
    - `dates_on_entry`: state → a date field of the record that the step's date fills, when empty;
    - `step_fields`: fields of the record a step may also set (what the other side answered, say);
      one left empty keeps the stored value.
    """

    model: type[models.Model]
    state: str
    transitions: Mapping[str, set[str]]
    log_model: type[models.Model]
    refusal: str
    dates_on_entry: Mapping[str, str] = field(default_factory=dict)
    step_fields: tuple[str, ...] = ()

    def __post_init__(self):
        states = set(self.states)
        if set(self.transitions) != states:
            raise ValueError(f"{self.model.__name__}: the transition table must have one row per {self.state}.")
        for source, targets in self.transitions.items():
            if not set(targets) <= states or source in targets:
                raise ValueError(f"{self.model.__name__}: {source} may only move to another known {self.state}.")
        # Plain editable fields only: the state moves by the step itself, links have their own rules.
        fields = {f.name for f in self.model._meta.fields if f.editable and not f.is_relation} - {self.state}
        if unknown := set(self.step_fields) - fields:
            raise ValueError(f"{self.model.__name__} has no field {', '.join(sorted(unknown))} a step may set.")
        self.log_link  # noqa: B018 -- a log without its foreign key is refused at import, not at the first step

    # ------------------------------------------------------------ names derived from the declaration

    @cached_property
    def states(self) -> list[str]:
        """Every state, in the order of the field's choices (the order offered to users)."""
        return [value for value, _ in self.model._meta.get_field(self.state).choices]

    @cached_property
    def state_labels(self) -> dict[str, str]:
        """Each state's label ("Text agreed"); the blank `from_` of a log's first row has none."""
        return {"": "", **{value: str(label) for value, label in self.model._meta.get_field(self.state).choices}}

    @property
    def label(self) -> str:
        """What the state is called on pages: "Status", "Phase"."""
        return str(self.model._meta.get_field(self.state).verbose_name).capitalize()

    @property
    def from_field(self) -> str:
        return f"from_{self.state}"

    @property
    def to_field(self) -> str:
        """The log's field of the new state, and the name of the new state in forms and the API."""
        return f"to_{self.state}"

    @cached_property
    def log_link(self) -> str:
        """The log's foreign key to the record."""
        links = [f.name for f in self.log_model._meta.fields if f.is_relation and f.related_model is self.model]
        if len(links) != 1:
            raise ValueError(f"{self.log_model.__name__} needs exactly one foreign key to {self.model.__name__}.")
        return links[0]

    @property
    def log_related_name(self) -> str:
        """The record's accessor of its log ("status_changes")."""
        return self.log_model._meta.get_field(self.log_link).remote_field.get_accessor_name()

    @cached_property
    def note_max_length(self) -> int | None:
        """The length of a step's note, None when this log keeps no note."""
        names = {f.name: f for f in self.log_model._meta.fields}
        return names["note"].max_length if "note" in names else None

    # ------------------------------------------------------------ reading

    def allowed(self, record) -> list[str]:
        """The states `record` may move to next, in the order of the choices."""
        targets = self.transitions[getattr(record, self.state)]
        return [s for s in self.states if s in targets]

    def log(self, record) -> models.QuerySet:
        """The record's steps, newest first, with who took them."""
        return self.log_model._default_manager.filter(**{self.log_link: record}).select_related("changed_by")

    def prefetch_log(self) -> models.Prefetch:
        """The logs of a page of records in one query (API lists and details)."""
        queryset = self.log_model._default_manager.select_related("changed_by")
        return models.Prefetch(self.log_related_name, queryset=queryset)

    def history(self, record) -> list:
        """The record's steps as a page shows them: newest first, each with `from_label` and `to_label`."""
        steps = list(self.log(record))
        for row in steps:
            row.from_label = self.state_labels[getattr(row, self.from_field)]
            row.to_label = self.state_labels[getattr(row, self.to_field)]
        return steps
