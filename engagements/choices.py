"""Choice lists of the engagements app (the lifecycles that move between them: lifecycles.py)."""

from django.db import models


class MeetingKind(models.TextChoices):
    KEY_LEADER = "key_leader", "Key leader engagement"
    OFFICE_CALL = "office_call", "Office call"
    WORKING_GROUP = "working_group", "Working group"
    CONFERENCE = "conference", "Conference"
    SOCIAL = "social", "Social event"
    PHONE_VTC = "phone_vtc", "Phone / VTC"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    CONDUCTED = "conducted", "Conducted"
    POSTPONED = "postponed", "Postponed"
    CANCELLED = "cancelled", "Cancelled"


class AgreementKind(models.TextChoices):
    MOU = "mou", "Memorandum of understanding"
    SOFA = "sofa", "Status of forces agreement"
    ACSA = "acsa", "Cross-servicing agreement / implementing arrangement"
    LOA = "loa", "Letter of offer and acceptance"
    TECHNICAL = "technical", "Technical arrangement"
    OTHER = "other", "Other"


class AgreementStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    NEGOTIATING = "negotiating", "Negotiating"
    TEXT_AGREED = "text_agreed", "Text agreed"
    SIGNED = "signed", "Signed"
    IN_FORCE = "in_force", "In force"
    EXPIRED = "expired", "Expired"
    TERMINATED = "terminated", "Terminated"
    SUPERSEDED = "superseded", "Superseded"
    ABANDONED = "abandoned", "Abandoned"


class ExerciseKind(models.TextChoices):
    BILATERAL = "bilateral", "Bilateral"
    MULTILATERAL = "multilateral", "Multilateral"
    COMMAND_POST = "command_post", "Command post"
    FIELD = "field", "Field"


class ExercisePhase(models.TextChoices):
    CONCEPT = "concept", "Concept"
    IPC = "ipc", "Initial planning conference"
    MPC = "mpc", "Main planning conference"
    FPC = "fpc", "Final planning conference"
    EXECUTION = "execution", "Execution"
    AFTER_ACTION = "after_action", "After action"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"
