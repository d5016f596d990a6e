"""The fields every content record shares (DESIGN §2): post, authorship, marking and channel."""

from django.conf import settings
from django.db import models

from .markings import Channel, Marking, validate_marking


class MarkingField(models.CharField):
    """A marking column that refuses classified values at validation time."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 8)
        kwargs.setdefault("choices", Marking.choices)
        kwargs.setdefault("default", Marking.U)
        kwargs.setdefault("validators", [validate_marking])
        super().__init__(*args, **kwargs)

    def validate(self, value, model_instance):
        # Check the classified case first so that its message wins over "not a valid choice".
        validate_marking(value)
        super().validate(value, model_instance)


class Record(models.Model):
    """Abstract base of content records: one post, an author, a marking and a channel."""

    # Name of the field that holds the record's owner (DESIGN §3: `owner` where it exists).
    OWNER_FIELD = "created_by"

    post = models.ForeignKey("contacts.Post", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    marking = MarkingField()
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.POST)

    class Meta:
        abstract = True

    @property
    def owner_id_value(self):
        return getattr(self, f"{self.OWNER_FIELD}_id")
