"""The minimal values in force when the register opened; an operator enters later ones in the admin."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

MINIMAL_VALUES = [(dt.date(2020, 1, 1), Decimal("415.00")), (dt.date(2023, 1, 1), Decimal("480.00"))]


def add(apps, schema_editor):
    GiftThreshold = apps.get_model("office", "GiftThreshold")
    for effective_on, value in MINIMAL_VALUES:
        GiftThreshold.objects.get_or_create(effective_on=effective_on, defaults={"value_usd": value})


def remove(apps, schema_editor):
    GiftThreshold = apps.get_model("office", "GiftThreshold")
    GiftThreshold.objects.filter(effective_on__in=[day for day, _ in MINIMAL_VALUES]).delete()


class Migration(migrations.Migration):
    dependencies = [("office", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
