"""Factories for the charter app.

States that need no PDF are built directly (`PublishedVersionFactory` freezes a snapshot
without rendering; `OpenPactFactory` stores a small stand-in document), so most tests stay
fast; tests about documents go through the services, which render real PDFs.
"""

import datetime
import hashlib
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from charter.models import Charter, CharterItem, CharterVersion, Document, DocumentKind, Pact, Signatory
from charter.snapshot import build_snapshot
from projects.models import CommitmentKind, Proposal, ProposalPartner
from projects.tests.factories import (
    CommitmentFactory,
    CompleteProposalFactory,
    MembershipFactory,
    OrganisationFactory,
    ProposalPartnerFactory,
    steering_member,
)

__all__ = [
    "CharterFactory", "CharterVersionFactory", "OpenPactFactory", "PactFactory", "PublishedVersionFactory",
    "SignatoryFactory", "approved_proposal", "legal_representative", "steering_member",
]

DAY = datetime.timedelta(days=1)


def approved_proposal(title=None, *, theme=None, co_partner=True, **kwargs):
    """An approved, complete proposal whose lead commits volunteer hours; with an accepted
    co-partner committing money (and an invited one, which is not a partner yet)."""
    extra = {"theme": theme} if theme is not None else {}
    if title:
        extra["title"] = title
    proposal = CompleteProposalFactory(
        status=Proposal.Status.APPROVED, decided_at=timezone.now(), **extra, **kwargs,
    )
    CommitmentFactory(proposal=proposal, description="Volontari per le visite.")
    if co_partner:
        partner = ProposalPartnerFactory(proposal=proposal, status=ProposalPartner.Status.ACCEPTED)
        CommitmentFactory(
            proposal=proposal, organisation=partner.organisation, kind=CommitmentKind.MONEY,
            quantity=Decimal("5000"), unit="euro", estimated_value_eur=Decimal("5000.00"),
        )
        ProposalPartnerFactory(proposal=proposal, status=ProposalPartner.Status.INVITED)
    return proposal


def legal_representative(organisation, **kwargs):
    """A user who is the organisation's confirmed legal representative."""
    return MembershipFactory(organisation=organisation, confirmed_legal_representative=True, **kwargs).user


class CharterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Charter

    title = "Carta della cittadinanza"
    ambito_name = factory.Sequence(lambda n: f"Ambito di prova {n}")


class CharterVersionFactory(factory.django.DjangoModelFactory):
    """A draft listing the given `proposals` (a list) in order."""

    class Meta:
        model = CharterVersion
        skip_postgeneration_save = True

    charter = factory.SubFactory(CharterFactory)
    number = factory.Sequence(lambda n: n + 1)
    introduction = "Introduzione della Carta."
    principles = "- Partenariato\n- Diritti e doveri"

    @factory.post_generation
    def proposals(obj, create, extracted, **kwargs):
        for position, proposal in enumerate(extracted or [], start=1):
            CharterItem.objects.create(version=obj, proposal=proposal, position=position)


class PublishedVersionFactory(CharterVersionFactory):
    """A published version with its snapshot frozen (no PDF rendered); `freeze=<status>` for
    another frozen status (approved, superseded)."""

    @factory.post_generation
    def freeze(obj, create, extracted, **kwargs):
        obj.snapshot = build_snapshot(obj)
        obj.status = extracted or CharterVersion.Status.PUBLISHED
        obj.approved_at = obj.published_at = timezone.now()
        obj.save()


class PactFactory(factory.django.DjangoModelFactory):
    """A draft pact of a published version; its signatories are the snapshot's organisations."""

    class Meta:
        model = Pact
        skip_postgeneration_save = True

    version = factory.SubFactory(PublishedVersionFactory, proposals=factory.LazyFunction(lambda: [approved_proposal()]))
    title = "Patto di solidarietà"
    text = "Testo del patto."
    deadline = factory.LazyFunction(lambda: timezone.localdate() + 30 * DAY)

    @factory.post_generation
    def signatories(obj, create, extracted, **kwargs):
        for organisation in obj.version.snapshot["organisations"]:
            Signatory.objects.create(
                pact=obj, organisation_id=organisation["id"], source=Signatory.Source.CHARTER,
                organisation_name=organisation["name"], organisation_tax_code=organisation["tax_code"],
            )


class OpenPactFactory(PactFactory):
    """An open pact with a stand-in text-for-signing document (not a real PDF)."""

    status = Pact.Status.OPEN
    opened_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def document(obj, create, extracted, **kwargs):
        content = b"%PDF-1.7 stand-in for the text for signing"
        document = Document(
            kind=DocumentKind.PACT_DRAFT, pact=obj, size=len(content), page_count=1,
            sha256=hashlib.sha256(content).hexdigest(),
        )
        document.file.save("pact.pdf", ContentFile(content), save=True)


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signatory

    pact = factory.SubFactory(PactFactory)
    organisation = factory.SubFactory(OrganisationFactory, verified=True)
    source = Signatory.Source.ADDED
    organisation_name = factory.LazyAttribute(lambda o: o.organisation.name)
