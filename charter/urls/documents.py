"""The staff's page of PDFs being prepared in the background."""

from django.urls import path

from ..views import document_jobs

urlpatterns = [
    path("gestione/documenti/", document_jobs.document_job_list, name="document-job-list"),
    path("gestione/documenti/<int:pk>/riprova/", document_jobs.document_job_retry, name="document-job-retry"),
]
