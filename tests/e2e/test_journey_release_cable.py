"""Journey 3 (docs/design.md): the chief opens the dashboard on Friday afternoon, reads the drafted
weekly summary, edits a paragraph and releases it; the released cable is frozen and numbered."""

import re

import pytest

from reports import services
from reports.models import Cable, CableStatus
from tests.factories import PASSWORD
from tests.reports.conftest import WEEK, berlin, berlin_chief, golden_week  # noqa: F401 (fixtures)

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_chief_reads_edits_and_releases_the_weekly_summary(live_server, page, shots, golden_week, berlin_chief):  # noqa: F811
    drafted = services.weekly_summary_draft(post=golden_week, period_start=WEEK)
    base = live_server.url

    login(page, base, berlin_chief.username, PASSWORD)
    panel = page.locator(".weekly-cable-panel")
    assert "DAO WEEKLY SUMMARY, 15-19 JUNE 2026" in panel.inner_text()
    shots("dashboard")

    panel.get_by_role("link").first.click()
    page.wait_for_url(f"{base}/cables/{drafted.pk}/")
    text = page.locator("#cable-text").inner_text()
    assert "UNCLAS BANDAR DRAFT" in text and "KEY LEADER ENGAGEMENTS" in text
    shots("draft")

    page.get_by_role("link", name="Edit paragraphs").click()
    comment = page.locator("fieldset.paragraph-form").filter(has_text="DATT assessment").locator("textarea")
    comment.fill("The host nation is keen to deepen helicopter training; DAO recommends supporting staff talks.")
    shots("editing")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{base}/cables/{drafted.pk}/")
    assert "DAO recommends supporting" in page.locator("#cable-text").inner_text()

    # The confirmation is a page of its own: the text as it will go, then the button.
    page.get_by_role("link", name="Release", exact=True).click()
    page.wait_for_url(f"{base}/cables/{drafted.pk}/release/")
    assert "DAO recommends supporting" in page.locator("#cable-text").inner_text()
    page.get_by_role("button", name="Release", exact=True).click()
    page.wait_for_selector("text=Released as BANDAR 000001")
    released_text = page.locator("#cable-text").inner_text()
    shots("released")

    assert re.search(r"^UNCLAS BANDAR 000001$", released_text, re.M)
    assert "DAO recommends supporting staff talks. END COMMENT." in released_text.replace("\n", " ")
    assert page.get_by_role("link", name="Edit paragraphs").count() == 0
    assert page.get_by_role("link", name="Release", exact=True).count() == 0

    cable = Cable.objects.get(pk=drafted.pk)
    assert cable.status == CableStatus.RELEASED and cable.serial == "BANDAR 000001" and len(cable.sha256) == 64
    assert released_text.rstrip("\n") == cable.released_text.rstrip("\n")

    # Frozen: the .txt is the frozen text, and the edit page refuses.
    txt = page.request.get(f"{base}/cables/{drafted.pk}.txt")
    assert txt.body() == cable.released_text.encode("utf-8")
    assert page.request.get(f"{base}/cables/{drafted.pk}/edit/").status == 403
