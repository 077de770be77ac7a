"""django-filter FilterSets for the partners app's long lists, one module per area."""
