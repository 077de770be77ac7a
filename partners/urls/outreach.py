"""URLs for outreach."""

urlpatterns = []
