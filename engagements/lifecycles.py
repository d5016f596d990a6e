"""The lifecycles of agreements (status) and exercises (phase): each one declaration, its rules in view.

Everything else about taking a step (form, page, API action, log, audit) is shared:
attache_crm/lifecycle. How a new record kind declares its own: engagements/README.md.
"""

from attache_crm.lifecycle.table import Lifecycle

from .choices import AgreementStatus, ExercisePhase
from .models import Agreement, AgreementStatusChange, Exercise, ExercisePhaseChange

# Forward along the lifecycle; back from an agreed text to negotiation; abandoned before signature;
# after signature, ended only by termination, expiry or a successor agreement.
AGREEMENT_TRANSITIONS = {
    AgreementStatus.PROPOSED: {AgreementStatus.NEGOTIATING, AgreementStatus.ABANDONED},
    AgreementStatus.NEGOTIATING: {AgreementStatus.TEXT_AGREED, AgreementStatus.ABANDONED},
    AgreementStatus.TEXT_AGREED: {AgreementStatus.SIGNED, AgreementStatus.NEGOTIATING, AgreementStatus.ABANDONED},
    AgreementStatus.SIGNED: {AgreementStatus.IN_FORCE, AgreementStatus.TERMINATED},
    AgreementStatus.IN_FORCE: {AgreementStatus.EXPIRED, AgreementStatus.TERMINATED, AgreementStatus.SUPERSEDED},
    AgreementStatus.EXPIRED: set(),
    AgreementStatus.TERMINATED: set(),
    AgreementStatus.SUPERSEDED: set(),
    AgreementStatus.ABANDONED: set(),
}

AGREEMENT_LIFECYCLE = Lifecycle(
    model=Agreement,
    state="status",
    transitions=AGREEMENT_TRANSITIONS,
    log_model=AgreementStatusChange,
    refusal="An agreement that is {current} cannot become {target}.",
    # The step's date is the signature or the entry into force, unless one was recorded already.
    dates_on_entry={AgreementStatus.SIGNED: "signed_on", AgreementStatus.IN_FORCE: "effective_on"},
)

# The planning cycle, in order. An exercise moves forward to any later phase (it may skip a
# planning conference), or is cancelled from any open phase; closed and cancelled are final.
PLANNING_CYCLE = [
    ExercisePhase.CONCEPT,
    ExercisePhase.IPC,
    ExercisePhase.MPC,
    ExercisePhase.FPC,
    ExercisePhase.EXECUTION,
    ExercisePhase.AFTER_ACTION,
    ExercisePhase.CLOSED,
]
EXERCISE_TRANSITIONS = {
    **{phase: {*PLANNING_CYCLE[i + 1 :], ExercisePhase.CANCELLED} for i, phase in enumerate(PLANNING_CYCLE[:-1])},
    ExercisePhase.CLOSED: set(),
    ExercisePhase.CANCELLED: set(),
}

EXERCISE_LIFECYCLE = Lifecycle(
    model=Exercise,
    state="phase",
    transitions=EXERCISE_TRANSITIONS,
    log_model=ExercisePhaseChange,
    refusal="An exercise in phase {current} cannot move to {target}.",
)
