"""The charter app's forms, one module per area; validation only, never a status."""
