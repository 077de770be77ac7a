"""Factories for themes, focus groups, milestones, proposals, co-partners and evaluations.

States are traits or plain keyword arguments (`ProposalFactory(status=...)` sets
`submitted_at` as a submitted proposal has it); `CompleteProposalFactory` fills every field
required for submission.
"""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from partners.tests.factories import MembershipFactory, OrganisationFactory, SteeringGroupMemberFactory
from projects.models import (
    Commitment,
    CommitmentKind,
    Criterion,
    Evaluation,
    FocusGroup,
    FocusGroupMembership,
    Meeting,
    Milestone,
    Phase,
    Proposal,
    ProposalPartner,
    Rubric,
    Score,
    Theme,
)
from welfare_portal.models import AgeBand, PolicyArea, TargetGroup
from welfare_portal.tests.factories import MunicipalityFactory, UserFactory

DAY = datetime.timedelta(days=1)

__all__ = [
    "CommitmentFactory", "CompleteProposalFactory", "CriterionFactory", "EvaluationFactory", "FocusGroupFactory",
    "FocusGroupMembershipFactory", "MeetingFactory", "MembershipFactory", "MilestoneFactory",
    "OrganisationFactory", "ProposalFactory", "ProposalPartnerFactory", "RubricFactory", "ScoreFactory",
    "SteeringGroupMemberFactory", "ThemeFactory", "UserFactory", "lead_member", "steering_member",
]


class ThemeFactory(factory.django.DjangoModelFactory):
    """A theme whose call is open now; `closed=True` or `upcoming=True` for the others."""

    class Meta:
        model = Theme

    title = factory.Sequence(lambda n: f"Tematica {n}")
    description = "Abitare, lavoro e relazioni nei comuni dell'ambito."
    call_opens_at = factory.LazyFunction(lambda: timezone.now() - 10 * DAY)
    call_closes_at = factory.LazyFunction(lambda: timezone.now() + 20 * DAY)

    class Params:
        closed = factory.Trait(
            call_opens_at=factory.LazyFunction(lambda: timezone.now() - 60 * DAY),
            call_closes_at=factory.LazyFunction(lambda: timezone.now() - DAY),
        )
        upcoming = factory.Trait(
            call_opens_at=factory.LazyFunction(lambda: timezone.now() + DAY),
            call_closes_at=factory.LazyFunction(lambda: timezone.now() + 30 * DAY),
        )


class FocusGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusGroup
        skip_postgeneration_save = True

    theme = factory.SubFactory(ThemeFactory)
    title = factory.Sequence(lambda n: f"Focus group {n}")

    @factory.post_generation
    def facilitators(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.facilitators.set(extracted)


class FocusGroupMembershipFactory(factory.django.DjangoModelFactory):
    """An accepted member organisation; pass `status=` for requests and invitations."""

    class Meta:
        model = FocusGroupMembership

    focus_group = factory.SubFactory(FocusGroupFactory)
    organisation = factory.SubFactory(OrganisationFactory, verified=True)
    status = FocusGroupMembership.Status.ACCEPTED


class MeetingFactory(factory.django.DjangoModelFactory):
    """A meeting that took place yesterday, in a place."""

    class Meta:
        model = Meeting

    focus_group = factory.SubFactory(FocusGroupFactory)
    title = factory.Sequence(lambda n: f"Incontro {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() - DAY)
    place = "Sala consiliare, Legnano"
    agenda = "Presentazione dei partecipanti; bisogni del territorio."


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    phase = Phase.FOCUS_GROUPS
    title = factory.Sequence(lambda n: f"Scadenza {n}")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + 10 * DAY)


class ProposalFactory(factory.django.DjangoModelFactory):
    """A draft led by a verified organisation under an open theme."""

    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    lead_organisation = factory.SubFactory(OrganisationFactory, verified=True)
    title = factory.Sequence(lambda n: f"Proposta {n}")
    theme = factory.SubFactory(ThemeFactory)
    status = Proposal.Status.DRAFT
    submitted_at = factory.LazyAttribute(
        lambda o: None if o.status in (Proposal.Status.DRAFT, Proposal.Status.WITHDRAWN) else timezone.now() - DAY
    )


class CompleteProposalFactory(ProposalFactory):
    """A draft with every field required for submission filled in."""

    summary = "Una rete di vicinato per gli anziani soli."
    need = "Anziani soli senza rete familiare."
    objectives = "Ridurre l'isolamento."
    activities = "Visite settimanali, trasporto, spesa a domicilio."
    estimated_beneficiaries = 120
    start_date = factory.LazyFunction(lambda: timezone.localdate() + 30 * DAY)
    end_date = factory.LazyFunction(lambda: timezone.localdate() + 400 * DAY)
    rights = "Diritto a una vita di relazione."
    duties = "I beneficiari partecipano alle attività del quartiere."
    indicators = "Numero di anziani raggiunti; ore di volontariato."

    @factory.post_generation
    def reference_data(obj, create, extracted, **kwargs):
        if create:
            obj.target_groups.set(TargetGroup.objects.filter(slug="older-people"))
            obj.age_bands.set(AgeBand.objects.filter(min_age=65))
            obj.municipalities.set([MunicipalityFactory(name="Legnano")])
            obj.policy_areas.set(PolicyArea.objects.filter(slug__in=["social-services", "transport"]))


class ProposalPartnerFactory(factory.django.DjangoModelFactory):
    """An invited co-partner; pass `status=` for the others."""

    class Meta:
        model = ProposalPartner

    proposal = factory.SubFactory(ProposalFactory)
    organisation = factory.SubFactory(OrganisationFactory, verified=True)
    status = ProposalPartner.Status.INVITED


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    proposal = factory.SubFactory(ProposalFactory)
    organisation = factory.LazyAttribute(lambda o: o.proposal.lead_organisation)
    kind = CommitmentKind.VOLUNTEER_HOURS
    quantity = Decimal("100")
    unit = "ore"
    estimated_value_eur = Decimal("1500.00")


class RubricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rubric

    name = factory.Sequence(lambda n: f"Griglia {n}")


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    rubric = factory.SubFactory(RubricFactory)
    name = factory.Sequence(lambda n: f"Criterio {n}")
    weight = Decimal("1")


class EvaluationFactory(factory.django.DjangoModelFactory):
    """A submitted evaluation without scores; add them with ScoreFactory."""

    class Meta:
        model = Evaluation

    proposal = factory.SubFactory(ProposalFactory, status=Proposal.Status.IN_EVALUATION)
    evaluator = factory.SubFactory(UserFactory)
    submitted_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        """Leave the proposal's stored score as the services would."""
        if create:
            Proposal.objects.filter(pk=instance.proposal_id).refresh_scores()


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    evaluation = factory.SubFactory(EvaluationFactory)
    criterion = factory.SubFactory(CriterionFactory)
    value = 3

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        """Leave the proposal's stored score as the services would."""
        if create:
            Proposal.objects.filter(evaluations=instance.evaluation_id).refresh_scores()


def lead_member(proposal, **kwargs):
    """A user who is an accepted member of the proposal's lead organisation."""
    return MembershipFactory(organisation=proposal.lead_organisation, **kwargs).user


def steering_member(**kwargs):
    """A user with a current seat in the steering group (`coordinator=True` for the coordinator)."""
    return SteeringGroupMemberFactory(**kwargs).user
