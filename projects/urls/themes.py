"""Pages of the projects app: themes."""

urlpatterns = []
