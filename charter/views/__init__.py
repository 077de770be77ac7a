"""The charter app's views, one module per area (versions, pacts, signing, documents)."""
