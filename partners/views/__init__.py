"""The partners app's views, one module per area (organisations, directory, steering group,
outreach, events)."""
