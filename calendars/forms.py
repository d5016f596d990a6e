from django import forms

from apitokens.forms import TokenForm

from .models import CalendarFeed


class FeedForm(forms.Form):
    lifetime_days = TokenForm.base_fields["lifetime_days"]
    all_channels = forms.BooleanField(
        required=False,
        label=CalendarFeed._meta.get_field("all_channels").verbose_name.capitalize(),
        help_text=CalendarFeed._meta.get_field("all_channels").help_text,
    )
