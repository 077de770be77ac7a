"""Template tags of the partners app, one library per area."""
