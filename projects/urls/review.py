"""Pages of the projects app: review."""

urlpatterns = []
