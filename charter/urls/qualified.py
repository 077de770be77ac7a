"""Signing the Patto with a qualified digital signature, by upload, and the signed file."""

from django.urls import path

from ..views import qualified

urlpatterns = [
    path("patto/firmatari/<int:pk>/firma-digitale/", qualified.signatory_sign_qualified,
         name="signatory-sign-qualified"),
    path("regia/patto/firmatari/<int:pk>/file-firmato/", qualified.signed_file_download,
         name="signatory-signed-file"),
]
