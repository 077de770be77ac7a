"""The charter app's models, one module per area: the Carta in versions, the Patto with its
signatories and signatures, and the rendered PDF documents."""

from .charters import (  # noqa: F401
    Charter,
    CharterItem,
    CharterVersion,
    CharterVersionQuerySet,
    CharterVersionStatusChange,
)
from .documents import Document, DocumentJob, DocumentKind, document_upload_to  # noqa: F401
from .pacts import (  # noqa: F401
    Decline,
    Pact,
    PactQuerySet,
    PactStatusChange,
    Signatory,
    SignatoryQuerySet,
    Signature,
)
from .qualified import QualifiedSignatureEvidence, signed_file_upload_to  # noqa: F401
