"""The minimal values in force when the register opened; an operator enters later ones in the admin."""

import datetime as dt
from decimal import Decimal

MINIMAL_VALUES = [(dt.date(2020, 1, 1), Decimal("415.00")), (dt.date(2023, 1, 1), Decimal("480.00"))]


def ensure(model=None) -> None:
    """Enter the values that are missing (by effective date); an operator's corrections stay."""
    if model is None:
        from office.models import GiftThreshold as model
    for effective_on, value in MINIMAL_VALUES:
        model.objects.get_or_create(effective_on=effective_on, defaults={"value_usd": value})
