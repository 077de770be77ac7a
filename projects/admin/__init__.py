"""Staff pages for projects, one module per area. Statuses are read-only in the admin: its
actions call the services."""

from . import evaluations, proposals, themes, timeline  # noqa: F401  (registers the ModelAdmins)
