"""prune_files: files no row refers to (left by a rolled-back transaction) are found and,
with --delete, removed; files in use and recent files are never touched."""

import os
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.core.files.uploadedfile import SimpleUploadedFile

from projects import services
from projects.tests.factories import ProposalFactory, lead_member
from projects.tests.test_attachments import tiny_pdf

pytestmark = pytest.mark.django_db

DAY = 24 * 3600


def _file(root, name, *, age):
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.7 left behind")
    os.utime(path, (time.time() - age, time.time() - age))
    return path


def _run(*args):
    output = StringIO()
    call_command("prune_files", *args, stdout=output)
    return output.getvalue()


@pytest.fixture
def media(settings):
    proposal = ProposalFactory()
    attachment = services.add_attachment(
        proposal, by=lead_member(proposal), file=SimpleUploadedFile("progetto.pdf", tiny_pdf()),
    )
    root = settings.MEDIA_ROOT
    in_use = root / attachment.file.name
    os.utime(in_use, (time.time() - 3 * DAY, time.time() - 3 * DAY))
    return {
        "in_use": in_use,
        "old_orphan": _file(root, "documents/2026/orphan.pdf", age=2 * DAY),
        "recent_orphan": _file(root, "documents/2026/rendering-now.pdf", age=60),
    }


def test_without_delete_it_only_lists_the_old_orphans(media):
    output = _run()
    assert "documents/2026/orphan.pdf" in output and "Found 1 orphan file(s)" in output
    assert "rendering-now.pdf" not in output and "--delete" in output
    assert all(path.exists() for path in media.values())


def test_delete_removes_old_orphans_only(media):
    output = _run("--delete")
    assert "Deleted 1 orphan file(s)" in output
    assert not media["old_orphan"].exists()
    assert media["in_use"].exists() and media["recent_orphan"].exists()


def test_a_shorter_age_reaches_recent_orphans(media):
    _run("--delete", "--min-age-hours", "0")
    assert not media["recent_orphan"].exists() and media["in_use"].exists()


def test_a_negative_age_is_refused(media):
    with pytest.raises(CommandError, match="negative"):
        _run("--min-age-hours", "-1")
