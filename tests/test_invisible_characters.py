"""Text that reads differently from what is stored is refused, whatever the interface; what
right-to-left and other scripts need is kept."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contacts import services as contact_services
from contacts.models import Counterpart, Organization
from tests.api.conftest import api_for
from tests.conftest import client_for
from tests.factories import MeetingFactory

RLO, PDF, ZWSP = "\u202e", "\u202c", "\u200b"


def test_a_direction_override_in_a_name_is_refused_with_the_character_named(post, attache):
    with pytest.raises(ValidationError) as refused:
        contact_services.organization_create(post=post, by=attache, name=f"Ministry {RLO}ecnefeD{PDF}")
    message = refused.value.message_dict["name"][0]
    assert "U+202E" in message and "RIGHT-TO-LEFT OVERRIDE" in message
    assert not Organization.objects.exists()


def test_a_zero_width_space_is_refused_in_a_name_but_kept_in_free_text(post, attache):
    with pytest.raises(ValidationError) as refused:
        contact_services.counterpart_create(post=post, by=attache, family_name=f"Haddad{ZWSP}")
    assert "U+200B" in refused.value.message_dict["family_name"][0]
    thai = f"ประชุม{ZWSP}กับ{ZWSP}ผู้บัญชาการ"  # Thai marks word breaks with it
    counterpart = contact_services.counterpart_create(post=post, by=attache, family_name="Haddad", biography=thai)
    assert Counterpart.objects.get(pk=counterpart.pk).biography == thai


def test_what_right_to_left_names_need_is_kept(post, attache):
    name = "\u200fمحمد\u200c الراشد\u200e"  # right-to-left and left-to-right marks, a zero-width non-joiner
    counterpart = contact_services.counterpart_create(post=post, by=attache, family_name="Al-Rashid", native_name=name)
    assert Counterpart.objects.get(pk=counterpart.pk).native_name == name


def test_the_form_keeps_what_was_typed_and_says_why(post, attache):
    response = client_for(attache).post(reverse("organization_create"), {"name": f"Navy {RLO}yvaN", "channel": "post"})
    body = response.content.decode()
    assert response.status_code == 400 and "U+202E" in body and "yvaN" in body
    assert not Organization.objects.exists()


def test_the_api_answers_400_with_the_field(post, attache):
    meeting = MeetingFactory(post=post, created_by=attache)
    api = api_for(attache)
    etag = api.get(f"/api/v1/meetings/{meeting.pk}/")["ETag"]
    response = api.patch(f"/api/v1/meetings/{meeting.pk}/", {"title": f"Call {RLO}llac"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 400 and "U+202E" in str(response.json())
