"""The handover pack: its sections, what each reader sees of them, its marking, its PDF and its audit."""

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from handover import selectors
from tenancy.markings import Channel, Marking
from tenancy.models import AuditEvent
from tests.conftest import client_for
from tests.factories import (
    ActionItemFactory,
    AgreementFactory,
    ClearanceFactory,
    CounterpartFactory,
    ExerciseFactory,
    GiftFactory,
    MeetingFactory,
    MeetingParticipantFactory,
)

PACK = reverse("handover_pack")
PDF = reverse("handover_pack_pdf")


@pytest.fixture
def records(post, attache, second_attache, diplomat):
    """A post whose records span the channels, each named for what it is."""
    today = timezone.localdate()
    kept = CounterpartFactory(
        post=post, owner=attache, family_name="Keptbyme", nato_grade="OF-4", position="Director of Plans",
        protocol_notes="Prefers tea Ünïcode", restricted_notes="Restrictednote text",
    )  # fmt: skip
    general = CounterpartFactory(post=post, owner=second_attache, family_name="Flagofficer", nato_grade="OF-8")
    CounterpartFactory(post=post, owner=second_attache, family_name="Juniorofficer", nato_grade="OF-2")
    CounterpartFactory(
        post=post, owner=second_attache, family_name="Hiddengeneral", nato_grade="OF-9", channel=Channel.ATTACHE
    )
    CounterpartFactory(post=post, owner=attache, family_name="Retiredone", nato_grade="OF-9", status="retired")
    seen = MeetingFactory(post=post, created_by=attache, starts_at=timezone.now() - dt.timedelta(days=100))
    # A later meeting in the attaché channel: it moves the last contact for attachés only.
    hidden = MeetingFactory(
        post=post, created_by=attache, channel=Channel.ATTACHE, starts_at=timezone.now() - dt.timedelta(days=5)
    )
    for meeting in (seen, hidden):
        for counterpart in (kept, general):
            MeetingParticipantFactory(meeting=meeting, counterpart=counterpart)
    CounterpartFactory(post=post, owner=second_attache, family_name="Nevermet", nato_grade="OF-7")
    ActionItemFactory(post=post, created_by=attache, assignee=diplomat, description="Openfollowup for diplomat")
    ActionItemFactory(post=post, created_by=attache, assignee=attache, description="Closedfollowup", status="done")
    ActionItemFactory(
        post=post, created_by=attache, assignee=attache, channel=Channel.ATTACHE, description="Attachefollowup"
    )
    AgreementFactory(
        post=post, created_by=attache, title="Liveagreement", status="in_force", marking=Marking.SBU,
        effective_on=today - dt.timedelta(days=300), review_on=today + dt.timedelta(days=20),
        expires_on=today + dt.timedelta(days=400),
    )  # fmt: skip
    AgreementFactory(post=post, created_by=attache, title="Abandonedagreement", status="abandoned")
    ExerciseFactory(
        post=post, created_by=attache, name="Plannedexercise", phase="mpc",
        ipc_on=today - dt.timedelta(days=30), mpc_on=today + dt.timedelta(days=10),
        starts_on=today + dt.timedelta(days=60), ends_on=today + dt.timedelta(days=70),
    )  # fmt: skip
    ExerciseFactory(post=post, created_by=attache, name="Closedexercise", phase="closed")
    return {"kept": kept, "general": general}


def test_attache_pack_holds_each_section_with_its_milestones(records, attache):
    response = client_for(attache).get(PACK)
    assert response.status_code == 200
    body = response.content.decode()
    for present in ("KEPTBYME", "FLAGOFFICER", "HIDDENGENERAL", "Openfollowup for diplomat", "Attachefollowup"):
        assert present in body
    for absent in ("JUNIORofficer".upper(), "RETIREDONE", "Closedfollowup", "Abandonedagreement", "Closedexercise"):
        assert absent not in body
    assert "Liveagreement" in body and "Review " in body
    assert "Plannedexercise" in body and "Main planning conference" in body
    assert "Prefers tea Ünïcode" in body and "Restrictednote text" in body
    # Last seen 5 days ago (the attaché-channel meeting): in touch.
    assert "In touch" in body and "Never met" in body and "Overdue" not in body


def test_diplomat_pack_shows_only_the_post_channel_and_no_restricted_notes(records, diplomat):
    body = client_for(diplomat).get(PACK).content.decode()
    assert "FLAGOFFICER" in body and "Openfollowup for diplomat" in body
    for hidden in ("KEPTBYME", "HIDDENGENERAL", "Attachefollowup", "Restrictednote text"):
        assert hidden not in body
    # The attaché-channel meeting is not their last contact: 100 days ago is overdue.
    assert "Overdue" in body and "In touch" not in body


def test_pack_is_marked_with_the_highest_marking_it_contains(records, attache):
    response = client_for(attache).get(PACK)
    assert response.context["page_marking"] == Marking.SBU
    assert response.content.decode().count("SENSITIVE BUT UNCLASSIFIED") == 2


def test_pack_without_sensitive_records_is_unclassified(post, attache):
    CounterpartFactory(post=post, owner=attache, marking=Marking.U)
    response = client_for(attache).get(PACK)
    assert response.context["page_marking"] == Marking.U


def test_pack_page_and_pdf_are_audited_as_exports(records, attache, post):
    client = client_for(attache)
    client.get(PACK)
    client.get(PDF)
    events = AuditEvent.objects.filter(action="export", user=attache, post=post).order_by("id")
    assert [e.detail for e in events] == ["handover pack (page, SBU)", "handover pack (pdf, SBU)"]


def test_pdf_carries_the_sections_and_the_marking_on_every_page(records, attache):
    response = client_for(attache).get(PDF)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="handover-bandar.pdf"'
    reader = PdfReader(BytesIO(response.content))
    pages = [page.extract_text() for page in reader.pages]
    text = "\n".join(pages)
    assert "KEPTBYME" in text and "Liveagreement" in text and "Plannedexercise" in text
    assert all(page.count("SENSITIVE BUT UNCLASSIFIED") == 2 for page in pages)


def test_diplomat_pdf_leaves_out_what_they_may_not_see(records, diplomat):
    response = client_for(diplomat).get(PDF)
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "FLAGOFFICER" in text
    assert "HIDDENGENERAL" not in text and "Restrictednote" not in text


def test_admin_may_not_read_the_pack(post_admin):
    from tests.conftest import verify_second_factor

    client = client_for(post_admin)
    verify_second_factor(client, post_admin)
    assert client.get(PACK).status_code == 403
    assert client.get(PDF).status_code == 403


def test_another_posts_pack_answers_as_absent(records, post, outsider):
    client = client_for(outsider)
    assert client.get(PACK, {"post": post.pk}).status_code == 404
    assert client.get(PACK, {"post": "not-a-number"}).status_code == 404
    assert client.get(PACK, {"post": 999999}).status_code == 404


def test_pack_refuses_writes(attache):
    assert client_for(attache).post(PACK).status_code == 405


def test_pack_query_count_does_not_grow_with_records(post, attache, django_assert_max_num_queries):
    client = client_for(attache)

    def make(n):
        for _ in range(n):
            counterpart = CounterpartFactory(post=post, owner=attache)
            MeetingParticipantFactory(meeting=MeetingFactory(post=post, created_by=attache), counterpart=counterpart)
            ActionItemFactory(post=post, created_by=attache, assignee=attache)
            AgreementFactory(post=post, created_by=attache)
            ExerciseFactory(post=post, created_by=attache)
            ClearanceFactory(post=post, created_by=attache)
            GiftFactory(post=post, created_by=attache, value_usd=900)

    make(2)
    with django_assert_max_num_queries(20) as small:
        client.get(PACK)
    make(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(PACK)


def test_pack_lists_pending_clearances_and_undisposed_gifts_the_reader_may_see(post, attache, diplomat):
    ClearanceFactory(post=post, created_by=attache, mission="REACH 771", marking=Marking.SBU_NF)
    ClearanceFactory(post=post, created_by=attache, mission="REACH 772", status="approved")
    ClearanceFactory(post=post, created_by=attache, mission="REACH 773", channel=Channel.ATTACHE)
    GiftFactory(post=post, created_by=attache, description="Silver tray", value_usd=900)
    GiftFactory(post=post, created_by=attache, description="Keychain", value_usd=10)
    GiftFactory(post=post, created_by=attache, description="Returned vase", value_usd=900, disposition="returned")
    GiftFactory(post=post, created_by=attache, description="Attache tray", value_usd=900, channel=Channel.ATTACHE)

    attache_page = client_for(attache).get(PACK)
    body = attache_page.content.decode()
    assert "REACH 771" in body and "REACH 773" in body and "REACH 772" not in body
    assert "Silver tray" in body and "Attache tray" in body
    assert "Keychain" not in body and "Returned vase" not in body
    assert attache_page.context["page_marking"] == Marking.SBU_NF

    diplomat_body = client_for(diplomat).get(PACK).content.decode()
    assert "REACH 771" in diplomat_body and "Silver tray" in diplomat_body
    assert "REACH 773" not in diplomat_body and "Attache tray" not in diplomat_body


def test_page_shows_the_first_rows_of_a_long_section_and_links_to_the_whole_list(post, attache, diplomat, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SECTION_LIMIT", 3)
    today = timezone.localdate()
    for days in range(5):
        ActionItemFactory(
            post=post, created_by=attache, assignee=diplomat, description=f"Followup due in {days}",
            due_on=today + dt.timedelta(days=days),
        )  # fmt: skip
    ActionItemFactory(post=post, created_by=attache, assignee=attache, channel=Channel.ATTACHE, description="Hidden")

    body = client_for(diplomat).get(PACK).content.decode()
    # The soonest due first; the count of the rest is of what the reader may see (not "Hidden").
    assert [f"Followup due in {days}" in body for days in range(5)] == [True, True, True, False, False]
    assert "And 2 more." in body
    assert f'href="{reverse("action_list")}?status=open"' in body
    # A short section has no such line.
    assert "No agreement in play." in body and body.count("pack-more") == 1


def test_pdf_and_api_keep_the_fuller_sections(post, attache, diplomat, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SECTION_LIMIT", 3)
    for number in range(5):
        ActionItemFactory(post=post, created_by=attache, assignee=diplomat, description=f"Pdffollowup {number}")
    client = client_for(diplomat)

    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(client.get(PDF).content)).pages)
    assert all(f"Pdffollowup {number}" in text for number in range(5))
    assert "more." not in text
    follow_ups = client.get(reverse("api-handover-pack-list")).json()["follow_ups"]
    assert follow_ups["total"] == 5 and len(follow_ups["rows"]) == 5
