"""Load demo data so a newcomer sees every feature at once. Idempotent: run it again at will.

Every row is looked up by a natural key (email, tax code, name) and created only when missing;
states (verified, joined, waiting list...) and dates are set when a row is created and left
alone afterwards, so a second run changes nothing, and neither undoes what someone did in the
demo since. The data are fictional; only the municipalities are real.
"""

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from partners.models import (
    Event,
    EventRegistration,
    Membership,
    MembershipStatusChange,
    Organisation,
    OrganisationStatusChange,
    OutreachContact,
    OutreachStatusChange,
    SteeringGroupMember,
)
from charter.demo import load_charter_demo
from projects.demo import load_projects_demo
from welfare_portal.models import Municipality, PolicyArea, User

from ..demo_data import (
    DEMO_PASSWORD,
    DEMO_USERS,
    EVENT_CAPACITY,
    EVENT_DESCRIPTION,
    EVENT_PLACE,
    EVENT_REGISTRATIONS,
    EVENT_TITLE,
    HOME_ORGANISATION,
    LEGAL_REPRESENTATIVE_TAX_CODE,
    MUNICIPALITIES,
    OUTREACH_CONTACTS,
    PENDING_ORGANISATIONS,
    REJECTED_ORGANISATION,
    REJECTION_REASON,
    STEERING_SEATS,
    VERIFIED_ORGANISATIONS,
    demo_email,
    numeric_tax_code,
)


class Command(BaseCommand):
    help = (
        "Load demo data (municipalities, users, organisations, steering group, outreach, launch "
        "event). Refuses with DEBUG off unless --force."
    )

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
        self.now = timezone.now()
        self.today = timezone.localdate()
        with transaction.atomic():
            self.municipalities = {
                name: Municipality.objects.get_or_create(name=name)[0] for name in MUNICIPALITIES
            }
            self.policy_areas = {area.slug: area for area in PolicyArea.objects.all()}
            users = [self._demo_user(*row) for row in DEMO_USERS]
            self.users = {login: user for (login, *_rest), (user, _role) in zip(DEMO_USERS, users)}
            self.organisations = self._organisations()
            self._memberships()
            self._steering_group()
            self._outreach()
            self._launch_event()
            load_projects_demo(stdout=self.stdout)
            load_charter_demo(stdout=self.stdout)
        self._print_logins(users)

    def _ago(self, days):
        return self.now - datetime.timedelta(days=days)

    def _demo_user(self, login, full_name, role, is_staff):
        email = demo_email(login)
        user, _ = User.objects.update_or_create(
            email=email,
            defaults={"full_name": full_name, "is_staff": is_staff, "is_superuser": False, "is_active": True},
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user, role

    # --- Organisations and memberships --------------------------------------------------------

    def _organisations(self):
        staff, referent = self.users["staff"], self.users["referente"]
        # Whoever registered an organisation is its referent: legale@ for the home organisation,
        # and the steering members who represent one.
        creators = {HOME_ORGANISATION: self.users["legale"]}
        for login, _role, organisation, *_rest in STEERING_SEATS:
            if organisation:
                creators[organisation] = self.users[login]
        organisations = {}
        for row in VERIFIED_ORGANISATIONS:
            organisations[row[0]] = self._organisation(
                row, Organisation.Status.VERIFIED, referent=creators.get(row[0]), staff=staff,
            )
        for row in PENDING_ORGANISATIONS:
            organisations[row[0]] = self._organisation(
                row, Organisation.Status.PENDING, referent=referent, staff=staff,
            )
        organisations[REJECTED_ORGANISATION[0]] = self._organisation(
            REJECTED_ORGANISATION, Organisation.Status.REJECTED, referent=referent, staff=staff,
        )
        return organisations

    def _organisation(self, row, status, *, referent, staff):
        """An organisation registered by its referent (or by staff, when it has none here)."""
        name, kind, legal_form, tax_digits, seat, served, areas, description = row
        created_by, verified_by = referent or staff, staff
        tax_code = numeric_tax_code(tax_digits) if tax_digits else ""
        profile = {
            "name": name, "kind": kind, "legal_form": legal_form,
            "seat_municipality": self.municipalities[seat], "description": description,
            "email": f"info@{slugify(name)}.example.org",
        }
        created_at = self._ago(200)
        state = {"status": status, "created_at": created_at, "created_by": created_by}
        if status == Organisation.Status.VERIFIED:
            state.update(verified_at=self._ago(180), verified_by=verified_by)
        if status == Organisation.Status.REJECTED:
            state["rejection_reason"] = REJECTION_REASON
        lookup = {"tax_code": tax_code} if tax_code else {"name": name, "tax_code": ""}
        organisation, created = Organisation.objects.update_or_create(
            **lookup, defaults=profile, create_defaults={**lookup, **profile, **state},
        )
        organisation.municipalities_served.set([self.municipalities[m] for m in served])
        organisation.policy_areas.set([self.policy_areas[slug] for slug in areas if slug in self.policy_areas])
        if created:
            OrganisationStatusChange.objects.create(
                organisation=organisation, from_status="", to_status=Organisation.Status.PENDING,
                changed_by=created_by, changed_at=created_at,
            )
            if status != Organisation.Status.PENDING:
                OrganisationStatusChange.objects.create(
                    organisation=organisation, from_status=Organisation.Status.PENDING, to_status=status,
                    changed_by=verified_by, changed_at=self._ago(180),
                    note=REJECTION_REASON if status == Organisation.Status.REJECTED else "",
                )
        if referent is not None:
            self._membership(
                referent, organisation, Membership.Role.REFERENT, Membership.Status.ACCEPTED,
                decided_by=referent, note="Ha registrato l'organizzazione.", days=200,
            )
        return organisation

    def _membership(self, user, organisation, role, status, *, decided_by=None, note="", days=30, **extra):
        decided = status != Membership.Status.PENDING
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=organisation,
            defaults={
                "role": role, "status": status, "requested_at": self._ago(days),
                "decided_at": self._ago(days - 1) if decided else None, "decided_by": decided_by, **extra,
            },
        )
        if created:
            if decided and decided_by != user:
                MembershipStatusChange.objects.create(
                    membership=membership, from_status="", to_status=Membership.Status.PENDING,
                    changed_by=user, changed_at=self._ago(days),
                )
                MembershipStatusChange.objects.create(
                    membership=membership, from_status=Membership.Status.PENDING, to_status=status,
                    changed_by=decided_by, changed_at=self._ago(days - 1),
                )
            else:
                MembershipStatusChange.objects.create(
                    membership=membership, from_status="", to_status=status, changed_by=user,
                    changed_at=self._ago(days), note=note,
                )
        return membership

    def _memberships(self):
        home = self.organisations[HOME_ORGANISATION]
        legal_representative = self.users["legale"]
        # legale@ registered the organisation (a referent); staff then confirmed the role.
        Membership.objects.filter(
            user=legal_representative, organisation=home, confirmed_at__isnull=True,
        ).update(
            role=Membership.Role.LEGAL_REPRESENTATIVE,
            representative_tax_code=LEGAL_REPRESENTATIVE_TAX_CODE,
            confirmed_at=self._ago(170), confirmed_by=self.users["staff"],
        )
        self._membership(
            self.users["partner"], home, Membership.Role.MEMBER, Membership.Status.ACCEPTED,
            decided_by=legal_representative, days=150,
        )
        self._membership(self.users["richiesta"], home, Membership.Role.MEMBER, Membership.Status.PENDING, days=3)

    # --- Steering group, outreach, event ------------------------------------------------------

    def _steering_group(self):
        for login, role, organisation, municipality, started, ended in STEERING_SEATS:
            user = self.users[login]
            if user.steering_seats.exists():
                continue
            SteeringGroupMember.objects.create(
                user=user, role=role,
                organisation=self.organisations[organisation] if organisation else None,
                municipality=self.municipalities[municipality] if municipality else None,
                start_date=self.today - datetime.timedelta(days=started),
                end_date=self.today - datetime.timedelta(days=ended) if ended is not None else None,
                appointed_at=self._ago(started + 5), appointed_by=self.users["staff"],
                ended_by=self.users["staff"] if ended is not None else None,
            )

    def _outreach(self):
        for name, email, kind, municipality, login, path, notes, joined in OUTREACH_CONTACTS:
            member = self.users[login]
            first_day = 40
            contact, _ = OutreachContact.objects.update_or_create(
                name=name,
                defaults={
                    "email": email, "kind": kind, "municipality": self.municipalities[municipality],
                    "notes": notes, "assigned_to": member,
                },
                create_defaults={
                    "name": name, "email": email, "kind": kind, "municipality": self.municipalities[municipality],
                    "notes": notes, "assigned_to": member, "status": path[-1],
                    "organisation": self.organisations[joined] if joined else None,
                    "invited_at": self._ago(first_day - 12) if OutreachContact.Status.CONTACTED in path else None,
                    "created_at": self._ago(first_day), "created_by": member,
                },
            )
            for step, (from_status, to_status) in enumerate(zip(["", *path], path)):
                OutreachStatusChange.objects.get_or_create(
                    contact=contact, from_status=from_status, to_status=to_status,
                    defaults={
                        "changed_by": member, "changed_at": self._ago(first_day - 10 * step),
                        "note": notes if to_status == path[-1] and step else "",
                    },
                )

    def _launch_event(self):
        starts_at = (timezone.localtime(self.now) + datetime.timedelta(days=21)).replace(
            hour=17, minute=30, second=0, microsecond=0
        )
        event, _ = Event.objects.get_or_create(
            title=EVENT_TITLE,
            defaults={
                "starts_at": starts_at, "place": EVENT_PLACE, "description": EVENT_DESCRIPTION,
                "capacity": EVENT_CAPACITY, "created_by": self.users["regia"], "created_at": self._ago(20),
            },
        )
        if event.is_past:  # keep the launch event upcoming in a demo database loaded long ago
            event.starts_at = starts_at
            event.save(update_fields=["starts_at"])
        for position, (name, email, organisation, status) in enumerate(EVENT_REGISTRATIONS):
            registered_at = self._ago(14 - position)
            EventRegistration.objects.get_or_create(
                event=event, email=email,
                defaults={
                    "name": name, "organisation_name": organisation, "status": status,
                    "privacy_consent_at": registered_at, "registered_at": registered_at,
                    "cancelled_at": self._ago(2) if status == EventRegistration.Status.CANCELLED else None,
                },
            )

    def _print_logins(self, users):
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for user, role in users:
            self.stdout.write(f"  {user.email:<40} {role}")
        self.stdout.write(
            "Staff, and steering-group members before their first steering action, set up two-factor "
            "authentication (any TOTP app) when they log in."
        )
