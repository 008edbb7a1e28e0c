from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import match_token

from .forms import TokenForm
from .otp import pending_device, qr_data_uri, secret_text


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


@login_required
def two_factor_setup(request):
    """Enrol an authenticator app: scan the code, then confirm with the first 6-digit token."""
    device = pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("双因素认证已启用。"))
            return redirect(_next_url(request))
        form.add_error("token", _("验证码不正确,请核对手机时间后重试。"))
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr": qr_data_uri(device),
            "secret": secret_text(device),
            "next": _next_url(request),
        },
    )


@login_required
def two_factor_verify(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", _("验证码不正确或已过期。"))
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )
