"""URLs for events."""

urlpatterns = []
