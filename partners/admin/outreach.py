"""Admin for the outreach board: contacts and their dated history."""
