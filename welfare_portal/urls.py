from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views
from .accounts import views as account_views

# The admin logs in through allauth, so staff pass email verification and two-factor checks.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = settings.PORTAL_NAME
admin.site.site_title = settings.PORTAL_NAME

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibilita/", views.accessibility, name="accessibility"),
    path("area-personale/", views.personal_area, name="personal-area"),
    path("area-personale/i-miei-dati/", account_views.my_data, name="my-data"),
    path("area-personale/i-miei-dati/scarica/", account_views.my_data_download, name="my-data-download"),
    path("area-personale/chiudi-account/", account_views.account_close, name="account-close"),
    path("regia/", views.steering_workspace, name="steering-workspace"),
    path("accounts/", include("allauth.urls")),
    path("", include("partners.urls")),
    path("", include("projects.urls")),
    path("", include("charter.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

