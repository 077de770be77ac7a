"""Models of the projects app; filled by later issues."""
