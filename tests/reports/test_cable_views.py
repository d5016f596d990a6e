"""Cable pages through the real client: roles, editing, release, .txt, print, contact report."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from reports import services
from reports.models import Cable, CableKind, CableStatus
from tenancy.markings import Channel, Marking
from tenancy.models import AuditEvent
from tests.conftest import client_for
from tests.factories import CableFactory, CableParagraphFactory, MeetingFactory

WEEK = dt.date(2026, 6, 15)


def make_cable(post, *, week=WEEK, channel=Channel.POST, marking=Marking.U, status=CableStatus.DRAFT, paragraphs=2):
    cable = CableFactory(
        post=post,
        period_start=week,
        period_end=week + dt.timedelta(days=4),
        channel=channel,
        marking=marking,
        subject=f"WEEKLY SUMMARY {week:%d %B}",
    )
    for i in range(paragraphs):
        CableParagraphFactory(
            cable=cable, position=i + 1, text=f"Paragraph {i + 1} of Müller <b>", channel=channel, marking=marking
        )
    if status == CableStatus.RELEASED:
        chief = post.memberships.get(role="chief").user
        cable = services.cable_release(cable=cable, by=chief)
    return cable


@pytest.fixture
def cables(post, chief):
    """A draft, a released post-channel cable and a released attaché-channel cable."""
    return {
        "draft": make_cable(post),
        "released": make_cable(post, week=WEEK - dt.timedelta(weeks=1), status=CableStatus.RELEASED),
        "attache": make_cable(
            post, week=WEEK - dt.timedelta(weeks=2), channel=Channel.ATTACHE, status=CableStatus.RELEASED
        ),
    }


def pre_text(response) -> str:
    body = response.content.decode()
    return html.unescape(re.search(r'<pre class="cable-text" id="cable-text">(.*?)</pre>', body, re.S).group(1))


# ---------------------------------------------------------------- who sees what


def test_cable_list_by_role(cables, attache, diplomat, chief, post_admin, outsider):
    def subjects(user):
        body = client_for(user).get(reverse("cable_list")).content.decode()
        return {name for name, cable in cables.items() if html.escape(cable.subject) in body}

    assert subjects(chief) == {"draft", "released", "attache"}
    assert subjects(attache) == {"draft", "released", "attache"}
    assert subjects(diplomat) == {"released"}
    assert subjects(post_admin) == set()
    assert subjects(outsider) == set()


@pytest.mark.parametrize("name", ["draft", "attache"])
def test_diplomat_reads_neither_drafts_nor_attache_channel_cables(cables, diplomat, name):
    client = client_for(diplomat)
    pk = cables[name].pk
    for url in [
        reverse("cable_detail", args=[pk]),
        reverse("cable_text", args=[pk]),
        reverse("cable_print", args=[pk]),
    ]:
        assert client.get(url).status_code == 404


def test_diplomat_reads_released_post_channel_cable_without_edit_buttons(cables, diplomat):
    response = client_for(diplomat).get(reverse("cable_detail", args=[cables["released"].pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "BANDAR 000001" in body and "Edit paragraphs" not in body and ">Release<" not in body


def test_outsider_and_admin_role_get_404(cables, outsider, post_admin):
    for user in (outsider, post_admin):
        assert client_for(user).get(reverse("cable_detail", args=[cables["released"].pk])).status_code == 404


def test_list_query_count_does_not_grow_with_cables(post, chief, django_assert_max_num_queries):
    client = client_for(chief)
    for count in (10, 200):
        for i in range(count - Cable.objects.count()):
            CableFactory(post=post, kind=CableKind.CONTACT_REPORT, period_start=WEEK, period_end=WEEK)
        with django_assert_max_num_queries(7):
            assert client.get(reverse("cable_list")).status_code == 200


def test_page_banner_shows_the_cable_marking(post, chief):
    cable = make_cable(post, marking=Marking.SBU)
    body = client_for(chief).get(reverse("cable_detail", args=[cable.pk])).content.decode()
    assert body.count("SENSITIVE BUT UNCLASSIFIED") >= 2


# ---------------------------------------------------------------- .txt and print


@pytest.mark.parametrize("name", ["draft", "released"])
def test_txt_is_byte_for_byte_the_text_shown(cables, chief, name):
    client = client_for(chief)
    pk = cables[name].pk
    shown = pre_text(client.get(reverse("cable_detail", args=[pk])))
    response = client.get(reverse("cable_text", args=[pk]))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == shown.encode("utf-8")
    assert "MÜLLER" not in shown and "Müller <b>" in shown  # user text kept as typed, escaped in HTML
    assert AuditEvent.objects.filter(action="export", object_id=str(pk)).exists()


def test_released_txt_is_the_frozen_text_and_matches_its_hash(cables, chief):
    import hashlib

    cable = Cable.objects.get(pk=cables["released"].pk)
    content = client_for(chief).get(reverse("cable_text", args=[cable.pk])).content
    assert content == cable.released_text.encode("utf-8")
    assert hashlib.sha256(content).hexdigest() == cable.sha256


def test_print_page_has_banners_and_the_text(post, chief):
    cable = make_cable(post, marking=Marking.SBU)
    response = client_for(chief).get(reverse("cable_print", args=[cable.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('class="marking-banner marking-sbu"') == 2
    assert pre_text(response) == client_for(chief).get(reverse("cable_text", args=[cable.pk])).content.decode()


# ---------------------------------------------------------------- edit


def formset_data(cable, **overrides):
    paragraphs = list(cable.paragraphs.all())
    data = {
        "subject": cable.subject,
        "precedence": cable.precedence,
        "tags": cable.tags,
        "paragraphs-TOTAL_FORMS": str(len(paragraphs) + 1),
        "paragraphs-INITIAL_FORMS": str(len(paragraphs)),
        "paragraphs-MIN_NUM_FORMS": "1",
        "paragraphs-MAX_NUM_FORMS": "1000",
    }
    for i, p in enumerate(paragraphs):
        data.update(
            {
                f"paragraphs-{i}-id": str(p.pk),
                f"paragraphs-{i}-cable": str(cable.pk),
                f"paragraphs-{i}-ORDER": str(i + 1),
                f"paragraphs-{i}-heading": p.heading,
                f"paragraphs-{i}-block": p.block,
                f"paragraphs-{i}-marking": p.marking,
                f"paragraphs-{i}-channel": p.channel,
                f"paragraphs-{i}-text": p.text,
            }
        )
    data.update(overrides)
    return data


def test_attache_rewords_remarks_reorders_removes_and_adds_paragraphs(post, attache):
    cable = make_cable(post, paragraphs=3)
    data = formset_data(
        cable,
        **{
            "paragraphs-0-text": "Reworded first paragraph.",
            "paragraphs-0-marking": "SBU",
            "paragraphs-0-ORDER": "9",
            "paragraphs-1-DELETE": "on",
            "paragraphs-3-ORDER": "1",
            "paragraphs-3-text": "A new paragraph.",
            "paragraphs-3-heading": "Outlook",
            "paragraphs-3-marking": "U",
            "paragraphs-3-channel": "post",
        },
    )
    response = client_for(attache).post(reverse("cable_edit", args=[cable.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    cable.refresh_from_db()
    assert [p.text for p in cable.paragraphs.all()] == [
        "A new paragraph.",
        "Paragraph 3 of Müller <b>",
        "Reworded first paragraph.",
    ]
    assert cable.marking == Marking.SBU
    assert AuditEvent.objects.filter(action="update", object_id=str(cable.pk)).exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"paragraphs-0-text": ""},
        {"paragraphs-0-marking": "SECRET"},
        {"paragraphs-0-channel": "restricted"},
        {"paragraphs-0-DELETE": "on", "paragraphs-1-DELETE": "on"},
        {"subject": ""},
        {"paragraphs-0-heading": "H" * 61},
    ],
)
def test_bad_edits_answer_400_and_save_nothing(post, chief, overrides):
    cable = make_cable(post)
    before = [(p.text, p.marking, p.channel) for p in cable.paragraphs.all()]
    response = client_for(chief).post(reverse("cable_edit", args=[cable.pk]), formset_data(cable, **overrides))
    assert response.status_code == 400
    assert [(p.text, p.marking, p.channel) for p in cable.paragraphs.all()] == before


def test_classified_marking_attempt_is_audited(post, chief):
    cable = make_cable(post)
    client_for(chief).post(
        reverse("cable_edit", args=[cable.pk]), formset_data(cable, **{"paragraphs-0-marking": "SECRET"})
    )
    assert AuditEvent.objects.filter(action="classified_refused").exists()


def test_attache_channel_paragraph_cannot_be_widened_in_the_form(post, chief):
    cable = make_cable(post, channel=Channel.ATTACHE)
    response = client_for(chief).post(
        reverse("cable_edit", args=[cable.pk]), formset_data(cable, **{"paragraphs-0-channel": "post"})
    )
    assert response.status_code == 400
    assert cable.paragraphs.first().channel == Channel.ATTACHE


def test_diplomat_cannot_open_the_edit_page_of_a_draft(post, diplomat):
    cable = make_cable(post)
    assert client_for(diplomat).get(reverse("cable_edit", args=[cable.pk])).status_code == 404


def test_released_cable_refuses_edits_through_the_ui(cables, chief, attache):
    cable = Cable.objects.get(pk=cables["released"].pk)
    for user in (chief, attache):
        client = client_for(user)
        assert client.get(reverse("cable_edit", args=[cable.pk])).status_code == 403
        data = formset_data(cable, **{"paragraphs-0-text": "Rewritten after release."})
        assert client.post(reverse("cable_edit", args=[cable.pk]), data).status_code == 403
        assert client.post(reverse("cable_release", args=[cable.pk])).status_code == 403
        assert client.post(reverse("cable_return", args=[cable.pk])).status_code == 403
    fresh = Cable.objects.get(pk=cable.pk)
    assert fresh.released_text == cable.released_text
    assert "Rewritten" not in "".join(p.text for p in fresh.paragraphs.all())


def test_edit_page_renders_for_an_editor(post, attache):
    cable = make_cable(post)
    response = client_for(attache).get(reverse("cable_edit", args=[cable.pk]))
    assert response.status_code == 200 and "paragraphs-TOTAL_FORMS" in response.content.decode()


# ---------------------------------------------------------------- release and return


def test_only_the_chief_releases(post, attache, diplomat, chief):
    cable = make_cable(post)
    assert client_for(attache).post(reverse("cable_release", args=[cable.pk])).status_code == 403
    assert client_for(diplomat).post(reverse("cable_release", args=[cable.pk])).status_code == 404
    assert client_for(chief).get(reverse("cable_release", args=[cable.pk])).status_code == 405
    assert Cable.objects.get(pk=cable.pk).status == CableStatus.DRAFT
    assert AuditEvent.objects.filter(action="access_denied", object_id=str(cable.pk)).exists()
    response = client_for(chief).post(reverse("cable_release", args=[cable.pk]))
    assert response.status_code == 302
    released = Cable.objects.get(pk=cable.pk)
    assert released.status == CableStatus.RELEASED and released.serial.startswith("BANDAR 0000")
    assert len(released.sha256) == 64 and released.released_by == chief


def test_chief_returns_a_draft_for_edits_and_attache_resubmits(post, attache, chief):
    cable = make_cable(post)
    assert client_for(attache).post(reverse("cable_return", args=[cable.pk]), {"note": "x"}).status_code == 403
    response = client_for(chief).post(reverse("cable_return", args=[cable.pk]), {"note": "Shorten paragraph 2."})
    assert response.status_code == 302
    cable.refresh_from_db()
    assert (cable.status, cable.return_note) == (CableStatus.RETURNED, "Shorten paragraph 2.")
    assert client_for(attache).post(reverse("cable_resubmit", args=[cable.pk])).status_code == 302
    assert Cable.objects.get(pk=cable.pk).status == CableStatus.DRAFT


# ---------------------------------------------------------------- contact report from a meeting


def test_attache_drafts_a_contact_report_from_a_meeting_once(post, attache):
    meeting = MeetingFactory(post=post, title="Office call on the J5", summary="Talked about training.")
    client = client_for(attache)
    url = reverse("contact_report_create", args=[meeting.pk])
    assert client.get(url).status_code == 405
    first = client.post(url)
    second = client.post(url)
    cable = Cable.objects.get(kind=CableKind.CONTACT_REPORT)
    assert first["Location"] == second["Location"] == cable.get_absolute_url()
    assert cable.meeting == meeting and "Talked about training." in "".join(p.text for p in cable.paragraphs.all())


def test_contact_report_refusals(post, attache, second_attache, diplomat):
    visible = MeetingFactory(post=post)
    others_restricted = MeetingFactory(post=post, channel=Channel.RESTRICTED, created_by=second_attache)
    own_restricted = MeetingFactory(post=post, channel=Channel.RESTRICTED, created_by=attache)
    assert client_for(diplomat).post(reverse("contact_report_create", args=[visible.pk])).status_code == 403
    assert client_for(attache).post(reverse("contact_report_create", args=[others_restricted.pk])).status_code == 404
    assert client_for(attache).post(reverse("contact_report_create", args=[own_restricted.pk])).status_code == 400
    assert not Cable.objects.exists()


# ---------------------------------------------------------------- dashboard panel


def test_dashboard_shows_this_weeks_cable_to_chief_not_to_diplomat(cables, chief, diplomat):
    body = client_for(chief).get(reverse("dashboard")).content.decode()
    assert "This week&#x27;s cable" in body or "This week's cable" in body
    assert cables["draft"].get_absolute_url() in body
    assert "This week" not in client_for(diplomat).get(reverse("dashboard")).content.decode()
