from django import forms

from .models import TOKEN_DEFAULT_LIFETIME, TOKEN_MAX_LIFETIME


class TokenForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="What the token is for, e.g. “weekly export script”.")
    lifetime_days = forms.IntegerField(
        label="Expires after (days)",
        min_value=1,
        max_value=TOKEN_MAX_LIFETIME.days,
        initial=TOKEN_DEFAULT_LIFETIME.days,
        help_text=f"At most {TOKEN_MAX_LIFETIME.days} days.",
    )
