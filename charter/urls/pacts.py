"""Pages of the Patto: public page, the steering group's management, signing."""

urlpatterns = []
