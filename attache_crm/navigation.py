"""The main navigation: its items for this user, and which one the page belongs to."""

from django.urls import reverse

# (label, URL name, who sees it: None for every signed-in user, else a context flag)
ITEMS = [
    ("Dashboard", "dashboard", None),
    ("Counterparts", "counterpart_list", None),
    ("Organizations", "organization_list", None),
    ("Meetings", "meeting_list", None),
    ("Agreements", "agreement_list", None),
    ("Exercises", "exercise_list", None),
    ("Clearances", "clearance_list", None),
    ("Gifts", "gift_list", None),
    ("Follow-ups", "action_list", None),
    ("Cables", "cable_list", None),
    ("Handover", "handover_pack", None),
    ("Audit", "audit_list", "can_view_audit"),
    ("People", "people_list", "can_manage_people"),
]


def main_nav(path: str, flags: dict) -> list[dict]:
    """The items this user sees; `current` on the one whose section the page at `path` is in."""
    items = []
    for label, name, flag in ITEMS:
        if flag is not None and not flags.get(flag):
            continue
        url = reverse(name)
        current = path == url if url == "/" else path.startswith(url)
        items.append({"label": label, "url": url, "current": current})
    return items
