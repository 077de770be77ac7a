"""Pages of the projects app: proposals."""

urlpatterns = []
