"""When the person behind a request last proved again who they are, for the signing page.

allauth records each authentication step of the session in a list (see
`allauth.account.authentication.get_authentication_records`): the password form of its
`account_reauthenticate` page adds `{"method": "password", "at": <epoch>, "reauthenticated":
True}`, the MFA re-authentication page `{"method": "mfa", ..., "reauthenticated": True}`. The
login itself is not flagged: signing asks for a deliberate re-authentication, like allauth's own
`did_recently_reauthenticate`.
"""

import datetime

from allauth.account.authentication import get_authentication_records


def recent_reauthentication(request):
    """The aware datetime of the session's latest re-authentication, or None."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    moments = [
        record["at"] for record in get_authentication_records(request, user)
        if record.get("reauthenticated") and isinstance(record.get("at"), (int, float))
    ]
    if not moments:
        return None
    return datetime.datetime.fromtimestamp(max(moments), tz=datetime.timezone.utc)
