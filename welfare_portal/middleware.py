"""Request hooks: two-factor authentication for staff, and the page language."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def has_totp(user):
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class StaffMFARequiredMiddleware:
    """Send staff without an authenticator app to MFA set-up when they open a staff page.

    Staff can manage every organisation and document, so a stolen password alone must not
    be enough; allauth then asks for the code at every login.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.is_staff
            and request.path.startswith(settings.STAFF_PATH_PREFIXES)
            and not has_totp(user)
        ):
            messages.warning(
                request,
                _("Staff pages require two-factor authentication. Set up an authenticator app to continue."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


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
