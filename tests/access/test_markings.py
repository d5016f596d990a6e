"""Classified markings are refused in any spelling; the unclassified ones pass."""

import pytest
from django.core.exceptions import ValidationError

from tenancy.markings import ClassifiedMarkingError, validate_marking

CLASSIFIED = [
    "C", "c", "S", "s", "TS", "ts", "Ts",
    "CONFIDENTIAL", "Confidential", "confidential",
    "SECRET", "secret", "Secret",
    "TOP SECRET", "top secret", "Top Secret", "TOP-SECRET", "top_secret", "TopSecret",
    "(S)", "(TS)", " (c) ", "SECRET//NOFORN", "TS//SCI", "S/NF", "  secret  ",
]  # fmt: skip


@pytest.mark.parametrize("value", CLASSIFIED)
def test_classified_markings_are_refused_with_their_own_message(value):
    with pytest.raises(ClassifiedMarkingError) as excinfo:
        validate_marking(value)
    assert "classified" in excinfo.value.messages[0].lower()
    assert excinfo.value.code == "classified_marking"


@pytest.mark.parametrize("value", ["U", "SBU", "SBU-NF"])
def test_unclassified_markings_pass(value):
    validate_marking(value)


@pytest.mark.parametrize("value", ["", "u", "UNCLASSIFIED-ish", "CUI", "SBU-XX", "SECRETARY"])
def test_unknown_markings_are_refused_but_not_as_classified(value):
    with pytest.raises(ValidationError) as excinfo:
        validate_marking(value)
    assert not isinstance(excinfo.value, ClassifiedMarkingError)
