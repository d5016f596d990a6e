"""Meeting pages: list, detail, log (from a counterpart or not) and edit, through the real client."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from engagements import services
from engagements.models import ActionItem, Meeting, MeetingParticipant
from tenancy.markings import Channel, Marking
from tenancy.models import AuditEvent
from tests.conftest import client_for
from tests.factories import CounterpartFactory, MeetingFactory, MeetingParticipantFactory

pytestmark = pytest.mark.django_db


def meeting_data(**overrides):
    """A complete 'log a meeting' form, with one follow-up row filled and one left blank."""
    data = {
        "post": "",
        "title": "Office call with the director of plans",
        "kind": "office_call",
        "status": "conducted",
        "starts_at": "2026-03-02T10:00",
        "ends_at": "2026-03-02T11:00",
        "location": "MOD, room 4",
        "objectives": "",
        "summary": "Discussed the exercise calendar.",
        "outcome": "Agreed to an IPC in April.",
        "restricted_notes": "",
        "include_in_weekly": "yes",
        "marking": "U",
        "channel": "post",
        "followups-TOTAL_FORMS": "2",
        "followups-INITIAL_FORMS": "0",
        "followups-MIN_NUM_FORMS": "0",
        "followups-MAX_NUM_FORMS": "20",
        "followups-0-description": "Send the draft IPC agenda",
        "followups-0-assignee": "",
        "followups-0-due_on": "2026-03-09",
        "followups-1-description": "",
        "followups-1-assignee": "",
        "followups-1-due_on": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def log_url(counterpart):
    return reverse("counterpart_meeting_new", args=[counterpart.pk])


# ---------------------------------------------------------------- list


def test_meeting_list_shows_visible_meetings_with_participants(attache, meeting, attache_meeting, counterpart):
    body = client_for(attache).get(reverse("meeting_list")).content.decode()
    assert meeting.title in body and attache_meeting.title in body
    assert counterpart.display_name in body


def test_diplomat_list_leaves_out_attache_channel_meetings(diplomat, meeting, attache_meeting):
    body = client_for(diplomat).get(reverse("meeting_list")).content.decode()
    assert meeting.title in body and attache_meeting.title not in body
    assert "1 meeting." in body


@pytest.mark.parametrize("role", ["outsider", "admin"])
def test_list_shows_nothing_to_those_without_content_at_the_post(users_by_role, meeting, role):
    response = client_for(users_by_role[role]).get(reverse("meeting_list"))
    assert response.status_code == 200
    assert meeting.title not in response.content.decode()


def test_list_does_not_name_counterparts_hidden_from_the_reader(post, attache, diplomat, meeting):
    hidden = CounterpartFactory(post=post, family_name="Secretperson", channel=Channel.RESTRICTED, owner=attache)
    MeetingParticipantFactory(meeting=meeting, counterpart=hidden)
    assert "SECRETPERSON" in client_for(attache).get(reverse("meeting_list")).content.decode()
    assert "SECRETPERSON" not in client_for(diplomat).get(reverse("meeting_list")).content.decode()


def test_list_filters_by_kind_status_channel_and_dates(post, attache):
    day = timezone.make_aware(dt.datetime(2026, 4, 10, 9, 0))
    MeetingFactory(post=post, title="Alpha call", kind="phone_vtc", status="planned", starts_at=day)
    MeetingFactory(post=post, title="Bravo dinner", kind="social", starts_at=day - dt.timedelta(days=30))
    MeetingFactory(post=post, title="Charlie talk", channel=Channel.ATTACHE, starts_at=day + dt.timedelta(days=30))
    client = client_for(attache)

    def titles(**params):
        body = client.get(reverse("meeting_list"), params).content.decode()
        return {t for t in ("Alpha call", "Bravo dinner", "Charlie talk") if t in body}

    assert titles(kind="phone_vtc") == {"Alpha call"}
    assert titles(status="planned") == {"Alpha call"}
    assert titles(channel="attache") == {"Charlie talk"}
    assert titles(date_from="2026-04-10", date_to="2026-04-10") == {"Alpha call"}
    assert titles(date_from="2026-04-11") == {"Charlie talk"}


def test_list_filters_by_counterpart_id_or_name(attache, meeting, counterpart, post):
    other = MeetingFactory(post=post, title="Unrelated reception")
    client = client_for(attache)
    for value in (str(counterpart.pk), "Hadad"):  # a misspelling still finds Haddad
        body = client.get(reverse("meeting_list"), {"counterpart": value}).content.decode()
        assert meeting.title in body and other.title not in body


def test_list_sorts_and_paginates_by_25(post, attache):
    start = timezone.now() - dt.timedelta(days=100)
    for n in range(26):
        MeetingFactory(post=post, title=f"Meeting {n:02d}", starts_at=start + dt.timedelta(days=n))
    client = client_for(attache)
    first = client.get(reverse("meeting_list")).content.decode()
    assert "Meeting 25" in first and "Meeting 00" not in first and "Page 1 of 2" in first
    second = client.get(reverse("meeting_list"), {"page": 2}).content.decode()
    assert "Meeting 00" in second
    by_title = client.get(reverse("meeting_list"), {"sort": "title"}).content.decode()
    assert "Meeting 00" in by_title and "Meeting 25" not in by_title


@pytest.mark.parametrize(
    "params", [{"date_from": "2026-05-02", "date_to": "2026-05-01"}, {"kind": "coffee"}, {"date_from": "soon"}]
)
def test_list_refuses_bad_filters_with_400(attache, meeting, params):
    response = client_for(attache).get(reverse("meeting_list"), params)
    assert response.status_code == 400
    assert meeting.title not in response.content.decode()
    assert 'class="errorlist"' in response.content.decode()


def test_a_bad_order_is_shown_and_the_rows_kept_in_the_usual_order(attache, meeting):
    response = client_for(attache).get(reverse("meeting_list"), {"sort": "shoe-size"})
    assert response.status_code == 400 and 'class="errorlist"' in response.content.decode()
    assert meeting.title in response.content.decode()


def test_list_banner_shows_highest_marking_on_the_page(post, attache):
    MeetingFactory(post=post, marking=Marking.SBU)
    body = client_for(attache).get(reverse("meeting_list")).content.decode()
    assert body.count("SENSITIVE BUT UNCLASSIFIED") == 2


def test_list_refuses_post(attache):
    assert client_for(attache).post(reverse("meeting_list")).status_code == 405


# ---------------------------------------------------------------- detail


def test_detail_shows_participants_as_they_were_then(attache, meeting, counterpart):
    counterpart.rank_title, counterpart.position = "Brigadier General", "Deputy Chief of Staff"
    counterpart.save()
    body = client_for(attache).get(meeting.get_absolute_url()).content.decode()
    assert "Colonel" in body and "now Brigadier General" in body
    assert "Director of Plans" in body and "now Deputy Chief of Staff" in body


def test_detail_shows_restricted_notes_to_attache_and_chief_only(users_by_role, meeting):
    meeting.restricted_notes = "He hinted at a change of minister."
    meeting.save()
    for role, shown in (("attache", True), ("chief", True), ("diplomat", False)):
        body = client_for(users_by_role[role]).get(meeting.get_absolute_url()).content.decode()
        assert ("change of minister" in body) is shown, role


def test_history_hides_restricted_notes_changes_from_diplomats(attache, diplomat, meeting):
    services.meeting_update(meeting=meeting, by=attache, restricted_notes="Source says the budget is cut.")
    services.meeting_update(meeting=meeting, by=attache, title="Office call, revised")
    attache_body = client_for(attache).get(meeting.get_absolute_url()).content.decode()
    diplomat_body = client_for(diplomat).get(meeting.get_absolute_url()).content.decode()
    assert "budget is cut" in attache_body and "Restricted notes" in attache_body
    assert "budget is cut" not in diplomat_body and "Restricted notes" not in diplomat_body
    assert "Office call, revised" in diplomat_body


def test_detail_lists_follow_ups_and_links(attache, meeting, action_item, agreement):
    meeting.agreements.add(agreement)
    body = client_for(attache).get(meeting.get_absolute_url()).content.decode()
    assert action_item.description in body and agreement.title in body
    assert reverse("meeting_edit", args=[meeting.pk]) in body


def test_detail_hides_edit_from_readers(diplomat, meeting):
    body = client_for(diplomat).get(meeting.get_absolute_url()).content.decode()
    assert reverse("meeting_edit", args=[meeting.pk]) not in body


@pytest.mark.parametrize("role", ["outsider", "admin"])
def test_detail_is_404_for_those_who_cannot_see_it(users_by_role, meeting, role):
    assert client_for(users_by_role[role]).get(meeting.get_absolute_url()).status_code == 404


def test_detail_of_attache_channel_meeting_is_404_for_diplomat(diplomat, attache_meeting):
    assert client_for(diplomat).get(attache_meeting.get_absolute_url()).status_code == 404


def test_detail_banner_takes_the_highest_marking(attache, meeting):
    meeting.marking = Marking.SBU_NF
    meeting.save()
    body = client_for(attache).get(meeting.get_absolute_url()).content.decode()
    assert "SENSITIVE BUT UNCLASSIFIED // NOFORN" in body


def test_detail_escapes_unicode_titles(post, attache):
    meeting = MeetingFactory(post=post, title="Встреча <b>с</b> генералом")
    body = client_for(attache).get(meeting.get_absolute_url()).content.decode()
    assert "Встреча &lt;b&gt;с&lt;/b&gt; генералом" in body


# ---------------------------------------------------------------- log a meeting


def test_log_form_prefills_the_counterpart_and_focuses_the_title(attache, counterpart):
    response = client_for(attache).get(log_url(counterpart))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<option value="{counterpart.pk}" selected>' in body
    assert "autofocus" in re.search(r'<input[^>]*name="title"[^>]*>', body).group(0)
    assert 'name="followups-0-description"' in body


def test_log_form_offers_only_visible_counterparts_of_the_post(post, other_post, attache, diplomat, counterpart):
    foreign = CounterpartFactory(post=other_post, family_name="Foreigner")
    hidden = CounterpartFactory(post=post, family_name="Hiddenperson", channel=Channel.RESTRICTED, owner=diplomat)
    body = client_for(attache).get(log_url(counterpart)).content.decode()
    assert "FOREIGNER" not in body and "HIDDENPERSON" not in body
    for smuggled in (hidden, foreign):
        data = meeting_data(counterparts=[counterpart.pk, smuggled.pk])
        assert client_for(attache).post(log_url(counterpart), data).status_code == 400
    assert not Meeting.objects.exists()


def test_log_meeting_from_counterpart_page(attache, counterpart):
    response = client_for(attache).post(log_url(counterpart), meeting_data(counterparts=[counterpart.pk]))
    assert response.status_code == 302 and response["Location"] == counterpart.get_absolute_url()
    meeting = Meeting.objects.get()
    assert (meeting.post, meeting.created_by, meeting.status) == (counterpart.post, attache, "conducted")
    participant = MeetingParticipant.objects.get(meeting=meeting)
    assert (participant.counterpart, participant.rank_title_at_time) == (counterpart, "Colonel")
    follow_up = ActionItem.objects.get()
    assert (follow_up.description, follow_up.meeting, follow_up.due_on) == (
        "Send the draft IPC agenda",
        meeting,
        dt.date(2026, 3, 9),
    )


def test_log_meeting_without_follow_ups_creates_none(attache, counterpart):
    data = meeting_data(counterparts=[counterpart.pk], **{"followups-0-description": "", "followups-0-due_on": ""})
    assert client_for(attache).post(log_url(counterpart), data).status_code == 302
    assert Meeting.objects.count() == 1 and not ActionItem.objects.exists()


def test_log_meeting_at_meetings_new(post, attache, counterpart):
    response = client_for(attache).post(
        reverse("meeting_new"), meeting_data(post=post.pk, counterparts=[counterpart.pk])
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()


def test_log_meeting_keeps_unicode(attache, counterpart):
    client_for(attache).post(log_url(counterpart), meeting_data(title="Treffen mit Generalmajor Müller — 会议"))
    assert Meeting.objects.get().title == "Treffen mit Generalmajor Müller — 会议"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_at": "2026-03-02T09:00"}, "ends_at"),
        ({"title": "x" * 201}, "title"),
        ({"kind": "tea_party"}, "kind"),
        ({"channel": "everyone"}, "channel"),
        ({"marking": "SECRET"}, "marking"),
        ({"marking": "TOP SECRET//NOFORN"}, "marking"),
        ({"starts_at": "yesterday-ish"}, "starts_at"),
        ({"title": ""}, "title"),
        ({"followups-0-description": "", "followups-0-due_on": "2026-03-09"}, "description"),
        ({"followups-0-description": "y" * 501}, "description"),
        ({"followups-0-due_on": "2026-02-31"}, "due_on"),
    ],
)
def test_log_meeting_refuses_bad_input_and_saves_nothing(attache, counterpart, overrides, field):
    response = client_for(attache).post(log_url(counterpart), meeting_data(**overrides))
    assert response.status_code == 400
    assert not Meeting.objects.exists() and not ActionItem.objects.exists()
    assert "Nothing has been saved" in response.content.decode()


def test_classified_marking_is_refused_with_its_own_message_and_audited(attache, counterpart):
    response = client_for(attache).post(log_url(counterpart), meeting_data(marking="SECRET"))
    assert "classified markings" in response.content.decode()
    assert AuditEvent.objects.filter(action="classified_refused", user=attache).exists()


@pytest.mark.parametrize("role", ["diplomat", "chief", "admin"])
def test_only_attaches_log_meetings(users_by_role, counterpart, role):
    client = client_for(users_by_role[role])
    if role == "admin":  # admins see no content: the counterpart itself is hidden
        assert client.get(log_url(counterpart)).status_code == 404
    else:
        assert client.get(log_url(counterpart)).status_code == 403
        assert client.post(log_url(counterpart), meeting_data()).status_code == 403
    assert client.post(reverse("meeting_new"), meeting_data()).status_code == 403
    assert not Meeting.objects.exists()


def test_refusal_is_audited(diplomat, counterpart):
    client_for(diplomat).post(log_url(counterpart), meeting_data())
    assert AuditEvent.objects.filter(action="access_denied", user=diplomat).exists()


def test_outsider_cannot_log_a_meeting_with_a_counterpart_of_another_post(outsider, counterpart, post):
    client = client_for(outsider)
    assert client.get(log_url(counterpart)).status_code == 404
    assert client.post(reverse("meeting_new"), meeting_data(post=post.pk)).status_code == 404
    assert not Meeting.objects.exists()


def test_log_refuses_other_methods(attache, counterpart):
    assert client_for(attache).delete(log_url(counterpart)).status_code == 405


# ---------------------------------------------------------------- edit


def edit_data(meeting, **overrides):
    data = meeting_data(title="Revised title", counterparts=[p.counterpart_id for p in meeting.participants.all()])
    data["starts_at"] = "2026-03-02T10:00"
    return {k: v for k, v in (data | overrides).items() if not k.startswith("followups")}


def test_attache_edits_a_meeting(second_attache, meeting):
    response = client_for(second_attache).post(reverse("meeting_edit", args=[meeting.pk]), edit_data(meeting))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Revised title"
    assert AuditEvent.objects.filter(action="update", object_id=str(meeting.pk), detail__contains="title").exists()


def test_edit_keeps_participants_the_editor_cannot_see(post, attache, second_attache, meeting):
    hidden = CounterpartFactory(post=post, channel=Channel.RESTRICTED, owner=attache)
    MeetingParticipantFactory(meeting=meeting, counterpart=hidden, rank_title_at_time="Major")
    visible_ids = [p.counterpart_id for p in meeting.participants.exclude(counterpart=hidden)]
    data = edit_data(meeting, counterparts=visible_ids)
    assert client_for(second_attache).post(reverse("meeting_edit", args=[meeting.pk]), data).status_code == 302
    assert meeting.participants.filter(counterpart=hidden, rank_title_at_time="Major").exists()


def test_edit_refuses_bad_input_and_changes_nothing(attache, meeting):
    data = edit_data(meeting, ends_at="2026-03-01T10:00")
    response = client_for(attache).post(reverse("meeting_edit", args=[meeting.pk]), data)
    assert response.status_code == 400
    meeting.refresh_from_db()
    assert meeting.title == "Office call on exercise planning"


@pytest.mark.parametrize(("role", "status"), [("diplomat", 403), ("chief", 403), ("admin", 404), ("outsider", 404)])
def test_edit_refusals(users_by_role, meeting, role, status):
    client = client_for(users_by_role[role])
    url = reverse("meeting_edit", args=[meeting.pk])
    assert client.get(url).status_code == status
    assert client.post(url, edit_data(meeting)).status_code == status
    meeting.refresh_from_db()
    assert meeting.title == "Office call on exercise planning"


def test_restricted_meeting_is_edited_by_its_owner_only(post, attache, second_attache):
    meeting = MeetingFactory(post=post, created_by=attache, channel=Channel.RESTRICTED)
    assert client_for(second_attache).get(reverse("meeting_edit", args=[meeting.pk])).status_code == 404
    assert client_for(attache).get(reverse("meeting_edit", args=[meeting.pk])).status_code == 200


# ---------------------------------------------------------------- local time and banners


def test_meeting_times_are_typed_and_shown_in_the_post_time_zone(post, attache, counterpart):
    assert post.timezone == "Europe/Berlin"
    client_for(attache).post(log_url(counterpart), meeting_data(starts_at="2026-03-02T10:00", ends_at=""))
    meeting = Meeting.objects.get()
    assert meeting.starts_at == dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    assert "2 Mar 2026 10:00 CET" in client_for(attache).get(meeting.get_absolute_url()).content.decode()
    edit = client_for(attache).get(reverse("meeting_edit", args=[meeting.pk])).content.decode()
    assert 'value="2026-03-02 10:00"' in edit


def test_form_banner_covers_records_offered_by_name(post, attache, counterpart):
    CounterpartFactory(post=post, family_name="Sensitive", marking=Marking.SBU_NF)
    body = client_for(attache).get(log_url(counterpart)).content.decode()
    assert "SENSITIVE BUT UNCLASSIFIED // NOFORN" in body


def test_log_form_names_counterparts_with_rank_and_position(attache, counterpart):
    body = client_for(attache).get(log_url(counterpart)).content.decode()
    assert "Colonel Karim HADDAD — Director of Plans" in body


def test_reading_an_attache_channel_meeting_is_audited(attache, attache_meeting, meeting):
    client_for(attache).get(attache_meeting.get_absolute_url())
    client_for(attache).get(meeting.get_absolute_url())
    views = AuditEvent.objects.filter(action="view", user=attache)
    assert list(views.values_list("object_id", flat=True)) == [str(attache_meeting.pk)]


def test_list_count_is_capped_for_headquarters_volumes(post, attache, monkeypatch):
    from attache_crm.record_views import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "cap", 3)
    for _ in range(5):
        MeetingFactory(post=post)
    body = client_for(attache).get(reverse("meeting_list")).content.decode()
    assert "More than 3 meetings" in body
