"""Forms of the sign-in pages and of the people pages."""

from django import forms

from tenancy.choices import Role


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


# ---------------------------------------------------------------- people (the post's administrator)


class _NewPasswordMixin:
    """An optional new password, typed twice; empty means "generate one and show it once"."""

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password", ""), cleaned.get("password_again", "")
        if first != second:
            self.add_error("password_again", "The two passwords differ.")
        return cleaned


def _password_fields():
    return {
        "password": forms.CharField(
            required=False,
            strip=False,
            max_length=128,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            help_text="Leave both empty to generate an initial password, shown to you once.",
        ),
        "password_again": forms.CharField(
            label="Password (again)",
            required=False,
            strip=False,
            max_length=128,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        ),
    }


class PersonCreateForm(_NewPasswordMixin, forms.Form):
    post = forms.ModelChoiceField(queryset=None, empty_label=None)
    username = forms.CharField(max_length=150, help_text="Letters, digits and @ . + - _ only.")
    role = forms.ChoiceField(choices=Role.choices)
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(required=False)

    def __init__(self, *args, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts
        self.fields.update(_password_fields())


class RoleForm(forms.Form):
    post = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    role = forms.ChoiceField(choices=Role.choices)

    def __init__(self, *args, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts


class PasswordResetForm(_NewPasswordMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_password_fields())


def add_service_errors(form, error) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one."""
    by_field = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, messages in by_field.items():
        form.add_error(field if field in form.fields else None, messages)
