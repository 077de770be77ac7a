"""Models of the partners app; filled by later issues."""
