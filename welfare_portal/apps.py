from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfarePortalConfig(AppConfig):
    """The project itself: pages of no app, and the reference data every app shares."""

    name = "welfare_portal"
    verbose_name = _("Portal and reference data")
