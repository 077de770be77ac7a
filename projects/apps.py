from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """What is proposed: themes, focus groups, timeline, proposals, evaluations."""

    name = "projects"
    verbose_name = _("Projects")
