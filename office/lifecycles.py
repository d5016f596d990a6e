"""The lifecycle of a clearance request (status): one declaration, its rules in view.

Everything else about taking a step (form, page, API action, log, audit) is shared:
attache_crm/lifecycle. How a record kind declares its own: engagements/README.md.
"""

from attache_crm.lifecycle.table import Lifecycle

from .choices import ClearanceStatus
from .models import Clearance, ClearanceStatusChange

# Submitted to the host nation, then answered by it (approved or denied); cancelled by the office
# at any point before the answer, or after an approval not used.
CLEARANCE_TRANSITIONS = {
    ClearanceStatus.DRAFT: {ClearanceStatus.SUBMITTED, ClearanceStatus.CANCELLED},
    ClearanceStatus.SUBMITTED: {ClearanceStatus.APPROVED, ClearanceStatus.DENIED, ClearanceStatus.CANCELLED},
    ClearanceStatus.APPROVED: {ClearanceStatus.CANCELLED},
    ClearanceStatus.DENIED: set(),
    ClearanceStatus.CANCELLED: set(),
}

CLEARANCE_LIFECYCLE = Lifecycle(
    model=Clearance,
    state="status",
    transitions=CLEARANCE_TRANSITIONS,
    log_model=ClearanceStatusChange,
    refusal="A {current} request cannot become {target}.",
    # Submitting dates the submission; the host nation's answer dates its reply.
    dates_on_entry={
        ClearanceStatus.SUBMITTED: "submitted_on",
        ClearanceStatus.APPROVED: "replied_on",
        ClearanceStatus.DENIED: "replied_on",
    },
    # The host nation's reference comes with the submission or the answer, its words with the answer.
    step_fields=("host_reference", "host_reply"),
)
