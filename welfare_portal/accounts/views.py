"""The personal area's pages about the person's own data: a page to download it (JSON) and
the account closure. Both need a recent re-authentication (allauth's page, password or code),
like signing the Patto: a session left open on a shared computer must not hand over the file
or close the account."""

import datetime
from urllib.parse import urlencode

from allauth.account import app_settings as allauth_settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from charter.reauthentication import recent_reauthentication

from .closure import AccountError, close_account, closure_plan
from .export import file_name, json_document
from .forms import AccountCloseForm


def is_fresh(request):
    """Whether the person re-entered their password (or code) within allauth's timeout."""
    moment = recent_reauthentication(request)
    timeout = datetime.timedelta(seconds=allauth_settings.REAUTHENTICATION_TIMEOUT)
    return moment is not None and timezone.now() - moment <= timeout


def reauthenticate_url(next_name):
    return f"{reverse('account_reauthenticate')}?{urlencode({REDIRECT_FIELD_NAME: reverse(next_name)})}"


@login_required
@require_GET
def my_data(request):
    return render(request, "welfare_portal/accounts/my_data.html", {
        "fresh": is_fresh(request), "reauthenticate_url": reauthenticate_url("my-data"),
    })


@login_required
@require_GET
@never_cache
def my_data_download(request):
    """The person's own data as a JSON attachment; theirs only, whoever asks."""
    if not is_fresh(request):
        return redirect(reauthenticate_url("my-data"))
    response = HttpResponse(json_document(request.user), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name(request.user)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_close(request):
    """What closing the account erases and keeps, what must happen first, and the confirmation."""
    fresh = is_fresh(request)
    if request.method == "POST" and not fresh:
        return redirect(reauthenticate_url("account-close"))
    form = AccountCloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            close_account(request.user, by=request.user)
        except AccountError as error:
            form.add_error(None, error.message)
        else:
            logout(request)
            messages.success(request, _(
                "Your account has been closed. A confirmation has been sent to your email address; what had to "
                "be kept as a record is kept, as the closure page said."
            ))
            return redirect("home")
    plan = closure_plan(request.user)
    return render(request, "welfare_portal/accounts/account_close.html", {
        "plan": plan, "form": form, "fresh": fresh, "reauthenticate_url": reauthenticate_url("account-close"),
    }, status=400 if form.errors else 200)
