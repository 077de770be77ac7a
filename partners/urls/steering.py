"""URLs for steering."""

urlpatterns = []
