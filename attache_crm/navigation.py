"""The page header: the main navigation (its items for this user, and which one the page belongs
to) and the posts and roles of the signed-in user."""

from collections import Counter
from functools import cache

from django.urls import reverse

from tenancy import policy
from tenancy.choices import Role

# (label, URL name, who sees it: None for every signed-in user, else a context flag)
ITEMS = [
    ("Dashboard", "dashboard", None),
    ("Counterparts", "counterpart_list", "can_read_content"),
    ("Organizations", "organization_list", "can_read_content"),
    ("Meetings", "meeting_list", "can_read_content"),
    ("Agreements", "agreement_list", "can_read_content"),
    ("Exercises", "exercise_list", "can_read_content"),
    ("Clearances", "clearance_list", "can_read_content"),
    ("Gifts", "gift_list", "can_read_content"),
    ("Follow-ups", "action_list", "can_read_content"),
    ("Cables", "cable_list", "can_read_content"),
    ("Handover", "handover_pack", "can_read_content"),
    ("Audit", "audit_list", "can_view_audit"),
    ("People", "people_list", "can_manage_people"),
]


def main_nav(path: str, flags: dict) -> list[dict]:
    """The items this user sees; `current` on the one whose section the page at `path` is in."""
    items = []
    for label, name, flag in ITEMS:
        if flag is not None and not flags.get(flag):
            continue
        url = _url(name)
        current = path == url if url == "/" else path.startswith(url)
        items.append({"label": label, "url": url, "current": current})
    return items


@cache
def _url(name: str) -> str:
    return reverse(name)


# A user of more posts than this (a headquarters role) is shown one line per role, with a count.
HEADER_POSTS = 3


def header_roles(user) -> list[tuple[str, str]]:
    """(post, role) pairs the header names: each post of a user of a few posts, in code order; for
    a user of many posts, each role with the number of posts ("150 posts", "Chief of mission")."""
    roles = policy.roles(user)
    if len(roles) <= HEADER_POSTS:
        return [(membership.post.code, membership.get_role_display()) for membership in policy.memberships(user)]
    counts = Counter(roles.values())
    return [
        (f"{counts[role]} post{'' if counts[role] == 1 else 's'}", label)
        for role, label in Role.choices
        if counts[role]
    ]
