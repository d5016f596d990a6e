"""Forms of the sign-in pages."""

from django import forms


class TokenForm(forms.Form):
    """A six-digit code from an authenticator app."""

    token = forms.CharField(
        label="Code from your authenticator app",
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*", "autofocus": True}
        ),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError("Enter the digits shown by your authenticator app.")
        return token


class UnlockForm(forms.Form):
    username = forms.CharField(max_length=150)
