from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    """Who takes part: organisations, memberships, steering group, outreach, events."""

    name = "partners"
    verbose_name = _("Partners")
