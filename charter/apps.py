from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharterConfig(AppConfig):
    """The documents: Carta versions, Patto, signatures, PDFs, verification."""

    name = "charter"
    verbose_name = _("Charter and pact")
