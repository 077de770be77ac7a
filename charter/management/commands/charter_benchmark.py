"""Measure how long approving a Carta with many projects takes: the snapshot, the PDF rendering
and storing, as `approve_version` does them. Everything it creates is rolled back (and the PDF
file deleted) unless --output asks to keep a copy of the PDF.

    python manage.py charter_benchmark --projects 100
"""

import datetime
import os
import time
from decimal import Decimal

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from charter import services
from charter.models import Charter, CharterItem, Document
from charter.pdf import cpu_time, peak_rss_mib
from charter.pdf_bench import render_synthetic
from partners.models import Organisation, OrganisationKind, SteeringGroupMember
from projects.models import Commitment, CommitmentKind, Proposal, ProposalPartner, Theme
from welfare_portal.models import Municipality, PolicyArea, TargetGroup, User

PARAGRAPH = (
    "Il progetto mette in rete enti locali, terzo settore e imprese del territorio per rispondere a un "
    "bisogno complesso che oggi non è di nessuno: accompagnamento, ascolto e servizi di prossimità per "
    "le persone e le famiglie, con attenzione ai passaggi di crescita del capitale sociale nel tempo."
)


class Command(BaseCommand):
    help = "Time the approval (snapshot and PDF) of a Carta with N generated projects; nothing is kept."

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=100, help="How many projects (default 100).")
        parser.add_argument("--output", help="Also write the rendered PDF to this path.")

    def handle(self, *args, **options):
        count = options["projects"]
        # The PDF is rendered as part of the approval ("eager" jobs), inside the transaction that
        # rolls everything back: queued after commit, it would never be rendered.
        with transaction.atomic(), override_settings(PORTAL_JOBS="eager"):
            started = time.perf_counter()
            version, coordinator = self._fixture(count)
            prepared = time.perf_counter() - started
            started, cpu_started = time.perf_counter(), cpu_time()
            version = services.approve_version(version, by=coordinator)
            total, cpu = time.perf_counter() - started, cpu_time() - cpu_started
            document = Document.objects.get(version=version)
            if options["output"]:
                with open(options["output"], "wb") as handle:
                    handle.write(document.read_bytes())
            document.file.delete(save=False)
            transaction.set_rollback(True)
        self.stdout.write(
            f"{count} projects: data prepared in {prepared:.2f} s; approval {total:.2f} s, of which PDF "
            f"rendering {document.render_seconds:.2f} s; {document.page_count} pages, {document.size / 1024:.0f} KiB. "
            f"CPU {cpu:.2f} s ({cpu / max(document.page_count, 1):.3f} s per page, render workers included), "
            f"peak memory {peak_rss_mib():.0f} MiB per process, load average {os.getloadavg()[0]:.2f}."
        )
        # The yardstick, same run: plain WeasyPrint on plain paragraphs, as many pages.
        pages = document.page_count
        plain = render_synthetic(pages)
        carta_per_page = (document.render_cpu_seconds or 0) / max(pages, 1)
        plain_per_page = plain.cpu_seconds / max(plain.page_count, 1)
        self.stdout.write(
            f"Rendering: {document.render_cpu_seconds or 0:.2f} s CPU ({carta_per_page:.4f} s per page); plain "
            f"WeasyPrint on {plain.page_count} synthetic pages: {plain.seconds:.2f} s wall, {plain.cpu_seconds:.2f} s CPU "
            f"({plain_per_page:.4f} s per page), load average {plain.load_average:.2f}; "
            f"ratio {carta_per_page / plain_per_page:.2f}x."
        )

    def _fixture(self, count):
        now = timezone.now()
        tag = now.strftime("%Y%m%d%H%M%S%f")  # names that cannot collide with real rows
        coordinator = User.objects.create(email=f"benchmark-{tag}@example.invalid", full_name="Benchmark")
        municipalities = [Municipality.objects.get_or_create(name=f"Comune di prova {n}")[0] for n in range(11)]
        SteeringGroupMember.objects.create(
            user=coordinator, role=SteeringGroupMember.Role.COORDINATOR, municipality=municipalities[0],
            start_date=timezone.localdate() - datetime.timedelta(days=1),
        )
        TOTP.activate(coordinator, generate_totp_secret())  # steering powers need two-factor
        organisations = [
            Organisation.objects.create(
                name=f"Ente di prova {n}", kind=OrganisationKind.VOLUNTEERING,
                seat_municipality=municipalities[n % 11],
                tax_code="", status=Organisation.Status.VERIFIED,
            )
            for n in range(30)
        ]
        themes = [
            Theme.objects.create(
                title=f"Tematica di prova {n} ({tag})", call_opens_at=now - datetime.timedelta(days=90),
                call_closes_at=now - datetime.timedelta(days=30),
            )
            for n in range(5)
        ]
        areas, targets = list(PolicyArea.objects.all()[:3]), list(TargetGroup.objects.all()[:2])
        charter = Charter.objects.create(title="Carta della cittadinanza", ambito_name=f"Benchmark {tag}")
        version = services.open_draft(by=coordinator, charter=charter)
        proposals = []
        for n in range(count):
            proposal = Proposal.objects.create(
                lead_organisation=organisations[n % 30], title=f"Progetto di prova numero {n + 1}",
                theme=themes[n % 5], status=Proposal.Status.APPROVED, submitted_at=now, decided_at=now,
                summary=PARAGRAPH, need=PARAGRAPH, objectives=PARAGRAPH, activities=PARAGRAPH * 2,
                rights=PARAGRAPH, duties=PARAGRAPH, indicators=PARAGRAPH, estimated_beneficiaries=100 + n,
                start_date=timezone.localdate(), end_date=timezone.localdate() + datetime.timedelta(days=365),
            )
            proposal.municipalities.set(municipalities[n % 9:n % 9 + 3])
            proposal.policy_areas.set(areas)
            proposal.target_groups.set(targets)
            for offset in (1, 2):
                ProposalPartner.objects.create(
                    proposal=proposal, organisation=organisations[(n + offset) % 30],
                    status=ProposalPartner.Status.ACCEPTED,
                )
            kinds = [CommitmentKind.MONEY, CommitmentKind.VOLUNTEER_HOURS, CommitmentKind.PREMISES]
            for offset, kind in enumerate(kinds):
                Commitment.objects.create(
                    proposal=proposal, organisation=organisations[(n + offset) % 30], kind=kind,
                    quantity=Decimal("100"), unit="unità", estimated_value_eur=Decimal("1000.00") * (offset + 1),
                    description="Risorsa messa in rete per il progetto.",
                )
            proposals.append(proposal)
        proposals.sort(key=lambda p: (p.theme_id, p.pk))
        CharterItem.objects.bulk_create(
            CharterItem(version=version, proposal=proposal, position=position)
            for position, proposal in enumerate(proposals, start=1)
        )
        return version, coordinator
