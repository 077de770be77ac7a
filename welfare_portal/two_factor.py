"""Two-factor authentication: whether a person has an authenticator app, and where they go back
to once they have set one up.

Staff and the steering group act for the whole partnership, so a stolen password alone must not
be enough: their powers (partners.rules) hold only with an authenticator app, and
`welfare_portal.middleware.TwoFactorMiddleware` leads whoever lacks one to the set-up.
"""

from allauth.mfa.models import Authenticator
from django.utils.http import url_has_allowed_host_and_scheme

CACHE = "_has_two_factor"
# The page a person was on when sent to set up two-factor authentication.
CONTINUE_SESSION_KEY = "two_factor_continue_url"


def authenticator_apps(user):
    """What counts as two-factor authentication: an authenticator app (TOTP); recovery codes
    alone are only its back-up."""
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP)


def has_two_factor(user):
    """An authenticator app is active. Asked once per user object: the middleware, the menu and
    every permission of a page ask it, and request.user lives for one request."""
    if not user or not user.is_authenticated:
        return False
    cached = getattr(user, CACHE, None)
    if cached is None:
        cached = authenticator_apps(user).exists()
        setattr(user, CACHE, cached)
    return cached


def forget_two_factor(user):
    """For a user object that lives on after an authenticator was added or removed (tests)."""
    user.__dict__.pop(CACHE, None)


def remember_page(request):
    """Keep the page to continue on after the set-up: the page itself for a GET, the page the
    form was on (same site only) for a refused POST."""
    if request.method in ("GET", "HEAD"):
        url = request.get_full_path()
    else:
        url = request.headers.get("Referer", "")
        if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
            return
    request.session[CONTINUE_SESSION_KEY] = url


def page_to_continue(request):
    """The remembered page, once the person has an authenticator app; None before."""
    url = request.session.get(CONTINUE_SESSION_KEY)
    if url and has_two_factor(request.user):
        return url
    return None
