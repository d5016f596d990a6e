"""What a restored database must have kept: row counts, released cables and the audit log.

A backup stores this next to the dump and a restore compares the database it produced with it, so a
restore that silently lost rows, changed a frozen cable or rewrote the audit log is caught at once.
"""

from __future__ import annotations

import hashlib

from django.apps import apps
from django.db import connection

# Whose data is ours to keep: the project's apps and the framework tables that hold people,
# sign-in state and single-record grants.
PROJECT_APPS = ("auth", "contacts", "engagements", "reports", "apitokens", "guardian", "otp_totp", "taggit")
AUDIT_COLUMNS = ("id", "at", "user_id", "username", "post_id", "ip", "action", "object_type", "object_id", "outcome")


def _counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in PROJECT_APPS and not model._meta.proxy:
            counts[model._meta.label] = model._default_manager.using(connection.alias).count()
    return dict(sorted(counts.items()))


def _released_cables() -> dict[str, str]:
    """{cable id: sha256} of every released cable, checked against its frozen text."""
    Cable = apps.get_model("reports", "Cable")
    released = {}
    for pk, text, digest in Cable.objects.exclude(sha256="").values_list("pk", "released_text", "sha256"):
        if hashlib.sha256(text.encode()).hexdigest() != digest:
            digest = f"MISMATCH {digest}"
        released[str(pk)] = digest
    return dict(sorted(released.items(), key=lambda item: int(item[0])))


def _audit_digest() -> tuple[int, str]:
    """The number of audit events and one sha256 over all of them, in order."""
    AuditEvent = apps.get_model("tenancy", "AuditEvent")
    digest = hashlib.sha256()
    count = 0
    for row in AuditEvent.objects.order_by("id").values_list(*AUDIT_COLUMNS, "detail").iterator(chunk_size=2000):
        digest.update(repr(tuple(v.isoformat() if hasattr(v, "isoformat") else v for v in row)).encode())
        count += 1
    return count, digest.hexdigest()


def database_fingerprint() -> dict:
    """Counts per model, {cable id: sha256} of released cables, and a digest of the audit log."""
    audit_count, audit_sha256 = _audit_digest()
    return {
        "counts": _counts(),
        "released_cables": _released_cables(),
        "audit_events": audit_count,
        "audit_sha256": audit_sha256,
    }


def differences(expected: dict, found: dict) -> list[str]:
    """Human-readable differences between two fingerprints (empty when identical)."""
    problems = []
    for label in sorted(set(expected["counts"]) | set(found["counts"])):
        before, after = expected["counts"].get(label), found["counts"].get(label)
        if before != after:
            problems.append(f"{label}: {before} rows in the backup, {after} restored")
    if expected["released_cables"] != found["released_cables"]:
        problems.append("released cables differ (ids or sha256)")
    if (expected["audit_events"], expected["audit_sha256"]) != (found["audit_events"], found["audit_sha256"]):
        problems.append(
            f"audit log differs: {expected['audit_events']} events backed up, {found['audit_events']} restored"
        )
    return problems
