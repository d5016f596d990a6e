"""The role matrix as data: role × resource × action × channel → the status code each page must answer.

One `Row` per URL name (and method, and query where a search or format matters). `expect` maps a
role to one code for every variant, or to {variant: code}. The variants are the channel axis of
world.py: records in the post, attaché and restricted channels (restricted: kept by another
attaché; own; given one by one), cables as draft / released to the post / released in the
attaché channel. Adding a page is adding a row; test_matrix.py fails on any URL without one.

Codes: 200 page, 201 created, 302 redirect after a change, 400 form errors (the request got past
authorization and was refused for its data — nothing saved), 403 visible but not permitted, 404
hidden or absent, LOGIN redirect to the login page (anonymous).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from .world import CABLE_VARIANTS, RECORD_VARIANTS, ROLES

OK, CREATED, FOUND, BAD, DENIED, HIDDEN, UNAUTHORIZED, PRECONDITION = 200, 201, 302, 400, 403, 404, 401, 428
LOGIN = "login"
ADMIN_LOGIN = "admin_login"  # a redirect to the admin's login (then the one login page): no admin page
MEMBERS = ("attache", "diplomat", "chief", "admin", "outsider")

# ---------------------------------------------------------------- who sees which variant (docs/access.md)

# Records (counterparts, organizations, meetings, agreements, exercises, follow-ups — the
# follow-ups of the world are all assigned to the diplomat, who reads their own).
READ = {
    "attache": {"post": OK, "attache": OK, "restricted": HIDDEN, "restricted_own": OK, "restricted_granted": OK},
    "diplomat": {
        "post": OK,
        "attache": HIDDEN,
        "restricted": HIDDEN,
        "restricted_own": HIDDEN,
        "restricted_granted": OK,
    },
    "chief": OK,
    "admin": HIDDEN,
    "outsider": HIDDEN,
    "anonymous": LOGIN,
}
READ_CABLE = {
    "attache": OK,
    "diplomat": {"draft": HIDDEN, "released_post": OK, "released_attache": HIDDEN},
    "chief": OK,
    "admin": HIDDEN,
    "outsider": HIDDEN,
    "anonymous": LOGIN,
}


def code(table: dict, role: str, variant: str | None):
    value = table[role]
    return value[variant] if isinstance(value, dict) else value


def derive(read: dict, variants, allowed, *, anonymous=LOGIN) -> dict:
    """From a read table: hidden stays 404; visible becomes allowed(role, variant) → code, or 403."""
    table = {}
    for role in ROLES:
        if role == "anonymous":
            table[role] = anonymous
            continue
        table[role] = {}
        for variant in variants:
            seen = code(read, role, variant)
            table[role][variant] = seen if seen != OK else (allowed(role, variant) or DENIED)
    return table


def _owner_writes(status):
    """Attachés write records of the post and attaché channels, and restricted ones they keep."""
    return lambda role, variant: status if role == "attache" and variant != "restricted_granted" else None


WRITE = derive(READ, RECORD_VARIANTS, _owner_writes(OK))
WRITE_POST = derive(READ, RECORD_VARIANTS, _owner_writes(BAD))  # empty POST: past authorization, 400
# Logging a meeting with a counterpart: any attaché who can see the counterpart.
ADD_UNDER = derive(READ, RECORD_VARIANTS, lambda role, variant: OK if role == "attache" else None)
ADD_UNDER_POST = derive(READ, RECORD_VARIANTS, lambda role, variant: BAD if role == "attache" else None)
# Sharing one restricted record: its keeper or the chief.
GRANT = derive(
    READ,
    RECORD_VARIANTS,
    lambda role, variant: (
        OK
        if (role == "chief" and variant.startswith("restricted")) or (role == "attache" and variant == "restricted_own")
        else None
    ),
)
# Merging two records of one person: the chief, or the attaché who keeps the record.
MERGE = derive(
    READ,
    RECORD_VARIANTS,
    lambda role, variant: OK if role == "chief" or (role == "attache" and variant == "restricted_own") else None,
)
MERGE_POST = derive(  # an empty POST names no record to merge: past authorization, 400
    READ,
    RECORD_VARIANTS,
    lambda role, variant: BAD if role == "chief" or (role == "attache" and variant == "restricted_own") else None,
)
# Cables are never given one by one: their grants address is gone, the same 404 for every role
# and every cable (anonymous users are sent to sign in first, as for any address).
CABLE_GRANTS_GONE = {role: (LOGIN if role == "anonymous" else HIDDEN) for role in ROLES}
# A contact report drafted from a meeting: attachés and the chief; never from restricted material.
CONTACT_REPORT = derive(
    READ,
    RECORD_VARIANTS,
    lambda role, variant: (
        (FOUND if not variant.startswith("restricted") else BAD) if role in ("attache", "chief") else None
    ),
)
CABLE_EDIT = derive(
    READ_CABLE, CABLE_VARIANTS, lambda role, v: OK if role in ("attache", "chief") and v == "draft" else None
)
CABLE_EDIT_POST = derive(
    READ_CABLE, CABLE_VARIANTS, lambda role, v: BAD if role in ("attache", "chief") and v == "draft" else None
)
CABLE_RELEASE = derive(READ_CABLE, CABLE_VARIANTS, lambda role, v: FOUND if role == "chief" and v == "draft" else None)
# Widening a draft past the channel of its sources: the chief only, with a reason.
CABLE_WIDEN = derive(READ_CABLE, CABLE_VARIANTS, lambda role, v: OK if role == "chief" and v == "draft" else None)
CABLE_WIDEN_POST = derive(READ_CABLE, CABLE_VARIANTS, lambda role, v: BAD if role == "chief" and v == "draft" else None)
# The release confirmation page: the chief, on a draft.
CABLE_RELEASE_PAGE = derive(
    READ_CABLE, CABLE_VARIANTS, lambda role, v: OK if role == "chief" and v == "draft" else None
)
# A released cable is corrected by a new draft: those who draft cables, on a released one.
CABLE_CORRECT = derive(
    READ_CABLE, CABLE_VARIANTS, lambda role, v: FOUND if role in ("attache", "chief") and v != "draft" else None
)
# Asking colleagues to clear: the chief (or the attaché named as coordinator: none in the world).
CABLE_CLEARANCE_REQUEST = derive(
    READ_CABLE, CABLE_VARIANTS, lambda role, v: BAD if role == "chief" and v == "draft" else None
)
# Clearing: only someone asked to clear (nobody is, in the world).
CABLE_CLEAR = derive(READ_CABLE, CABLE_VARIANTS, lambda role, v: None)
CABLE_RESUBMIT = derive(
    READ_CABLE, CABLE_VARIANTS, lambda role, v: FOUND if role in ("attache", "chief") and v == "draft" else None
)

# A valid change (the form resubmitted as it stands): saved where the role may write.
WRITE_SAVE = derive(READ, RECORD_VARIANTS, _owner_writes(FOUND))

EVERY_MEMBER = {**{role: OK for role in MEMBERS}, "anonymous": LOGIN}
# Creating: attachés, at their own post (the outsider is an attaché at another post).
CREATE = {"attache": OK, "outsider": OK, "diplomat": DENIED, "chief": DENIED, "admin": DENIED, "anonymous": LOGIN}
CREATE_POST = {**CREATE, "attache": BAD, "outsider": BAD}
CREATE_SAVE = {**CREATE, "attache": FOUND, "outsider": FOUND}  # a valid new record
# A post's content as a whole (the handover pack): every content role, at its own post; never the admin.
CONTENT = {**EVERY_MEMBER, "admin": DENIED}
AUDIT = {"chief": OK, "admin": OK, "attache": DENIED, "diplomat": DENIED, "outsider": DENIED, "anonymous": LOGIN}
# People pages: the post's admin, for the members of its own posts only ("member"); anyone else's
# account ("other": the outsider, at another post) answers as absent. Other roles: 403 whatever the id.
ADMIN_ONLY = {**{r: DENIED for r in MEMBERS}, "admin": OK, "anonymous": LOGIN}
ADMIN_ONLY_POST = {**ADMIN_ONLY, "admin": BAD}


def people(member_code) -> dict:
    return {**{r: DENIED for r in MEMBERS}, "admin": {"member": member_code, "other": HIDDEN}, "anonymous": LOGIN}


# The Django admin is for operators (superusers) only: every role, the post's admin (who has staff
# status in the world) included, is refused (403, saying whose the admin is) and sees no admin
# page; someone not signed in is sent to the login.
NO_ADMIN = {**{role: DENIED for role in MEMBERS}, "anonymous": ADMIN_LOGIN}
ADMIN_PASSWORD_ATTACK = {"password1": "Taken-over-at-another-post-1", "password2": "Taken-over-at-another-post-1"}


def api(table: dict) -> dict:
    """The API answers 401 (with a Bearer challenge) where a page would send to the login form;
    an allowed change without If-Match answers 428 (past authorization, nothing changed)."""
    allowed = {OK, FOUND, BAD}

    def api_code(value):
        return value if value in (OK, DENIED, HIDDEN) else PRECONDITION if value in allowed else value

    return {
        role: UNAUTHORIZED
        if role == "anonymous"
        else ({v: api_code(c) for v, c in value.items()} if isinstance(value, dict) else api_code(value))
        for role, value in table.items()
    }


@dataclass(frozen=True)
class Row:
    name: str
    expect: dict
    resource: str | None = None  # world resource whose variants the row runs over
    method: str = "GET"
    query: str = ""
    kwarg: str = "pk"
    kwargs: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    # A POST carries a classified marking: refused as bad input (400, nothing saved) once the
    # request is past authorization, so an allowed cell changes nothing. A callable
    # (world, role, variant) -> dict gives a valid write instead (rows of successful writes).
    data: dict | Callable = field(default_factory=lambda: {"marking": "SECRET"})

    @property
    def variants(self):
        if self.resource is None:
            return (None,)
        return {
            "cable": CABLE_VARIANTS,
            "token": ("own",),
            "calendarfeed": ("own",),
            "calendar_address": ("own",),
            "person": ("member", "other"),
        }.get(self.resource, RECORD_VARIANTS)

    def expected(self, role: str, variant: str | None):
        return code(self.expect, role, variant)

    def body(self, world, role: str, variant: str | None) -> dict:
        return self.data(world, role, variant) if callable(self.data) else self.data

    @property
    def id(self) -> str:
        valid = " valid" if callable(self.data) else ""
        return f"{self.method}{valid} {self.name}{'?' + self.query if self.query else ''}{' ' + str(self.headers) if self.headers else ''}"


# Resources every role holds one of its own: a cell reads the role's own (world.get(resource, role)).
# A calendar feed's address is its own credential: each role reads its own feed (opted in to every
# channel, so that the leak search covers them all); "anonymous" holds a revoked one.
BY_ROLE = {"calendar_address"}


def _resubmitted(resource: str):
    def data(world, role, variant):
        from .writes import edit_form_data

        return edit_form_data(world, resource, variant)

    return data


def _new_record(resource: str):
    def data(world, role, variant):
        from .writes import new_form_data

        return new_form_data(resource)

    return data


def _detail_rows(name, resource, read=READ):
    return [Row(name, read, resource)]


ROWS: list[Row] = [
    # ---- frame and sign-in
    Row("dashboard", EVERY_MEMBER),
    Row("login", {**EVERY_MEMBER, "anonymous": OK}),
    Row("consent", {**EVERY_MEMBER, "anonymous": OK}),
    Row("consent", {**{r: FOUND for r in MEMBERS}, "anonymous": FOUND}, method="POST"),
    Row("logout", {**{r: FOUND for r in MEMBERS}, "anonymous": FOUND}, method="POST"),
    # Without a device: the verify page sends to the setup page; the admin has (and passed) one.
    Row("otp_verify", {**{r: FOUND for r in MEMBERS}, "admin": OK, "anonymous": LOGIN}),
    Row("otp_setup", EVERY_MEMBER),
    Row("otp_remove", {**{r: DENIED for r in MEMBERS}, "anonymous": LOGIN}, method="POST"),
    Row("lockouts", ADMIN_ONLY),
    Row("password_change", EVERY_MEMBER),
    Row("password_change", {**{r: BAD for r in MEMBERS}, "anonymous": LOGIN}, method="POST"),
    # ---- people (the post's admin)
    Row("people_list", ADMIN_ONLY),
    Row("person_new", ADMIN_ONLY),
    Row("person_new", ADMIN_ONLY_POST, method="POST"),
    Row("person_detail", people(OK), "person"),
    Row("person_role", people(BAD), "person", "POST"),
    Row("person_role", people(FOUND), "person", "POST", data={"post": "{post}", "role": "chief"}),
    Row("person_password", people(OK), "person"),
    Row("person_password", people(OK), "person", "POST"),  # nothing typed: a generated one, shown
    Row("person_deactivate", people(FOUND), "person", "POST"),
    Row("person_reactivate", people(FOUND), "person", "POST"),
    Row("person_second_factor_reset", people(FOUND), "person", "POST"),
    Row("person_unlock", people(FOUND), "person", "POST"),
    # ---- the Django admin
    Row("admin:index", NO_ADMIN),
    Row("admin:auth_user_changelist", NO_ADMIN),
    Row("admin:auth_user_change", NO_ADMIN, "person", kwarg="object_id"),
    Row("admin:auth_user_password_change", NO_ADMIN, "person", kwarg="id"),
    Row("admin:auth_user_password_change", NO_ADMIN, "person", "POST", kwarg="id", data=ADMIN_PASSWORD_ATTACK),
    Row("admin:tenancy_membership_changelist", NO_ADMIN),
    Row("admin:tenancy_membership_add", NO_ADMIN),
    Row(
        "admin:tenancy_membership_add",
        NO_ADMIN,
        method="POST",
        data={"user": "{other}", "post": "{post}", "role": "chief"},
    ),
    Row("admin:tenancy_post_changelist", NO_ADMIN),
    Row("admin:tenancy_auditevent_changelist", NO_ADMIN),
    Row("admin:contacts_counterpart_changelist", NO_ADMIN),
    Row("admin:apitokens_personalaccesstoken_changelist", NO_ADMIN),
    Row("token_list", EVERY_MEMBER),
    Row("session_keepalive", {**{r: OK for r in MEMBERS}, "anonymous": UNAUTHORIZED}, method="POST"),
    Row("token_revoke", {**{r: HIDDEN for r in MEMBERS}, "attache": FOUND, "anonymous": LOGIN}, "token", "POST"),
    Row("calendar_feeds", EVERY_MEMBER),
    Row("calendar_feeds", {**{r: BAD for r in MEMBERS}, "anonymous": LOGIN}, method="POST"),
    Row(
        "calendar_feed_revoke",
        {**{r: HIDDEN for r in MEMBERS}, "attache": FOUND, "anonymous": LOGIN},
        "calendarfeed",
        "POST",
    ),
    Row("calendar_feed", {**{r: OK for r in MEMBERS}, "anonymous": HIDDEN}, "calendar_address", kwarg="token"),
    Row("audit_list", AUDIT),
    Row("audit_list", AUDIT, query="user=attache&action=view&outcome=success&date_from=2026-01-01"),
    # ---- counterparts and organizations
    Row("counterpart_list", EVERY_MEMBER),
    Row("counterpart_list", EVERY_MEMBER, query="q=mk"),
    Row("counterpart_list", EVERY_MEMBER, query="q=rn"),
    Row("counterpart_typeahead", EVERY_MEMBER, query="q=mk"),
    Row("counterpart_typeahead", EVERY_MEMBER, query="q=mk", headers={"Accept": "application/json"}),
    Row("counterpart_create", CREATE),
    Row("counterpart_create", CREATE_POST, method="POST"),
    Row("counterpart_detail", READ, "counterpart"),
    Row("counterpart_edit", WRITE, "counterpart"),
    Row("counterpart_edit", WRITE_POST, "counterpart", "POST"),
    Row("counterpart_import", CREATE),
    Row("counterpart_import", CREATE_POST, method="POST"),
    Row("counterpart_export", EVERY_MEMBER, query="as=csv"),
    Row("counterpart_export", EVERY_MEMBER, query="as=xlsx&q=mk"),
    Row("counterpart_vcard", READ, "counterpart"),
    Row("counterpart_merge", MERGE, "counterpart"),
    Row("counterpart_merge", MERGE_POST, "counterpart", "POST"),
    Row("counterpart_meeting_new", ADD_UNDER, "counterpart"),
    Row("counterpart_meeting_quick", ADD_UNDER, "counterpart"),
    Row("counterpart_meeting_quick", ADD_UNDER_POST, "counterpart", "POST"),
    Row("organization_list", EVERY_MEMBER),
    Row("organization_list", EVERY_MEMBER, query="q=mk"),
    Row("organization_export", EVERY_MEMBER, query="as=csv"),
    Row("organization_export", EVERY_MEMBER, query="as=xlsx&q=mk"),
    Row("organization_create", CREATE),
    Row("organization_create", CREATE_POST, method="POST"),
    Row("organization_import", CREATE),
    Row("organization_import", CREATE_POST, method="POST"),
    Row("organization_detail", READ, "organization"),
    Row("organization_edit", WRITE, "organization"),
    Row("organization_edit", WRITE_POST, "organization", "POST"),
    # ---- engagements
    Row("meeting_list", EVERY_MEMBER),
    Row("meeting_list", EVERY_MEMBER, query="q=mk"),
    Row("meeting_export", EVERY_MEMBER, query="as=csv"),
    Row("meeting_export", EVERY_MEMBER, query="as=xlsx&q=mk"),
    Row("meeting_new", CREATE),
    Row("meeting_new", CREATE_POST, method="POST"),
    Row("meeting_quick", CREATE),
    Row("meeting_quick", CREATE_POST, method="POST"),
    Row("meeting_detail", READ, "meeting"),
    Row("meeting_edit", WRITE, "meeting"),
    Row("meeting_edit", WRITE_POST, "meeting", "POST"),
    Row("agreement_list", EVERY_MEMBER),
    Row("agreement_export", EVERY_MEMBER, query="as=csv"),
    Row("agreement_export", EVERY_MEMBER, query="as=xlsx"),
    Row("agreement_new", CREATE),
    Row("agreement_new", CREATE_POST, method="POST"),
    Row("agreement_detail", READ, "agreement"),
    Row("agreement_edit", WRITE, "agreement"),
    Row("agreement_edit", WRITE_POST, "agreement", "POST"),
    Row("agreement_change_status", WRITE_POST, "agreement", "POST"),
    Row("exercise_list", EVERY_MEMBER),
    Row("exercise_export", EVERY_MEMBER, query="as=csv"),
    Row("exercise_export", EVERY_MEMBER, query="as=xlsx"),
    Row("exercise_new", CREATE),
    Row("exercise_new", CREATE_POST, method="POST"),
    Row("exercise_detail", READ, "exercise"),
    Row("exercise_edit", WRITE, "exercise"),
    Row("exercise_edit", WRITE_POST, "exercise", "POST"),
    Row("exercise_change_phase", WRITE_POST, "exercise", "POST"),
    Row("action_list", EVERY_MEMBER),
    Row("action_export", EVERY_MEMBER, query="as=csv"),
    Row("action_export", EVERY_MEMBER, query="as=xlsx"),
    Row("action_new", CREATE),
    Row("action_new", CREATE_POST, method="POST"),
    Row("action_edit", WRITE, "actionitem"),
    Row("action_edit", WRITE_POST, "actionitem", "POST"),
    Row("action_close", WRITE_POST, "actionitem", "POST"),
    # ---- clearances and gifts
    Row("clearance_list", EVERY_MEMBER),
    Row("clearance_list", EVERY_MEMBER, query="q=mk&status=draft&sort=-submit_by"),
    Row("clearance_export", EVERY_MEMBER, query="as=csv"),
    Row("clearance_export", EVERY_MEMBER, query="as=csv&q=mk&status=draft&sort=-submit_by"),
    Row("clearance_export", EVERY_MEMBER, query="as=xlsx"),
    Row("clearance_new", CREATE),
    Row("clearance_new", CREATE_POST, method="POST"),
    Row("clearance_detail", READ, "clearance"),
    Row("clearance_edit", WRITE, "clearance"),
    Row("clearance_edit", WRITE_POST, "clearance", "POST"),
    Row("clearance_change_status", WRITE_POST, "clearance", "POST"),
    Row("gift_list", EVERY_MEMBER),
    Row("gift_list", EVERY_MEMBER, query="q=mk&undisposed=true"),
    Row("gift_export", EVERY_MEMBER, query="as=csv"),
    Row("gift_export", EVERY_MEMBER, query="as=csv&q=mk&undisposed=true"),
    Row("gift_export", EVERY_MEMBER, query="as=xlsx"),
    Row("gift_new", CREATE),
    Row("gift_new", CREATE_POST, method="POST"),
    Row("gift_detail", READ, "gift"),
    Row("gift_edit", WRITE, "gift"),
    Row("gift_edit", WRITE_POST, "gift", "POST"),
    # The annual report of the reader's (first) post: the gifts they may see, in the file.
    Row("gift_report", EVERY_MEMBER, query=f"year={dt.date.today().year}&format=csv"),
    # ---- cables
    Row("cable_list", EVERY_MEMBER),
    Row("cable_detail", READ_CABLE, "cable"),
    Row("cable_text", READ_CABLE, "cable"),
    Row("cable_print", READ_CABLE, "cable"),
    Row("cable_edit", CABLE_EDIT, "cable"),
    Row("cable_edit", CABLE_EDIT_POST, "cable", "POST"),
    Row("cable_release", CABLE_RELEASE_PAGE, "cable"),
    Row("cable_release", CABLE_RELEASE, "cable", "POST"),
    Row("cable_redraft", CABLE_EDIT, "cable"),
    Row("cable_redraft", CABLE_EDIT_POST, "cable", "POST"),  # no fingerprint: the preview again, 400
    Row("cable_correct", CABLE_CORRECT, "cable", "POST"),
    Row("cable_clearance_request", CABLE_CLEARANCE_REQUEST, "cable", "POST"),
    Row("cable_clear", CABLE_CLEAR, "cable", "POST"),
    Row("cable_coordinator", CABLE_RELEASE, "cable", "POST"),  # no coordinator named: nobody, saved
    Row("cable_return", CABLE_RELEASE, "cable", "POST"),
    Row("cable_resubmit", CABLE_RESUBMIT, "cable", "POST"),
    Row("cable_widen", CABLE_WIDEN, "cable"),
    Row("cable_widen", CABLE_WIDEN_POST, "cable", "POST"),
    Row("contact_report_create", CONTACT_REPORT, "meeting", "POST", kwarg="meeting_pk"),
    # ---- successful writes: a valid change saved (302) wherever the role may write, refused alike elsewhere
    *[
        row
        for resource, edit, new in [
            ("counterpart", "counterpart_edit", "counterpart_create"),
            ("organization", "organization_edit", "organization_create"),
            ("meeting", "meeting_edit", "meeting_new"),
            ("agreement", "agreement_edit", "agreement_new"),
            ("exercise", "exercise_edit", "exercise_new"),
            ("actionitem", "action_edit", "action_new"),
            ("clearance", "clearance_edit", "clearance_new"),
            ("gift", "gift_edit", "gift_new"),
        ]
        for row in (
            Row(edit, WRITE_SAVE, resource, "POST", data=_resubmitted(resource)),
            Row(new, CREATE_SAVE, method="POST", data=_new_record(resource)),
        )
    ],
    # ---- the handover pack (the outsider reads their own post's)
    Row("handover_pack", CONTENT),
    Row("handover_pack_pdf", CONTENT),
    # ---- single-record grants
    *[
        Row("record_grants", GRANT, resource, kwargs={"label": label})
        for resource, label in [
            ("counterpart", "contacts.counterpart"),
            ("organization", "contacts.organization"),
            ("meeting", "engagements.meeting"),
            ("agreement", "engagements.agreement"),
            ("exercise", "engagements.exercise"),
            ("actionitem", "engagements.actionitem"),
            ("clearance", "office.clearance"),
            ("gift", "office.gift"),
        ]
    ],
    Row("record_grants", CABLE_GRANTS_GONE, "cable", kwargs={"label": "reports.cable"}),
    Row("record_grants", CABLE_GRANTS_GONE, "cable", "POST", kwargs={"label": "reports.cable"}, data={"op": "grant"}),
    # ---- API (JSON): the same table, 401 for anonymous
    *[
        row
        for resource, basename in [
            ("counterpart", "api-counterpart"),
            ("organization", "api-organization"),
            ("meeting", "api-meeting"),
            ("agreement", "api-agreement"),
            ("exercise", "api-exercise"),
            ("actionitem", "api-action-item"),
            ("clearance", "api-clearance"),
            ("gift", "api-gift"),
        ]
        for row in (
            Row(f"{basename}-list", api(EVERY_MEMBER)),
            Row(f"{basename}-detail", api(READ), resource),
        )
    ],
    Row("api-counterpart-list", api(EVERY_MEMBER), query="q=mk"),
    Row("api-cable-list", api(EVERY_MEMBER)),
    Row("api-cable-detail", api(READ_CABLE), "cable"),
    Row("api-agreement-change-status", api(WRITE_POST), "agreement", "POST"),
    Row("api-exercise-change-phase", api(WRITE_POST), "exercise", "POST"),
    Row("api-action-item-close", api(WRITE_POST), "actionitem", "POST"),
    Row("api-clearance-change-status", api(WRITE_POST), "clearance", "POST"),
    Row("api-cable-release", api(CABLE_RELEASE), "cable", "POST"),
    Row("api-cable-return-for-edits", api(CABLE_RELEASE), "cable", "POST"),
    Row("api-cable-resubmit", api(CABLE_RESUBMIT), "cable", "POST"),
    Row("api-cable-widen", api(CABLE_WIDEN_POST), "cable", "POST"),
    Row("api-handover-pack-list", api(CONTENT)),
    Row("api-cable-redraft", api(CABLE_EDIT_POST), "cable", "POST"),
    Row("api-cable-redraft-preview", api(CABLE_EDIT), "cable"),
    Row("api-cable-correct", api(CABLE_CORRECT), "cable", "POST"),
    Row("api-cable-request-clearance", api(CABLE_CLEARANCE_REQUEST), "cable", "POST"),
    Row("api-cable-clear", api(CABLE_CLEAR), "cable", "POST"),
    Row("api-cable-coordinator", api(CABLE_RELEASE), "cable", "POST"),
]

# URL names deliberately outside the matrix, with the reason and where they are tested.
EXEMPT = {
    "healthz": "public health check of the database and broker, no data (tests/test_smoke.py)",
    "api-schema": "OpenAPI schema: structure only, no records (API tests)",
    "api-docs": "Swagger UI page: no records (API tests)",
    None: "unnamed patterns: /admin/login/ redirect (test_login.py) and the API's JSON 404 catch-all",
}
EXEMPT_NAMESPACES = {
    "admin": "operators only; its doors for every role are rows above, operators in tests/access/test_admin.py",
}


def cells():
    """Every (row, role, variant) of the matrix."""
    for row in ROWS:
        for role in ROLES:
            for variant in row.variants:
                yield row, role, variant
