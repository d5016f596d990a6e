"""The people pages: a post's `admin` manages the accounts of its own posts' members, nobody else's.

The attack of issue row 1 through the app: the admin of BANDAR goes after the chief of OTHER
(and after a BANDAR member who also works at OTHER, an operator, an account of no post) by id
and by username — refused as absent, and nothing changes. Every change is an audit event.
"""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from apitokens.models import PersonalAccessToken
from apitokens.services import token_issue
from attache_crm.accounts import services
from tenancy import policy
from tenancy.models import AuditEvent, Membership

from ..conftest import client_for
from ..factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Correct-horse-battery-staple-9"
ACTIONS = ["person_role", "person_deactivate", "person_reactivate", "person_second_factor_reset", "person_unlock"]


@pytest.fixture
def other_chief(other_post):
    user = UserFactory(username="otherchief")
    MembershipFactory(user=user, post=other_post, role="chief")
    return user


@pytest.fixture
def two_posts_member(post, other_post):
    """A diplomat at BANDAR who is also an attaché at OTHER: BANDAR's admin must not reach them."""
    user = UserFactory(username="twoposts")
    MembershipFactory(user=user, post=post, role="diplomat")
    MembershipFactory(user=user, post=other_post, role="attache")
    return user


@pytest.fixture
def operator_member(post):
    user = get_user_model().objects.create_superuser("opmember", "op@example.org", PASSWORD)
    MembershipFactory(user=user, post=post, role="chief")
    return user


@pytest.fixture
def unplaced(db):
    return UserFactory(username="unplaced")


@pytest.fixture
def admin_client(post_admin):
    return client_for(post_admin)


def _state(user):
    """Everything an account change could alter."""
    user = get_user_model().objects.get(pk=user.pk)
    return (
        user.password,
        user.is_active,
        user.is_superuser,
        sorted(Membership.objects.filter(user=user).values_list("post__code", "role")),
        TOTPDevice.objects.filter(user=user).count(),
        PersonalAccessToken.objects.filter(user=user, revoked_at__isnull=True).count(),
    )


def _lock_out(username):
    AccessAttempt.objects.create(
        username=username,
        ip_address="127.0.0.1",
        user_agent="test",
        http_accept="*/*",
        path_info="/accounts/login/",
        attempt_time=timezone.now(),
        failures_since_start=3,
    )


def _arm(user):
    """Give the account a device, a token and a lockout, so that any change to them would show."""
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    token_issue(user=user, name="script", lifetime_days=30)
    _lock_out(user.get_username())


# ---------------------------------------------------------------- the attack (issue row 1)


@pytest.mark.parametrize("target", ["other_chief", "two_posts_member", "operator_member", "unplaced"])
def test_post_admin_reaches_no_account_outside_their_posts(request, admin_client, post, target):
    user = request.getfixturevalue(target)
    _arm(user)
    before = _state(user)
    events = AuditEvent.objects.exclude(action="access_denied").count()
    assert admin_client.get(reverse("person_detail", args=[user.pk])).status_code == 404
    assert admin_client.get(reverse("person_password", args=[user.pk])).status_code == 404
    password_post = {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    assert admin_client.post(reverse("person_password", args=[user.pk]), password_post).status_code == 404
    for name in ACTIONS:
        response = admin_client.post(reverse(name, args=[user.pk]), {"post": post.pk, "role": "chief"})
        assert response.status_code == 404, name
    assert admin_client.post(reverse("lockouts"), {"username": user.username}).status_code == 404
    assert _state(user) == before
    assert AccessAttempt.objects.filter(username=user.username).exists()
    assert AuditEvent.objects.exclude(action="access_denied").count() == events
    listing = admin_client.get(reverse("people_list")).content.decode()
    assert user.username not in listing


def test_post_admin_cannot_place_another_posts_chief_at_their_post_by_username(admin_client, post, other_chief):
    before = _state(other_chief)
    data = {"post": post.pk, "username": "otherchief", "role": "chief", "password": "", "password_again": ""}
    response = admin_client.post(reverse("person_new"), data)
    assert response.status_code == 400 and "That username is taken." in response.content.decode()
    data["username"] = "OtherChief"  # case does not make a second account of the same name
    assert admin_client.post(reverse("person_new"), data).status_code == 400
    assert _state(other_chief) == before
    assert not get_user_model().objects.filter(username="OtherChief").exists()


def test_post_admin_cannot_add_a_person_at_another_post(admin_client, post_admin, other_post):
    data = {"post": other_post.pk, "username": "planted", "role": "chief", "password": "", "password_again": ""}
    response = admin_client.post(reverse("person_new"), data)
    assert response.status_code == 400  # not one of the form's choices
    assert not get_user_model().objects.filter(username="planted").exists()
    with pytest.raises(Http404):  # the service says so itself, whatever the form offered
        services.person_create(by=post_admin, post=other_post, username="planted", role="chief")
    assert not get_user_model().objects.filter(username="planted").exists()


def test_post_admin_cannot_move_a_member_to_another_post_by_role_change(admin_client, attache, other_post):
    response = admin_client.post(reverse("person_role", args=[attache.pk]), {"post": other_post.pk, "role": "chief"})
    assert response.status_code == 400
    assert list(Membership.objects.filter(user=attache).values_list("post__code", "role")) == [("BANDAR", "attache")]


def test_services_refuse_other_posts_accounts_whatever_the_interface(post_admin, other_chief, post):
    before = _state(other_chief)
    for call in [
        lambda: services.password_reset(by=post_admin, user=other_chief, password=NEW_PASSWORD),
        lambda: services.person_set_role(by=post_admin, user=other_chief, post=post, role="attache"),
        lambda: services.person_deactivate(by=post_admin, user=other_chief),
        lambda: services.second_factor_reset(by=post_admin, user=other_chief),
        lambda: services.lockout_lift(by=post_admin, username="otherchief"),
    ]:
        with pytest.raises(Http404):
            call()
    assert _state(other_chief) == before


@pytest.mark.parametrize("role", ["attache", "diplomat", "chief", "outsider"])
def test_other_roles_manage_nobody(users_by_role, role, attache):
    user = users_by_role[role]
    client = client_for(user)
    assert client.get(reverse("people_list")).status_code == 403
    assert client.post(reverse("person_password", args=[attache.pk]), {}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.password_reset(by=user, user=attache, password=NEW_PASSWORD)
    assert get_user_model().objects.get(pk=attache.pk).check_password(PASSWORD)


def test_an_admin_does_not_change_their_own_account_here(admin_client, post_admin, post):
    before = _state(post_admin)
    assert (
        admin_client.post(reverse("person_role", args=[post_admin.pk]), {"post": post.pk, "role": "chief"}).status_code
        == 403
    )
    refused = admin_client.post(reverse("person_deactivate", args=[post_admin.pk]))
    assert refused.status_code == 403 and "ask another administrator" in refused.content.decode()
    assert admin_client.post(reverse("person_second_factor_reset", args=[post_admin.pk])).status_code == 403
    assert _state(post_admin) == before
    assert AuditEvent.objects.filter(action="access_denied", user=post_admin).exists()


def test_the_people_page_lists_the_members_of_the_admins_posts(admin_client, attache, chief, outsider):
    body = admin_client.get(reverse("people_list")).content.decode()
    assert ">attache<" in body and ">chief<" in body and "outsider" not in body


def test_people_is_in_the_navigation_of_admins_only(admin_client, attache):
    people = f'href="{reverse("people_list")}"'
    assert people in admin_client.get(reverse("dashboard")).content.decode()
    assert people not in client_for(attache).get(reverse("dashboard")).content.decode()


# ---------------------------------------------------------------- changes, each audited


def test_admin_adds_a_person_with_a_chosen_password(admin_client, post_admin, post):
    data = {
        "post": post.pk, "username": "jdoe", "role": "diplomat", "first_name": "Jane", "last_name": "Doe",
        "email": "jdoe@example.org", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD,
    }  # fmt: skip
    response = admin_client.post(reverse("person_new"), data)
    user = get_user_model().objects.get(username="jdoe")
    assert response.status_code == 302 and response["Location"] == reverse("person_detail", args=[user.pk])
    assert user.check_password(NEW_PASSWORD) and user.is_active and not user.is_staff and not user.is_superuser
    assert Membership.objects.get(user=user).role == "diplomat"
    event = AuditEvent.objects.get(action="create", object_id=str(user.pk))
    assert event.user == post_admin and event.post == post and NEW_PASSWORD not in event.detail


def test_admin_adds_a_person_with_a_generated_password_shown_once(admin_client, post):
    data = {"post": post.pk, "username": "newbie", "role": "attache", "password": "", "password_again": ""}
    response = admin_client.post(reverse("person_new"), data)
    assert response.status_code == 201
    shown = response.context["password"]
    assert len(shown) >= 20 and shown in response.content.decode()
    assert get_user_model().objects.get(username="newbie").check_password(shown)
    assert shown not in "".join(AuditEvent.objects.values_list("detail", flat=True))


@pytest.mark.parametrize(
    "change,message",
    [
        ({"password": "short", "password_again": "short"}, "at least 15"),
        ({"password": NEW_PASSWORD, "password_again": NEW_PASSWORD + "x"}, "differ"),
        ({"username": "bad name!"}, "valid username"),
        ({"username": ""}, "required"),
        ({"role": "superuser"}, "valid choice"),
        ({"email": "not-an-address"}, "valid email"),
    ],
)
def test_adding_a_person_with_bad_input_is_a_400_and_saves_nothing(admin_client, post, change, message):
    data = {"post": post.pk, "username": "jdoe", "role": "diplomat", "password": "", "password_again": ""}
    response = admin_client.post(reverse("person_new"), {**data, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(username__in=["jdoe", "bad name!"]).exists()


def test_admin_changes_a_members_role_audited(admin_client, post_admin, attache, post):
    response = admin_client.post(reverse("person_role", args=[attache.pk]), {"post": post.pk, "role": "chief"})
    assert response.status_code == 302
    assert Membership.objects.get(user=attache, post=post).role == "chief"
    attache = get_user_model().objects.get(pk=attache.pk)
    assert policy.role_at(attache, post) == "chief"
    event = AuditEvent.objects.get(action="role_change")
    assert event.user == post_admin and event.post == post and "Attaché → Chief of mission" in event.detail


def test_a_bad_role_is_a_400_with_the_page(admin_client, attache, post):
    response = admin_client.post(reverse("person_role", args=[attache.pk]), {"post": post.pk, "role": "root"})
    assert response.status_code == 400 and "valid choice" in response.content.decode()
    assert Membership.objects.get(user=attache).role == "attache"


def test_admin_resets_a_members_password_audited_sessions_and_tokens_end(admin_client, post_admin, attache, post):
    """Issue row 1: the password change of a member writes an audit event."""
    _, token_text = token_issue(user=attache, name="script", lifetime_days=30)
    attache_browser = client_for(attache)
    assert attache_browser.get(reverse("dashboard")).status_code == 200
    data = {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    response = admin_client.post(reverse("person_password", args=[attache.pk]), data)
    assert response.status_code == 302
    assert get_user_model().objects.get(pk=attache.pk).check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="password_change")
    assert event.user == post_admin and event.post == post and event.object_id == str(attache.pk)
    assert NEW_PASSWORD not in event.detail
    assert attache_browser.get(reverse("dashboard")).status_code == 302  # their session ended
    assert PersonalAccessToken.objects.get(user=attache).revoked_at is not None


def test_admin_sets_a_generated_password_shown_once(admin_client, attache):
    response = admin_client.post(reverse("person_password", args=[attache.pk]), {})
    assert response.status_code == 200
    assert get_user_model().objects.get(pk=attache.pk).check_password(response.context["password"])
    assert AuditEvent.objects.filter(action="password_change", object_id=str(attache.pk)).exists()


def test_a_weak_password_is_a_400_and_changes_nothing(admin_client, attache):
    data = {"password": "password", "password_again": "password"}
    response = admin_client.post(reverse("person_password", args=[attache.pk]), data)
    assert response.status_code == 400 and "too common" in response.content.decode()
    assert get_user_model().objects.get(pk=attache.pk).check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="password_change").exists()


def test_admin_deactivates_and_reactivates_audited(admin_client, post_admin, attache, post):
    attache_browser = client_for(attache)
    assert admin_client.post(reverse("person_deactivate", args=[attache.pk])).status_code == 302
    assert not get_user_model().objects.get(pk=attache.pk).is_active
    assert attache_browser.get(reverse("dashboard")).status_code == 302  # signed out at once
    assert admin_client.post(reverse("person_reactivate", args=[attache.pk])).status_code == 302
    assert get_user_model().objects.get(pk=attache.pk).is_active
    actions = list(AuditEvent.objects.filter(user=post_admin, post=post).values_list("action", flat=True))
    assert "deactivate" in actions and "reactivate" in actions


def test_admin_resets_a_members_second_factor_audited(admin_client, post_admin, attache):
    TOTPDevice.objects.create(user=attache, name="lost phone", confirmed=True)
    assert admin_client.post(reverse("person_second_factor_reset", args=[attache.pk])).status_code == 302
    assert not TOTPDevice.objects.filter(user=attache).exists()
    event = AuditEvent.objects.get(action="second_factor_reset")
    assert event.user == post_admin and "1 device" in event.detail


def test_admin_lifts_a_members_lockout_from_the_person_page(admin_client, post_admin, attache):
    _lock_out("attache")
    page = admin_client.get(reverse("person_detail", args=[attache.pk])).content.decode()
    assert "locked out" in page
    assert admin_client.post(reverse("person_unlock", args=[attache.pk])).status_code == 302
    assert not AccessAttempt.objects.filter(username="attache").exists()
    assert AuditEvent.objects.filter(action="update", detail="lockout lifted", user=post_admin).exists()


@pytest.mark.parametrize("name", ACTIONS)
def test_changes_need_post(admin_client, attache, name):
    assert admin_client.get(reverse(name, args=[attache.pk])).status_code == 405


def test_the_admin_reads_the_account_events_in_the_audit_log(admin_client, attache):
    admin_client.post(reverse("person_deactivate", args=[attache.pk]))
    body = admin_client.get(reverse("audit_list"), {"action": "deactivate"}).content.decode()
    assert "Account deactivated" in body


# ---------------------------------------------------------------- one's own password


def test_own_password_change_needs_the_current_one(attache):
    client = client_for(attache)
    data = {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post(reverse("password_change"), data).status_code == 400
    assert get_user_model().objects.get(pk=attache.pk).check_password(PASSWORD)


def test_own_password_change_is_audited_and_keeps_this_session(attache):
    client = client_for(attache)
    data = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post(reverse("password_change"), data).status_code == 302
    assert get_user_model().objects.get(pk=attache.pk).check_password(NEW_PASSWORD)
    assert client.get(reverse("dashboard")).status_code == 200
    event = AuditEvent.objects.get(action="password_change")
    assert event.user == attache and "own password" in event.detail


def test_service_refuses_an_empty_own_password(attache):
    with pytest.raises(ValidationError):
        services.password_change_own(user=attache, password="")


def test_the_person_page_counts_api_tokens_and_calendar_feeds_apart(admin_client, diplomat):
    from calendars.services import feed_issue

    token_issue(user=diplomat, name="export script", lifetime_days=30)
    feed_issue(user=diplomat, lifetime_days=30, all_channels=False)
    body = admin_client.get(reverse("person_detail", args=[diplomat.pk])).content.decode()
    assert "<dt>Live API tokens</dt><dd>1</dd>" in body
    assert "<dt>Live calendar feeds</dt><dd>1</dd>" in body
