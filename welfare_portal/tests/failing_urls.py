"""The portal's URLs and one page that fails, for tests of what an error leaves behind."""

from django.urls import path

from welfare_portal.urls import urlpatterns as portal_urlpatterns


def failing_page(request):
    raise RuntimeError("The page failed on purpose.")


urlpatterns = [path("pagina-che-fallisce/", failing_page), *portal_urlpatterns]
