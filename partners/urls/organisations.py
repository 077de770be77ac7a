"""URLs for organisations."""

urlpatterns = []
