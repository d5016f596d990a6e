"""Journey: a departing attaché prints the handover pack for their successor, on paper and as a PDF."""

import datetime as dt
from io import BytesIO

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tenancy.markings import Marking
from tests.factories import (
    PASSWORD,
    ActionItemFactory,
    AgreementFactory,
    CounterpartFactory,
    ExerciseFactory,
    MeetingFactory,
    MeetingParticipantFactory,
)

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office(post, attache, diplomat):
    today = timezone.localdate()
    haddad = CounterpartFactory(
        post=post, owner=attache, family_name="Haddad", given_names="Karim", rank_title="Colonel",
        nato_grade="OF-5", position="Director of Plans", marking=Marking.SBU, protocol_notes="Prefers Arabic coffee",
    )  # fmt: skip
    met = MeetingFactory(post=post, created_by=attache, starts_at=timezone.now() - dt.timedelta(days=120))
    MeetingParticipantFactory(meeting=met, counterpart=haddad)
    ActionItemFactory(post=post, created_by=attache, assignee=diplomat, description="Send the visit request")
    AgreementFactory(
        post=post, created_by=attache, title="Ammunition storage arrangement", status="in_force",
        effective_on=today - dt.timedelta(days=200), expires_on=today + dt.timedelta(days=90),
    )  # fmt: skip
    ExerciseFactory(
        post=post, created_by=attache, name="DESERT ANCHOR 26", phase="ipc", ipc_on=today + dt.timedelta(days=12),
        starts_on=today + dt.timedelta(days=80), ends_on=today + dt.timedelta(days=90),
    )  # fmt: skip


def test_departing_attache_prints_the_handover_pack(live_server, page, shots, office, attache):
    base = live_server.url
    login(page, base, attache.username, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Handover").click()
    page.wait_for_url(f"{base}/handover/")
    main = page.locator("main")
    for heading in ("Key counterparts", "Open follow-ups", "Agreements", "Exercises in planning"):
        assert main.get_by_role("heading", name=heading).is_visible()
    text = main.inner_text()
    assert "Colonel Karim HADDAD" in text and "Overdue" in text and "Prefers Arabic coffee" in text
    assert "Send the visit request" in text and "diplomat" in text
    assert "Ammunition storage arrangement" in text and "DESERT ANCHOR 26" in text
    assert "Initial planning conference" in text
    assert page.locator(".marking-banner").first.inner_text().strip() == "SENSITIVE BUT UNCLASSIFIED"
    shots("pack")

    # On paper: the banners stay, the site's frame and the buttons go.
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden() and page.get_by_role("link", name="Download PDF").is_hidden()
    assert page.locator(".marking-banner").last.is_visible()
    assert len(page.pdf()) > 1000
    shots("printed")
    page.emulate_media(media="screen")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename == "handover-bandar.pdf"
    pdf = PdfReader(BytesIO(open(download.path(), "rb").read()))
    pdf_text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "HADDAD" in pdf_text and "DESERT ANCHOR 26" in pdf_text
    assert "SENSITIVE BUT UNCLASSIFIED" in pdf_text
