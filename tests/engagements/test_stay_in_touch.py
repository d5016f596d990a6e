"""Stay in touch: a counterpart's cadence, their last contact as the reader may see it, the status on
the dashboard, the counterpart page and the handover pack, and the field in the form and the API."""

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from contacts.forms import CounterpartForm
from contacts.models import Counterpart
from engagements import stay_in_touch
from engagements.stay_in_touch import DUE_SOON, IN_TOUCH, NEVER_MET, OVERDUE, status_for
from handover.selectors import handover_pack
from tenancy.markings import Channel
from tenancy.models import Post
from tests.conftest import client_for
from tests.factories import CounterpartFactory, MeetingFactory, MeetingParticipantFactory

TODAY = dt.date(2026, 10, 21)


def _met(days_ago: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(10)))


# ---------------------------------------------------------------- the status, at its boundaries


@pytest.mark.parametrize(
    "days_ago,expected",
    [
        (0, IN_TOUCH),
        (60 - 15, IN_TOUCH),  # due in 15 days: not yet announced
        (60 - 14, DUE_SOON),  # due in 14 days: announced
        (60, DUE_SOON),  # due today: not late yet
        (61, OVERDUE),  # the due day has passed
        (400, OVERDUE),
    ],
)
def test_status_at_the_boundaries_of_a_60_day_cadence(days_ago, expected):
    assert status_for(_met(days_ago), 60, TODAY) == expected


def test_a_counterpart_never_met_is_never_met_whatever_the_cadence():
    assert status_for(None, 7, TODAY) == NEVER_MET


def test_a_counterpart_without_a_cadence_uses_the_post_default():
    counterpart = CounterpartFactory.build(contact_every_days=None)
    rhythm = stay_in_touch.rhythm(counterpart, _met(stay_in_touch.DEFAULT_CADENCE_DAYS + 1), TODAY)
    assert rhythm.cadence_days == 90 and not rhythm.own_cadence and rhythm.status == OVERDUE
    assert rhythm.overdue_days == 1


def test_overdue_days_count_from_the_due_day():
    counterpart = CounterpartFactory.build(contact_every_days=60)
    rhythm = stay_in_touch.rhythm(counterpart, _met(69), TODAY)
    assert rhythm.due_on == TODAY - dt.timedelta(days=9) and rhythm.overdue_days == 9


# ---------------------------------------------------------------- the field


@pytest.mark.django_db
@pytest.mark.parametrize("days,valid", [(6, False), (7, True), (730, True), (731, False), (0, False), (None, True)])
def test_cadence_is_bounded_from_a_week_to_two_years(post, days, valid):
    counterpart = CounterpartFactory(post=post)
    counterpart.contact_every_days = days
    if valid:
        counterpart.full_clean()
    else:
        with pytest.raises(ValidationError) as refused:
            counterpart.full_clean()
        assert "contact_every_days" in refused.value.message_dict


@pytest.mark.django_db
def test_counterpart_form_offers_the_cadence_with_its_help_text(post, attache):
    form = CounterpartForm(user=attache, post=post)
    field = form.fields["contact_every_days"]
    assert field.help_text == "Stay in touch: how often this counterpart should be met"
    assert any("contact_every_days" in [f.name for f in fields] for _, fields in form.fieldsets())


@pytest.mark.django_db
def test_counterpart_form_refuses_a_cadence_out_of_bounds_with_a_field_error(post, attache):
    counterpart = CounterpartFactory(post=post, owner=attache)
    url = reverse("counterpart_edit", args=[counterpart.pk])
    client = client_for(attache)
    page = client.get(url)
    assert page.status_code == 200 and 'name="contact_every_days"' in page.content.decode()
    data = {
        "family_name": counterpart.family_name, "given_names": "Tomas", "country": "DE", "service": "army",
        "status": "active", "marking": counterpart.marking, "channel": counterpart.channel,
        "owner": attache.pk, "contact_every_days": "3",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code in (200, 400) and "contact_every_days" in response.content.decode()
    counterpart.refresh_from_db()
    assert counterpart.contact_every_days is None
    response = client.post(url, {**data, "contact_every_days": "60"})
    assert response.status_code == 302
    counterpart.refresh_from_db()
    assert counterpart.contact_every_days == 60


@pytest.mark.django_db
def test_api_reads_and_writes_the_cadence_and_refuses_out_of_bounds(post, attache):
    counterpart = CounterpartFactory(post=post, owner=attache, contact_every_days=30)
    client = client_for(attache)
    url = f"/api/v1/counterparts/{counterpart.pk}/"
    assert client.get(url).json()["contact_every_days"] == 30
    etag = client.get(url)["ETag"]
    refused = client.patch(
        url, {"contact_every_days": 731}, content_type="application/json", headers={"if-match": etag}
    )
    assert refused.status_code == 400 and "contact_every_days" in refused.json()["fields"]
    accepted = client.patch(
        url, {"contact_every_days": 45}, content_type="application/json", headers={"if-match": etag}
    )
    assert accepted.status_code == 200, accepted.content
    counterpart.refresh_from_db()
    assert counterpart.contact_every_days == 45


@pytest.mark.django_db
def test_api_schema_documents_the_cadence(attache):
    schema = client_for(attache).get("/api/schema/?format=json")
    text = schema.content.decode()
    assert schema.status_code == 200 and "contact_every_days" in text
    assert "Stay in touch: how often this counterpart should be met" in text


# ---------------------------------------------------------------- last contact through the policy


@pytest.mark.django_db
def test_last_contact_is_the_latest_conducted_meeting_the_reader_may_see(post, attache, diplomat):
    counterpart = CounterpartFactory(post=post, contact_every_days=30)
    now = timezone.now()
    for days, status, channel in [
        (40, "conducted", Channel.POST),
        (10, "conducted", Channel.ATTACHE),
        (5, "planned", Channel.POST),
        (3, "cancelled", Channel.POST),
    ]:
        meeting = MeetingFactory(post=post, starts_at=now - dt.timedelta(days=days), status=status, channel=channel)
        MeetingParticipantFactory(meeting=meeting, counterpart=counterpart)
    today = timezone.localdate()
    (seen_by_attache,) = stay_in_touch.attach(attache, [counterpart], today)
    assert seen_by_attache.stay_in_touch.last_contact.date() == (now - dt.timedelta(days=10)).date()
    assert seen_by_attache.stay_in_touch.status == IN_TOUCH
    (seen_by_diplomat,) = stay_in_touch.attach(diplomat, [counterpart], today)
    assert seen_by_diplomat.stay_in_touch.status == OVERDUE  # the attaché-channel meeting moves nothing


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["attache", "diplomat", "chief"])
def test_last_contacts_of_many_counterparts_cost_one_query(request, post, role, django_assert_num_queries):
    """The stored last contacts of the channels read whole, with (but for a chief, who reads every
    channel whole) the restricted meetings read one by one, in one statement."""
    reader = request.getfixturevalue(role)
    counterparts = [CounterpartFactory(post=post, contact_every_days=30) for _ in range(12)]
    for counterpart in counterparts:
        MeetingParticipantFactory(meeting=MeetingFactory(post=post), counterpart=counterpart)
        MeetingParticipantFactory(meeting=MeetingFactory(post=post, channel=Channel.ATTACHE), counterpart=counterpart)
        MeetingParticipantFactory(
            meeting=MeetingFactory(post=post, channel=Channel.RESTRICTED), counterpart=counterpart
        )
    stay_in_touch.attach(reader, counterparts[:1], timezone.localdate())  # the reader's grants are read once
    with django_assert_num_queries(1):
        stay_in_touch.attach(reader, counterparts, timezone.localdate())
    assert {c.stay_in_touch.status for c in counterparts} == {IN_TOUCH}


# ---------------------------------------------------------------- the seeds


@pytest.mark.django_db
def test_seed_demo_sets_cadences_so_that_the_dashboard_opens_with_some_overdue():
    call_command("seed_demo", stdout=io.StringIO())
    post = Post.objects.get(code="BANDAR")
    watched = Counterpart.objects.filter(post=post, contact_every_days__isnull=False)
    assert 5 <= watched.count() <= 30
    attache = get_user_model().objects.get(username="attache")
    panel = stay_in_touch.dashboard_panel(attache, timezone.localdate())
    assert panel["counts"]["overdue"] >= 1 and panel["rows"][0].stay_in_touch.status == OVERDUE


@pytest.mark.django_db
def test_seed_volume_gives_one_counterpart_in_ten_a_cadence():
    call_command(
        "seed_volume", stdout=io.StringIO(), posts=1, counterparts_per_post=40, meetings_per_post=20,
        anchor=dt.date(2026, 6, 19),
    )  # fmt: skip
    cadences = list(Counterpart.objects.values_list("contact_every_days", flat=True))
    with_cadence = [days for days in cadences if days is not None]
    assert len(with_cadence) == 4 and all(7 <= days <= 730 for days in with_cadence)


# ---------------------------------------------------------------- the migration


@pytest.mark.django_db(transaction=True)
def test_the_migration_adds_an_empty_cadence_and_takes_it_back():
    """Counterparts of a database from before the field keep their rows, with no cadence; the
    migration reverses without loss of the other columns."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = ("contacts", "0007_merges_and_imports"), ("contacts", "0008_counterpart_contact_every_days")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old_apps = executor.loader.project_state([before]).apps
    old_post = old_apps.get_model("tenancy", "Post").objects.create(code="MIGR", name="Migration post")
    OldCounterpart = old_apps.get_model("contacts", "Counterpart")
    assert "contact_every_days" not in {f.name for f in OldCounterpart._meta.get_fields()}
    OldCounterpart.objects.create(post=old_post, family_name="Before", country="DE")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    counterpart = Counterpart.objects.get(family_name="Before")
    assert counterpart.contact_every_days is None

    def columns() -> set[str]:
        with connection.cursor() as cursor:
            return {c.name for c in connection.introspection.get_table_description(cursor, "contacts_counterpart")}

    assert "contact_every_days" in columns()
    MigrationExecutor(connection).migrate([before])
    assert "contact_every_days" not in columns()
    assert OldCounterpart.objects.filter(family_name="Before").exists()
    MigrationExecutor(connection).migrate([after])
    assert "contact_every_days" in columns()


# ---------------------------------------------------------------- the handover pack


@pytest.mark.django_db
def test_handover_pack_uses_each_counterparts_own_cadence_or_the_post_default(post, attache):
    own = CounterpartFactory(post=post, owner=attache, family_name="Owncadence", contact_every_days=30)
    default = CounterpartFactory(post=post, owner=attache, family_name="Defaultcadence")
    for counterpart in (own, default):
        meeting = MeetingFactory(post=post, starts_at=timezone.now() - dt.timedelta(days=40))
        MeetingParticipantFactory(meeting=meeting, counterpart=counterpart)
    pack = handover_pack(attache, post)
    status = {c.family_name: c.cadence for c in pack.counterparts.rows}
    assert status == {"Owncadence": OVERDUE, "Defaultcadence": IN_TOUCH}
    assert pack.cadence_days == stay_in_touch.DEFAULT_CADENCE_DAYS == 90
    response = client_for(attache).get(f"/api/v1/handover/?post={post.pk}")
    rows = {row["name"].split()[-1]: row for row in response.json()["counterparts"]["rows"]}
    assert rows["OWNCADENCE"]["contact_every_days"] == 30 and rows["OWNCADENCE"]["contact_status"] == OVERDUE
    assert rows["DEFAULTCADENCE"]["contact_every_days"] == 90
