"""Notifications about the PDFs rendered in the background."""

from django.contrib.auth import get_user_model

from .base import link, send

__all__ = ["send_document_failed"]


def staff_members():
    return list(get_user_model().objects.filter(is_staff=True, is_active=True).order_by("pk"))


def send_document_failed(job):
    """To the Ufficio di Piano: a PDF could not be rendered after its last try; the page of
    documents being prepared shows the error and queues it again."""
    send("document_failed", staff_members(), {"job": job, "link": link("charter:document-job-list")})
