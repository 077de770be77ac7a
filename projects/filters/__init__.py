"""django-filter FilterSets for the projects app's long lists, one module per area."""
