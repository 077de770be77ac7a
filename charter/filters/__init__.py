"""django-filter FilterSets for the charter app's lists, one module per area."""
