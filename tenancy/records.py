"""The fields every content record shares: post, authorship, marking and channel (docs/design.md)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models

from . import invisible, spill
from .markings import Channel, Marking, validate_marking

# Limits that are rules of the records, whichever interface writes them (forms, API, commands).
LONG_TEXT_MAX = 20_000  # any free-text (TextField) column of a record
MAX_LINKS = 200  # links of one kind on one record (participants, parties, attendees …)


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


class SpillGuarded:
    """Model mixin: `full_clean()` refuses classified banners and portion marks in every text field,
    and the invisible characters that make a text read differently from what is stored (invisible).

    Every service validates with `full_clean()`, so this is the one place the spill guard holds
    for every interface (page, API, admin, import, task). A field refused as classified shows
    only that error (not also "too long"): the interfaces recognise its code and audit it.
    """

    def clean_fields(self, exclude=None):
        errors: dict = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name, refusal in invisible.scan_instance(self, exclude=exclude or ()).items():
            errors[name] = [refusal]
        for name, refusal in spill.scan_instance(self, exclude=exclude or ()).items():
            errors[name] = [refusal]
        if errors:
            raise ValidationError(errors)


class Record(SpillGuarded, models.Model):
    """Abstract base of content records: one post, an author, a marking and a channel."""

    # Name of the field that holds the record's owner: `owner` where the model has one, else its author.
    OWNER_FIELD = "created_by"

    post = models.ForeignKey("tenancy.Post", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    marking = MarkingField()
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.POST)

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        """The model's field checks (with the spill guard), and LONG_TEXT_MAX on every text column a
        writer fills in (a TextField has no length check of its own; computed text such as a released
        cable's is exempt). A field the spill guard refused keeps only that refusal."""
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        limit = MaxLengthValidator(LONG_TEXT_MAX)
        for field in self._meta.concrete_fields:
            if not (isinstance(field, models.TextField) and field.editable):
                continue
            if field.name in (exclude or ()) or field.name in errors:
                continue
            try:
                limit(getattr(self, field.attname) or "")
            except ValidationError as exc:
                errors.setdefault(field.name, []).extend(exc.error_list)
        if errors:
            raise ValidationError(errors)
