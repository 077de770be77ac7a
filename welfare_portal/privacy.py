"""What the privacy notice states about the deployment: controller, data-protection officer,
processors and retention, all from settings (welfare_portal.settings, "Privacy" block).

Each value says whether it is still the settings' example: a notice that names the wrong
controller misleads everyone who reads it, so the page marks those values until the operator
sets them.
"""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Value:
    text: object
    example: bool


def _value(name):
    return Value(getattr(settings, name), name in settings.PRIVACY_EXAMPLE_SETTINGS)


def notice_context():
    """The template context of /privacy/."""
    values = {
        "controller_name": _value("PRIVACY_CONTROLLER_NAME"),
        "controller_address": _value("PRIVACY_CONTROLLER_ADDRESS"),
        "controller_email": _value("PRIVACY_CONTROLLER_EMAIL"),
        "controller_pec": _value("PRIVACY_CONTROLLER_PEC"),
        "dpo_name": _value("PRIVACY_DPO_NAME"),
        "dpo_email": _value("PRIVACY_DPO_EMAIL"),
        "processors": _value("PRIVACY_PROCESSORS"),
    }
    return {
        **values,
        "has_examples": any(value.example for value in values.values()),
        "event_registration_days": settings.PRIVACY_EVENT_REGISTRATION_DAYS,
        "log_retention_days": settings.PRIVACY_LOG_RETENTION_DAYS,
    }
