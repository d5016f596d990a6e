from django.db import migrations

from office.migrations._minimal_values import MINIMAL_VALUES, ensure


def add(apps, schema_editor):
    ensure(apps.get_model("office", "GiftThreshold"))


def remove(apps, schema_editor):
    GiftThreshold = apps.get_model("office", "GiftThreshold")
    GiftThreshold.objects.filter(effective_on__in=[day for day, _ in MINIMAL_VALUES]).delete()


class Migration(migrations.Migration):
    dependencies = [("office", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
