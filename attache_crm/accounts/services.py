"""Managing people's accounts: the one place where the rule of who may change whose account lives.

A post's `admin` manages the members of its own posts — and only those who belong to no other
post: an account that also works elsewhere answers as absent (404), since changing its password
or role would reach into a post that is not theirs. Operators (superusers) manage every account
(the Django admin calls these services too). Nobody changes their own role, status or second
factor here. Every change is one transaction and one audit event; a new password or a
deactivation also revokes the person's API tokens (which would die anyway: see apitokens).
"""

from __future__ import annotations

import secrets

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django_otp.plugins.otp_totp.models import TOTPDevice

from apitokens.services import tokens_revoke_all
from tenancy import audit, policy
from tenancy.choices import Role
from tenancy.models import AuditAction, AuditOutcome, Membership, Post

# An initial password handed over by an administrator: 24 URL-safe characters (144 bits).
INITIAL_PASSWORD_BYTES = 18


# ---------------------------------------------------------------- who manages whom


def is_operator(user) -> bool:
    return bool(user.is_active and user.is_superuser)


def managed_post_ids(by) -> list[int]:
    """Posts whose people `by` manages: those where they hold the admin role."""
    return policy.posts_with(by, policy.USER_MANAGERS)


def manageable_users(by) -> QuerySet:
    """Accounts `by` may manage: members of their posts with no membership anywhere else; never an operator."""
    users = get_user_model()._default_manager.all()
    if is_operator(by):
        return users
    posts = managed_post_ids(by)
    if not posts:
        return users.none()
    members = Membership.objects.filter(post_id__in=posts).values("user_id")
    elsewhere = Membership.objects.exclude(post_id__in=posts).values("user_id")
    return users.filter(pk__in=members, is_superuser=False).exclude(pk__in=elsewhere)


def require_manager(by, *, request=None) -> None:
    """Refuse (403, audited) anyone who manages no post's people."""
    if not is_operator(by):
        policy.require(by, "manage_users", request=request)


def person_get_or_404(by, **lookup) -> AbstractBaseUser:
    """One account `by` may manage; 404 alike for an absent account and anyone else's."""
    try:
        return manageable_users(by).get(**lookup)
    except (ValueError, TypeError, ValidationError, get_user_model().DoesNotExist) as exc:
        raise Http404("No such person.") from exc


def managed_post_or_404(by, post_or_id) -> Post:
    """A post whose people `by` manages; 404 for any other."""
    post_id = getattr(post_or_id, "pk", post_or_id)
    posts = Post.objects.all() if is_operator(by) else Post.objects.filter(pk__in=managed_post_ids(by))
    try:
        return posts.get(pk=post_id)
    except (ValueError, TypeError, Post.DoesNotExist) as exc:
        raise Http404("No such post.") from exc


def _target(by, user, *, request=None) -> AbstractBaseUser:
    """Authorize `by` for `user`: 403 if `by` manages nobody, 404 if `user` is not theirs, 403 for oneself."""
    require_manager(by, request=request)
    target = person_get_or_404(by, pk=getattr(user, "pk", user))
    if target.pk == by.pk:
        audit.record(
            action=AuditAction.ACCESS_DENIED,
            user=by,
            request=request,
            obj=target,
            outcome=AuditOutcome.DENIED,
            detail="change of one's own account",
        )
        raise policy.Denied("Nobody changes their own account here; ask another administrator.")
    return target


def _post_for_audit(by, user) -> int | None:
    """The post an account event is filed under: the first of the person's posts that `by` manages."""
    memberships = Membership.objects.filter(user=user).order_by("post__code")
    if not is_operator(by):
        memberships = memberships.filter(post_id__in=managed_post_ids(by))
    return memberships.values_list("post_id", flat=True).first()


def _checked_password(password: str, user) -> tuple[str, str]:
    """(password to set, password to show once): a given one validated, or a generated one."""
    if not password:
        generated = secrets.token_urlsafe(INITIAL_PASSWORD_BYTES)
        return generated, generated
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    return password, ""


# ---------------------------------------------------------------- changes
# Each authorizes first, outside the transaction, so that a refusal's audit event is kept.


def person_create(
    *,
    by,
    post,
    username: str,
    role: str,
    password: str = "",
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    request=None,
) -> tuple[AbstractBaseUser, str]:
    """Create an account with a role at one of `by`'s posts; returns it and the generated password ('' if given)."""
    require_manager(by, request=request)
    post = managed_post_or_404(by, post)
    if role not in Role.values:
        raise ValidationError({"role": "Choose one of the roles."})
    User = get_user_model()
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    try:
        user.full_clean(exclude=["password"], validate_unique=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    password, shown = _checked_password(password, user)
    with transaction.atomic():
        # Case-insensitively: "JDoe" next to "jdoe" is an impersonation waiting to happen.
        if User._default_manager.filter(username__iexact=username).exists():
            raise ValidationError({"username": "That username is taken."})
        user.set_password(password)
        user.save()
        Membership.objects.create(user=user, post=post, role=role)
        audit.record(
            action=AuditAction.CREATE,
            user=by,
            request=request,
            obj=user,
            post=post,
            detail=f"account {username} created: {Role(role).label} at {post.code}",
        )
    return user, shown


def person_set_role(*, by, user, post, role: str, request=None) -> Membership:
    """Change a person's role at one of `by`'s posts (never one's own)."""
    target = _target(by, user, request=request)
    post = managed_post_or_404(by, post)
    if role not in Role.values:
        raise ValidationError({"role": "Choose one of the roles."})
    with transaction.atomic():
        try:
            membership = Membership.objects.select_for_update().get(user=target, post=post)
        except Membership.DoesNotExist as exc:
            raise Http404("No such membership.") from exc
        if membership.role == role:
            return membership
        before = membership.get_role_display()
        membership.role = role
        membership.save(update_fields=["role"])
        audit.record(
            action=AuditAction.ROLE_CHANGE,
            user=by,
            request=request,
            obj=membership,
            detail=f"{target.get_username()}: {before} → {membership.get_role_display()} at {post.code}",
        )
    policy.forget_roles(target)
    return membership


def person_deactivate(*, by, user, request=None) -> AbstractBaseUser:
    """Deactivate an account: no sign-in, sessions and API tokens end; reversible."""
    return _set_active(by=by, user=user, active=False, request=request)


def person_reactivate(*, by, user, request=None) -> AbstractBaseUser:
    """Reactivate an account; tokens issued before are revoked, whoever deactivated it and how."""
    return _set_active(by=by, user=user, active=True, request=request)


def _set_active(*, by, user, active: bool, request) -> AbstractBaseUser:
    target = _target(by, user, request=request)
    if target.is_active == active:
        return target
    post = _post_for_audit(by, target)
    with transaction.atomic():
        target.is_active = active
        target.save(update_fields=["is_active"])
        # Sessions of an inactive account authenticate no more (Django's ModelBackend). Tokens
        # are revoked both ways: on reactivation too, in case the account was deactivated by a
        # path that revoked nothing (a shell, another tool).
        reason = "account reactivated" if active else "account deactivated"
        tokens_revoke_all(user=target, by=by, post=post, reason=reason, request=request)
        audit.record(
            action=AuditAction.REACTIVATE if active else AuditAction.DEACTIVATE,
            user=by,
            request=request,
            obj=target,
            post=post,
            detail=target.get_username(),
        )
    return target


def password_change_own(*, user, password: str, request=None) -> None:
    """Change one's own password (the caller has checked the current one); sessions and tokens end."""
    if not password:
        raise ValidationError({"password": "Choose a new password."})
    _set_password(by=user, target=user, password=password, post=None, reason="own password changed", request=request)


def password_reset(*, by, user, password: str = "", request=None) -> str:
    """An administrator sets a member's password; returns the generated one to hand over ('' if given)."""
    target = _target(by, user, request=request)
    post = _post_for_audit(by, target)
    return _set_password(
        by=by, target=target, password=password, post=post, reason="password reset by an administrator", request=request
    )


def _set_password(*, by, target, password: str, post, reason: str, request) -> str:
    password, shown = _checked_password(password, target)
    with transaction.atomic():
        # Django binds sessions to the password hash, so the person's other sessions end; the API
        # tokens would refuse on their own (apitokens), revoking them shows it on their token page.
        target.set_password(password)
        target.save(update_fields=["password"])
        tokens_revoke_all(user=target, by=by, post=post, reason=reason, request=request)
        audit.record(
            action=AuditAction.PASSWORD_CHANGE,
            user=by,
            request=request,
            obj=target,
            post=post,
            detail=f"{target.get_username()}: {reason}",
        )
    return shown


def password_was_set(*, by, user, request=None) -> None:
    """Record a password set by Django's own admin form (operators): audit it, revoke the API tokens."""
    post = _post_for_audit(by, user)
    with transaction.atomic():
        tokens_revoke_all(user=user, by=by, post=post, reason="password set in the admin", request=request)
        audit.record(
            action=AuditAction.PASSWORD_CHANGE,
            user=by,
            request=request,
            obj=user,
            post=post,
            detail=f"{user.get_username()}: password set in the admin",
        )


def second_factor_reset(*, by, user, request=None) -> int:
    """Remove a person's authenticator devices (lost phone); they enrol a new one at their next sign-in."""
    target = _target(by, user, request=request)
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=target).delete()
        audit.record(
            action=AuditAction.SECOND_FACTOR_RESET,
            user=by,
            request=request,
            obj=target,
            post=_post_for_audit(by, target),
            detail=f"{target.get_username()}: {removed} device(s) removed",
        )
    return removed


def lockout_lift(*, by, username: str, request=None) -> AbstractBaseUser:
    """Lift the sign-in lockout of a person `by` manages (404 for anyone else's username)."""
    require_manager(by, request=request)
    target = person_get_or_404(by, username=username)
    with transaction.atomic():
        axes_reset(username=target.get_username())
        audit.record(
            action=AuditAction.UPDATE,
            user=by,
            request=request,
            obj=target,
            post=_post_for_audit(by, target),
            detail="lockout lifted",
        )
    return target
