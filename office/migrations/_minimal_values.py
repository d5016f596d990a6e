"""The minimal values in force when the register opened; an operator enters later ones in the admin."""

import datetime as dt
from decimal import Decimal

MINIMAL_VALUES = [(dt.date(2020, 1, 1), Decimal("415.00")), (dt.date(2023, 1, 1), Decimal("480.00"))]


def ensure(model) -> None:
    """Enter the values that are missing (by effective date); an operator's corrections stay.

    `model` is GiftThreshold as the caller knows it: the migration's historical model, or the
    current one for a test that empties the table."""
    for effective_on, value in MINIMAL_VALUES:
        model.objects.get_or_create(effective_on=effective_on, defaults={"value_usd": value})
