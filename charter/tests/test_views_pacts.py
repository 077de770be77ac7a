"""The Patto's pages: the public page, and the steering group's pages that prepare the pact,
manage its signatories, open it, follow the answers, send reminders and close it. Each action
is tried by the role that may do it and refused to the others, with the database unchanged."""

import datetime
import hashlib

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from charter.models import CharterVersion, Decline, DocumentKind, Pact, Signatory, Signature
from charter.services.signing import record_fingerprint
from charter.tests.factories import (
    CharterVersionFactory,
    OpenPactFactory,
    PactFactory,
    PublishedVersionFactory,
    SignatoryFactory,
    approved_proposal,
    legal_representative,
    steering_member,
)
from charter.texts import DEFAULT_PACT_TEXT
from partners.models import Membership
from projects.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english_pages(client):
    """Pages follow the browser's language: ask for English to assert on the msgids."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def url(name, *args):
    return reverse(f"charter:{name}", args=args)


def login(client, user):
    client.force_login(user)
    return user


def as_coordinator(client):
    return login(client, steering_member(coordinator=True))


def as_member(client):
    return login(client, steering_member())


def as_staff(client):
    return login(client, UserFactory(staff=True, totp=True))


def as_partner(client):
    """A logged-in partner with no role in the steering group."""
    return login(client, MembershipFactory().user)


def login_redirect(response):
    return response.status_code == 302 and response.url.startswith(reverse("account_login"))


def sign_directly(pact, organisation, *, when=None):
    """A signature row as the service writes it (the signing pages have their own tests)."""
    signer = legal_representative(organisation, user=UserFactory(full_name="Luca Rossi"))
    document = pact.documents.get(kind=DocumentKind.PACT_DRAFT)
    signature = Signature(
        pact=pact, organisation=organisation, signer=signer, signer_name=signer.full_name, signer_email=signer.email,
        full_name=signer.full_name, consent_text="Sì", signed_at=when or timezone.now(),
        reauthenticated_at=timezone.now(), document=document, document_sha256=document.sha256,
    )
    signature.record_sha256 = record_fingerprint(signature)
    signature.save()
    return signature


def decline_directly(pact, organisation, reason="Non abbiamo risorse."):
    return Decline.objects.create(
        pact=pact, organisation=organisation, reason=reason, declined_by=legal_representative(organisation),
    )


def signatories(pact):
    return list(pact.signatories.order_by("pk"))


# --- The public page -------------------------------------------------------------------------


def test_public_page_shows_text_signatories_answers_resources_and_the_document(client):
    pact = OpenPactFactory(text="Ci impegniamo insieme.\n\n- Primo punto\n- Secondo punto")
    signed, declined = signatories(pact)
    sign_directly(pact, signed.organisation, when=timezone.make_aware(datetime.datetime(2026, 10, 5, 11)))
    decline_directly(pact, declined.organisation)
    awaiting = SignatoryFactory(pact=pact, organisation_name="Fondazione Ticino Olona")

    response = client.get(url("pact-detail", pact.pk))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Ci impegniamo insieme." in content and "<li>Secondo punto</li>" in content
    rows = {row.pk: row for row in response.context["signatories"]}
    assert rows[signed.pk].has_signed and rows[declined.pk].has_declined
    assert not (rows[awaiting.pk].has_signed or rows[awaiting.pk].has_declined)
    assert "signed on Oct. 5, 2026 by Luca Rossi, legal representative" in content
    assert "declined on" in content and "Awaiting an answer" in content
    # The resources: one table per partner, theme and municipality, each with its caption.
    for caption in ("Resources per partner", "Resources per theme", "Resources per municipality"):
        assert f"<caption>{caption}</caption>" in content
    assert "€ 6,500.00" in content and "Legnano" in content
    # The text for signing, with its fingerprint next to it; no signed document while open.
    document = pact.documents.get()
    assert document.sha256 in content
    assert response.context["final_document"] is None


def test_public_page_totals_in_italian_formatting(client):
    pact = OpenPactFactory()
    response = client.get(url("pact-detail", pact.pk), HTTP_ACCEPT_LANGUAGE="it")
    assert "€ 6.500,00" in response.content.decode()


def test_public_page_links_to_the_pdf_download(client):
    pact = OpenPactFactory()
    document = pact.documents.get()
    download = reverse("charter:document-download", args=[document.pk])
    assert f'href="{download}"' in client.get(url("pact-detail", pact.pk)).content.decode()


def test_closed_pact_shows_the_signed_document_and_its_fingerprint(client):
    pact = OpenPactFactory()
    for signatory in signatories(pact):
        sign_directly(pact, signatory.organisation)
    coordinator = steering_member(coordinator=True)
    from charter import services

    services.close_pact(pact, by=coordinator)
    final = pact.documents.get(kind=DocumentKind.PACT_FINAL)

    response = client.get(url("pact-detail", pact.pk))

    assert response.context["final_document"] == final
    content = response.content.decode()
    assert final.sha256 in content and pact.documents.get(kind=DocumentKind.PACT_DRAFT).sha256 in content
    assert final.sha256 == hashlib.sha256(final.read_bytes()).hexdigest()


@pytest.mark.parametrize("who, status", [
    ("anonymous", 404), ("partner", 404), ("member", 200), ("staff", 200),
])
def test_a_draft_pact_is_seen_only_by_the_steering_group_and_staff(client, who, status):
    pact = PactFactory()
    {"anonymous": lambda c: None, "partner": as_partner, "member": as_member, "staff": as_staff}[who](client)
    response = client.get(url("pact-detail", pact.pk))
    assert response.status_code == status
    if status == 200:
        assert "This pact is being prepared" in response.content.decode()


def test_the_legal_representative_finds_the_link_to_sign_on_the_public_page(client):
    pact = OpenPactFactory()
    signatory = signatories(pact)[0]
    login(client, legal_representative(signatory.organisation))
    content = client.get(url("pact-detail", pact.pk)).content.decode()
    assert f'href="{url("signatory-sign", signatory.pk)}"' in content


def test_only_the_steering_group_sees_the_management_link(client):
    pact = OpenPactFactory()
    progress = f'href="{url("pact-progress", pact.pk)}"'
    assert progress not in client.get(url("pact-detail", pact.pk)).content.decode()
    as_member(client)
    assert progress in client.get(url("pact-detail", pact.pk)).content.decode()


@pytest.mark.parametrize("size", [5, 50])
def test_public_page_runs_a_constant_number_of_queries(client, django_assert_max_num_queries, size):
    pact = OpenPactFactory()
    for n in range(size):
        signatory = SignatoryFactory(pact=pact)
        if n % 3 == 0:
            sign_directly(pact, signatory.organisation)
        elif n % 3 == 1:
            decline_directly(pact, signatory.organisation)
    # The pact with its version, the signatories with their answers, the documents.
    with django_assert_max_num_queries(3):
        response = client.get(url("pact-detail", pact.pk))
    assert len(response.context["signatories"]) == size + 2


# --- Preparing the pact ----------------------------------------------------------------------


def test_steering_member_prepares_the_pact_from_the_seeds_text(client):
    version = PublishedVersionFactory(proposals=[approved_proposal()])
    as_member(client)

    form = client.get(url("pact-create", version.pk)).context["form"]
    assert form["text"].value() == DEFAULT_PACT_TEXT
    deadline = timezone.localdate() + 20 * DAY
    response = client.post(url("pact-create", version.pk), {
        "title": "Patto di solidarietà 2026", "text": "Il testo del patto.", "deadline": deadline.isoformat(),
    })

    pact = Pact.objects.get(version=version)
    assert response.status_code == 302 and response.url == url("pact-progress", pact.pk)
    assert (pact.title, pact.text, pact.deadline, pact.status) == (
        "Patto di solidarietà 2026", "Il testo del patto.", deadline, Pact.Status.DRAFT,
    )
    assert pact.signatories.count() == 2  # the lead and the accepted co-partner


def test_preparing_with_a_past_deadline_shows_the_error_and_creates_nothing(client):
    version = PublishedVersionFactory(proposals=[approved_proposal()])
    as_member(client)
    response = client.post(url("pact-create", version.pk), {
        "title": "Patto", "text": "Testo.", "deadline": (timezone.localdate() - DAY).isoformat(),
    })
    assert response.status_code == 200
    assert "Choose a deadline from today onwards." in response.content.decode()
    assert not Pact.objects.exists()


def test_preparing_refused_to_whoever_is_not_in_the_steering_group(client):
    version = PublishedVersionFactory(proposals=[approved_proposal()])
    assert login_redirect(client.get(url("pact-create", version.pk)))
    as_partner(client)
    assert client.get(url("pact-create", version.pk)).status_code == 403
    response = client.post(url("pact-create", version.pk), {
        "title": "Patto", "text": "Testo.", "deadline": (timezone.localdate() + DAY).isoformat(),
    })
    assert response.status_code == 403 and not Pact.objects.exists()


def test_preparing_a_second_pact_leads_to_the_first(client):
    pact = PactFactory()
    as_member(client)
    response = client.get(url("pact-create", pact.version.pk))
    assert response.status_code == 302 and response.url == url("pact-progress", pact.pk)
    assert Pact.objects.count() == 1


def test_preparing_a_pact_for_a_version_that_is_not_published_is_refused(client):
    approved = PublishedVersionFactory(proposals=[approved_proposal()], freeze=CharterVersion.Status.APPROVED)
    as_member(client)
    response = client.get(url("pact-create", approved.pk), follow=True)
    assert "A pact can be prepared only for the published version of the Carta." in response.content.decode()
    assert not Pact.objects.exists()


def test_a_draft_version_is_not_found_by_a_partner(client):
    draft = CharterVersionFactory()
    as_partner(client)
    assert client.get(url("pact-create", draft.pk)).status_code == 404


def test_steering_member_edits_the_draft(client):
    pact = PactFactory()
    as_member(client)
    deadline = timezone.localdate() + 40 * DAY
    response = client.post(url("pact-update", pact.pk), {
        "title": "Nuovo titolo", "text": "Nuovo testo.", "deadline": deadline.isoformat(),
    })
    assert response.status_code == 302
    pact.refresh_from_db()
    assert (pact.title, pact.text, pact.deadline) == ("Nuovo titolo", "Nuovo testo.", deadline)


def test_an_empty_title_is_refused_next_to_the_field(client):
    pact = PactFactory(title="Patto")
    as_member(client)
    response = client.post(url("pact-update", pact.pk), {
        "title": "", "text": "Nuovo testo.", "deadline": pact.deadline.isoformat(),
    })
    assert response.status_code == 200 and response.context["form"].errors["title"]
    pact.refresh_from_db()
    assert (pact.title, pact.text) == ("Patto", "Testo del patto.")


def test_an_open_pact_can_no_longer_be_edited(client):
    pact = OpenPactFactory()
    as_member(client)
    response = client.post(url("pact-update", pact.pk), {
        "title": "Cambiato", "text": "Cambiato.", "deadline": pact.deadline.isoformat(),
    }, follow=True)
    assert "its text and signatories no longer change" in response.content.decode()
    pact.refresh_from_db()
    assert pact.title == "Patto di solidarietà"


@pytest.mark.parametrize("factory, status", [(PactFactory, 404), (OpenPactFactory, 403)])
def test_editing_refused_to_a_partner(client, factory, status):
    pact = factory()
    assert login_redirect(client.get(url("pact-update", pact.pk)))
    as_partner(client)
    response = client.post(url("pact-update", pact.pk), {
        "title": "Cambiato", "text": "Cambiato.", "deadline": pact.deadline.isoformat(),
    })
    assert response.status_code == status
    pact.refresh_from_db()
    assert pact.title == "Patto di solidarietà"


# --- Signatories -----------------------------------------------------------------------------


def test_steering_member_adds_a_verified_organisation(client):
    pact = PactFactory()
    foundation = OrganisationFactory(verified=True, name="Fondazione Ticino Olona")
    pending = OrganisationFactory(name="Associazione in attesa")
    as_member(client)

    form = client.get(url("signatory-add", pact.pk)).context["form"]
    choices = list(form.fields["organisation"].queryset)
    assert foundation in choices and pending not in choices
    assert not any(s.organisation in choices for s in pact.signatories.all())  # already signatories

    response = client.post(url("signatory-add", pact.pk), {
        "organisation": foundation.pk, "responsibilities": "Un bando dedicato.",
    })
    assert response.status_code == 302
    added = pact.signatories.get(organisation=foundation)
    assert (added.source, added.responsibilities, added.organisation_name) == (
        Signatory.Source.ADDED, "Un bando dedicato.", "Fondazione Ticino Olona",
    )


def test_adding_an_unverified_organisation_is_refused(client):
    pact = PactFactory()
    pending = OrganisationFactory()
    as_member(client)
    response = client.post(url("signatory-add", pact.pk), {"organisation": pending.pk})
    assert response.status_code == 200 and response.context["form"].errors["organisation"]
    assert not pact.signatories.filter(organisation=pending).exists()


def test_signatories_are_managed_only_by_the_steering_group(client):
    pact = PactFactory()
    organisation = OrganisationFactory(verified=True)
    added = SignatoryFactory(pact=pact)
    assert login_redirect(client.post(url("signatory-add", pact.pk), {"organisation": organisation.pk}))
    as_partner(client)
    assert client.post(url("signatory-add", pact.pk), {"organisation": organisation.pk}).status_code == 404
    assert client.post(url("signatory-update", added.pk), {"responsibilities": "x"}).status_code == 404
    assert client.post(url("signatory-remove", added.pk)).status_code == 404
    assert pact.signatories.count() == 3
    added.refresh_from_db()
    assert added.responsibilities == ""


def test_steering_member_states_a_signatorys_responsibilities(client):
    pact = PactFactory()
    signatory = signatories(pact)[0]
    as_member(client)
    response = client.post(url("signatory-update", signatory.pk), {"responsibilities": "Coordina i volontari."})
    assert response.status_code == 302
    signatory.refresh_from_db()
    assert signatory.responsibilities == "Coordina i volontari."


def test_only_added_signatories_can_be_removed(client):
    pact = PactFactory()
    partner = signatories(pact)[0]
    added = SignatoryFactory(pact=pact)
    as_member(client)

    assert client.get(url("signatory-remove", added.pk)).status_code == 405
    response = client.post(url("signatory-remove", partner.pk), follow=True)
    assert "is a partner in the Carta&#x27;s projects: it cannot be removed" in response.content.decode()
    assert Signatory.objects.filter(pk=partner.pk).exists()

    response = client.post(url("signatory-remove", added.pk))
    assert response.status_code == 302 and not Signatory.objects.filter(pk=added.pk).exists()


def test_signatories_no_longer_change_once_open(client):
    pact = OpenPactFactory()
    added = SignatoryFactory(pact=pact)
    as_member(client)
    response = client.post(url("signatory-remove", added.pk), follow=True)
    assert "can change only while it is being prepared" in response.content.decode()
    response = client.post(url("signatory-add", pact.pk), {"organisation": OrganisationFactory(verified=True).pk})
    assert response.status_code == 302
    assert pact.signatories.count() == 3


# --- Progress --------------------------------------------------------------------------------


def test_progress_shows_representatives_answers_and_counts(client):
    pact = OpenPactFactory()
    signed, declined = signatories(pact)
    sign_directly(pact, signed.organisation)
    decline_directly(pact, declined.organisation, reason="Non abbiamo risorse.")
    confirmed = SignatoryFactory(pact=pact, organisation_name="Comune di Parabiago")
    legal_representative(confirmed.organisation, user=UserFactory(full_name="Maria Verdi"))
    missing = SignatoryFactory(pact=pact, organisation_name="Cooperativa Senza Legale")
    MembershipFactory(organisation=missing.organisation, role=Membership.Role.LEGAL_REPRESENTATIVE)  # unconfirmed
    as_member(client)

    response = client.get(url("pact-progress", pact.pk))

    assert response.status_code == 200
    assert response.context["counts"] == {
        "total": 4, "signed": 1, "declined": 1, "awaiting": 2, "missing_representative": 1,
        "all_missing_representative": 1,
    }
    content = response.content.decode()
    assert "Maria Verdi" in content and "Non abbiamo risorse." in content
    assert f'<tr data-signatory="{missing.pk}">' in content
    missing_row = content.split(f'<tr data-signatory="{missing.pk}">')[1].split("</tr>")[0]
    assert 'data-representative="missing"' in missing_row and "Nobody can sign for it yet." in missing_row
    assert "1 signatory has no confirmed legal representative" in content


def test_progress_filters_the_signatories_missing_a_representative(client):
    pact = OpenPactFactory()
    missing = SignatoryFactory(pact=pact)
    for signatory in signatories(pact):
        if signatory != missing:
            legal_representative(signatory.organisation)
    as_member(client)
    response = client.get(url("pact-progress", pact.pk), {"representative": "missing"})
    assert [row.pk for row in response.context["page"].object_list] == [missing.pk]
    response = client.get(url("pact-progress", pact.pk), {"answer": "signed"})
    assert "No signatories match these filters." in response.content.decode()


@pytest.mark.parametrize("factory, status", [(PactFactory, 404), (OpenPactFactory, 403)])
def test_progress_refused_outside_the_steering_group(client, factory, status):
    pact = factory()
    assert login_redirect(client.get(url("pact-progress", pact.pk)))
    as_partner(client)
    assert client.get(url("pact-progress", pact.pk)).status_code == status


@pytest.mark.parametrize("size", [5, 50])
def test_progress_runs_a_constant_number_of_queries(client, django_assert_max_num_queries, size):
    pact = OpenPactFactory()
    for n in range(size):
        signatory = SignatoryFactory(pact=pact)
        if n % 2:
            legal_representative(signatory.organisation)
        if n % 3 == 0:
            sign_directly(pact, signatory.organisation)
        elif n % 3 == 1:
            decline_directly(pact, signatory.organisation)
    as_member(client)
    # Session and user, the pact, the steering seat and the authenticator app (asked once), the
    # counts, the page's count, its rows, the representatives of its rows, the documents.
    with django_assert_max_num_queries(10):
        response = client.get(url("pact-progress", pact.pk))
    assert response.context["counts"]["total"] == size + 2


# --- Opening ---------------------------------------------------------------------------------


def test_coordinator_opens_the_pact_and_legal_representatives_are_emailed(client, on_commit):
    pact = PactFactory()
    with_representative, without = signatories(pact)
    representative = legal_representative(with_representative.organisation)
    referent = MembershipFactory(organisation=without.organisation, role=Membership.Role.REFERENT).user
    as_coordinator(client)

    page = client.get(url("pact-open", pact.pk))
    assert page.status_code == 200
    assert "1 signatory has no confirmed legal representative yet" in page.content.decode()
    with on_commit():
        response = client.post(url("pact-open", pact.pk), {"note": "Approvato in regia."})

    assert response.status_code == 302 and response.url == url("pact-progress", pact.pk)
    pact.refresh_from_db()
    assert pact.status == Pact.Status.OPEN
    document = pact.documents.get(kind=DocumentKind.PACT_DRAFT)
    assert document.sha256 == hashlib.sha256(document.read_bytes()).hexdigest()
    assert pact.status_changes.last().note == "Approvato in regia."
    recipients = {m.to[0]: m for m in mail.outbox}
    assert set(recipients) == {representative.email, referent.email}
    assert url("signatory-sign", with_representative.pk) in recipients[representative.email].body


def test_a_steering_member_who_is_not_the_coordinator_cannot_open(client):
    pact = PactFactory()
    as_member(client)
    assert client.get(url("pact-open", pact.pk)).status_code == 403
    assert client.post(url("pact-open", pact.pk)).status_code == 403
    pact.refresh_from_db()
    assert pact.status == Pact.Status.DRAFT and not mail.outbox


def test_staff_open_the_pact(client):
    pact = PactFactory()
    as_staff(client)
    client.post(url("pact-open", pact.pk))
    pact.refresh_from_db()
    assert pact.status == Pact.Status.OPEN


def test_opening_an_open_pact_again_is_refused_with_a_message(client):
    pact = OpenPactFactory()
    as_coordinator(client)
    response = client.post(url("pact-open", pact.pk), follow=True)
    assert "The pact is “Open for signing”" in response.content.decode()
    assert pact.documents.count() == 1


# --- Reminders -------------------------------------------------------------------------------


def test_reminders_go_to_who_has_not_answered_and_the_page_says_how_many(client, on_commit):
    pact = OpenPactFactory()
    answered, waiting = signatories(pact)
    sign_directly(pact, answered.organisation)
    first, second = legal_representative(waiting.organisation), legal_representative(waiting.organisation)
    no_representative = SignatoryFactory(pact=pact)
    referent = MembershipFactory(organisation=no_representative.organisation, role=Membership.Role.REFERENT).user
    as_member(client)

    page = client.get(url("pact-remind", pact.pk)).content.decode()
    assert "2 signatories have not answered yet" in page
    with on_commit():
        response = client.post(url("pact-remind", pact.pk), follow=True)

    content = response.content.decode()
    assert "Reminders have been sent for the 2 signatories that have not answered. 3 emails sent." in content
    assert "1 of them has no confirmed legal representative" in content
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email, referent.email])
    waiting.refresh_from_db()
    answered.refresh_from_db()
    assert (waiting.reminder_count, answered.reminder_count) == (1, 0)


def test_reminders_refused_on_a_draft_and_outside_the_steering_group(client):
    draft = PactFactory()
    as_member(client)
    response = client.post(url("pact-remind", draft.pk), follow=True)
    assert "this can be done once it is open for signing" in response.content.decode()
    pact = OpenPactFactory()
    as_partner(client)
    assert client.post(url("pact-remind", pact.pk)).status_code == 403
    assert not mail.outbox and not Signatory.objects.filter(reminder_count__gt=0).exists()


def test_reminders_when_everyone_answered_show_the_services_message(client):
    pact = OpenPactFactory()
    for signatory in signatories(pact):
        decline_directly(pact, signatory.organisation)
    as_staff(client)
    response = client.post(url("pact-remind", pact.pk), follow=True)
    assert "Every signatory has already answered: there is nobody to remind." in response.content.decode()
    assert not mail.outbox


# --- Closing ---------------------------------------------------------------------------------


def test_coordinator_closes_when_everyone_answered(client, on_commit):
    pact = OpenPactFactory()
    signed, declined = signatories(pact)
    sign_directly(pact, signed.organisation)
    decline_directly(pact, declined.organisation)
    as_coordinator(client)
    assert client.get(url("pact-close", pact.pk)).status_code == 200
    with on_commit():
        response = client.post(url("pact-close", pact.pk), {"note": ""})
    assert response.status_code == 302 and response.url == url("pact-detail", pact.pk)
    pact.refresh_from_db()
    assert pact.status == Pact.Status.CLOSED
    assert pact.documents.filter(kind=DocumentKind.PACT_FINAL).exists()
    assert mail.outbox


def test_closing_before_time_is_refused_with_the_reason(client):
    """`charter.close_pact` says when the pact can be closed: no button before, and the page
    sends the coordinator back with the reason."""
    pact = OpenPactFactory()
    sign_directly(pact, signatories(pact)[0].organisation)
    as_coordinator(client)
    progress = client.get(url("pact-progress", pact.pk)).content.decode()
    assert url("pact-close", pact.pk) not in progress
    assert "Some signatories have not answered yet: the pact can be closed when all have, or after" in progress
    reason = "it can be closed once every signatory has answered or the deadline has passed."
    for method in (client.get, client.post):
        response = method(url("pact-close", pact.pk), follow=True)
        assert response.redirect_chain == [(url("pact-progress", pact.pk), 302)]
        assert reason in response.content.decode()
    pact.refresh_from_db()
    assert pact.status == Pact.Status.OPEN and not pact.documents.filter(kind=DocumentKind.PACT_FINAL).exists()
    Pact.objects.filter(pk=pact.pk).update(deadline=timezone.localdate() - DAY)
    assert url("pact-close", pact.pk) in client.get(url("pact-progress", pact.pk)).content.decode()
    assert client.get(url("pact-close", pact.pk)).status_code == 200


def test_closing_after_the_deadline_with_answers_missing(client):
    pact = OpenPactFactory()
    Pact.objects.filter(pk=pact.pk).update(deadline=timezone.localdate() - DAY)
    as_staff(client)
    client.post(url("pact-close", pact.pk))
    pact.refresh_from_db()
    assert pact.status == Pact.Status.CLOSED


def test_closing_refused_to_a_steering_member_and_a_partner(client):
    pact = OpenPactFactory()
    for signatory in signatories(pact):
        decline_directly(pact, signatory.organisation)
    assert login_redirect(client.post(url("pact-close", pact.pk)))
    as_member(client)
    assert client.post(url("pact-close", pact.pk)).status_code == 403
    as_partner(client)
    assert client.post(url("pact-close", pact.pk)).status_code == 403
    pact.refresh_from_db()
    assert pact.status == Pact.Status.OPEN


def test_closing_a_draft_is_refused_with_a_message(client):
    pact = PactFactory()
    as_coordinator(client)
    response = client.post(url("pact-close", pact.pk), follow=True)
    assert "this can be done once it is open for signing" in response.content.decode()
    pact.refresh_from_db()
    assert pact.status == Pact.Status.DRAFT


@pytest.mark.parametrize("name", ["pact-open", "pact-remind", "pact-close"])
def test_actions_need_a_logged_in_user(client, name):
    pact = OpenPactFactory()
    assert login_redirect(client.post(url(name, pact.pk)))
