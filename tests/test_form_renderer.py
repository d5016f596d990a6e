"""The form renderer draws inputs and drop-downs in Python, exactly as Django's templates do."""

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from attache_crm.renderers import FormRenderer

CHOICES = [("", "---------"), ("a", "Alpha & <Omega>"), (2, mark_safe("<b>safe</b>")), ('q"uote', "Q")]
GROUPED = [("Land", [("army", "Army"), ("marines", "Marines")]), ("Sea", [("navy", "Navy")]), ("x", "Loose")]


class Everything(forms.Form):
    text = forms.CharField(widget=forms.TextInput(attrs={"placeholder": 'Any "spelling" <here>', "autofocus": True}))
    off = forms.CharField(required=False, widget=forms.TextInput(attrs={"disabled": False}))
    number = forms.IntegerField(widget=forms.NumberInput(attrs={"min": 1}))
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    when = forms.DateTimeField(widget=forms.DateTimeInput())
    email = forms.EmailField()
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput)
    choice = forms.ChoiceField(choices=CHOICES)
    grouped = forms.ChoiceField(choices=GROUPED, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES[1:], required=False)
    flag = forms.BooleanField(required=False)
    notes = forms.CharField(widget=forms.Textarea)
    radio = forms.ChoiceField(choices=CHOICES[1:], widget=forms.RadioSelect)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {
            "text": "José <script>",
            "number": "7",
            "date": "2026-01-02",
            "when": dt.datetime(2026, 1, 2, 3, 4),
            "email": "a&b@example.org",
            "secret": 'p"w',
            "hidden": "h",
            "choice": "2",
            "grouped": "navy",
            "many": ["a", 'q"uote'],
            "flag": "on",
            "notes": "x",
            "radio": "a",
        },
    ],
)
def test_every_widget_is_drawn_as_django_draws_it(data):
    ours = Everything(data or None, renderer=FormRenderer())
    django = Everything(data or None, renderer=DjangoTemplates())
    for name in Everything.base_fields:
        assert str(ours[name]) == str(django[name]), name
    assert str(ours) == str(django)


def test_drop_downs_and_inputs_are_drawn_without_templates(monkeypatch):
    renderer = FormRenderer()
    monkeypatch.setattr(DjangoTemplates, "render", lambda *args, **kwargs: pytest.fail("drawn by a template"))
    form = Everything(renderer=renderer)
    for name in ("text", "number", "date", "choice", "grouped", "many", "hidden"):
        str(form[name].as_widget())
