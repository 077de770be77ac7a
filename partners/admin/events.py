"""Admin for events and their registrations."""
