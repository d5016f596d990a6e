"""The Django admin follows the policy: content for operators only; the admin role manages its post's people."""

import pytest
from django.contrib import admin
from django.urls import reverse

from attache_crm.markings import Channel
from contacts.models import Membership

from ..conftest import client_for
from ..factories import CounterpartFactory, MeetingFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [
    "contacts_organization",
    "contacts_counterpart",
    "engagements_meeting",
    "engagements_agreement",
    "engagements_exercise",
    "engagements_actionitem",
    "reports_cable",
]


@pytest.fixture
def staff_admin(post_admin):
    post_admin.is_staff = True
    post_admin.save()
    return post_admin


@pytest.fixture
def operator(django_user_model):
    return django_user_model.objects.create_superuser("operator", "op@example.org", "operator-password-123")


def test_every_registered_model_is_hardened():
    """Any new ModelAdmin must be listed here after deciding who may use it."""
    registered = {m._meta.label_lower for m in admin.site._registry}
    known = {name.replace("_", ".", 1) for name in CONTENT_MODELS} | {
        "auth.user", "auth.group", "contacts.post", "contacts.membership", "reports.auditevent",
        "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog", "otp_totp.totpdevice", "taggit.tag",
    }  # fmt: skip
    assert registered - known <= {m for m in registered if m.startswith("apitokens.")}, registered - known


@pytest.mark.parametrize("model", CONTENT_MODELS)
def test_admin_role_cannot_open_content_models(staff_admin, model):
    client = client_for(staff_admin)
    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 403
    assert client.get(reverse(f"admin:{model}_add")).status_code == 403


def test_admin_role_cannot_open_a_content_record(staff_admin, post):
    counterpart = CounterpartFactory(post=post, restricted_notes="RN-ADMIN-MARKER")
    client = client_for(staff_admin)
    response = client.get(reverse("admin:contacts_counterpart_change", args=[counterpart.pk]))
    assert response.status_code in (403, 302)
    assert "RN-ADMIN-MARKER" not in response.content.decode()
    history = client.get(reverse("admin:contacts_counterpart_history", args=[counterpart.pk]))
    assert "RN-ADMIN-MARKER" not in history.content.decode()


def test_admin_index_lists_people_and_audit_not_content(staff_admin):
    body = client_for(staff_admin).get(reverse("admin:index")).content.decode()
    for model in ["auth/user", "contacts/membership", "contacts/post", "reports/auditevent"]:
        assert f"/admin/{model}/" in body
    for model in CONTENT_MODELS:
        assert f"/admin/{model.replace('_', '/', 1)}/" not in body


def test_operator_sees_content_and_restricted_notes(operator, post):
    meeting = MeetingFactory(post=post, channel=Channel.RESTRICTED, restricted_notes="RN-OPERATOR")
    body = client_for(operator).get(reverse("admin:engagements_meeting_change", args=[meeting.pk])).content.decode()
    assert "RN-OPERATOR" in body


def test_admin_role_manages_users_of_their_post_only(staff_admin, attache, outsider, operator):
    client = client_for(staff_admin)
    body = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "attache" in body and "outsider" not in body and ">operator<" not in body
    assert client.get(reverse("admin:auth_user_change", args=[attache.pk])).status_code == 200
    assert client.get(reverse("admin:auth_user_change", args=[outsider.pk])).status_code == 302  # "doesn't exist"
    assert client.get(reverse("admin:auth_user_change", args=[operator.pk])).status_code == 302


def test_admin_role_cannot_make_anyone_superuser(staff_admin, attache):
    client = client_for(staff_admin)
    page = client.get(reverse("admin:auth_user_change", args=[attache.pk])).content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    data = {
        "username": "attache", "email": "a@example.org", "is_active": "on", "is_superuser": "on",
        "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
    }  # fmt: skip
    client.post(reverse("admin:auth_user_change", args=[attache.pk]), data)
    attache.refresh_from_db()
    assert not attache.is_superuser


def test_admin_role_cannot_delete_users(staff_admin, attache):
    client = client_for(staff_admin)
    assert client.post(reverse("admin:auth_user_delete", args=[attache.pk]), {"post": "yes"}).status_code == 403


def test_admin_role_adds_a_membership_at_their_post_and_admin_gets_staff(staff_admin, post, other_post):
    newcomer = UserFactory(username="newcomer")
    client = client_for(staff_admin)
    response = client.post(
        reverse("admin:contacts_membership_add"), {"user": newcomer.pk, "post": post.pk, "role": "admin"}
    )
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.is_staff and Membership.objects.filter(user=newcomer, post=post, role="admin").exists()
    other = UserFactory(username="other-newcomer")
    response = client.post(
        reverse("admin:contacts_membership_add"), {"user": other.pk, "post": other_post.pk, "role": "attache"}
    )
    assert response.status_code == 200  # form error: not one of the choices
    assert not Membership.objects.filter(user=other).exists()


def test_admin_role_cannot_change_their_own_role(staff_admin, post):
    client = client_for(staff_admin)
    own = Membership.objects.get(user=staff_admin)
    response = client.post(
        reverse("admin:contacts_membership_change", args=[own.pk]),
        {"user": staff_admin.pk, "post": post.pk, "role": "chief"},
    )
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.role == "admin"


def test_admin_role_sees_only_their_posts_memberships(staff_admin, outsider):
    body = client_for(staff_admin).get(reverse("admin:contacts_membership_changelist")).content.decode()
    assert "outsider" not in body


def test_admin_role_reads_audit_log_in_admin_read_only(staff_admin, attache, outsider, post, other_post):
    from attache_crm import audit

    audit.record(action="create", user=attache, post=post, detail="bandar-event")
    audit.record(action="create", user=outsider, post=other_post, detail="other-event")
    client = client_for(staff_admin)
    body = client.get(reverse("admin:reports_auditevent_changelist")).content.decode()
    assert ">attache<" in body and ">outsider<" not in body
    event = client.get(reverse("admin:reports_auditevent_change", args=[attache_event_pk(attache)]))
    assert event.status_code == 200 and "bandar-event" in event.content.decode()
    assert 'name="_save"' not in event.content.decode()


def attache_event_pk(user):
    from reports.models import AuditEvent

    return AuditEvent.objects.get(user=user, detail="bandar-event").pk


@pytest.mark.parametrize("role", ["attache", "diplomat", "chief"])
def test_other_roles_cannot_enter_the_admin(users_by_role, role):
    response = client_for(users_by_role[role]).get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_non_member_staff_sees_nothing(db):
    user = UserFactory(username="staffonly", is_staff=True)
    client = client_for(user)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:reports_auditevent_changelist")).status_code == 403


def test_other_post_admin_staff_is_scoped(other_post, attache):
    other_admin = UserFactory(username="otheradmin", is_staff=True)
    MembershipFactory(user=other_admin, post=other_post, role="admin")
    client = client_for(other_admin)
    assert client.get(reverse("admin:auth_user_change", args=[attache.pk])).status_code == 302
    memberships = client.get(reverse("admin:contacts_membership_changelist")).content.decode()
    assert ">attache</a></th>" not in memberships and ">otheradmin</a></th>" in memberships
    assert "BANDAR" not in memberships
