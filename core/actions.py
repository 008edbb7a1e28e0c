"""One shape for every POSTed action on a record and every "new record" page: validate the form,
call the service, and show a refusal (a bad field, a DomainError from the service) without
saving anything. Views pass the service call; permission is checked before (accounts.access)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .errors import DomainError


def form_errors_text(form: BaseForm) -> str:
    """A form's errors as one message, each named by its field's label (for a page that no
    longer shows the form, e.g. a stale page's button)."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts += [f"{label}:{error}" if label else str(error) for error in errors]
    return " ".join(parts) or _("请检查填写的内容。")


def run_action(
    request: HttpRequest,
    form: BaseForm,
    perform: Callable[[dict], Any],
    *,
    success: str,
    done: str,
    rerender: Callable[[BaseForm], HttpResponse] | None = None,
) -> HttpResponse:
    """Run one POSTed action and go to ``done`` (a URL or a URL name).

    With ``rerender`` (the page still shows this form), a bad field is shown on the form in the
    page it returns; otherwise, or for a refusal the form has no field for, the reason is a
    message above ``done``."""
    try:
        if not form.is_valid():
            if rerender is not None:
                return rerender(form)
            raise DomainError(form_errors_text(form))
        perform(form.cleaned_data)
    except DomainError as error:
        if rerender is not None and error.field in form.fields:
            error.add_to(form)
            return rerender(form)
        messages.error(request, error.message)
        return redirect(done)
    messages.success(request, success)
    return redirect(done)


def form_page(
    request: HttpRequest,
    form: BaseForm,
    save: Callable[[dict], Any],
    *,
    template: str,
    context: dict,
    success: str,
    done: Callable[[Any], str] | str,
) -> HttpResponse:
    """A page with a form that creates or edits a record: on a valid POST call ``save`` and go to
    ``done`` (or ``done(saved)``); a refusal is shown on the form, nothing saved."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except DomainError as error:
            error.add_to(form)
        else:
            messages.success(request, success)
            return redirect(done(saved) if callable(done) else done)
    return render(request, template, {**context, "form": form})
