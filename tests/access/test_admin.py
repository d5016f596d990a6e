"""The Django admin is for operators (superusers) only; a post's `admin` manages people in the app.

Written as the attack of issue row 1: a post's administrator, given staff status, tried in /admin/
to place another post's chief at their own post and to set that chief's password.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse

from tenancy.markings import Channel
from tenancy.models import AuditEvent, Membership

from ..conftest import client_for
from ..factories import PASSWORD, MeetingFactory, MembershipFactory, UserFactory
from .helpers import consented_client, sign_in

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [
    "contacts_organization",
    "contacts_counterpart",
    "engagements_meeting",
    "engagements_agreement",
    "engagements_exercise",
    "engagements_actionitem",
    "reports_cable",
    "office_clearance",
    "office_gift",
    "office_clearanceleadtime",
    "office_giftthreshold",
]
PEOPLE_MODELS = ["auth_user", "tenancy_membership", "tenancy_post", "tenancy_auditevent"]
NEW_PASSWORD = "Taken-over-at-another-post-1"


@pytest.fixture
def staff_admin(post_admin):
    """The post's admin, given staff status (as provisioning once did)."""
    post_admin.is_staff = True
    post_admin.save()
    return post_admin


@pytest.fixture
def operator(django_user_model):
    return django_user_model.objects.create_superuser("operator", "op@example.org", "operator-password-123")


@pytest.fixture
def other_chief(other_post):
    user = UserFactory(username="otherchief")
    MembershipFactory(user=user, post=other_post, role="chief")
    return user


def _refused(response) -> bool:
    """Sent to the admin's login (never an admin page), or refused outright."""
    if response.status_code == 302:
        return response["Location"].startswith("/admin/login/")
    return response.status_code in (403, 404)


def test_every_registered_model_is_hardened():
    """Any new ModelAdmin must be listed here after deciding who may use it."""
    registered = {m._meta.label_lower for m in admin.site._registry}
    known = {name.replace("_", ".", 1) for name in CONTENT_MODELS} | {
        "auth.user", "auth.group", "tenancy.post", "tenancy.membership", "tenancy.auditevent",
        "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog", "otp_totp.totpdevice", "taggit.tag",
        "reports.postreporting",  # operators only (OperatorOnlyAdmin): a post's reporting settings
    }  # fmt: skip
    assert registered - known <= {m for m in registered if m.startswith("apitokens.")}, registered - known


def test_the_admin_site_is_the_operators_site():
    from attache_crm.accounts.admin_site import OperatorAdminSite

    assert isinstance(admin.site, OperatorAdminSite)


def test_our_model_admins_refuse_a_non_operator_even_with_every_permission(staff_admin):
    """Defence in depth: were the site's door opened, our ModelAdmins would still say no."""
    staff_admin.user_permissions.set(Permission.objects.all())
    staff_admin = type(staff_admin).objects.get(pk=staff_admin.pk)  # drop the permission cache
    request = RequestFactory().get("/admin/")
    request.user = staff_admin
    ours = [ma for ma in admin.site._registry.values() if ma.__module__.split(".")[0] != "django"]
    ours = [ma for ma in ours if not ma.__module__.startswith(("axes", "django_otp", "taggit"))]
    assert len(ours) >= 12
    for model_admin in ours:
        assert not model_admin.has_module_permission(request), model_admin
        assert not model_admin.has_view_permission(request), model_admin
        assert not model_admin.has_change_permission(request), model_admin
        assert not model_admin.has_delete_permission(request), model_admin


def test_staff_with_every_django_permission_gets_no_admin_page(db):
    user = UserFactory(username="staffonly", is_staff=True)
    user.user_permissions.set(Permission.objects.all())
    client = client_for(user)
    for url in ["admin:index", "admin:auth_user_changelist", "admin:tenancy_auditevent_changelist"]:
        assert _refused(client.get(reverse(url))), url


@pytest.mark.parametrize("role", ["attache", "diplomat", "chief", "admin", "outsider"])
def test_no_role_enters_the_admin(users_by_role, role):
    user = users_by_role[role]
    user.is_staff = True
    user.save()
    client = client_for(user)
    for url in ["admin:index", *[f"admin:{m}_changelist" for m in PEOPLE_MODELS + CONTENT_MODELS]]:
        response = client.get(reverse(url))
        assert _refused(response), (url, response.status_code)


# ---------------------------------------------------------------- issue row 1, as the attack


def test_post_admin_cannot_set_another_posts_chiefs_password_in_the_admin(staff_admin, other_chief):
    client = client_for(staff_admin)
    url = reverse("admin:auth_user_password_change", args=[other_chief.pk])
    assert _refused(client.get(url))
    response = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})
    assert _refused(response)
    other_chief.refresh_from_db()
    assert other_chief.check_password(PASSWORD) and not other_chief.check_password(NEW_PASSWORD)
    # The attacker's password does not sign in as the chief.
    browser = consented_client()
    sign_in(browser, "otherchief", NEW_PASSWORD)
    assert "_auth_user_id" not in browser.session


def test_post_admin_cannot_place_another_posts_chief_at_their_post_in_the_admin(staff_admin, other_chief, post):
    client = client_for(staff_admin)
    assert _refused(client.get(reverse("admin:tenancy_membership_add")))
    response = client.post(
        reverse("admin:tenancy_membership_add"), {"user": other_chief.pk, "post": post.pk, "role": "attache"}
    )
    assert _refused(response)
    assert list(Membership.objects.filter(user=other_chief).values_list("post__code", "role")) == [("OTHER", "chief")]


def test_post_admin_cannot_set_their_own_members_password_in_the_admin_either(staff_admin, attache):
    client = client_for(staff_admin)
    url = reverse("admin:auth_user_password_change", args=[attache.pk])
    assert _refused(client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}))
    attache.refresh_from_db()
    assert attache.check_password(PASSWORD)


def test_post_admin_cannot_change_a_user_or_grant_superuser_in_the_admin(staff_admin, attache):
    client = client_for(staff_admin)
    data = {"username": "attache", "is_active": "on", "is_superuser": "on", "is_staff": "on"}
    assert _refused(client.post(reverse("admin:auth_user_change", args=[staff_admin.pk]), data))
    assert _refused(client.post(reverse("admin:auth_user_change", args=[attache.pk]), data))
    staff_admin.refresh_from_db()
    attache.refresh_from_db()
    assert not staff_admin.is_superuser and not attache.is_superuser


def test_post_admin_sees_no_user_data_in_the_admin(staff_admin, attache, other_chief):
    client = client_for(staff_admin)
    for url in [
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_change", args=[other_chief.pk]),
        reverse("admin:tenancy_membership_changelist"),
    ]:
        response = client.get(url, follow=True)
        body = response.content.decode()
        assert "otherchief" not in body and ">attache<" not in body


# ---------------------------------------------------------------- operators


def test_operator_sees_content_and_restricted_notes(operator, post):
    meeting = MeetingFactory(post=post, channel=Channel.RESTRICTED, restricted_notes="RN-OPERATOR")
    body = client_for(operator).get(reverse("admin:engagements_meeting_change", args=[meeting.pk])).content.decode()
    assert "RN-OPERATOR" in body


def test_operator_sets_a_password_in_the_admin_audited_and_tokens_revoked(operator, other_chief):
    from apitokens.services import token_issue

    token, _ = token_issue(user=other_chief, name="script", lifetime_days=30)
    client = client_for(operator)
    url = reverse("admin:auth_user_password_change", args=[other_chief.pk])
    response = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})
    assert response.status_code == 302
    other_chief.refresh_from_db()
    assert other_chief.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="password_change", object_id=str(other_chief.pk))
    assert event.user == operator and event.post.code == "OTHER"
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_operator_deactivates_in_the_admin_through_the_service(operator, attache):
    client = client_for(operator)
    page = client.get(reverse("admin:auth_user_change", args=[attache.pk]))
    assert page.status_code == 200
    data = {
        "username": "attache", "email": "", "first_name": "", "last_name": "",
    }  # fmt: skip
    response = client.post(reverse("admin:auth_user_change", args=[attache.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    attache.refresh_from_db()
    assert not attache.is_active
    assert AuditEvent.objects.filter(action="deactivate", object_id=str(attache.pk), user=operator).exists()


def test_operator_places_people_at_posts_audited(operator, post):
    newcomer = UserFactory(username="newcomer")
    response = client_for(operator).post(
        reverse("admin:tenancy_membership_add"), {"user": newcomer.pk, "post": post.pk, "role": "admin"}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer, post=post, role="admin")
    assert AuditEvent.objects.filter(action="create", object_id=str(membership.pk), user=operator).exists()


def test_operator_reads_the_audit_log_in_the_admin_read_only(operator, attache, post):
    from tenancy import audit

    event = audit.record(action="create", user=attache, post=post, detail="bandar-event")
    client = client_for(operator)
    page = client.get(reverse("admin:tenancy_auditevent_change", args=[event.pk]))
    assert page.status_code == 200 and "bandar-event" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()


def test_someone_signed_in_is_told_the_admin_is_for_operators(users_by_role):
    response = client_for(users_by_role["admin"]).get(reverse("admin:index"))
    assert response.status_code == 403
    assert "for the operators of this deployment" in response.content.decode()
