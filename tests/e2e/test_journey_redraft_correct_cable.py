"""The chief's week, as a post writes cables: the draft is edited, a meeting logged afterwards is
brought in by "Redraft from records" without losing the edit, the release before the cutoff asks
for a reason on a page of its own, and a correction is released that links both ways."""

import re

import pytest
from django.utils import timezone

from contacts.choices import NatoGrade
from reports import services, weeks
from reports.models import Cable, CableStatus
from tests.factories import PASSWORD, CounterpartFactory
from tests.reports.conftest import berlin, berlin_chief, meet  # noqa: F401 (fixtures)

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_chief_redrafts_releases_early_with_a_reason_and_corrects(live_server, page, shots, berlin, berlin_chief):  # noqa: F811
    now = timezone.now()
    week = weeks.week_of(berlin, now)  # the week in progress: its cutoff is still ahead
    period = weeks.period(berlin, week)
    drafted = services.weekly_summary_draft(post=berlin, period_start=week)
    base = live_server.url

    login(page, base, berlin_chief.username, PASSWORD)
    page.goto(f"{base}/cables/{drafted.pk}/")
    page.get_by_role("link", name="Edit paragraphs").click()
    comment = page.locator("fieldset.paragraph-form").filter(has_text="DATT assessment").locator("textarea")
    comment.fill("The host nation wants staff talks soon; DAO recommends agreeing a date.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{base}/cables/{drafted.pk}/")

    # Logged after the draft was made, inside the week's window.
    arden = CounterpartFactory(
        post=berlin, family_name="Arden", given_names="Tomas", rank_title="General", nato_grade=NatoGrade.OF9
    )
    meet(
        berlin,
        period.window_start + (now - period.window_start) / 2,
        [arden],
        kind="office_call",
        title="Office call: Arden on staff talks",
        location="Ministry of Defence, Berlin",
        summary="General ARDEN proposed staff talks in the spring",
    )

    page.get_by_role("link", name="Redraft from records").click()
    page.wait_for_url(f"{base}/cables/{drafted.pk}/redraft/")
    added = page.locator('[data-change="added"]')
    assert "at Ministry of Defence, Berlin" in added.inner_text()
    assert "DAO recommends agreeing a date" in page.locator('[data-change="kept"]').inner_text()
    shots("redraft-preview")
    page.get_by_role("button", name="Save the redraft").click()
    page.wait_for_url(f"{base}/cables/{drafted.pk}/")
    text = page.locator("#cable-text").inner_text().replace("\n", " ")
    assert "General ARDEN proposed staff talks in the spring" in text
    assert "DAO recommends agreeing a date" in text and "Office call:" not in text
    shots("redrafted")

    page.get_by_role("link", name="Release", exact=True).click()
    page.wait_for_url(f"{base}/cables/{drafted.pk}/release/")
    assert "Releasing before then needs a reason" in page.content()
    page.get_by_role("button", name="Release before the cutoff").click()
    assert "say why it goes now" in page.locator(".has-error").inner_text()
    assert Cable.objects.get(pk=drafted.pk).status == CableStatus.DRAFT
    page.get_by_label("Why release it before the cutoff").fill("The ambassador takes it to the capital tomorrow.")
    shots("early-release")
    page.get_by_role("button", name="Release before the cutoff").click()
    page.wait_for_selector("text=Released as BANDAR 000001")
    original_text = Cable.objects.get(pk=drafted.pk).released_text

    page.get_by_role("button", name="Correct", exact=True).click()
    page.wait_for_selector("text=Correction of BANDAR 000001")
    correction = Cable.objects.get(corrects=drafted)
    assert page.url == f"{base}/cables/{correction.pk}/"
    page.get_by_role("link", name="Edit paragraphs").click()
    page.locator("fieldset.paragraph-form").filter(has_text="DAO recommends").locator("textarea").fill(
        "Staff talks are now agreed for April; DAO recommends sending the planners."
    )
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{base}/cables/{correction.pk}/")
    page.get_by_role("link", name="Release", exact=True).click()
    assert page.locator(".early-release").count() == 0  # the corrected week is already reported
    page.get_by_role("button", name="Release", exact=True).click()
    page.wait_for_selector("text=Released as BANDAR 000002")
    released = page.locator("#cable-text").inner_text()
    shots("correction-released")
    assert re.search(r"^UNCLAS BANDAR 000002$", released, re.M)
    assert re.search(r"^SUBJECT: CORRECTED COPY: GERMANY: DAO WEEKLY SUMMARY", released, re.M)
    assert re.search(r"^REF: BANDAR 000001$", released, re.M)

    page.locator("a.corrects-link").click()
    page.wait_for_url(f"{base}/cables/{drafted.pk}/")
    assert page.locator("a.correction-link").inner_text() == "BANDAR 000002"
    assert page.locator("#cable-text").inner_text().rstrip("\n") == original_text.rstrip("\n")  # still frozen
    shots("original-links-to-correction")
