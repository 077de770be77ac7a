"""Staff pages for partners, one module per area. Statuses are read-only in the admin: its
actions call the services."""

from . import events, organisations, outreach  # noqa: F401  (registers the ModelAdmins)
