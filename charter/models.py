"""Models of the charter app; filled by later issues."""
