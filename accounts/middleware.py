"""Session lifetime and password expiry, enforced on every request."""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

SESSION_AUTH_AT = "_auth_at"
SESSION_SEEN_AT = "_seen_at"
# Refresh the idle clock at most this often, so an active user does not write the session on
# every request.
_SEEN_RESOLUTION = 60


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


class SessionTimeoutMiddleware:
    """Idle timeout (SESSION_IDLE_TIMEOUT) and absolute timeout (SESSION_ABSOLUTE_TIMEOUT)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            session = request.session
            auth_at = session.get(SESSION_AUTH_AT)
            seen_at = session.get(SESSION_SEEN_AT, auth_at)
            if auth_at is None:
                session[SESSION_AUTH_AT] = session[SESSION_SEEN_AT] = now
            elif now - auth_at > settings.SESSION_ABSOLUTE_TIMEOUT:
                return self._expire(request, _("登录已超过12小时,请重新登录。"))
            elif now - seen_at > settings.SESSION_IDLE_TIMEOUT:
                return self._expire(request, _("长时间未操作,已自动退出,请重新登录。"))
            elif now - seen_at >= _SEEN_RESOLUTION:
                session[SESSION_SEEN_AT] = now
        return self.get_response(request)

    def _expire(self, request, message: str):
        logout(request)
        if _is_api(request):
            return JsonResponse({"detail": message}, status=401)
        messages.warning(request, message)
        return redirect(f"{reverse('login')}?next={request.path}")


def mark_session_start(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver: the absolute timeout counts from here."""
    now = int(time.time())
    request.session[SESSION_AUTH_AT] = now
    request.session[SESSION_SEEN_AT] = now


class PasswordExpiryMiddleware:
    """After PASSWORD_EXPIRY_DAYS (0 = never) a user can do nothing but change the password."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        days = settings.PASSWORD_EXPIRY_DAYS
        if days and user is not None and user.is_authenticated and self._expired(user, days):
            allowed = {
                reverse("password_change"),
                reverse("password_change_done"),
                reverse("logout"),
            }
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                message = _("您的密码已超过%(days)d天未修改,请先修改密码。") % {"days": days}
                if _is_api(request):
                    return JsonResponse({"detail": message}, status=403)
                messages.warning(request, message)
                return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def _expired(user, days: int) -> bool:
        changed = user.password_changed_at
        return changed is None or changed < timezone.now() - timedelta(days=days)


class TwoFactorMiddleware:
    """TOTP second factor: required of staff roles when OTP_REQUIRED_FOR_STAFF is on, and of
    anyone who enrolled a device. Until verified, only the enrolment/verification pages, logout
    and static files answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_verified():
            from .otp import has_device, requires_two_factor

            enrolled = has_device(user)
            if enrolled or requires_two_factor(user):
                target = "two_factor_verify" if enrolled else "two_factor_setup"
                allowed = {reverse(target), reverse("logout")}
                if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                    if _is_api(request):
                        return JsonResponse({"detail": _("请先完成双因素认证。")}, status=403)
                    return redirect(f"{reverse(target)}?next={request.path}")
        return self.get_response(request)
