"""Delete event registrations once the privacy notice says they are no longer kept.

The notice promises that a registration is deleted PRIVACY_EVENT_REGISTRATION_DAYS days after
its event; run this daily (with prune_files) so the promise holds. Without --delete it only
says how many it would delete.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from ...models import EventRegistration


def expired_registrations(now=None):
    """Registrations of events that started more than PRIVACY_EVENT_REGISTRATION_DAYS ago."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.PRIVACY_EVENT_REGISTRATION_DAYS)
    return EventRegistration.objects.filter(event__starts_at__lt=cutoff)


class Command(BaseCommand):
    help = "Delete the registrations of events older than PRIVACY_EVENT_REGISTRATION_DAYS."

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Delete them (default: only count).")

    def handle(self, *args, delete, **options):
        expired = expired_registrations()
        if not delete:
            self.stdout.write(f"{expired.count()} registration(s) would be deleted; run with --delete.")
            return
        deleted, _by_model = expired.delete()
        self.stdout.write(f"{deleted} registration(s) deleted.")
