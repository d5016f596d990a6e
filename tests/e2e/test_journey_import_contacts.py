"""A new attaché brings the predecessor's spreadsheet: 50 contacts, three of them people already on
file under other spellings. The preview names the three with the reason; the attaché skips one,
lets the row update another and keeps the third as someone else, imports, and finds the new
people by name — each on record once. Then, told that the third is the same man after all, the
attaché merges the two records and finds his whole history under every spelling."""

import csv
import io

import pytest

from contacts.models import Counterpart
from tenancy.choices import Role
from tenancy.models import AuditEvent
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

FAMILIES = (
    "Nakamura Okafor Lindqvist Moreau Rossi Novak Horvat Popescu Dimitrov Jensen Silva Santos Ferreira "
    "Yilmaz Demir Kaya Sahin Celik Nguyen Tran Pham Kim Park Choi Tanaka Suzuki Watanabe Ito Yamamoto "
    "Mensah Boateng Owusu Abebe Tesfaye Kariuki Otieno Mwangi Banda Phiri Dlamini Nkosi Zulu Bakker Visser "
    "Janssen Smit Meijer"
).split()
GIVEN = ["Anna", "Peter", "Sofia", "Lukas", "Elena", "Marco", "Ines", "Tomas", "Yuki", "Kwame"]
NATIVE = {"Nakamura": "中村 直樹", "Dimitrov": "Петър Димитров", "Kim": "김민준"}


def spreadsheet() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Surname", "First name", "Native name", "Rank", "Position", "E-mail"])
    for index, family in enumerate(FAMILIES):
        given = GIVEN[index % len(GIVEN)]
        writer.writerow([family, given, NATIVE.get(family, ""), "Colonel", "Liaison officer", ""])
        if index == 10:
            writer.writerow(["Almansoori", "Muhammad", "", "Brigadier", "Chief of Staff", ""])  # line 13
        if index == 20:
            writer.writerow(["HADDAD", "Layla", "", "Aqid", "Director of Plans", "l.haddad@example.org"])  # line 24
        if index == 30:
            writer.writerow(["Kowalenko", "Iwan", "", "Major", "Desk officer", ""])  # line 35
    return out.getvalue().encode()


def test_a_spreadsheet_with_three_people_on_file_is_previewed_resolved_and_imported(live_server, page, shots):
    post = PostFactory(code="BANDAR", name="Embassy Bandar", host_country="XB", cable_country_tag="BN")
    attache = UserFactory(username="newcomer")
    MembershipFactory(user=attache, post=post, role=Role.ATTACHE)
    mansouri = CounterpartFactory(post=post, family_name="AL-MANSOURI", given_names="Muhammad", position="J3")
    haddad = CounterpartFactory(post=post, family_name="Haddad", given_names="Layla", position="Deputy")
    kovalenko = CounterpartFactory(
        post=post, family_name="Kovalenko", given_names="Ivan", position="Attaché", owner=attache
    )
    visit = MeetingFactory(post=post, title="Ship visit planning with the naval attaché")
    MeetingParticipantFactory(meeting=visit, counterpart=kovalenko)
    base = live_server.url
    login(page, base, "newcomer", PASSWORD)

    page.goto(f"{base}/counterparts/")
    page.click("a:has-text('Import')")
    page.set_input_files(
        "input[type=file]", files=[{"name": "predecessor.csv", "mimeType": "text/csv", "buffer": spreadsheet()}]
    )
    page.click("button:has-text('Preview')")
    summary = page.locator(".import-summary").inner_text()
    assert summary == "50 rows: 47 new, 3 matching a record on file, 0 with errors."
    for line, person, reason in (
        (13, mansouri, "same name, spelt otherwise"),
        (24, haddad, "same name"),
        (35, kovalenko, "same name, spelt otherwise"),
    ):
        row = page.locator("tr", has=page.locator(f"#action-{line}"))
        assert person.display_name in row.inner_text() and reason in row.inner_text(), line
    shots("preview")

    page.select_option("#action-13", "skip")
    page.select_option("#action-24", "update")
    page.select_option("#action-35", "new")
    page.click("button:has-text('Import all rows')")
    page.wait_for_url(f"{base}/counterparts/")
    assert "Imported predecessor.csv: 48 new, 1 updated, 1 skipped, 0 invalid" in page.inner_text("body")
    shots("imported")

    assert Counterpart.objects.filter(post=post).count() == 3 + 48
    haddad.refresh_from_db()
    assert (haddad.family_name, haddad.position, haddad.email) == (
        "Haddad",
        "Director of Plans",
        "l.haddad@example.org",
    )
    assert Counterpart.objects.filter(post=post, name_folded__contains=" almansoori ").count() == 0
    assert Counterpart.objects.filter(family_name="Kowalenko", given_names="Iwan", owner=attache).count() == 1
    assert AuditEvent.objects.filter(action="create", user=attache).count() == 48
    assert AuditEvent.objects.filter(action="import", user=attache).get().detail.startswith("predecessor.csv")

    # The new people are found by name and by their native script, each once.
    for query, family in (
        ("Nakamura", "NAKAMURA"),
        ("中村", "NAKAMURA"),
        ("Димитров", "DIMITROV"),
        ("Yilmaz", "YILMAZ"),
    ):
        page.goto(f"{base}/counterparts/")
        page.fill("input[name=q]", query)
        page.press("input[name=q]", "Enter")
        page.wait_for_load_state()
        found = page.locator("a[href^='/counterparts/'][href$='/']").filter(has_text=family)
        assert found.count() == 1, query
    shots("found")

    # The row kept as someone else was the same man: merge it into the record on file.
    kept = Counterpart.objects.get(family_name="Kowalenko", given_names="Iwan")
    page.goto(f"{base}/counterparts/{kovalenko.pk}/")
    page.click("text=Merge…")
    page.fill("input[name=q]", "Iwan Kowalenko")
    page.press("input[name=q]", "Enter")
    page.click(f"a[href$='?with={kept.pk}']")
    page.check("input[name=position][value=take]")
    page.click("form.record-form button[type=submit]")
    page.wait_for_url(f"{base}/counterparts/{kovalenko.pk}/")
    body = page.inner_text("body")
    assert "Merged with Iwan KOWALENKO" in body and "Desk officer" in body
    assert "Ship visit planning with the naval attaché" in body
    shots("merged")
    page.goto(f"{base}/counterparts/{kept.pk}/")
    page.wait_for_url(f"{base}/counterparts/{kovalenko.pk}/")
    for spelling in ("Kovalenko", "Kowalenko", "Iwan Kowalenko", "Ivan Kovalenko", "kowalenko ivan"):
        page.goto(f"{base}/counterparts/")
        page.fill("input[name=q]", spelling)
        page.press("input[name=q]", "Enter")
        page.wait_for_load_state()
        assert page.locator(f"a[href='/counterparts/{kovalenko.pk}/']").count() >= 1, spelling
        found = page.locator("a[href^='/counterparts/'][href$='/']").filter(has_text="KOVALENKO")
        assert found.count() == 1, spelling
