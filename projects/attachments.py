"""What a proposal attachment may be: a PDF, ODT or DOCX document or a PNG or JPEG image, up to
a size set in settings. The type is read from the file's content, never from its name: a
renamed executable or a text file called `.pdf` is refused."""

import os
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from welfare_portal.fields import clean_name


ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
DOCX_MAIN_PART = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# Zip members we read are tiny in a genuine document; a larger one is refused unread.
MAX_ZIP_MEMBER_READ = 1024 * 1024


# The longest name kept (Attachment.original_name).
MAX_NAME_LENGTH = 255


@dataclass(frozen=True)
class AttachmentType:
    content_type: str
    extension: str
    other_extensions: tuple = ()

    @property
    def extensions(self):
        return (self.extension, *self.other_extensions)


PDF = AttachmentType("application/pdf", ".pdf")
PNG = AttachmentType("image/png", ".png")
JPEG = AttachmentType("image/jpeg", ".jpg", (".jpeg",))
ODT = AttachmentType("application/vnd.oasis.opendocument.text", ".odt")
DOCX = AttachmentType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx",
)
ACCEPTED_TYPES = (PDF, ODT, DOCX, PNG, JPEG)


def max_attachment_bytes():
    """The one limit of an attachment's size: the upload handler stops reading past it, the
    request is refused before reading when its declared length is over it, the form and the
    service refuse a larger file."""
    return settings.PROJECTS_ATTACHMENT_MAX_BYTES


def type_of(content_type):
    """The accepted type stored as `content_type`, or None."""
    return next((kind for kind in ACCEPTED_TYPES if kind.content_type == content_type), None)


def name_with_extension(name, kind):
    """`name` ending with an extension of `kind`, the type read from the content: "evil.html"
    holding a PDF becomes "evil.pdf", so the reader's system opens the file as what it is."""
    stem, extension = os.path.splitext(name)
    if extension.lower() in kind.extensions:
        return name
    return stem[: MAX_NAME_LENGTH - len(kind.extension)] + kind.extension


def attachment_name(uploaded_name, kind):
    """The name shown and offered on download: the uploaded file's own name (no folders, cleaned
    as names are), ending with the extension of the type read from the content."""
    name = clean_name(os.path.basename((uploaded_name or "").replace("\\", "/"))) or _("attachment")
    return name_with_extension(name[:MAX_NAME_LENGTH], kind)


def _read_zip_member(archive, name):
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_ZIP_MEMBER_READ:
        return None
    with archive.open(info) as member:
        return member.read(MAX_ZIP_MEMBER_READ + 1)


def _office_type(file):
    try:
        with zipfile.ZipFile(file) as archive:
            mimetype = _read_zip_member(archive, "mimetype")
            if mimetype is not None and mimetype.strip() == ODT_MIMETYPE:
                return ODT
            content_types = _read_zip_member(archive, "[Content_Types].xml")
            if content_types is not None and DOCX_MAIN_PART in content_types:
                return DOCX
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        return None
    return None


def detect_attachment_type(file):
    """The accepted type the content matches, or None. Leaves the file at position 0."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head.startswith(b"PK\x03\x04"):
            return _office_type(file)
        return None
    finally:
        file.seek(0)


def inspect_attachment(file):
    """Check size and type; return the AttachmentType or raise a ValidationError a person can
    act on."""
    limit = max_attachment_bytes()
    if file.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s): the limit is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    if file.size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    detected = detect_attachment_type(file)
    if detected is None:
        raise ValidationError(
            _(
                "This file is not an accepted type: upload a PDF, ODT or DOCX document, or a PNG "
                "or JPEG image. The type is read from the content, not from the name."
            ),
            code="file_type",
        )
    return detected


def validate_attachment(file):
    """Field validator, so a ModelForm on Attachment gives the same answer as the service."""
    inspect_attachment(file)
