"""Load demo data so a newcomer sees every feature at once. Idempotent: run it again at will."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from welfare_portal.models import Municipality, User

# The 11 municipalities of the Ambito di Legnano (DOMAIN.md). Demo data: another ambito
# loads its own through the admin.
MUNICIPALITIES = [
    "Busto Garolfo",
    "Canegrate",
    "Cerro Maggiore",
    "Dairago",
    "Legnano",
    "Nerviano",
    "Parabiago",
    "Rescaldina",
    "San Giorgio su Legnano",
    "San Vittore Olona",
    "Villa Cortese",
]

DEMO_PASSWORD = "demo-legnano-2026"

# (email, full name, role shown in the printout, is_staff)
DEMO_USERS = [
    ("staff@demo.welfare-legnano.it", "Giulia Ferrari", "staff (Ufficio di Piano)", True),
    ("regia@demo.welfare-legnano.it", "Marco Colombo", "regia member (gruppo di regia)", False),
    ("partner@demo.welfare-legnano.it", "Sara Bianchi", "partner member", False),
    ("legale@demo.welfare-legnano.it", "Luca Rossi", "legal representative", False),
]


class Command(BaseCommand):
    help = "Load demo data (municipalities, one user per role). Refuses with DEBUG off unless --force."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load demo data even with DEBUG off (never on a production database).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: this looks like production, so demo data was not loaded. "
                "Use --force if you really want demo users with a known password here."
            )
        with transaction.atomic():
            for name in MUNICIPALITIES:
                Municipality.objects.get_or_create(name=name)
            users = [self._demo_user(*row) for row in DEMO_USERS]
        self._print_logins(users)

    def _demo_user(self, email, full_name, role, is_staff):
        user, _ = User.objects.update_or_create(
            email=email,
            defaults={"full_name": full_name, "is_staff": is_staff, "is_superuser": is_staff, "is_active": True},
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user, role

    def _print_logins(self, users):
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for user, role in users:
            self.stdout.write(f"  {user.email:<36} {role}")
        self.stdout.write("Staff must set up two-factor authentication before opening the admin.")
