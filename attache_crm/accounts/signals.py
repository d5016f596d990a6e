"""Framework plumbing: authentication events go to the audit log (DESIGN §2 AuditEvent)."""

import time

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from attache_crm.middleware import SESSION_LAST_SEEN, SESSION_STARTED_AT
from tenancy import audit
from tenancy.models import AuditAction, AuditOutcome

from . import otp


def _account(username):
    """The account a failed attempt was aimed at, so that its post's admin sees it (None if no such user)."""
    if not username:
        return None
    return get_user_model()._default_manager.filter(**{get_user_model().USERNAME_FIELD: username}).first()


@receiver(user_logged_in, dispatch_uid="audit_login")
def audit_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        # The clocks of the absolute and idle session limits start at login.
        request.session[SESSION_STARTED_AT] = request.session[SESSION_LAST_SEEN] = time.time()
        otp.remember_enrolment(request.session, user)
    audit.record(action=AuditAction.LOGIN, user=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")[:150]
    audit.record(
        action=AuditAction.LOGIN_FAILED,
        user=_account(username),
        username=username,
        request=request,
        outcome=AuditOutcome.FAILURE,
        detail="locked out" if getattr(request, "axes_locked_out", False) else "wrong username or password",
    )


@receiver(user_locked_out, dispatch_uid="audit_lockout")
def audit_lockout(sender, request, username, ip_address, **kwargs):
    audit.record(
        action=AuditAction.LOCKOUT,
        user=_account(username),
        username=str(username or "")[:150],
        request=request,
        outcome=AuditOutcome.DENIED,
        detail="too many failed logins",
    )


@receiver(user_logged_out, dispatch_uid="audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if user is None:
        return
    audit.record(
        action=AuditAction.LOGOUT,
        user=user,
        request=request,
        detail=getattr(request, "session_end_reason", "") or "signed out",
    )
