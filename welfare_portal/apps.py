from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class WelfarePortalConfig(AppConfig):
    """The project itself: pages of no app, and the reference data every app shares."""

    name = "welfare_portal"
    verbose_name = _("Portal and reference data")

    def ready(self):
        from . import checks  # noqa: F401 (registers the deployment checks)
        from .error_reporting import start_error_reporting

        start_error_reporting(settings)
