"""Tokens keep a fingerprint of their user's password hash (apitokens.models.credential_fingerprint).

Tokens issued before this migration are bound to the password their user has now, so they keep
working until that password changes.
"""

from django.db import migrations, models
from django.utils.crypto import salted_hmac

# apitokens.models.FINGERPRINT_SALT, copied so that this migration never changes with the code.
FINGERPRINT_SALT = "apitokens.PersonalAccessToken.credential_fingerprint"


def bind_existing_tokens(apps, schema_editor):
    Token = apps.get_model("apitokens", "PersonalAccessToken")
    for token in Token.objects.select_related("user").iterator():
        token.credential_fingerprint = salted_hmac(FINGERPRINT_SALT, token.user.password, algorithm="sha256").hexdigest()
        token.save(update_fields=["credential_fingerprint"])


class Migration(migrations.Migration):
    dependencies = [
        ("apitokens", "0001_personal_access_tokens"),
    ]

    operations = [
        migrations.AddField(
            model_name="personalaccesstoken",
            name="credential_fingerprint",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.RunPython(bind_existing_tokens, migrations.RunPython.noop),
    ]
