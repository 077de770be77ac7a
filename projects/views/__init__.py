"""The projects app's views, one module per area (themes, proposals, review)."""
