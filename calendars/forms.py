from django import forms

from apitokens.forms import TokenForm
from tenancy import policy
from tenancy.markings import Channel

from .models import CalendarFeed


class FeedForm(forms.Form):
    lifetime_days = TokenForm.base_fields["lifetime_days"]
    all_channels = forms.BooleanField(
        required=False,
        label=CalendarFeed._meta.get_field("all_channels").verbose_name.capitalize(),
        help_text=CalendarFeed._meta.get_field("all_channels").help_text,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A reader of no attaché channel gains, beyond the post channel, the restricted records
        # shared with them one by one.
        if not any(Channel.ATTACHE in channels for channels in policy.whole_channels(user).values()):
            self.fields["all_channels"].label = "Include the restricted records shared with you"
