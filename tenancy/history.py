"""Change history as one reader may see it: every past value goes through the access policy.

django-simple-history keeps every value a record ever had, including those of the periods it
spent in a narrower channel, and the links it had to records this reader cannot see. Pages
therefore never read `record.history` themselves: they show `history_for(user, obj)`.
"""

from __future__ import annotations

from django.db.models import Field, Model, QuerySet
from simple_history.utils import get_m2m_reverse_field_name

from tenancy import policy

# Fields a change-history table never shows: bookkeeping, not content.
HISTORY_SKIP = frozenset({"id", "post", "created_by", "created_at", "updated_at"})
HISTORY_LIMIT = 20
# What a value no longer set, or a link to a record this reader cannot see, is shown as.
BLANK = "—"


def history_for(user, obj: Model, *, limit: int = HISTORY_LIMIT) -> list[dict]:
    """The latest changes of `obj` this user may read, newest first, as
    {"record": version, "created": bool, "changes": [(label, old, new)]}.

    - Only the versions the user could have seen when each was current count
      (`policy.visible_versions`): a change is the difference between two such versions, so a
      value of a hidden period never shows, and neither does the hidden period itself.
    - The oldest readable version is listed as "Created" only if it is the record's creation;
      otherwise what came before it is hidden, and so is the step out of it.
    - `restricted_notes` only for those who may read them; a change that touched nothing the
      user may read is not listed at all.
    - Links (many-to-many) count the linked records the user may see; a link to a hidden
      record, or its removal, is no change. Related records are named only when visible.
    The number of queries is fixed: one for the versions, one per many-to-many field and one
    per foreign key shown, whatever the length of the history.
    """
    versions = list(
        policy.visible_versions(user, obj)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: limit + 1]
    )
    if not versions:
        return []
    hidden = set(HISTORY_SKIP)
    if not policy.can_see_restricted_notes(user, obj.post):
        hidden.add("restricted_notes")
    history_model = type(versions[0])
    fields = [f for f in history_model.tracked_fields if f.editable and f.name not in hidden]
    m2m_fields = [f for f in history_model._history_m2m_fields if f.name not in hidden]
    links = _visible_links(user, history_model, versions, m2m_fields)
    names = _related_names(user, versions, [f for f in fields if f.is_relation])

    entries = []
    for index, version in enumerate(versions[:limit]):
        older = versions[index + 1] if index + 1 < len(versions) else None
        if older is None:
            if version.history_type == "+":
                entries.append({"record": version, "created": True, "changes": []})
            continue
        changes = [
            (_label(field), old, new)
            for field in fields
            for old, new in [(_shown(field, older, names), _shown(field, version, names))]
            if old != new
        ]
        for field in m2m_fields:
            before = links[field.name].get(older.history_id, set())
            after = links[field.name].get(version.history_id, set())
            if before != after:
                changes.append((_label(field), f"{len(before)} linked", f"{len(after)} linked"))
        if changes:
            entries.append({"record": version, "created": False, "changes": changes})
    return entries


def _visible_or_all(user, model) -> QuerySet:
    """The records of `model` this user may see; all of them for models the policy has no rule
    for (users: colleagues' names are not hidden from one another)."""
    try:
        return policy.visible(user, model)
    except LookupError:
        return model._default_manager.all()


def _visible_links(user, history_model, versions, m2m_fields) -> dict[str, dict[int, set[int]]]:
    """{field name: {history_id: ids of the linked records this user may see}}: one query a field."""
    version_ids = [v.history_id for v in versions]
    found: dict[str, dict[int, set[int]]] = {}
    for field in m2m_fields:
        link_model = getattr(history_model, field.name).model  # the versions' copies of the link rows
        target = get_m2m_reverse_field_name(field)
        rows = link_model.objects.filter(
            history_id__in=version_ids,
            **{f"{target}_id__in": _visible_or_all(user, field.related_model).values("pk")},
        ).values_list("history_id", f"{target}_id")
        by_version = found[field.name] = {}
        for history_id, target_id in rows:
            by_version.setdefault(history_id, set()).add(target_id)
    return found


def _related_names(user, versions, relations) -> dict[tuple[str, object], str]:
    """{(field name, id): name} of the related records this user may see: one query a field."""
    names: dict[tuple[str, object], str] = {}
    for field in relations:
        ids = {getattr(v, field.attname) for v in versions} - {None}
        if not ids:
            continue
        for related in _visible_or_all(user, field.related_model).filter(pk__in=ids):
            label = related.get_full_name() if hasattr(related, "get_full_name") else ""
            names[(field.name, related.pk)] = label or str(related)
    return names


def _label(field: Field) -> str:
    return str(field.verbose_name).capitalize()


def _shown(field: Field, version, names: dict) -> str:
    value = getattr(version, field.attname)
    if value is None or value == "" or value == []:
        return BLANK
    if field.is_relation:
        return names.get((field.name, value), BLANK)
    shown = getattr(version, field.name)  # a country field gives Country objects, named
    # A multiple-choice field, e.g. participating countries (a list-like of Country objects, not a list).
    if isinstance(shown, list | tuple) or getattr(field, "multiple", False):
        value = ", ".join(str(getattr(item, "name", item)) for item in shown)
    elif hasattr(shown, "code") and hasattr(shown, "name"):
        value = shown.name
    elif field.choices:
        value = dict(field.flatchoices or ()).get(value, value)
    text = str(value)
    return text if len(text) <= 160 else text[:159] + "…"
