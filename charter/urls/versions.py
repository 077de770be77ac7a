"""Pages of the Carta: public versions, the steering group's drafts, documents."""

urlpatterns = []
