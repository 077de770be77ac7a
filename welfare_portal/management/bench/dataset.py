"""A large, plausible dataset for the benchmark, written with bulk_create in batches.

Rows are built as the services would leave them (statuses with their dates and history,
accepted referents, evaluations with scores on the active rubric, valid tax codes) so every
model constraint holds, but without calling the services row by row: 10,000 proposals through
the factories or the services would take longer than the whole benchmark may. The Carta is the
exception: it is opened, approved (snapshot and PDF) and published by the real services, since
their cost is what the benchmark measures.
"""

import datetime
import time
from dataclasses import dataclass, field
from decimal import Decimal

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from stdnum import luhn

from charter import services as charter_services
from charter.models import CharterItem, Document, DocumentKind
from partners.models import Membership, Organisation, OrganisationKind, SteeringGroupMember
from projects.models import (
    Commitment,
    CommitmentKind,
    Evaluation,
    Proposal,
    ProposalPartner,
    ProposalStatusChange,
    Rubric,
    Score,
    Theme,
)
from welfare_portal.models import AgeBand, Municipality, PolicyArea, TargetGroup, User

from ..demo_data import MUNICIPALITIES
from . import BenchmarkError

BATCH_SIZE = 2000
DAY = datetime.timedelta(days=1)
EMAIL_DOMAIN = "bench.invalid"
Status = Proposal.Status

# One cycle of twenty proposals: the shares of each status in the dataset.
STATUS_CYCLE = (
    [Status.DRAFT] * 3 + [Status.SUBMITTED] * 4 + [Status.IN_EVALUATION] * 5 + [Status.CHANGES_REQUESTED]
    + [Status.APPROVED] * 4 + [Status.REJECTED] * 2 + [Status.WITHDRAWN]
)
APPROVED_SHARE = STATUS_CYCLE.count(Status.APPROVED) / len(STATUS_CYCLE)
# The statuses a proposal went through to reach its own, as its history rows record them.
PATHS = {
    Status.DRAFT: [Status.DRAFT],
    Status.SUBMITTED: [Status.DRAFT, Status.SUBMITTED],
    Status.IN_EVALUATION: [Status.DRAFT, Status.SUBMITTED, Status.IN_EVALUATION],
    Status.CHANGES_REQUESTED: [Status.DRAFT, Status.SUBMITTED, Status.IN_EVALUATION, Status.CHANGES_REQUESTED],
    Status.APPROVED: [Status.DRAFT, Status.SUBMITTED, Status.IN_EVALUATION, Status.APPROVED],
    Status.REJECTED: [Status.DRAFT, Status.SUBMITTED, Status.IN_EVALUATION, Status.REJECTED],
    Status.WITHDRAWN: [Status.DRAFT, Status.SUBMITTED, Status.WITHDRAWN],
}
EVALUATED = {Status.IN_EVALUATION, Status.CHANGES_REQUESTED, Status.APPROVED, Status.REJECTED}

KIND_NAMES = {
    OrganisationKind.LOCAL_AUTHORITY: "Servizi sociali",
    OrganisationKind.PUBLIC_INSTITUTION: "Azienda pubblica",
    OrganisationKind.PRIVATE_SOCIAL_SECTOR: "Impresa sociale",
    OrganisationKind.VOLUNTEERING: "Associazione di volontariato",
    OrganisationKind.SOCIAL_COOPERATIVE: "Cooperativa sociale",
    OrganisationKind.SOCIAL_PROMOTION_ASSOCIATION: "APS",
    OrganisationKind.INFORMAL_SOLIDARITY_NETWORK: "Rete di vicinato",
    OrganisationKind.FOUNDATION: "Fondazione",
    OrganisationKind.SCHOOL: "Istituto comprensivo",
    OrganisationKind.CULTURE: "Circolo culturale",
    OrganisationKind.RESEARCH: "Centro studi",
    OrganisationKind.EDUCATIONAL_AGENCY: "Agenzia formativa",
    OrganisationKind.BUSINESS: "Consorzio di imprese",
    OrganisationKind.TRADE_UNION: "Lega sindacale",
}
WORDS = [
    "Aurora", "Il Ponte", "La Rete", "Orizzonti", "Insieme", "Il Girasole", "Primavera", "Arcobaleno",
    "La Bussola", "Il Faro", "Mani Unite", "Terra Comune", "Alto Milanese", "Olona", "Sempione",
    "Porte Aperte", "Il Melograno", "Spazio Famiglie", "Nuovi Passi", "Casa Comune",
]
THEMES = [
    "Abitare e vicinato", "Lavoro e inclusione", "Giovani e scuola", "Anziani e cura",
    "Famiglie e prima infanzia", "Disabilità e autonomia", "Mobilità e territorio", "Povertà e fragilità",
]
PARAGRAPH = (
    "Il progetto mette in rete enti locali, terzo settore e imprese del territorio per rispondere a un "
    "bisogno complesso che oggi non è di nessuno: accompagnamento, ascolto e servizi di prossimità per "
    "le persone e le famiglie, con attenzione ai passaggi di crescita del capitale sociale nel tempo."
)
COMMITMENT_KINDS = [
    (CommitmentKind.MONEY, "euro"), (CommitmentKind.VOLUNTEER_HOURS, "ore"), (CommitmentKind.PREMISES, "metri quadri"),
    (CommitmentKind.STAFF_HOURS, "ore"), (CommitmentKind.SERVICES, "servizi"), (CommitmentKind.GOODS, "pacchi"),
]


@dataclass
class Sizes:
    organisations: int = 2000
    proposals: int = 10000
    projects: int = 200

    def check(self):
        """Refuse sizes the dataset cannot hold, saying which would do."""
        if self.organisations < 10:
            raise BenchmarkError("At least 10 organisations are needed.")
        approved = sum(1 for n in range(self.proposals) if STATUS_CYCLE[n % len(STATUS_CYCLE)] == Status.APPROVED)
        if not 1 <= self.projects <= approved:
            raise BenchmarkError(
                f"{self.proposals} proposals hold {approved} approved ones: the Carta can list 1 to {approved} "
                f"projects, not {self.projects} (about {APPROVED_SHARE:.0%} of the proposals are approved)."
            )


@dataclass
class Dataset:
    """What the measurements need from the dataset, and what was built."""

    coordinator: User
    steering_member: User
    proposal: Proposal
    version: object
    document: Document
    rows: dict = field(default_factory=dict)
    build_seconds: float = 0.0
    approval_seconds: float = 0.0


def tax_code(n):
    """A valid numeric codice fiscale: 7 digits, a Milan office code (015), a Luhn check digit."""
    base = f"{n + 1:07d}015"
    return base + luhn.calc_check_digit(base)


def _bulk(model, objects, rows):
    created = model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
    rows[model._meta.label] = rows.get(model._meta.label, 0) + len(created)
    return created


def _through(relation, left, right_ids_of, rows):
    """Rows of an M2M table: `right_ids_of(index, obj)` gives the related ids of each object."""
    through = relation.through
    source = relation.field.m2m_field_name() + "_id"
    target = relation.field.m2m_reverse_field_name() + "_id"
    _bulk(through, [
        through(**{source: obj.pk, target: right_id})
        for index, obj in enumerate(left) for right_id in right_ids_of(index, obj)
    ], rows)


def _pick(items, index, count):
    """`count` distinct items starting at `index`, wrapping around."""
    return [items[(index + offset) % len(items)] for offset in range(min(count, len(items)))]


def _users(count, rows, now):
    password = make_password(None)  # unusable: the benchmark logs people in with force_login
    users = [
        User(email=f"referente{n + 1}@{EMAIL_DOMAIN}", full_name=f"Referente {n + 1}", password=password,
             date_joined=now - 400 * DAY)
        for n in range(count)
    ]
    return _bulk(User, users, rows)


def _organisations(count, municipalities, areas, staff, rows, now):
    kinds = list(KIND_NAMES)
    organisations = []
    for n in range(count):
        kind = kinds[n % len(kinds)]
        # Out of twenty: seventeen verified, two awaiting verification, one rejected.
        status = (
            Organisation.Status.REJECTED if n % 20 == 19
            else Organisation.Status.PENDING if n % 20 >= 17 else Organisation.Status.VERIFIED
        )
        verified = status == Organisation.Status.VERIFIED
        organisations.append(Organisation(
            name=f"{KIND_NAMES[kind]} {WORDS[(n * 7) % len(WORDS)]} {n + 1}", kind=kind,
            legal_form=str(kind.label), tax_code=tax_code(n), seat_municipality=municipalities[n % len(municipalities)],
            description=PARAGRAPH, website=f"https://ente{n + 1}.{EMAIL_DOMAIN}/",
            email=f"info@ente{n + 1}.{EMAIL_DOMAIN}",
            phone=f"0331 {n:06d}", status=status, created_at=now - 300 * DAY,
            rejection_reason="Manca lo statuto." if status == Organisation.Status.REJECTED else "",
            verified_at=now - 290 * DAY if verified else None, verified_by=staff if verified else None,
        ))
    organisations = _bulk(Organisation, organisations, rows)
    municipality_ids = [m.pk for m in municipalities]
    area_ids = [a.pk for a in areas]
    _through(Organisation.municipalities_served, organisations,
             lambda i, o: _pick(municipality_ids, i, 1 + i % 3), rows)
    _through(Organisation.policy_areas, organisations, lambda i, o: _pick(area_ids, i * 3, 1 + i % 2), rows)
    return organisations


def _referents(organisations, users, staff, rows, now):
    _bulk(Membership, [
        Membership(user=user, organisation=organisation, role=Membership.Role.REFERENT,
                   status=Membership.Status.ACCEPTED, requested_at=now - 300 * DAY,
                   decided_at=now - 300 * DAY, decided_by=staff)
        for organisation, user in zip(organisations, users)
    ], rows)


def _steering_group(municipalities, staff, rows, now):
    """A coordinator and three members, each representing a municipality."""
    password = make_password(None)
    people = _bulk(User, [
        User(email=f"regia{n}@{EMAIL_DOMAIN}", full_name=f"Componente regia {n}", password=password)
        for n in range(4)
    ], rows)
    _bulk(SteeringGroupMember, [
        SteeringGroupMember(
            user=user, municipality=municipalities[n],
            role=SteeringGroupMember.Role.COORDINATOR if n == 0 else SteeringGroupMember.Role.MEMBER,
            start_date=(now - 365 * DAY).date(), appointed_by=staff,
        )
        for n, user in enumerate(people)
    ], rows)
    return people


def _proposals(count, leads, referent_of, themes, rows, now, coordinator):
    proposals = []
    for n in range(count):
        status = STATUS_CYCLE[n % len(STATUS_CYCLE)]
        lead = leads[n % len(leads)]
        created = now - 200 * DAY + datetime.timedelta(minutes=n)
        submitted = created + 10 * DAY if status != Status.DRAFT else None
        decided = submitted + 20 * DAY if status in (Status.APPROVED, Status.REJECTED) else None
        start = (now + 60 * DAY).date()
        proposals.append(Proposal(
            lead_organisation=lead, created_by=referent_of[lead.pk],
            title=f"Progetto {WORDS[n % len(WORDS)]} n. {n + 1}",
            theme=themes[n % len(themes)], summary=PARAGRAPH, need=PARAGRAPH, objectives=PARAGRAPH,
            activities=PARAGRAPH * 2, estimated_beneficiaries=20 + n % 300, start_date=start,
            end_date=start + 365 * DAY, rights=PARAGRAPH, duties=PARAGRAPH, indicators=PARAGRAPH,
            status=status, created_at=created, updated_at=decided or submitted or created, submitted_at=submitted,
            changes_requested_note="Precisare gli indicatori." if status == Status.CHANGES_REQUESTED else "",
            decided_at=decided, decided_by=coordinator if decided else None,
            decision_motivation="Valutazione della regia." if decided else "",
        ))
    return _bulk(Proposal, proposals, rows)


def _proposal_relations(proposals, organisations, references, referent_of, rows):
    """M2M fields, two co-partners, three commitments and the status history of each proposal."""
    municipality_ids, area_ids, target_ids, band_ids = references
    _through(Proposal.municipalities, proposals, lambda i, p: _pick(municipality_ids, i, 1 + i % 3), rows)
    _through(Proposal.policy_areas, proposals, lambda i, p: _pick(area_ids, i * 5, 1 + i % 2), rows)
    _through(Proposal.target_groups, proposals, lambda i, p: _pick(target_ids, i, 1 + i % 2), rows)
    _through(Proposal.age_bands, proposals, lambda i, p: _pick(band_ids, i * 3, 1 + i % 2), rows)
    partners, commitments, history = [], [], []
    for n, proposal in enumerate(proposals):
        # The lead of proposal n is organisations[n % len]; its co-partners are further on.
        candidates = [organisations[(n + 1 + step * 97) % len(organisations)] for step in (0, 1)]
        co_partners = list({o.pk: o for o in candidates if o.pk != proposal.lead_organisation_id}.values())
        contributors = [proposal.lead_organisation]
        for offset, organisation in enumerate(co_partners):
            declined = proposal.status == Status.DRAFT and offset == 1
            partners.append(ProposalPartner(
                proposal=proposal, organisation=organisation,
                status=ProposalPartner.Status.DECLINED if declined else ProposalPartner.Status.ACCEPTED,
                invited_at=proposal.created_at, invited_by=proposal.created_by,
                decided_at=proposal.created_at + DAY, decided_by=referent_of.get(organisation.pk),
            ))
            if not declined:
                contributors.append(organisation)
        for offset, organisation in enumerate(contributors):
            kind, unit = COMMITMENT_KINDS[(n + offset) % len(COMMITMENT_KINDS)]
            commitments.append(Commitment(
                proposal=proposal, organisation=organisation, kind=kind, quantity=Decimal(10 + n % 90), unit=unit,
                estimated_value_eur=Decimal(500 * (1 + (n + offset) % 20)), description="Risorsa messa in rete.",
                created_at=proposal.created_at, created_by=proposal.created_by,
            ))
        path = PATHS[proposal.status]
        for step, (before, after) in enumerate(zip(["", *path], path)):
            history.append(ProposalStatusChange(
                proposal=proposal, from_status=before, to_status=after, changed_by=proposal.created_by,
                changed_at=proposal.created_at + step * 10 * DAY,
            ))
    _bulk(ProposalPartner, partners, rows)
    _bulk(Commitment, commitments, rows)
    _bulk(ProposalStatusChange, history, rows)


def _evaluations(proposals, evaluators, rows):
    """Two evaluators on each proposal under or past evaluation (one, on a third of those still
    in evaluation); one second evaluator in twenty-five declares a conflict of interest."""
    rubric = Rubric.objects.active().prefetch_related("criteria").first()
    criteria = list(rubric.criteria.all()) if rubric else []
    evaluations = []
    evaluated = [proposal for proposal in proposals if proposal.status in EVALUATED]
    for n, proposal in enumerate(evaluated):
        how_many = 1 if proposal.status == Status.IN_EVALUATION and n % 3 == 0 else 2
        for offset in range(how_many):
            conflict = offset == 1 and n % 25 == 1
            evaluations.append(Evaluation(
                proposal=proposal, evaluator=evaluators[(n + offset) % len(evaluators)], rubric=rubric,
                comment="" if conflict else "Proposta solida, indicatori da precisare.",
                submitted_at=None if conflict else proposal.submitted_at + 5 * DAY,
                conflict_declared=conflict, conflict_note="Il mio ente è partner." if conflict else "",
                conflict_declared_at=proposal.submitted_at + DAY if conflict else None,
            ))
    evaluations = _bulk(Evaluation, evaluations, rows)
    _bulk(Score, [
        Score(evaluation=evaluation, criterion=criterion, value=(n * 7 + position * 3) % 6)
        for n, evaluation in enumerate(evaluations) if not evaluation.conflict_declared
        for position, criterion in enumerate(criteria)
    ], rows)
    # The weighted score the evaluation services keep on each proposal, in one UPDATE.
    Proposal.objects.filter(status__in=EVALUATED).refresh_scores()


def _carta(approved, projects, coordinator, rows):
    """The portal's Carta with `projects` approved proposals, by the real services: a draft,
    its items (grouped by theme, as `add_proposal` orders them), approval and publication."""
    version = charter_services.open_draft(by=coordinator, charter=charter_services.default_charter())
    chosen = sorted(approved[:projects], key=lambda p: (p.theme_id, p.pk))
    CharterItem.objects.bulk_create(
        CharterItem(version=version, proposal=proposal, position=position, added_by=coordinator)
        for position, proposal in enumerate(chosen, start=1)
    )
    rows["charter.CharterItem"] = len(chosen)
    started = time.perf_counter()
    version = charter_services.approve_version(version, by=coordinator)
    approval_seconds = time.perf_counter() - started
    version = charter_services.publish_version(version, by=coordinator)
    return version, Document.objects.get(version=version, kind=DocumentKind.CHARTER), approval_seconds


def analyse():
    """Fresh statistics for PostgreSQL's planner, as a database in use would have."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def build_dataset(sizes, *, log=lambda message: None):
    """Fill the (empty, migrated) database and return what the measurements need."""
    sizes.check()
    if User.objects.exists() or Organisation.objects.exists():
        raise BenchmarkError("The database already holds people or organisations: the benchmark fills an empty one.")
    now = timezone.now()
    rows = {}
    started = time.perf_counter()
    with transaction.atomic():
        municipalities = [Municipality.objects.get_or_create(name=name)[0] for name in MUNICIPALITIES]
        areas, targets = list(PolicyArea.objects.all()), list(TargetGroup.objects.all())
        bands = list(AgeBand.objects.all())
        staff = _bulk(User, [User(email=f"ufficio@{EMAIL_DOMAIN}", full_name="Ufficio di Piano", is_staff=True,
                                  password=make_password(None))], rows)[0]
        steering = _steering_group(municipalities, staff, rows, now)
        for person in (staff, *steering):  # their powers need two-factor authentication
            TOTP.activate(person, generate_totp_secret())
        users = _users(sizes.organisations, rows, now)
        organisations = _organisations(sizes.organisations, municipalities, areas, staff, rows, now)
        _referents(organisations, users, staff, rows, now)
        log(f"  {sizes.organisations} organisations with their referents ({time.perf_counter() - started:.1f} s)")
        referent_of = {organisation.pk: user for organisation, user in zip(organisations, users)}
        themes = _bulk(Theme, [
            Theme(title=title, description=PARAGRAPH, call_opens_at=now - 220 * DAY, call_closes_at=now - 30 * DAY,
                  created_by=steering[0])
            for title in THEMES
        ], rows)
        leads = [o for o in organisations if o.status == Organisation.Status.VERIFIED]
        proposals = _proposals(sizes.proposals, leads, referent_of, themes, rows, now, steering[0])
        _proposal_relations(
            proposals, leads, ([m.pk for m in municipalities], [a.pk for a in areas], [t.pk for t in targets],
                               [b.pk for b in bands]),
            referent_of, rows,
        )
        _evaluations(proposals, steering, rows)
        log(f"  {sizes.proposals} proposals with co-partners, commitments, history and evaluations "
            f"({time.perf_counter() - started:.1f} s)")
    analyse()
    build_seconds = time.perf_counter() - started
    approved = [p for p in proposals if p.status == Status.APPROVED]
    version, document, approval_seconds = _carta(approved, sizes.projects, steering[0], rows)
    log(f"  Carta with {sizes.projects} projects approved (snapshot and PDF) and published ({approval_seconds:.1f} s)")
    analyse()
    # The page of a proposal under evaluation: two co-partners, three commitments, its history.
    shown = next(p for p in proposals if p.status == Status.IN_EVALUATION)
    return Dataset(
        coordinator=steering[0], steering_member=steering[1], proposal=shown, version=version, document=document,
        rows=rows, build_seconds=build_seconds, approval_seconds=approval_seconds,
    )
