"""Sign-in: notice and consent, password, second factor; and the administrator's lockout page."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import verify_token

from tenancy import audit
from tenancy.models import AuditAction, AuditOutcome

from . import otp, selectors, services
from .forms import TokenForm, UnlockForm

# Set in the (still anonymous) session once the notice has been accepted; login keeps it.
CONSENT_SESSION_KEY = "_consent_accepted"


def _next_url(request, default="dashboard") -> str:
    """The `next` parameter when it points into this site, else the default page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


@never_cache
@require_http_methods(["GET", "POST"])
def consent(request):
    """The notice-and-consent banner; accepting it opens the login form."""
    if request.method == "POST":
        request.session[CONSENT_SESSION_KEY] = True
        next_url = request.POST.get("next", "")
        return redirect(reverse("login") + (f"?{urlencode({'next': next_url})}" if next_url else ""))
    return render(request, "registration/consent.html", {"next": request.GET.get("next", "")})


@require_POST
def keepalive(request):
    """The "stay signed in" button: an ordinary request, so the idle clock starts again (the limit stays)."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "Your session has ended."}, status=401)
    return JsonResponse({"idle_limit_seconds": settings.SESSION_COOKIE_AGE})


class LoginView(auth_views.LoginView):
    """Django's login (session key rotated, axes in front) behind the notice-and-consent banner."""

    template_name = "registration/login.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.session.get(CONSENT_SESSION_KEY):
            if request.method == "POST":
                # No credentials are even looked at before the notice has been accepted.
                return redirect(request.get_full_path())
            return render(request, "registration/consent.html", {"next": request.GET.get("next", "")})
        return super().dispatch(request, *args, **kwargs)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """Second step of sign-in for users with an authenticator app."""
    devices = list(otp.confirmed_devices(request.user))
    if not devices:
        return redirect(f"{reverse('otp_setup')}?{urlencode({'next': _next_url(request)})}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        device = next((d for d in devices if verify_token(request.user, d.persistent_id, token)), None)
        if device is not None:
            otp_login(request, device)
            audit.record(action=AuditAction.LOGIN, request=request, detail="second factor verified")
            return redirect(_next_url(request))
        audit.record(
            action=AuditAction.LOGIN_FAILED,
            request=request,
            outcome=AuditOutcome.FAILURE,
            detail="wrong second-factor code",
        )
        form.add_error("token", "That code is not valid. Wait for a new code and try again.")
    return render(
        request,
        "accounts/otp_verify.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Enrol an authenticator app: show the otpauth URI and its QR code, confirm with a first code."""
    user = request.user
    if otp.confirmed_devices(user).exists():
        if not user.is_verified():
            # A password alone never replaces an enrolled device.
            return redirect(f"{reverse('otp_verify')}?{urlencode({'next': _next_url(request)})}")
        return render(
            request, "accounts/otp_setup.html", {"enrolled": True, "can_remove": not otp.is_required_by_role(user)}
        )
    device = otp.pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if verify_token(user, device.persistent_id, form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session[otp.ENROLLED_SESSION_KEY] = True
            audit.record(action=AuditAction.CREATE, request=request, obj=device, detail="second factor enrolled")
            return redirect(_next_url(request))
        form.add_error("token", "That code is not valid. Check the time on your phone and try again.")
    context = {
        "form": form,
        "enrolled": False,
        "required": otp.is_required_by_role(user),
        "otpauth_uri": device.config_url,
        "qr_svg": mark_safe(otp.qr_svg(device.config_url)),  # generated here from our own data, no user input
        "next": _next_url(request),
    }
    return render(request, "accounts/otp_setup.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def otp_remove(request):
    """Switch the optional second factor off (never for administrators)."""
    user = request.user
    if otp.is_required_by_role(user) or not user.is_verified():
        audit.record(
            action=AuditAction.ACCESS_DENIED,
            request=request,
            outcome=AuditOutcome.DENIED,
            detail="remove second factor",
        )
        raise PermissionDenied
    for device in otp.confirmed_devices(user):
        audit.record(action=AuditAction.DELETE, request=request, obj=device, detail="second factor removed")
        device.delete()
    request.session[otp.ENROLLED_SESSION_KEY] = False
    return redirect("otp_setup")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def lockouts(request):
    """Locked-out accounts of the administrator's posts; lifting a lockout is audited."""
    services.require_manager(request.user, request=request)
    if request.method == "POST":
        form = UnlockForm(request.POST)
        if not form.is_valid():
            raise Http404("No such account.")
        services.lockout_lift(by=request.user, username=form.cleaned_data["username"], request=request)
        return redirect("lockouts")
    return render(request, "accounts/lockouts.html", {"attempts": selectors.locked_out(request.user)})
