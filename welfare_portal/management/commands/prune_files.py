"""Delete stored files that no row refers to.

A PDF is rendered, and an upload saved, before the row that refers to it commits; when that
transaction rolls back the file stays behind with nothing pointing at it. Run this now and
then (a daily cron job is plenty). Files younger than --min-age-hours are always kept: their
transaction may still be running. Without --delete it only reports what it would remove.
"""

import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import models


def referenced_names():
    """Every file name a FileField of any model holds, as stored (relative to MEDIA_ROOT)."""
    names = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and not field.many_to_many:
                names.update(
                    model._default_manager.exclude(**{field.name: ""}).exclude(**{f"{field.name}__isnull": True})
                    .values_list(field.name, flat=True).iterator()
                )
    return names


def orphan_files(root, referenced, *, older_than):
    """(path, size) of the files under `root` that are not referenced and were last written
    before the timestamp `older_than`."""
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.relative_to(root).as_posix() not in referenced:
            stat = path.stat()
            if stat.st_mtime < older_than:
                yield path, stat.st_size


class Command(BaseCommand):
    help = "Remove stored files (PDFs, attachments, signed files) that no record refers to."

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Delete them (default: only list).")
        parser.add_argument(
            "--min-age-hours", type=float, default=24,
            help="Keep files written less than this many hours ago (default 24).",
        )

    def handle(self, *args, delete, min_age_hours, **options):
        if not isinstance(default_storage, FileSystemStorage):
            raise CommandError("Only files on the local file system (MEDIA_ROOT) can be pruned.")
        if min_age_hours < 0:
            raise CommandError("--min-age-hours cannot be negative.")
        root = Path(settings.MEDIA_ROOT)
        if not root.is_dir():
            self.stdout.write("No media folder: nothing to prune.")
            return
        referenced = referenced_names()
        orphans = list(orphan_files(root, referenced, older_than=time.time() - min_age_hours * 3600))
        for path, size in orphans:
            if delete:
                path.unlink(missing_ok=True)
            self.stdout.write(f"{'deleted' if delete else 'orphan'}: {path.relative_to(root)} ({size} bytes)")
        total = sum(size for _path, size in orphans)
        verb = "Deleted" if delete else "Found"
        self.stdout.write(f"{verb} {len(orphans)} orphan file(s), {total} bytes; {len(referenced)} file(s) in use.")
        if orphans and not delete:
            self.stdout.write("Run again with --delete to remove them.")
