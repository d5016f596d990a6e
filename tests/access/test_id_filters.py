"""Every filter that takes an id matches only records the viewer may see: a hidden id is answered
exactly as an absent one (same status, same count, same error), in the API and in the HTML lists.

Each case links a record the viewer sees to one they do not (for a diplomat, an attaché-channel
record; for an attaché, a restricted record kept by a colleague), so that a filter matching the
raw column would count the visible record for the hidden id and give itself away.
"""

import re

import pytest
from django.urls import reverse

from tenancy.markings import Channel
from tests.api.conftest import api_for
from tests.conftest import client_for
from tests.factories import (
    ActionItemFactory,
    AgreementFactory,
    CableFactory,
    CounterpartFactory,
    ExerciseFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    OrganizationFactory,
)

pytestmark = pytest.mark.django_db

# No record has this id: what a hidden id must look like.
ABSENT_ID = 2**31 - 7
ROLES = ["diplomat", "attache"]


class Scene:
    """The viewer's post, with a maker of records the viewer sees and of records hidden from them."""

    def __init__(self, role, post, other_post, users):
        self.role, self.post, self.other_post, self.users = role, post, other_post, users
        self.viewer = users[role]

    def shown(self, factory, **fields):
        return factory(post=self.post, channel=Channel.POST, created_by=self.users["second_attache"], **fields)

    def hidden(self, factory, **fields):
        keeper = self.users["second_attache"]
        if self.role == "diplomat":
            return factory(post=self.post, channel=Channel.ATTACHE, created_by=keeper, **fields)
        if factory is CounterpartFactory:
            fields["owner"] = keeper
        return factory(post=self.post, channel=Channel.RESTRICTED, created_by=keeper, **fields)

    def follow_up(self, **source):
        # Diplomats read the follow-ups assigned to them only.
        return self.shown(ActionItemFactory, assignee=self.users["diplomat"], **source)


@pytest.fixture
def scene_for(post, other_post, attache, second_attache, diplomat, chief, outsider):
    users = {
        "attache": attache,
        "second_attache": second_attache,
        "diplomat": diplomat,
        "chief": chief,
        "outsider": outsider,
    }
    return lambda role: Scene(role, post, other_post, users)


# Each case builds its links and returns (hidden id, a visible id that the filter matches).


def meeting_counterpart(s):
    hidden, shown = s.hidden(CounterpartFactory), s.shown(CounterpartFactory)
    meeting = s.shown(MeetingFactory)
    MeetingParticipantFactory(meeting=meeting, counterpart=hidden)
    MeetingParticipantFactory(meeting=meeting, counterpart=shown)
    return hidden.pk, shown.pk


def meeting_link(field, factory):
    def build(s):
        hidden, shown = s.hidden(factory), s.shown(factory)
        getattr(s.shown(MeetingFactory), field).add(hidden, shown)
        return hidden.pk, shown.pk

    return build


def agreement_party(s):
    hidden, shown = s.hidden(OrganizationFactory), s.shown(OrganizationFactory)
    s.shown(AgreementFactory).parties.add(hidden, shown)
    return hidden.pk, shown.pk


def exercise_counterpart(s):
    hidden, shown = s.hidden(CounterpartFactory), s.shown(CounterpartFactory)
    s.shown(ExerciseFactory).counterparts.add(hidden, shown)
    return hidden.pk, shown.pk


def follow_up_source(field, factory):
    def build(s):
        hidden, shown = s.hidden(factory), s.shown(factory)
        s.follow_up(**{field: hidden})
        s.follow_up(**{field: shown})
        return hidden.pk, shown.pk

    return build


def organization_parent(s):
    hidden, shown = s.hidden(OrganizationFactory), s.shown(OrganizationFactory)
    s.shown(OrganizationFactory, parent=hidden)
    s.shown(OrganizationFactory, parent=shown)
    return hidden.pk, shown.pk


def counterpart_organization(s):
    hidden, shown = s.hidden(OrganizationFactory), s.shown(OrganizationFactory)
    s.shown(CounterpartFactory, organization=hidden)
    s.shown(CounterpartFactory, organization=shown)
    return hidden.pk, shown.pk


def counterpart_owner(s):
    # Users are not records under the policy: "hidden" is someone of another post only, here the
    # owner of a record at the viewer's post. The choices are the people of the viewer's posts.
    s.shown(CounterpartFactory, owner=s.users["outsider"])
    s.shown(CounterpartFactory, owner=s.users["second_attache"])
    return s.users["outsider"].pk, s.users["second_attache"].pk


def follow_up_assignee(s):
    # Any user id narrows the visible follow-ups by the assignee they show; someone of another
    # post is assigned nothing the viewer sees.
    s.follow_up()
    return s.users["outsider"].pk, s.users["diplomat"].pk


def post_of(factory):
    def build(s):
        factory(post=s.other_post)
        s.follow_up() if factory is ActionItemFactory else s.shown(factory)
        return s.other_post.pk, s.post.pk

    return build


API_CASES = {
    ("api-meeting-list", "counterpart"): meeting_counterpart,
    ("api-meeting-list", "agreement"): meeting_link("agreements", AgreementFactory),
    ("api-meeting-list", "exercise"): meeting_link("exercises", ExerciseFactory),
    ("api-meeting-list", "post"): post_of(MeetingFactory),
    ("api-agreement-list", "party"): agreement_party,
    ("api-agreement-list", "post"): post_of(AgreementFactory),
    ("api-exercise-list", "counterpart"): exercise_counterpart,
    ("api-exercise-list", "post"): post_of(ExerciseFactory),
    ("api-action-item-list", "meeting"): follow_up_source("meeting", MeetingFactory),
    ("api-action-item-list", "agreement"): follow_up_source("agreement", AgreementFactory),
    ("api-action-item-list", "exercise"): follow_up_source("exercise", ExerciseFactory),
    ("api-action-item-list", "assignee"): follow_up_assignee,
    ("api-action-item-list", "post"): post_of(ActionItemFactory),
    ("api-organization-list", "parent"): organization_parent,
    ("api-organization-list", "post"): post_of(OrganizationFactory),
    ("api-counterpart-list", "organization"): counterpart_organization,
    ("api-counterpart-list", "owner"): counterpart_owner,
    ("api-counterpart-list", "post"): post_of(CounterpartFactory),
    ("api-cable-list", "post"): post_of(CableFactory),
}


def _id_filters(filterset_class) -> set[str]:
    return {
        name
        for name, flt in filterset_class.base_filters.items()
        if "Model" in type(flt).__name__ or "Id" in type(flt).__name__
    }


def test_every_api_id_filter_is_in_the_cases():
    """A new filter that takes an id must join the cases above."""
    from attache_crm.api_urls import router

    found = {
        (f"{basename}-list", name)
        for _, viewset, basename in router.registry
        for name in _id_filters(viewset.filterset_class)
    }
    assert found == set(API_CASES)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url_name", "param"), list(API_CASES), ids=[f"{u[4:-5]}?{p}" for u, p in API_CASES])
def test_api_hidden_id_is_answered_like_an_absent_id(scene_for, chief, url_name, param, role):
    scene = scene_for(role)
    hidden_id, shown_id = API_CASES[(url_name, param)](scene)
    api = api_for(scene.viewer)
    url = reverse(url_name)

    hidden, absent = api.get(url, {param: hidden_id}), api.get(url, {param: ABSENT_ID})
    assert (hidden.status_code, hidden.json()) == (absent.status_code, absent.json())
    assert hidden.status_code in {200, 400}
    if hidden.status_code == 200:
        assert hidden.json()["count"] == 0
    # The filter works for what the viewer sees (diplomats read released cables only; none here).
    if url_name != "api-cable-list" or role == "attache":
        shown = api.get(url, {param: shown_id})
        assert shown.status_code == 200 and shown.json()["count"] >= 1, shown.json()


@pytest.mark.parametrize("role", ROLES)
def test_attack_api_counterpart_filter_counts_a_hidden_counterpart_as_absent(scene_for, chief, role):
    """As seen: `?counterpart=<hidden id>` gave `count: 1` and an absent id `count: 0`."""
    scene = scene_for(role)
    hidden_id, _ = meeting_counterpart(scene)
    scene.shown(ExerciseFactory).counterparts.add(hidden_id)
    for url in (reverse("api-meeting-list"), reverse("api-exercise-list")):
        assert api_for(chief).get(url, {"counterpart": hidden_id}).json()["count"] == 1  # the link is there
        assert api_for(scene.viewer).get(url, {"counterpart": hidden_id}).json()["count"] == 0
        assert api_for(scene.viewer).get(url, {"counterpart": ABSENT_ID}).json()["count"] == 0


# ---------------------------------------------------------------- HTML lists


HTML_CASES = {
    ("counterpart_list", "organization"): counterpart_organization,
    ("counterpart_list", "owner"): counterpart_owner,
    ("meeting_list", "counterpart"): meeting_counterpart,
    ("action_list", "assignee"): follow_up_assignee,
}


def test_every_html_id_filter_is_in_the_cases():
    from contacts.filters import CounterpartFilter
    from engagements import filters

    found = {("counterpart_list", name) for name in _id_filters(CounterpartFilter)}
    for url_name, filterset_class in (
        ("meeting_list", filters.MeetingFilter),
        ("agreement_list", filters.AgreementFilter),
        ("exercise_list", filters.ExerciseFilter),
        ("action_list", filters.ActionItemFilter),
    ):
        found |= {(url_name, name) for name in _id_filters(filterset_class)}
    found.add(("meeting_list", "counterpart"))  # an id or a name: a method filter
    assert found == set(HTML_CASES)


TOKENS = re.compile(r'(name="csrfmiddlewaretoken" value=|nonce=|data-csrf=)"[^"]*"')


def _page(response, chosen_id) -> tuple:
    """What a list page tells: its status, the filter's errors, the rows, and the page's text
    with the id typed in and the per-request tokens taken out."""
    rows = [obj.pk for obj in response.context["page"].object_list]
    # Only where the typed id is echoed (the input's value, an error message, a link's query):
    # the same digits elsewhere on the page (a date, a count) are part of what the page tells.
    echoed = re.compile(rf"(value=\"|: |=){chosen_id}(?!\d)")
    body = echoed.sub(r"\1<id>", TOKENS.sub(r"\1", response.content.decode()))
    return response.status_code, dict(response.context["filter"].errors), rows, body


# The counterpart list's organization and owner filters come as a drop-down, or as an id box when
# there are too many to list (headquarters): both are checked.
HTML_PARAMS = [(*case, False) for case in HTML_CASES] + [
    (*case, True) for case in HTML_CASES if case[0] == "counterpart_list"
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("url_name", "param", "compact"),
    HTML_PARAMS,
    ids=[f"{u}?{p}{'-id-box' if c else ''}" for u, p, c in HTML_PARAMS],
)
def test_html_hidden_id_is_answered_like_an_absent_id(scene_for, monkeypatch, url_name, param, role, compact):
    if compact:
        monkeypatch.setattr("contacts.filters.MAX_LISTED_CHOICES", 0)
    scene = scene_for(role)
    hidden_id, shown_id = HTML_CASES[(url_name, param)](scene)
    client = client_for(scene.viewer)
    url = reverse(url_name)

    response = client.get(url, {param: hidden_id})
    if compact:
        assert response.context["filter"].form.fields[param].widget.input_type == "number"
    hidden = _page(response, hidden_id)
    absent = _page(client.get(url, {param: ABSENT_ID}), ABSENT_ID)
    assert hidden == absent
    shown_status, shown_errors, shown_rows, _ = _page(client.get(url, {param: shown_id}), shown_id)
    assert (shown_status, shown_errors) == (200, {}) and shown_rows
