"""Quick capture: a meeting with two people and a follow-up from one short form."""

import pytest
from django.urls import reverse

from engagements.models import ActionItem, Meeting
from tests.conftest import client_for
from tests.factories import CounterpartFactory


@pytest.fixture
def aide(post):
    return CounterpartFactory(post=post, family_name="Nasser", given_names="Omar", rank_title="Major")


def quick_url(counterpart):
    return reverse("counterpart_meeting_quick", args=[counterpart.pk])


def quick_data(*people, **overrides):
    return {
        "counterparts": [p.pk for p in people],
        "starts_at": "2026-03-02 10:00",
        "kind": "office_call",
        "summary": "Agreed the IPC dates; لقاء مثمر.",
        "follow_up": "Send the draft IPC agenda",
        "due_on": "2026-03-09",
        **overrides,
    }


def test_counterpart_page_offers_the_short_form_with_the_person_already_chosen(attache, counterpart):
    body = client_for(attache).get(counterpart.get_absolute_url()).content.decode()
    assert f'action="{quick_url(counterpart)}"' in body
    assert f'name="counterparts" value="{counterpart.pk}" checked' in body


def test_a_meeting_with_two_people_and_a_follow_up_in_one_post(post, attache, counterpart, aide):
    response = client_for(attache).post(
        quick_url(counterpart), {**quick_data(counterpart, aide), "next": counterpart.get_absolute_url()}
    )
    assert response.status_code == 302 and response["Location"] == counterpart.get_absolute_url()
    meeting = Meeting.objects.get()
    assert meeting.title == "Office call with Colonel Karim HADDAD and Major Omar NASSER"
    assert meeting.summary == "Agreed the IPC dates; لقاء مثمر."
    assert set(meeting.participants.values_list("counterpart_id", flat=True)) == {counterpart.pk, aide.pk}
    assert (meeting.status, meeting.include_in_weekly, meeting.channel) == ("conducted", True, "post")
    follow_up = ActionItem.objects.get()
    assert (follow_up.meeting, follow_up.assignee, str(follow_up.due_on)) == (meeting, attache, "2026-03-09")


def test_the_dashboard_offers_the_short_form_and_saves_from_it(post, attache, counterpart, aide):
    client = client_for(attache)
    assert f'action="{reverse("meeting_quick")}"' in client.get(reverse("dashboard")).content.decode()
    response = client.post(reverse("meeting_quick"), {**quick_data(aide), "post": post.pk, "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert Meeting.objects.get().participants.get().counterpart == aide


def test_without_anyone_chosen_the_form_comes_back_with_its_text(attache, counterpart):
    response = client_for(attache).post(quick_url(counterpart), quick_data())
    assert response.status_code == 400 and not Meeting.objects.exists()
    body = response.content.decode()
    assert "Who was there?" in body and "Agreed the IPC dates" in body


@pytest.mark.parametrize(
    ("change", "field"), [({"starts_at": "02/03/2026 10am"}, "starts_at"), ({"follow_up": ""}, "follow_up")]
)
def test_bad_input_is_a_form_error_and_saves_nothing(attache, counterpart, change, field):
    response = client_for(attache).post(quick_url(counterpart), quick_data(counterpart, **change))
    assert response.status_code == 400 and response.context["quick"].errors.get(field)
    assert not Meeting.objects.exists() and not ActionItem.objects.exists()


def test_a_hidden_person_is_refused_as_absent(attache, counterpart, other_post):
    elsewhere = CounterpartFactory(post=other_post)
    response = client_for(attache).post(quick_url(counterpart), quick_data(counterpart, elsewhere))
    assert response.status_code == 400 and not Meeting.objects.exists()


def test_the_diplomat_gets_no_short_form_and_cannot_post_one(diplomat, counterpart):
    client = client_for(diplomat)
    assert "quick-log" not in client.get(counterpart.get_absolute_url()).content.decode()
    assert "quick-log" not in client.get(reverse("dashboard")).content.decode()
    assert client.post(quick_url(counterpart), quick_data(counterpart)).status_code == 403
    assert not Meeting.objects.exists()


def test_the_counterpart_page_with_the_short_form_keeps_its_query_ceiling(
    attache, counterpart, django_assert_max_num_queries
):
    client = client_for(attache)
    client.get(counterpart.get_absolute_url())
    with django_assert_max_num_queries(25):
        client.get(counterpart.get_absolute_url())
