"""Choice lists and the clearance lifecycle of the office app."""

from django.db import models


class ClearanceKind(models.TextChoices):
    OVERFLIGHT = "overflight", "Aircraft overflight"
    LANDING = "landing", "Aircraft landing"
    SHIP_VISIT = "ship_visit", "Ship visit"
    OFFICIAL_VISIT = "official_visit", "Country clearance (visiting official)"


# Aircraft requests count their lead time in the host nation's working days.
AIRCRAFT_KINDS = {ClearanceKind.OVERFLIGHT, ClearanceKind.LANDING}

# The lead time a post has not set for a kind: (days, counted in working days?).
DEFAULT_LEAD_TIMES = {
    ClearanceKind.OVERFLIGHT: (10, True),
    ClearanceKind.LANDING: (10, True),
    ClearanceKind.SHIP_VISIT: (30, False),
    ClearanceKind.OFFICIAL_VISIT: (30, False),
}


class ClearanceStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    DENIED = "denied", "Denied"
    CANCELLED = "cancelled", "Cancelled"


# Which status may follow which: submitted to the host nation, then answered by it (approved or
# denied); cancelled by the office at any point before the answer, or after an approval not used.
CLEARANCE_TRANSITIONS = {
    ClearanceStatus.DRAFT: {ClearanceStatus.SUBMITTED, ClearanceStatus.CANCELLED},
    ClearanceStatus.SUBMITTED: {ClearanceStatus.APPROVED, ClearanceStatus.DENIED, ClearanceStatus.CANCELLED},
    ClearanceStatus.APPROVED: {ClearanceStatus.CANCELLED},
    ClearanceStatus.DENIED: set(),
    ClearanceStatus.CANCELLED: set(),
}
# The statuses that record the host nation's reply (its date is then required).
REPLY_STATUSES = {ClearanceStatus.APPROVED, ClearanceStatus.DENIED}

# Not yet answered by the host nation.
PENDING_STATUSES = [ClearanceStatus.DRAFT, ClearanceStatus.SUBMITTED]


class GiftDirection(models.TextChoices):
    RECEIVED = "received", "Received from a foreign official"
    GIVEN = "given", "Given to a foreign official"


class GiftDisposition(models.TextChoices):
    UNDISPOSED = "", "Not yet disposed of"
    RETAINED = "retained", "Retained for official use"
    DEPOSITED = "deposited", "Deposited"
    PURCHASED = "purchased", "Purchased by the recipient"
    RETURNED = "returned", "Returned to the donor"
