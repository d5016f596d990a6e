"""Exercise pages: list, detail with phase log and change-phase form, new and edit."""

import pytest
from django.urls import reverse

from engagements.models import Exercise, ExercisePhaseChange
from tenancy.markings import Channel
from tests.conftest import client_for
from tests.factories import ExerciseFactory

pytestmark = pytest.mark.django_db


def exercise_data(**overrides):
    data = {
        "name": "EAGLE RESOLVE 27",
        "kind": "multilateral",
        "phase": "concept",
        "host_country": "BN",
        "participating_countries": ["US", "GB"],
        "starts_on": "2027-05-01",
        "ends_on": "2027-05-14",
        "location": "Northern training area",
        "ipc_on": "2026-12-01",
        "mpc_on": "2027-02-01",
        "fpc_on": "2027-04-01",
        "summary": "",
        "marking": "U",
        "channel": "post",
    }
    return data | overrides


def test_list_filters_by_phase_and_dates(post, attache, exercise):
    later = ExerciseFactory(post=post, name="LATE STORM", phase="ipc", starts_on="2030-01-01", ends_on="2030-01-10")
    client = client_for(attache)
    body = client.get(reverse("exercise_list"), {"phase": "ipc"}).content.decode()
    assert later.name in body and exercise.name not in body
    body = client.get(reverse("exercise_list"), {"date_from": "2029-12-31"}).content.decode()
    assert later.name in body and exercise.name not in body


def test_list_refuses_reversed_date_range(attache):
    params = {"date_from": "2027-01-02", "date_to": "2027-01-01"}
    assert client_for(attache).get(reverse("exercise_list"), params).status_code == 400


def test_diplomat_does_not_see_attache_channel_exercises(post, diplomat, exercise):
    hidden = ExerciseFactory(post=post, channel=Channel.ATTACHE, name="SILENT HARBOR")
    body = client_for(diplomat).get(reverse("exercise_list")).content.decode()
    assert exercise.name in body and hidden.name not in body
    assert client_for(diplomat).get(hidden.get_absolute_url()).status_code == 404


def test_detail_shows_planning_conferences_and_phase_form(attache, exercise):
    exercise.ipc_on = exercise.starts_on.replace(day=1)
    exercise.save()
    body = client_for(attache).get(exercise.get_absolute_url()).content.decode()
    assert "Planning conferences" in body
    assert reverse("exercise_change_phase", args=[exercise.pk]) in body
    assert '<option value="ipc">' in body and '<option value="cancelled">' in body
    assert '<option value="concept">' not in body


@pytest.mark.parametrize("role", ["outsider", "admin"])
def test_detail_is_404_for_those_who_cannot_see_it(users_by_role, exercise, role):
    assert client_for(users_by_role[role]).get(exercise.get_absolute_url()).status_code == 404


def test_change_phase(attache, exercise):
    url = reverse("exercise_change_phase", args=[exercise.pk])
    assert client_for(attache).post(url, {"to_phase": "mpc", "on": "2026-11-01"}).status_code == 302
    change = ExercisePhaseChange.objects.get(exercise=exercise)
    assert (change.from_phase, change.to_phase, change.changed_by) == ("concept", "mpc", attache)


@pytest.mark.parametrize("data", [{"to_phase": "concept", "on": "2026-11-01"}, {"to_phase": "mpc", "on": "2099-01-01"}])
def test_change_phase_refuses_bad_input(attache, exercise, data):
    response = client_for(attache).post(reverse("exercise_change_phase", args=[exercise.pk]), data)
    assert response.status_code == 400
    exercise.refresh_from_db()
    assert exercise.phase == "concept" and not exercise.phase_changes.exists()


@pytest.mark.parametrize(("role", "status"), [("diplomat", 403), ("chief", 403), ("admin", 404), ("outsider", 404)])
def test_change_phase_refusals(users_by_role, exercise, role, status):
    url = reverse("exercise_change_phase", args=[exercise.pk])
    assert client_for(users_by_role[role]).post(url, {"to_phase": "ipc", "on": "2026-11-01"}).status_code == status
    exercise.refresh_from_db()
    assert exercise.phase == "concept"


def test_new_exercise(attache):
    response = client_for(attache).post(reverse("exercise_new"), exercise_data())
    exercise = Exercise.objects.get()
    assert response.status_code == 302 and response["Location"] == exercise.get_absolute_url()
    assert {c.code for c in exercise.participating_countries} == {"US", "GB"}
    assert exercise.phase_changes.get().to_phase == "concept"


@pytest.mark.parametrize(
    "overrides",
    [{"ends_on": "2027-04-30"}, {"mpc_on": "2026-11-01"}, {"fpc_on": "2027-05-02"}, {"name": "n" * 201},
     {"kind": "naval_parade"}, {"host_country": "XX"}, {"marking": "S"}, {"phase": "dreaming"}],
)  # fmt: skip
def test_new_exercise_refuses_bad_input(attache, overrides):
    response = client_for(attache).post(reverse("exercise_new"), exercise_data(**overrides))
    assert response.status_code == 400 and not Exercise.objects.exists()


@pytest.mark.parametrize("role", ["diplomat", "chief", "admin"])
def test_only_attaches_create_exercises(users_by_role, role):
    assert client_for(users_by_role[role]).post(reverse("exercise_new"), exercise_data()).status_code == 403
    assert not Exercise.objects.exists()


def test_edit_exercise(attache, exercise):
    url = reverse("exercise_edit", args=[exercise.pk])
    assert 'name="phase"' not in client_for(attache).get(url).content.decode()
    assert client_for(attache).post(url, exercise_data(name="DESERT ANCHOR 27")).status_code == 302
    exercise.refresh_from_db()
    assert exercise.name == "DESERT ANCHOR 27" and exercise.phase == "concept"


@pytest.mark.parametrize(("role", "status"), [("diplomat", 403), ("chief", 403), ("admin", 404), ("outsider", 404)])
def test_edit_exercise_refusals(users_by_role, exercise, role, status):
    url = reverse("exercise_edit", args=[exercise.pk])
    assert client_for(users_by_role[role]).post(url, exercise_data(name="HIJACK")).status_code == status
    exercise.refresh_from_db()
    assert exercise.name == "DESERT ANCHOR 26"


def test_detail_shows_participating_nations_in_its_change_history(post, attache):
    exercise = ExerciseFactory(post=post, created_by=attache, participating_countries=["FR", "DE"])
    exercise.participating_countries = ["FR"]
    exercise.save()
    response = client_for(attache).get(reverse("exercise_detail", args=[exercise.pk]))
    assert response.status_code == 200
    assert "France" in response.content.decode()
