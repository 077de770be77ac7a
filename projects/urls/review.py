"""Pages of the projects app: the steering group's review of proposals and the rubric."""

from django.urls import path

from ..views import review as views
from ..views import rubric as rubric_views

urlpatterns = [
    path("regia/proposte/", views.review_queue, name="review-queue"),
    path("regia/proposte/<int:pk>/valuta/", views.proposal_evaluate, name="proposal-evaluate"),
    path("regia/proposte/<int:pk>/conflitto/", views.proposal_declare_conflict, name="proposal-declare-conflict"),
    path(
        "regia/proposte/<int:pk>/avvia-valutazione/", views.proposal_start_evaluation,
        name="proposal-start-evaluation",
    ),
    path("regia/proposte/<int:pk>/modifiche/", views.proposal_request_changes, name="proposal-request-changes"),
    path("regia/proposte/<int:pk>/decisione/", views.proposal_decide, name="proposal-decide"),
    path("regia/griglia/", rubric_views.rubric, name="rubric"),
    path("regia/griglia/nuova/", rubric_views.rubric_create, name="rubric-create"),
    path("regia/griglia/<int:pk>/attiva/", rubric_views.rubric_activate, name="rubric-activate"),
    path("regia/griglia/<int:pk>/criteri/nuovo/", rubric_views.criterion_create, name="criterion-create"),
    path("regia/griglia/criteri/<int:pk>/modifica/", rubric_views.criterion_update, name="criterion-update"),
    path("regia/griglia/criteri/<int:pk>/elimina/", rubric_views.criterion_delete, name="criterion-delete"),
]
