from django import forms

from apitokens.forms import TokenForm
from tenancy import policy
from tenancy.choices import Role

from .models import CalendarFeed

# Who reads the attaché channel; everyone else reads, beyond the post channel, only the restricted
# records shared with them one by one.
ATTACHE_CHANNEL_READERS = {Role.ATTACHE, Role.CHIEF}


class FeedForm(forms.Form):
    lifetime_days = TokenForm.base_fields["lifetime_days"]
    all_channels = forms.BooleanField(
        required=False,
        label=CalendarFeed._meta.get_field("all_channels").verbose_name.capitalize(),
        help_text=CalendarFeed._meta.get_field("all_channels").help_text,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not policy.has_role(user, ATTACHE_CHANNEL_READERS):
            self.fields["all_channels"].label = "Include the restricted records shared with you"
