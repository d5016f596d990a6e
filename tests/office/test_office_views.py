"""Clearance and gift pages: lists with filters, detail, new and edit, status, the annual report."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from engagements.models import Meeting
from office.models import Clearance, Gift
from tenancy.markings import Channel
from tenancy.models import AuditEvent
from tests.conftest import client_for
from tests.factories import ClearanceFactory, GiftFactory

pytestmark = pytest.mark.django_db


def clearance_data(**overrides):
    return {
        "kind": "ship_visit",
        "mission": "USS Ålesund (DDG-999) — port visit",
        "starts_on": "2027-03-01",
        "ends_on": "2027-03-04",
        "itinerary": "Port Bandar, berth 4",
        "host_reference": "",
        "marking": "U",
        "channel": "post",
    } | overrides


def gift_data(**overrides):
    return {
        "direction": "received",
        "received_on": dt.date.today().isoformat(),
        "official": "Maj Gen Amal Rahimi, Chief of Staff",
        "counterpart": "",
        "government": "",
        "meeting": "",
        "description": "Silver ceremonial khanjar",
        "value_usd": "650.00",
        "value_basis": "Appraisal",
        "recipient": "Col. J. Smith",
        "disposition": "",
        "disposed_on": "",
        "marking": "U",
        "channel": "post",
    } | overrides


# ---------------------------------------------------------------- clearances


def test_clearance_list_shows_visible_requests_and_filters(post, attache, diplomat, django_assert_max_num_queries):
    shown = ClearanceFactory(post=post, created_by=attache, mission="REACH 101")
    hidden = ClearanceFactory(post=post, created_by=attache, mission="QUIET 202", channel=Channel.ATTACHE)
    ClearanceFactory.create_batch(5, post=post, created_by=attache)
    client = client_for(diplomat)
    with django_assert_max_num_queries(12):
        body = client.get(reverse("clearance_list")).content.decode()
    assert shown.mission in body and hidden.mission not in body
    filtered = client_for(attache).get(reverse("clearance_list"), {"q": "quiet", "sort": "-submit_by"})
    assert hidden.mission in filtered.content.decode() and shown.mission not in filtered.content.decode()
    assert client_for(attache).get(reverse("clearance_list"), {"status": "bogus"}).status_code == 400


def test_clearance_detail_and_status_change(post, attache, diplomat, django_assert_max_num_queries):
    clearance = ClearanceFactory(post=post, created_by=attache)
    client = client_for(attache)
    with django_assert_max_num_queries(16):
        page = client.get(clearance.get_absolute_url())
    assert "Change status" in page.content.decode()
    assert "Change status" not in client_for(diplomat).get(clearance.get_absolute_url()).content.decode()
    today = dt.date.today().isoformat()
    response = client.post(
        reverse("clearance_change_status", args=[clearance.pk]),
        {"to_status": "submitted", "on": today, "host_reference": "MFA/26/9", "host_reply": ""},
    )
    assert response.status_code == 302
    clearance.refresh_from_db()
    assert (clearance.status, clearance.host_reference, clearance.submitted_on.isoformat()) == (
        "submitted", "MFA/26/9", today,
    )  # fmt: skip
    body = client.get(clearance.get_absolute_url()).content.decode()
    assert "Status history" in body and "<td>Draft</td><td>Submitted</td>" in body
    refused = client.post(reverse("clearance_change_status", args=[clearance.pk]), {"to_status": "draft", "on": today})
    assert refused.status_code == 400


def test_new_clearance_round_trips_unicode_and_refuses_bad_input(post, attache):
    client = client_for(attache)
    response = client.post(reverse("clearance_new"), clearance_data())
    assert response.status_code == 302
    clearance = Clearance.objects.get()
    assert clearance.mission == "USS Ålesund (DDG-999) — port visit"
    assert clearance.submit_by == dt.date(2027, 1, 30)
    assert client.post(reverse("clearance_new"), clearance_data(ends_on="2027-02-01")).status_code == 400
    assert client.post(reverse("clearance_new"), clearance_data(kind="submarine")).status_code == 400
    edit = client.post(reverse("clearance_edit", args=[clearance.pk]), clearance_data(starts_on="2027-03-02"))
    assert edit.status_code == 302
    clearance.refresh_from_db()
    assert clearance.submit_by == dt.date(2027, 1, 31)


@pytest.mark.parametrize(("role", "status"), [("diplomat", 403), ("admin", 403), ("outsider", 404)])
def test_only_attaches_record_clearances(users_by_role, post, role, status):
    client = client_for(users_by_role[role])
    assert client.post(reverse("clearance_new") + f"?post={post.pk}", clearance_data()).status_code == status
    assert not Clearance.objects.exists()


# ---------------------------------------------------------------- gifts


def test_gift_list_flags_undisposed_gifts(post, attache, django_assert_max_num_queries):
    GiftFactory(post=post, created_by=attache, value_usd=900, description="Bronze falcon")
    GiftFactory(post=post, created_by=attache, value_usd=40, description="Desk flag")
    client = client_for(attache)
    with django_assert_max_num_queries(12):
        body = client.get(reverse("gift_list")).content.decode()
    assert "Bronze falcon" in body and "Undisposed" in body
    only = client.get(reverse("gift_list"), {"undisposed": "true"}).content.decode()
    assert "Bronze falcon" in only and "Desk flag" not in only


def test_gift_above_the_minimal_value_shows_its_deadline(post, attache, django_assert_max_num_queries):
    client = client_for(attache)
    response = client.post(reverse("gift_new"), gift_data())
    gift = Gift.objects.get()
    assert response.status_code == 302
    with django_assert_max_num_queries(16):
        body = client.get(gift.get_absolute_url()).content.decode()
    due = dt.date.today() + dt.timedelta(days=60)
    assert f"report due {due.day} {due:%b %Y}" in body
    assert client.post(reverse("gift_new"), gift_data(value_usd="-1")).status_code == 400
    assert client.post(reverse("gift_new"), gift_data(disposition="sold")).status_code == 400


def test_gift_from_a_meeting_is_prefilled(post, attache, meeting, counterpart):
    body = client_for(attache).get(reverse("gift_new"), {"post": post.pk, "meeting": meeting.pk}).content.decode()
    assert f'<option value="{meeting.pk}" selected>' in body
    assert f'<option value="{counterpart.pk}" selected>' in body
    assert f'value="{counterpart.rank_and_name}, Director of Plans"' in body


def test_gift_from_a_hidden_meeting_is_404(post, attache, diplomat, meeting):
    meeting.channel = Channel.ATTACHE
    meeting.save()
    assert client_for(diplomat).get(reverse("gift_new"), {"meeting": meeting.pk}).status_code in (403, 404)


# ---------------------------------------------------------------- annual report


def test_annual_report_lists_visible_gifts_above_the_minimal_value(post, other_post, attache, diplomat):
    year = dt.date.today().year
    GiftFactory(post=post, created_by=attache, value_usd=900, description="Bronze falcon — «Sûr»")
    GiftFactory(post=post, created_by=attache, value_usd=40, description="Desk flag")
    GiftFactory(post=post, created_by=attache, value_usd=900, description="Quiet gift", channel=Channel.ATTACHE)
    response = client_for(diplomat).get(reverse("gift_report"), {"post": post.pk, "year": year, "format": "csv"})
    assert response.status_code == 200
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[3] for row in table[1:]] == ["Bronze falcon — «Sûr»"]
    assert AuditEvent.objects.filter(action="export", user=diplomat, post=post).exists()

    xlsx = client_for(attache).get(reverse("gift_report"), {"post": post.pk, "year": year, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sorted(row[3] for row in sheet.iter_rows(min_row=2, values_only=True)) == [
        "Bronze falcon — «Sûr»",
        "Quiet gift",
    ]


def test_annual_report_of_another_post_is_404_and_bad_input_400(post, other_post, attache):
    client = client_for(attache)
    assert client.get(reverse("gift_report"), {"post": other_post.pk, "year": 2026}).status_code == 404
    assert client.get(reverse("gift_report"), {"post": post.pk, "year": "x"}).status_code == 400
    assert client.get(reverse("gift_report"), {"post": post.pk, "year": 2026, "format": "pdf"}).status_code == 400


def test_a_report_asked_without_a_year_comes_back_as_the_form_with_the_reason(post, attache):
    response = client_for(attache).get(reverse("gift_report"), {"post": post.pk, "year": "", "format": "csv"})
    body = response.content.decode()
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    assert 'id="report-year-error"' in body and "This field is required." in body
    assert '<option value="csv" selected>' in body and f'href="{reverse("gift_list")}"' in body


def test_gift_exchanged_at_a_meeting_opens_the_prefilled_register_entry(post, attache, counterpart):
    client = client_for(attache)
    data = {
        "title": "Office call with the Director of Plans",
        "kind": "office_call",
        "status": "conducted",
        "starts_at": "2026-11-20 10:00",
        "counterparts": [counterpart.pk],
        "marking": "U",
        "channel": "post",
        "include_in_weekly": "yes",
        "gift_exchanged": "on",
        "followups-TOTAL_FORMS": "0",
        "followups-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("meeting_new") + f"?post={post.pk}", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get(title="Office call with the Director of Plans")
    assert response["Location"] == f"{reverse('gift_new')}?post={post.pk}&meeting={meeting.pk}"
    form = client.get(response["Location"]).content.decode()
    assert f'<option value="{meeting.pk}" selected>' in form
    assert 'value="2026-11-20"' in form
    without = client.post(reverse("meeting_edit", args=[meeting.pk]), data | {"gift_exchanged": ""})
    assert without["Location"] == meeting.get_absolute_url()
