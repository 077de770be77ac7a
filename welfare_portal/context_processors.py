from django.conf import settings


def portal(request):
    """Names of the partnership, shown in the header, footer and titles."""
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "PORTAL_AMBITO_NAME": settings.PORTAL_AMBITO_NAME,
    }
