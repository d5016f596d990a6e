"""The columns of the clearance and gift lists' exports (attache_crm.exports writes them): the
record's own fields only — a gift's counterpart or meeting may be hidden from the reader."""

from __future__ import annotations

from attache_crm.exports import Columns
from engagements.exports import HANDLING, day

CLEARANCE_COLUMNS: Columns = [
    ("Kind", lambda c: c.get_kind_display()),
    ("Mission", lambda c: c.mission),
    ("Travel from", lambda c: day(c.starts_on)),
    ("Travel until", lambda c: day(c.ends_on)),
    ("Status", lambda c: c.get_status_display()),
    ("Submit by", lambda c: day(c.submit_by)),
    ("Submitted", lambda c: day(c.submitted_on)),
    ("Host-nation reference", lambda c: c.host_reference),
    ("Reply on", lambda c: day(c.replied_on)),
    ("Itinerary", lambda c: c.itinerary),
    *HANDLING,
]

GIFT_COLUMNS: Columns = [
    ("Date", lambda g: day(g.received_on)),
    ("Direction", lambda g: g.get_direction_display()),
    ("Foreign official", lambda g: g.official),
    ("Government", lambda g: g.government.code if g.government else ""),
    ("Description", lambda g: g.description),
    ("Value (USD)", lambda g: g.value_usd),
    ("Basis of the estimate", lambda g: g.value_basis),
    ("Recipient", lambda g: g.recipient),
    ("Disposition", lambda g: g.get_disposition_display()),
    ("Disposed", lambda g: day(g.disposed_on)),
    ("Report due", lambda g: day(g.report_due_on)),
    *HANDLING,
]
