"""Counterpart and organization pages through the real client: roles, forms, escaping, query counts."""

import pytest
from django.urls import reverse

from contacts.models import Appointment, Counterpart, Organization
from tenancy.choices import Role
from tenancy.markings import Channel
from tenancy.models import AuditEvent
from tests.conftest import client_for
from tests.factories import (
    ActionItemFactory,
    CounterpartFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    MembershipFactory,
    OrganizationFactory,
)


def counterpart_data(**overrides):
    data = {
        "family_name": "Haddad",
        "given_names": "Layla",
        "native_name": "ليلى حداد",
        "aliases": "Leila Hadad",
        "country": "BN",
        "service": "navy",
        "rank_title": "Aqid Bahri",
        "nato_grade": "OF-5",
        "position": "Director of Naval Plans",
        "organization": "",
        "languages": "Arabic, English",
        "education": "US Naval War College 2015",
        "email": "l.haddad@example.org",
        "phone": "+000 555 0101",
        "biography": "",
        "protocol_notes": "",
        "status": "active",
        "last_verified_on": "",
        "owner": "",
        "tags": "alumni, maritime",
        "marking": "U",
        "channel": "post",
    }
    data.update(overrides)
    return data


def organization_data(**overrides):
    data = {"name": "Coastal Defence Command", "acronym": "CDC", "kind": "command", "parent": "", "country": "BN"}
    data.update({"marking": "U", "channel": "post"}, **overrides)
    return data


# ---------------------------------------------------------------- who may do what


def test_attache_creates_a_counterpart(attache, ministry):
    response = client_for(attache).post(
        reverse("counterpart_create"), counterpart_data(organization=ministry.pk, owner=attache.pk)
    )
    counterpart = Counterpart.objects.get(family_name="Haddad")
    assert response.status_code == 302 and response["Location"] == reverse("counterpart_detail", args=[counterpart.pk])
    assert counterpart.organization == ministry and counterpart.created_by == attache
    assert sorted(counterpart.tags.names()) == ["alumni", "maritime"]
    assert counterpart.appointments.get().position == "Director of Naval Plans"


def test_attache_sees_an_empty_form_first(attache):
    response = client_for(attache).get(reverse("counterpart_create"))
    assert response.status_code == 200
    assert 'name="family_name"' in response.content.decode()


def test_attache_edits_a_counterpart(attache, counterpart):
    client = client_for(attache)
    assert client.get(reverse("counterpart_edit", args=[counterpart.pk])).status_code == 200
    data = counterpart_data(family_name="Al-Mansouri", given_names="Muhammad", rank_title="Amid", nato_grade="OF-6")
    data.update(position=counterpart.position, organization=counterpart.organization_id, owner=attache.pk)
    data["phone"] = "+000 999"
    response = client.post(reverse("counterpart_edit", args=[counterpart.pk]), data)
    assert response.status_code == 302
    counterpart.refresh_from_db()
    assert counterpart.phone == "+000 999"


def test_rank_change_through_the_page_adds_an_appointment(attache, counterpart):
    Appointment.objects.create(
        counterpart=counterpart,
        position=counterpart.position,
        rank_title="Amid",
        nato_grade="OF-6",
        start_on="2023-01-01",
    )
    data = counterpart_data(
        family_name=counterpart.family_name,
        given_names=counterpart.given_names,
        position=counterpart.position,
        organization=counterpart.organization_id,
        owner=attache.pk,
        rank_title="Liwa",
        nato_grade="OF-7",
    )
    response = client_for(attache).post(reverse("counterpart_edit", args=[counterpart.pk]), data)
    assert response.status_code == 302
    history = list(counterpart.appointments.order_by("start_on", "id").values_list("rank_title", "end_on"))
    assert history[0][0] == "Amid" and history[0][1] is not None
    assert history[1] == ("Liwa", None)
    page = client_for(attache).get(reverse("counterpart_detail", args=[counterpart.pk])).content.decode()
    assert "Rank and position history" in page and "Liwa" in page and "Amid" in page


@pytest.mark.parametrize("role", ["diplomat", "chief", "admin"])
def test_non_writers_may_not_create(role, users_by_role):
    client = client_for(users_by_role[role])
    assert client.get(reverse("counterpart_create")).status_code == 403
    assert client.post(reverse("counterpart_create"), counterpart_data()).status_code == 403
    assert client.get(reverse("organization_create")).status_code == 403
    assert client.post(reverse("organization_create"), organization_data()).status_code == 403
    assert not Counterpart.objects.filter(family_name="Haddad").exists()
    assert not Organization.objects.filter(name="Coastal Defence Command").exists()
    assert AuditEvent.objects.filter(action="access_denied", user=users_by_role[role]).count() == 4


@pytest.mark.parametrize("role", ["diplomat", "chief"])
def test_readers_may_not_edit(role, users_by_role, counterpart, ministry):
    client = client_for(users_by_role[role])
    assert client.get(reverse("counterpart_detail", args=[counterpart.pk])).status_code == 200
    assert client.get(reverse("counterpart_edit", args=[counterpart.pk])).status_code == 403
    response = client.post(reverse("counterpart_edit", args=[counterpart.pk]), counterpart_data(family_name="Changed"))
    assert response.status_code == 403
    assert client.get(reverse("organization_edit", args=[ministry.pk])).status_code == 403
    assert client.post(reverse("organization_edit", args=[ministry.pk]), organization_data()).status_code == 403
    counterpart.refresh_from_db()
    ministry.refresh_from_db()
    assert counterpart.family_name == "Al-Mansouri" and ministry.name == "Ministry of Defence"


def test_post_admin_sees_no_content(post_admin, counterpart, ministry):
    """The admin role manages users, not content: content is hidden from it (404), not merely refused."""
    client = client_for(post_admin)
    for name, pk in [
        ("counterpart_detail", counterpart.pk),
        ("counterpart_edit", counterpart.pk),
        ("organization_detail", ministry.pk),
        ("organization_edit", ministry.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404
    assert client.post(reverse("counterpart_edit", args=[counterpart.pk]), counterpart_data()).status_code == 404
    assert "Al-Mansouri".upper() not in client.get(reverse("counterpart_list")).content.decode()


def test_outsider_gets_404_everywhere(outsider, counterpart, ministry):
    client = client_for(outsider)
    for name, pk in [
        ("counterpart_detail", counterpart.pk),
        ("counterpart_edit", counterpart.pk),
        ("organization_detail", ministry.pk),
        ("organization_edit", ministry.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404
    assert client.post(reverse("counterpart_edit", args=[counterpart.pk]), counterpart_data()).status_code == 404
    body = client.get(reverse("counterpart_list")).content.decode()
    assert "AL-MANSOURI" not in body
    assert "Ministry of Defence" not in client.get(reverse("organization_list")).content.decode()


def test_hidden_and_missing_look_the_same(diplomat, post, attache):
    hidden = CounterpartFactory(post=post, channel=Channel.ATTACHE, owner=attache)
    client = client_for(diplomat)
    assert client.get(reverse("counterpart_detail", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("counterpart_detail", args=[hidden.pk + 1000])).status_code == 404


def test_restricted_counterpart_only_editable_by_its_owner(attache, second_attache, post):
    restricted = CounterpartFactory(post=post, channel=Channel.RESTRICTED, owner=attache)
    assert client_for(attache).get(reverse("counterpart_edit", args=[restricted.pk])).status_code == 200
    assert client_for(second_attache).get(reverse("counterpart_edit", args=[restricted.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, counterpart):
    for url in [
        reverse("counterpart_list"),
        reverse("counterpart_detail", args=[counterpart.pk]),
        reverse("counterpart_create"),
        reverse("counterpart_typeahead"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_wrong_methods(attache, counterpart):
    client = client_for(attache)
    assert client.post(reverse("counterpart_list")).status_code == 405
    assert client.post(reverse("counterpart_detail", args=[counterpart.pk])).status_code == 405
    assert client.delete(reverse("counterpart_edit", args=[counterpart.pk])).status_code == 405
    assert client.post(reverse("counterpart_typeahead")).status_code == 405


# ---------------------------------------------------------------- bad input


BAD_COUNTERPART_INPUT = {
    "missing family name": ({"family_name": ""}, "family_name"),
    "over-long family name": ({"family_name": "x" * 101}, "family_name"),
    "bad e-mail": ({"email": "not-an-address"}, "email"),
    "unknown service": ({"service": "space_force"}, "service"),
    "unknown grade": ({"nato_grade": "OF-11"}, "nato_grade"),
    "unknown channel": ({"channel": "everyone"}, "channel"),
    "unknown country": ({"country": "XX"}, "country"),
    "bad date": ({"last_verified_on": "31/31/2025"}, "last_verified_on"),
    "organization of another post": (None, "organization"),
}


@pytest.mark.parametrize("case", BAD_COUNTERPART_INPUT, ids=list(BAD_COUNTERPART_INPUT))
def test_bad_counterpart_input_is_refused_and_nothing_saved(case, attache, other_post):
    overrides, field = BAD_COUNTERPART_INPUT[case]
    if overrides is None:
        overrides = {"organization": OrganizationFactory(post=other_post).pk}
    client = client_for(attache)
    response = client.post(reverse("counterpart_create"), counterpart_data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert "nothing has been saved" in response.content.decode()
    assert not Counterpart.objects.exists()


def test_bad_input_on_edit_changes_nothing(attache, counterpart):
    data = counterpart_data(family_name="", email="bad")
    response = client_for(attache).post(reverse("counterpart_edit", args=[counterpart.pk]), data)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"family_name", "email"}
    counterpart.refresh_from_db()
    assert counterpart.family_name == "Al-Mansouri" and counterpart.email == ""
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("marking", ["SECRET", "TOP SECRET", "CONFIDENTIAL", "S//NF"])
def test_classified_marking_is_refused_with_message_and_audit(marking, attache):
    response = client_for(attache).post(reverse("counterpart_create"), counterpart_data(marking=marking))
    assert response.status_code == 400
    assert "unclassified information only" in response.content.decode()
    assert not Counterpart.objects.exists()
    event = AuditEvent.objects.get(action="classified_refused")
    assert event.user == attache and event.outcome == "denied" and event.object_type == "contacts.Counterpart"


def test_classified_marking_refused_on_organization_form(attache):
    response = client_for(attache).post(reverse("organization_create"), organization_data(marking="SECRET"))
    assert response.status_code == 400
    assert "unclassified information only" in response.content.decode()
    assert not Organization.objects.exists()
    assert AuditEvent.objects.filter(action="classified_refused", object_type="contacts.Organization").count() == 1


BAD_ORGANIZATION_INPUT = {
    "missing name": ({"name": ""}, "name"),
    "over-long name": ({"name": "x" * 201}, "name"),
    "unknown kind": ({"kind": "guild"}, "kind"),
    "unknown marking": ({"marking": "PUBLIC"}, "marking"),
    "unknown parent": ({"parent": "999999"}, "parent"),
}


@pytest.mark.parametrize("case", BAD_ORGANIZATION_INPUT, ids=list(BAD_ORGANIZATION_INPUT))
def test_bad_organization_input_is_refused(case, attache):
    overrides, field = BAD_ORGANIZATION_INPUT[case]
    response = client_for(attache).post(reverse("organization_create"), organization_data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Organization.objects.exists()


def test_organization_loop_is_a_form_error(attache, post, ministry):
    child = OrganizationFactory(post=post, name="Directorate", parent=ministry)
    response = client_for(attache).post(
        reverse("organization_edit", args=[ministry.pk]), organization_data(name="Ministry of Defence", parent=child.pk)
    )
    assert response.status_code == 400
    assert "sub-organizations" in response.content.decode()
    ministry.refresh_from_db()
    assert ministry.parent is None


def test_attache_creates_and_edits_an_organization(attache, ministry):
    client = client_for(attache)
    response = client.post(reverse("organization_create"), organization_data(parent=ministry.pk))
    created = Organization.objects.get(acronym="CDC")
    assert response.status_code == 302 and created.parent == ministry
    response = client.post(reverse("organization_edit", args=[created.pk]), organization_data(name="Coastal Command"))
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.name == "Coastal Command" and created.parent is None


# ---------------------------------------------------------------- text stays text

HOSTILE = '<script>alert("x")</script> O\'Brien & "Sons"'
SCRIPTS = {
    "arabic": "محمد المنصوري",
    "cyrillic": "Пётр Чайковский",
    "chinese": "王建国",
    "accents": "José García Núñez",
}


def test_names_are_stored_verbatim_and_rendered_escaped(attache, diplomat):
    data = counterpart_data(
        family_name=HOSTILE,
        given_names=SCRIPTS["accents"],
        native_name=f"{SCRIPTS['arabic']} {SCRIPTS['chinese']}",
        aliases=SCRIPTS["cyrillic"],
        biography='<img src=x onerror="alert(1)">',
    )
    assert client_for(attache).post(reverse("counterpart_create"), data).status_code == 302
    counterpart = Counterpart.objects.get()
    assert counterpart.family_name == HOSTILE and counterpart.aliases == SCRIPTS["cyrillic"]
    assert counterpart.native_name == f"{SCRIPTS['arabic']} {SCRIPTS['chinese']}"
    for url in [reverse("counterpart_detail", args=[counterpart.pk]), reverse("counterpart_list")]:
        body = client_for(diplomat).get(url).content.decode()
        assert '<script>alert("x")' not in body.replace(HOSTILE.upper(), "")  # neither raw nor upper-cased
        assert "<SCRIPT>" not in body and 'onerror="alert' not in body
        assert "&lt;script&gt;" in body.lower() or "&lt;SCRIPT&gt;" in body
        for text in (SCRIPTS["arabic"], SCRIPTS["chinese"], SCRIPTS["accents"]):
            assert text in body
    edit = client_for(attache).get(reverse("counterpart_edit", args=[counterpart.pk])).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#x27;Brien &amp; &quot;Sons&quot;" in edit


def test_search_finds_transliterations(diplomat, counterpart):
    client = client_for(diplomat)
    for query in ["Mohamed", "muhammad", "محمد", "mansouri"]:
        body = client.get(reverse("counterpart_list"), {"q": query}).content.decode()
        assert reverse("counterpart_detail", args=[counterpart.pk]) in body, query
    body = client.get(reverse("counterpart_list"), {"q": "Tchaikovsky"}).content.decode()
    assert reverse("counterpart_detail", args=[counterpart.pk]) not in body


# ---------------------------------------------------------------- what each role reads


def test_diplomat_does_not_see_attache_channel_or_restricted_notes(diplomat, attache, counterpart, post):
    counterpart.restricted_notes = "Prefers to meet without staff."
    counterpart.save()
    secret_meeting = MeetingFactory(post=post, title="Back-channel talk", channel=Channel.ATTACHE)
    MeetingParticipantFactory(meeting=secret_meeting, counterpart=counterpart)
    open_meeting = MeetingFactory(post=post, title="Office call on exercise dates")
    MeetingParticipantFactory(meeting=open_meeting, counterpart=counterpart)
    hidden = CounterpartFactory(post=post, family_name="Hidden", channel=Channel.ATTACHE, owner=attache)
    url = reverse("counterpart_detail", args=[counterpart.pk])

    as_diplomat = client_for(diplomat).get(url).content.decode()
    assert "Office call on exercise dates" in as_diplomat
    assert "Back-channel talk" not in as_diplomat and "Prefers to meet" not in as_diplomat
    listing = client_for(diplomat).get(reverse("counterpart_list")).content.decode()
    assert "HIDDEN" not in listing and "1 counterpart." in listing

    as_attache = client_for(attache).get(url).content.decode()
    assert "Back-channel talk" in as_attache and "Prefers to meet" in as_attache
    assert (
        reverse("counterpart_detail", args=[hidden.pk])
        in client_for(attache).get(reverse("counterpart_list")).content.decode()
    )


def test_hidden_organization_name_is_not_shown(diplomat, post, attache):
    secret_org = OrganizationFactory(post=post, name="Military Intelligence Directorate", channel=Channel.ATTACHE)
    counterpart = CounterpartFactory(post=post, organization=secret_org, owner=attache)
    for url in [reverse("counterpart_detail", args=[counterpart.pk]), reverse("counterpart_list")]:
        assert "Military Intelligence" not in client_for(diplomat).get(url).content.decode()
    assert (
        "Military Intelligence"
        in client_for(attache).get(reverse("counterpart_detail", args=[counterpart.pk])).content.decode()
    )


def test_page_marking_is_the_highest_shown(attache, counterpart, post):
    response = client_for(attache).get(reverse("counterpart_detail", args=[counterpart.pk]))
    assert response.context["page_marking"] == "U"
    meeting = MeetingFactory(post=post, marking="SBU")
    MeetingParticipantFactory(meeting=meeting, counterpart=counterpart)
    response = client_for(attache).get(reverse("counterpart_detail", args=[counterpart.pk]))
    assert response.context["page_marking"] == "SBU"
    assert response.content.decode().count("SENSITIVE BUT UNCLASSIFIED") >= 2
    CounterpartFactory(post=post, marking="SBU-NF", family_name="Aaron")
    assert client_for(attache).get(reverse("counterpart_list")).context["page_marking"] == "SBU-NF"


def test_detail_links_to_log_a_meeting_and_edit_for_attache_only(attache, diplomat, counterpart):
    url = reverse("counterpart_detail", args=[counterpart.pk])
    meeting_url = f"/counterparts/{counterpart.pk}/meetings/new/"
    as_attache = client_for(attache).get(url).content.decode()
    assert meeting_url in as_attache and reverse("counterpart_edit", args=[counterpart.pk]) in as_attache
    as_diplomat = client_for(diplomat).get(url).content.decode()
    assert meeting_url not in as_diplomat and reverse("counterpart_edit", args=[counterpart.pk]) not in as_diplomat


# ---------------------------------------------------------------- filters, sorting, paging


def test_filters_and_sorting(attache, post, ministry):
    navy = OrganizationFactory(post=post, name="Navy HQ")
    senior = CounterpartFactory(
        post=post, family_name="Zahrani", nato_grade="OF-9", organization=ministry, service="army"
    )
    junior = CounterpartFactory(
        post=post, family_name="Amiri", nato_grade="OF-3", organization=navy, service="navy", status="retired"
    )
    junior.tags.add("Alumni")
    client = client_for(attache)

    def names(**params):
        page = client.get(reverse("counterpart_list"), params).context["page"]
        return [c.family_name for c in page]

    assert names() == ["Amiri", "Zahrani"]
    assert names(sort="-grade") == ["Zahrani", "Amiri"]
    assert names(sort="-name") == ["Zahrani", "Amiri"]
    assert names(organization=navy.pk) == ["Amiri"]
    assert names(service="army") == ["Zahrani"]
    assert names(status="retired") == ["Amiri"]
    assert names(nato_grade="OF-9") == ["Zahrani"]
    assert names(tag="alumni") == ["Amiri"]
    assert names(owner=attache.pk) == []
    assert senior.pk and names(sort="nonsense") == ["Amiri", "Zahrani"]  # a bad value is ignored, and shown


def test_a_user_of_several_posts_sees_the_same_choices_and_the_same_id_input(chief, post, other_post, monkeypatch):
    from contacts import filters

    MembershipFactory(user=chief, post=other_post, role=Role.CHIEF)
    here = OrganizationFactory(post=post, name="Bravo Staff", acronym="BS")
    there = OrganizationFactory(post=other_post, name="Alpha Command", acronym="")
    client = client_for(chief)

    fields = client.get(reverse("counterpart_list")).context["filter"].form.fields
    assert fields["organization"].widget.choices == [
        ("", "---------"),
        (there.pk, "Alpha Command"),
        (here.pk, "Bravo Staff (BS)"),
    ]
    assert [label for _, label in fields["owner"].widget.choices][1:] == [chief.username]

    monkeypatch.setattr(filters, "MAX_LISTED_CHOICES", 1)
    response = client.get(reverse("counterpart_list"), {"organization": there.pk})
    assert 'type="number" name="organization"' in response.content.decode()
    assert response.status_code == 200 and response.context["filter"].form.cleaned_data["organization"] == there


def test_long_choice_lists_become_an_id_input_that_still_filters(attache, post, monkeypatch):
    from contacts import filters

    monkeypatch.setattr(filters, "MAX_LISTED_CHOICES", 2)
    organizations = OrganizationFactory.create_batch(3, post=post)
    CounterpartFactory(post=post, family_name="Kept", organization=organizations[0])
    CounterpartFactory(post=post, family_name="Other", organization=organizations[1])
    response = client_for(attache).get(reverse("counterpart_list"), {"organization": organizations[0].pk})
    body = response.content.decode()
    assert f'<option value="{organizations[2].pk}"' not in body  # no drop-down of every organization
    assert 'type="number" name="organization"' in body
    assert [c.family_name for c in response.context["page"]] == ["Kept"]


def test_hidden_organization_cannot_be_used_as_a_filter(diplomat, post):
    secret_org = OrganizationFactory(post=post, channel=Channel.ATTACHE)
    CounterpartFactory(post=post, organization=secret_org)
    CounterpartFactory(post=post, family_name="Visible")
    response = client_for(diplomat).get(reverse("counterpart_list"), {"organization": secret_org.pk})
    # As every list answers a filter it cannot apply: the error, and no rows of the other filters.
    assert response.status_code == 400
    assert "organization" in response.context["filter"].errors
    assert list(response.context["page"].object_list) == []
    assert "Visible" not in response.content.decode()


def test_list_pages_by_25(attache, post):
    CounterpartFactory.create_batch(30, post=post)
    client = client_for(attache)
    first = client.get(reverse("counterpart_list"))
    assert len(first.context["page"].object_list) == 25 and "Page 1 of 2" in first.content.decode()
    second = client.get(reverse("counterpart_list"), {"page": 2})
    assert len(second.context["page"].object_list) == 5
    assert client.get(reverse("counterpart_list"), {"page": "x"}).status_code == 200


def test_search_pages_count_all_matches_with_the_page(attache, post):
    CounterpartFactory.create_batch(30, post=post, family_name="Haddad")
    CounterpartFactory.create_batch(3, post=post, family_name="Zahrani")
    client = client_for(attache)
    first = client.get(reverse("counterpart_list"), {"q": "Haddad"})
    body = first.content.decode()
    assert first.context["page"].paginator.count == 30 and "30 counterparts matching" in body and "Page 1 of 2" in body
    assert len(first.context["page"].object_list) == 25
    second = client.get(reverse("counterpart_list"), {"q": "Haddad", "page": 2})
    assert len(second.context["page"].object_list) == 5 and second.context["page"].number == 2
    ids = {c.pk for c in first.context["page"]} | {c.pk for c in second.context["page"]}
    assert len(ids) == 30  # no row repeated or skipped across pages
    # Out of range: the last page, as Django's paginator answers; not a number: the first.
    for wanted, shown in {"99": 2, "0": 2, "-1": 2, "x": 1, "": 1}.items():
        page = client.get(reverse("counterpart_list"), {"q": "Haddad", "page": wanted}).context["page"]
        assert (page.number, page.paginator.count) == (shown, 30)
    nothing = client.get(reverse("counterpart_list"), {"q": "Nomatchever"})
    assert nothing.context["page"].paginator.count == 0 and "No counterpart matches." in nothing.content.decode()


# ---------------------------------------------------------------- type-ahead


def test_typeahead_html_and_json(diplomat, counterpart, post, attache):
    CounterpartFactory(
        post=post, family_name="Al-Mansouri-Hidden", given_names="Mohamed", channel=Channel.ATTACHE, owner=attache
    )
    client = client_for(diplomat)
    html = client.get(reverse("counterpart_typeahead"), {"q": "Mohamed"}).content.decode()
    assert f'<option value="{counterpart.pk}">' in html and "Hidden" not in html
    as_list = client.get(reverse("counterpart_typeahead"), {"q": "Mohamed", "as": "li"}).content.decode()
    assert f'data-id="{counterpart.pk}"' in as_list
    data = client.get(reverse("counterpart_typeahead"), {"q": "Mohamed"}, HTTP_ACCEPT="application/json").json()
    assert [r["id"] for r in data["results"]] == [counterpart.pk]
    assert data["results"][0]["native_name"] == "محمد المنصوري"
    assert client.get(reverse("counterpart_typeahead"), {"q": ""}, HTTP_ACCEPT="application/json").json() == {
        "results": []
    }


def test_typeahead_escapes_names(attache, post):
    CounterpartFactory(post=post, family_name='<b>"Bold"</b>', given_names="Eve")
    html = client_for(attache).get(reverse("counterpart_typeahead"), {"q": "Eve"}).content.decode()
    assert "<b>" not in html and "&lt;B&gt;" in html


# ---------------------------------------------------------------- organizations


def test_organization_pages_for_readers(diplomat, ministry, counterpart, post):
    OrganizationFactory(post=post, name="Hidden Cell", channel=Channel.ATTACHE, parent=ministry)
    client = client_for(diplomat)
    listing = client.get(reverse("organization_list")).content.decode()
    assert "Ministry of Defence" in listing and "Hidden Cell" not in listing
    detail = client.get(reverse("organization_detail", args=[ministry.pk])).content.decode()
    assert counterpart.display_name in detail and "Hidden Cell" not in detail
    assert reverse("organization_edit", args=[ministry.pk]) not in detail


def test_organization_counts_leave_hidden_counterparts_out(diplomat, ministry, counterpart, post, attache):
    CounterpartFactory(post=post, organization=ministry, channel=Channel.ATTACHE, owner=attache)
    page = client_for(diplomat).get(reverse("organization_list")).context["page"]
    assert [o.counterpart_count for o in page] == [1]


# ---------------------------------------------------------------- query counts

# One ceiling for both sizes: the count of queries must not grow with the data.
LIST_CEILING = 11
# With the page's change history (merges included); a filtered timeline adds the last contact and
# the sparkline, which an unfiltered one reads with its keys.
DETAIL_CEILING = 13


def _populate(post, attache, size):
    organizations = OrganizationFactory.create_batch(3, post=post)
    counterparts = []
    for i in range(size):
        counterpart = CounterpartFactory(
            post=post, organization=organizations[i % 3], owner=attache, marking="SBU" if i % 7 == 0 else "U"
        )
        counterpart.tags.add("alumni", f"t{i % 4}")
        counterparts.append(counterpart)
    return counterparts


@pytest.mark.parametrize("size", [10, 200])
@pytest.mark.parametrize("role", ["attache", "diplomat"])
def test_list_query_count_does_not_grow(size, role, users_by_role, post, attache, django_assert_max_num_queries):
    _populate(post, attache, size)
    client = client_for(users_by_role[role])
    with django_assert_max_num_queries(LIST_CEILING):
        response = client.get(reverse("counterpart_list"), {"sort": "-grade", "service": "army"})
    assert len(response.context["page"].object_list) == min(size, 25)
    with django_assert_max_num_queries(LIST_CEILING):
        client.get(reverse("counterpart_list"), {"q": "Tomas"})


def test_list_rows_show_their_own_tags_in_alphabetical_order(post, attache):
    tagged = CounterpartFactory(post=post, owner=attache, family_name="Tagged")
    tagged.tags.add("maritime", "alumni")
    CounterpartFactory(post=post, owner=attache, family_name="Untagged")
    response = client_for(attache).get(reverse("counterpart_list"), {"sort": "name"})
    rows = {c.family_name: c.tag_names for c in response.context["page"].object_list}
    assert rows == {"Tagged": ["alumni", "maritime"], "Untagged": []}
    assert '<span class="tag">alumni</span><span class="tag">maritime</span>' in response.content.decode()


@pytest.mark.parametrize("size", [10, 200])
@pytest.mark.parametrize("role", ["attache", "diplomat"])
def test_detail_query_count_does_not_grow(
    size, role, users_by_role, post, attache, counterpart, django_assert_max_num_queries
):
    from engagements.models import Agreement, Exercise

    for i in range(size):
        kind = i % 4
        if kind in (0, 1):
            meeting = MeetingFactory(post=post, channel=Channel.ATTACHE if i % 8 == 0 else Channel.POST)
            MeetingParticipantFactory(
                meeting=meeting, counterpart=counterpart, position_at_time="Then", rank_title_at_time="Aqid"
            )
            if kind == 1:
                ActionItemFactory(post=post, meeting=meeting, assignee=attache)
        elif kind == 2:
            exercise = Exercise.objects.create(
                post=post, name=f"EX {i}", host_country="BN", starts_on="2025-01-01", ends_on="2025-01-05"
            )
            exercise.counterparts.add(counterpart)
        else:
            agreement = Agreement.objects.create(post=post, title=f"MOU {i}")
            agreement.parties.add(counterpart.organization)
        Appointment.objects.create(
            counterpart=counterpart, position=f"Post {i}", start_on="2020-01-01", end_on="2020-02-01"
        )
    client = client_for(users_by_role[role])
    with django_assert_max_num_queries(DETAIL_CEILING):
        response = client.get(reverse("counterpart_detail", args=[counterpart.pk]))
    assert response.status_code == 200
    assert len(response.context["timeline"].object_list) == min(
        25, len(response.context["timeline"].paginator.object_list)
    )
    with django_assert_max_num_queries(DETAIL_CEILING):
        client.get(reverse("counterpart_detail", args=[counterpart.pk]), {"page": 2})


def test_form_banner_follows_the_marking_being_entered(attache, counterpart):
    response = client_for(attache).post(reverse("counterpart_create"), counterpart_data(family_name="", marking="SBU"))
    assert response.status_code == 400 and response.context["page_marking"] == "SBU"
    assert "SENSITIVE BUT UNCLASSIFIED" in response.content.decode()
    edit = client_for(attache).get(reverse("counterpart_edit", args=[counterpart.pk]))
    assert edit.context["page_marking"] == "U"


def test_typeahead_can_be_limited_to_one_post(attache, counterpart, other_post):
    url = reverse("counterpart_typeahead")
    assert client_for(attache).get(url, {"q": "Mohamed", "post": other_post.pk}).content.decode().strip() == ""
    assert (
        str(counterpart.pk)
        in client_for(attache).get(url, {"q": "Mohamed", "post": counterpart.post_id}).content.decode()
    )


def test_a_search_of_punctuation_alone_says_so_rather_than_matching_everyone(attache, counterpart):
    response = client_for(attache).get(reverse("counterpart_list"), {"q": "%"})
    body = response.content.decode()
    assert "“%” has no letter or digit to search for" in body
    assert "matching “%”" not in body and list(response.context["page"]) == [counterpart]
    searched = client_for(attache).get(reverse("counterpart_list"), {"q": counterpart.family_name}).content.decode()
    assert f"matching “{counterpart.family_name}”" in searched and "no letter or digit" not in searched
