"""URLs for organisations, memberships, the public directory and the staff verification pages."""

from django.urls import path

from ..views import directory, organisations, organisations_staff as staff

urlpatterns = [
    path("enti/", directory.directory, name="directory"),
    path("enti/registra/", organisations.organisation_register, name="organisation-register"),
    path("enti/miei/", organisations.my_organisations, name="my-organisations"),
    path("enti/<int:pk>/", organisations.organisation_detail, name="organisation-detail"),
    path("enti/<int:pk>/modifica/", organisations.organisation_edit, name="organisation-edit"),
    path("enti/<int:pk>/ripresenta/", organisations.organisation_resubmit, name="organisation-resubmit"),
    path("enti/<int:pk>/aderisci/", organisations.organisation_join, name="organisation-join"),
    path("adesioni/<int:pk>/accetta/", organisations.membership_accept, name="membership-accept"),
    path("adesioni/<int:pk>/rifiuta/", organisations.membership_refuse, name="membership-refuse"),
    path("gestione/", staff.staff_home, name="staff-home"),
    path("gestione/enti/", staff.staff_organisation_list, name="staff-organisation-list"),
    path("gestione/enti/<int:pk>/", staff.staff_organisation_review, name="staff-organisation-review"),
    path("gestione/enti/<int:pk>/verifica/", staff.staff_organisation_verify, name="staff-organisation-verify"),
    path("gestione/enti/<int:pk>/rifiuta/", staff.staff_organisation_reject, name="staff-organisation-reject"),
    path(
        "gestione/legali-rappresentanti/", staff.staff_legal_representative_list,
        name="staff-legal-representative-list",
    ),
    path(
        "gestione/legali-rappresentanti/<int:pk>/conferma/", staff.staff_legal_representative_confirm,
        name="staff-legal-representative-confirm",
    ),
]
