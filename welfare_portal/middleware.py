"""Request hooks: two-factor authentication for staff and the steering group, and the page
language."""

import rules
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy

from .two_factor import CONTINUE_SESSION_KEY, has_two_factor, remember_page


def _is_staff_account(user):
    return user.is_authenticated and (user.is_staff or user.is_superuser)


class TwoFactorMiddleware:
    """Staff need an authenticator app for every request; the steering group for its pages and
    actions.

    Staff can manage every organisation and document, so a staff account without an
    authenticator app reaches only what setting one up needs (the account pages, among them
    log-out and the set-up, and the language switch; static files are served before this) and
    is sent to the set-up from anywhere else. allauth then asks for the code at every login.

    A steering-group seat gives no power without an authenticator app (partners.rules), but
    the same person also works for their organisation, which needs none. So only when a page or
    action of theirs is refused (403, or 404 for what only the group sees) is a seat holder
    without one led to the set-up, with the reason, rather than shown the refusal. After the
    set-up, the account pages offer the way back to the page they were on.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.open_paths = (*settings.TWO_FACTOR_SETUP_PATH_PREFIXES, settings.STATIC_URL)

    def __call__(self, request):
        user = request.user
        if request.path.startswith(self.open_paths):
            return self.get_response(request)
        if _is_staff_account(user) and not has_two_factor(user):
            return self._to_set_up(request, self.STAFF_MESSAGE)
        if CONTINUE_SESSION_KEY in request.session and has_two_factor(user):
            del request.session[CONTINUE_SESSION_KEY]
        response = self.get_response(request)
        if response.status_code == 403 and self._seat_without_two_factor(user):
            # A view that renders its own refusal page rather than raising PermissionDenied.
            return self._to_set_up(request, self.STEERING_MESSAGE)
        return response

    def process_exception(self, request, exception):
        if (
            isinstance(exception, (PermissionDenied, Http404))
            and not request.path.startswith(self.open_paths)
            and self._seat_without_two_factor(request.user)
        ):
            return self._to_set_up(request, self.STEERING_MESSAGE)
        return None

    STAFF_MESSAGE = gettext_lazy(
        "Staff accounts need two-factor authentication for every page. Set up an authenticator "
        "app on your phone; then you can continue where you were."
    )
    STEERING_MESSAGE = gettext_lazy(
        "You have a seat in the steering group: its pages and actions (scoring, decisions, the "
        "Carta, the Pact, outreach, events, themes, timeline and focus groups) need two-factor "
        "authentication, so that a stolen password alone cannot act for the partnership. Set up "
        "an authenticator app on your phone; then you can continue where you were."
    )

    @staticmethod
    def _seat_without_two_factor(user):
        return (
            user.is_authenticated
            and rules.test_rule("partners.holds_steering_seat", user)
            and not has_two_factor(user)
        )

    @staticmethod
    def _to_set_up(request, message):
        remember_page(request)
        messages.warning(request, message)
        return redirect("mfa_activate_totp")


class HtmlLangMiddleware:
    """Give each page the `lang` of the language it is written in.

    design-django-theme's base template writes `<html lang="it">` outside any block, so an
    English page would tell screen readers it is Italian (WCAG 2.1, 3.1.1). This corrects the
    one attribute on the way out.
    """

    THEME_TAG = b'<html lang="it">'

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        language = get_language() or settings.LANGUAGE_CODE
        if (
            language != "it"
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and self.THEME_TAG in response.content[:512]
        ):
            response.content = response.content.replace(
                self.THEME_TAG, f'<html lang="{language}">'.encode(), 1
            )
        return response
