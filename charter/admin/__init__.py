"""Staff pages for the Carta and the Patto. Statuses and frozen content are read-only in the
admin: its actions call the services, which render the documents."""

from . import charters, pacts  # noqa: F401  (registers the ModelAdmins)
