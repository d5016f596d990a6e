"""One person, one record: an attaché saves a second record of a man already on file (the duplicate
check names him and asks; the attaché confirms), then merges the two and finds the merged history
under every spelling of his name."""

import pytest

from contacts.models import Counterpart
from tenancy.choices import Role
from tests.factories import (
    PASSWORD,
    CounterpartFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    MembershipFactory,
    PostFactory,
    UserFactory,
)

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SPELLINGS = ["Almansoori", "almansouri", "Mohammed Almansouri", "Mohamed Al Mansoori", "Muhammad AL-MANSOURI"]


def test_duplicate_caught_confirmed_merged_and_found_under_every_spelling(live_server, page, shots):
    post = PostFactory(code="BANDAR", name="Embassy Bandar", host_country="XB", cable_country_tag="BN")
    attache = UserFactory(username="attache")
    MembershipFactory(user=attache, post=post, role=Role.ATTACHE)
    on_file = CounterpartFactory(
        post=post, family_name="AL-MANSOURI", given_names="Muhammad", aliases="Mohamed Al Mansouri", owner=attache
    )
    meeting = MeetingFactory(post=post, title="Office call on the border exercise")
    MeetingParticipantFactory(meeting=meeting, counterpart=on_file)
    base = live_server.url
    login(page, base, "attache", PASSWORD)

    # A second record of the same man: the form names the one on file, with the reason.
    page.goto(f"{base}/counterparts/new/?post={post.pk}")
    page.fill("input[name=family_name]", "AL-MANSOURI")
    page.fill("input[name=given_names]", "Mohamed")
    page.fill("input[name=phone]", "+971 50 123 4567")
    page.click("form.record-form button[type=submit]")
    panel = page.locator("section.duplicates")
    assert "Muhammad AL-MANSOURI" in panel.inner_text() and "same name as an alias" in panel.inner_text()
    shots("duplicate-named")
    page.check("input[name=confirm_duplicate]")
    page.click("form.record-form button[type=submit]")
    second = Counterpart.objects.exclude(pk=on_file.pk).get()
    page.wait_for_url(f"{base}/counterparts/{second.pk}/")

    # Merge it into the record on file, taking its phone number.
    page.goto(f"{base}/counterparts/{on_file.pk}/")
    page.click("text=Merge…")
    page.fill("input[name=q]", "Mohamed AL-MANSOURI")
    page.press("input[name=q]", "Enter")
    page.click(f"a[href$='?with={second.pk}']")
    shots("side-by-side")
    page.check("input[name=phone][value=take]")
    page.click("form.record-form button[type=submit]")
    page.wait_for_url(f"{base}/counterparts/{on_file.pk}/")
    body = page.inner_text("body")
    assert "+971 50 123 4567" in body and "Merged with Mohamed AL-MANSOURI" in body
    assert "Office call on the border exercise" in body
    shots("merged")

    # The merged record's address leads here; every spelling finds the one record.
    page.goto(f"{base}/counterparts/{second.pk}/")
    page.wait_for_url(f"{base}/counterparts/{on_file.pk}/")
    for spelling in SPELLINGS:
        page.goto(f"{base}/counterparts/")
        page.fill("input[name=q]", spelling)
        page.press("input[name=q]", "Enter")
        page.wait_for_load_state()
        links = page.locator(f"a[href='/counterparts/{on_file.pk}/']")
        assert links.count() >= 1, spelling
        assert page.locator("a[href^='/counterparts/'][href$='/']").filter(has_text="MANSOURI").count() == 1, spelling
