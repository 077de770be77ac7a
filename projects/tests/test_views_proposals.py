"""Proposal pages on the partners' side: the list of my organisations' proposals, writing and
editing, the proposal page, submitting and withdrawing.

Every action is tried by its role and by the others: anonymous → login, whoever may not see the
proposal → 404 (a partner never sees another organisation's draft, nor does the steering group
before submission), whoever sees it without a part in the action → 403. Refused moves show a
clear message and leave the database as it was."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from projects.models import Proposal, ProposalPartner, ProposalStatusChange
from projects.tests.factories import (
    CommitmentFactory,
    CompleteProposalFactory,
    FocusGroupFactory,
    MembershipFactory,
    OrganisationFactory,
    ProposalFactory,
    ProposalPartnerFactory,
    ThemeFactory,
    UserFactory,
    lead_member,
    steering_member,
)
from projects.tests.proposal_pages import assert_login_redirect, login, messages_of, snapshot, url
from welfare_portal.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

Status = Proposal.Status
LIST_URL = url("proposal-list")
CREATE_URL = url("proposal-create")


@pytest.fixture(autouse=True)
def _english_pages(client, settings):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    settings.PORTAL_BASE_URL = "http://testserver.example"


def co_partner_member(proposal, status=ProposalPartner.Status.INVITED, **kwargs):
    partner = ProposalPartnerFactory(proposal=proposal, status=status)
    return MembershipFactory(organisation=partner.organisation, **kwargs).user


def outsider():
    """An accepted member of another verified organisation."""
    return MembershipFactory().user


# --- The list ----------------------------------------------------------------------------------


def test_list_requires_login(client):
    assert_login_redirect(client.get(LIST_URL))


def test_list_shows_my_organisations_proposals_as_lead_and_co_partner_only(client):
    mine = ProposalFactory(title="Mia bozza")
    user = login(client, lead_member(mine))
    invited = ProposalFactory(title="Invitata")
    ProposalPartnerFactory(proposal=invited, organisation=mine.lead_organisation)
    accepted = ProposalFactory(title="Accettata", status=Status.SUBMITTED)
    ProposalPartnerFactory(proposal=accepted, organisation=mine.lead_organisation, status=ProposalPartner.Status.ACCEPTED)
    declined = ProposalFactory(title="Rifiutata")
    ProposalPartnerFactory(proposal=declined, organisation=mine.lead_organisation, status=ProposalPartner.Status.DECLINED)
    ProposalFactory(title="Bozza di altri")
    ProposalFactory(title="Inviata da altri", status=Status.SUBMITTED)
    MembershipFactory(user=user, pending=True, organisation=ProposalFactory(title="Ente in attesa").lead_organisation)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    titles = {p.title for p in response.context["page"].object_list}
    assert titles == {"Mia bozza", "Invitata", "Accettata"}
    content = response.content.decode()
    assert "Bozza di altri" not in content and "Rifiutata" not in content
    assert "Co-partner (Invited)" in content and "Co-partner (Accepted)" in content
    assert url("proposal-detail", mine.pk) in content


def test_list_of_a_steering_member_does_not_show_other_organisations_proposals(client):
    login(client, steering_member())
    ProposalFactory(status=Status.SUBMITTED)
    response = client.get(LIST_URL)
    assert list(response.context["page"].object_list) == []


def test_list_filters_by_theme_status_municipality_and_search(client):
    theme = ThemeFactory(title="Abitare")
    legnano = MunicipalityFactory(name="Legnano")
    first = ProposalFactory(title="Casa comune", theme=theme, summary="Coabitazione")
    first.municipalities.add(legnano)
    login(client, lead_member(first))
    ProposalFactory(title="Lavoro giovani", lead_organisation=first.lead_organisation, status=Status.SUBMITTED)

    def titles(**params):
        response = client.get(LIST_URL, params)
        assert response.status_code == 200
        return [p.title for p in response.context["page"].object_list]

    assert sorted(titles()) == ["Casa comune", "Lavoro giovani"]
    assert titles(theme=theme.pk) == ["Casa comune"]
    assert titles(status=Status.SUBMITTED) == ["Lavoro giovani"]
    assert titles(municipality=legnano.pk) == ["Casa comune"]
    assert titles(q="coabitazione") == ["Casa comune"]
    assert titles(q="giovani", status=Status.DRAFT) == []
    response = client.get(LIST_URL, {"q": "nessuna"})
    assert "No proposal matches these filters." in response.content.decode()


def test_list_empty_state_invites_a_verified_member_to_write(client):
    login(client, MembershipFactory().user)
    content = client.get(LIST_URL).content.decode()
    assert "Your organisations have no proposals yet." in content
    assert f'href="{CREATE_URL}"' in content


def test_list_empty_state_explains_that_an_organisation_is_needed(client):
    user = login(client, UserFactory())
    MembershipFactory(user=user, organisation=OrganisationFactory())  # pending organisation
    content = client.get(LIST_URL).content.decode()
    assert "you do not belong to one yet" in content
    assert f'href="{CREATE_URL}"' not in content
    assert 'href="/enti/registra/"' in content and 'href="/enti/"' in content


def _many_proposals(organisation, count):
    theme = ThemeFactory()
    proposals = Proposal.objects.bulk_create([
        Proposal(lead_organisation=organisation, title=f"P{n}", theme=theme) for n in range(count)
    ])
    others = [OrganisationFactory(verified=True) for _ in range(3)]
    ProposalPartner.objects.bulk_create([
        ProposalPartner(proposal=p, organisation=others[n % 3]) for n, p in enumerate(proposals)
    ])
    return proposals


@pytest.mark.parametrize("count", [10, 500])
def test_list_runs_the_same_number_of_queries_however_many_proposals(client, count, django_assert_max_num_queries):
    membership = MembershipFactory()
    login(client, membership.user)
    _many_proposals(membership.organisation, count)
    invited_to = ProposalFactory()
    ProposalPartnerFactory(proposal=invited_to, organisation=membership.organisation)
    # session, user, my organisations, count, page, my partnerships (prefetch), add_proposal,
    # theme and municipality choices of the filter form; the menu's permission checks (steering
    # seat twice, the model backend's user and group permissions).
    with django_assert_max_num_queries(13):
        response = client.get(LIST_URL, {"page": 2})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == (11 if count == 10 else 20)


# --- Writing -----------------------------------------------------------------------------------


def draft_data(lead, theme, **overrides):
    data = {"lead_organisation": lead.pk, "title": "Rete di vicinato", "theme": theme.pk}
    data.update(overrides)
    return data


def test_create_requires_login(client):
    assert_login_redirect(client.get(CREATE_URL))
    assert_login_redirect(client.post(CREATE_URL, {"title": "x"}))
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("membership", ["none", "pending_member", "unverified_organisation"])
def test_create_refused_without_a_verified_organisation_and_explained(client, membership):
    user = login(client, UserFactory())
    if membership == "pending_member":
        MembershipFactory(user=user, pending=True)
    elif membership == "unverified_organisation":
        MembershipFactory(user=user, organisation=OrganisationFactory())
    theme = ThemeFactory()
    response = client.post(CREATE_URL, {"title": "Rete", "theme": theme.pk})
    assert response.status_code == 403
    assert "you do not belong to one yet" in response.content.decode()
    assert not Proposal.objects.exists()


def test_create_form_offers_only_my_verified_organisations_and_preselects_the_theme(client):
    membership = MembershipFactory()
    user = login(client, membership.user)
    MembershipFactory(user=user, organisation=OrganisationFactory())  # pending organisation
    MembershipFactory(user=user, pending=True)  # request not accepted
    OrganisationFactory(verified=True)  # not a member
    theme = ThemeFactory()
    ThemeFactory(closed=True, title="Chiusa")
    response = client.get(CREATE_URL, {"theme": theme.pk})
    form = response.context["form"]
    assert list(form.fields["lead_organisation"].queryset) == [membership.organisation]
    assert form["lead_organisation"].value() == membership.organisation.pk
    assert form["theme"].value() == theme.pk
    assert "Chiusa" not in [t.title for t in form.fields["theme"].queryset]
    content = response.content.decode()
    for legend in ["General information", "Beneficiaries", "Territory and policies", "Rights and duties"]:
        assert "<legend" in content and legend in content
    assert "pairs every right with a duty" in content


def test_create_saves_an_incomplete_draft_with_its_history(client):
    membership = MembershipFactory()
    user = login(client, membership.user)
    theme = ThemeFactory()
    response = client.post(CREATE_URL, draft_data(membership.organisation, theme))
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("proposal-detail", proposal.pk)
    assert proposal.status == Status.DRAFT
    assert proposal.lead_organisation == membership.organisation
    assert proposal.created_by == user
    change = ProposalStatusChange.objects.get(proposal=proposal)
    assert (change.from_status, change.to_status, change.changed_by) == ("", Status.DRAFT, user)


def test_create_saves_every_field(client):
    membership = MembershipFactory()
    login(client, membership.user)
    theme = ThemeFactory()
    focus_group = FocusGroupFactory(theme=theme)
    legnano = MunicipalityFactory(name="Legnano")
    from welfare_portal.models import AgeBand, PolicyArea, TargetGroup

    data = draft_data(
        membership.organisation, theme, summary="Sintesi", focus_group=focus_group.pk, need="Bisogno",
        objectives="Obiettivi", activities="Attività", target_groups=[TargetGroup.objects.first().pk],
        age_bands=[AgeBand.objects.first().pk], estimated_beneficiaries=50, municipalities=[legnano.pk],
        policy_areas=[p.pk for p in PolicyArea.objects.all()[:2]], start_date="2027-01-01",
        end_date="2027-12-31", rights="Diritti", duties="Doveri", indicators="Indicatori",
    )
    assert client.post(CREATE_URL, data).status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.focus_group == focus_group
    assert proposal.end_date == datetime.date(2027, 12, 31)
    assert list(proposal.municipalities.all()) == [legnano]
    assert proposal.policy_areas.count() == 2
    assert proposal.missing_for_submission() == []


@pytest.mark.parametrize(("overrides", "field"), [
    ({"title": ""}, "title"),
    ({"start_date": "2027-05-01", "end_date": "2027-01-01"}, "end_date"),
    ({"estimated_beneficiaries": "0"}, "estimated_beneficiaries"),
    ({"start_date": "not a date"}, "start_date"),
])
def test_create_with_bad_input_keeps_what_was_typed_and_saves_nothing(client, overrides, field):
    membership = MembershipFactory()
    login(client, membership.user)
    theme = ThemeFactory()
    data = draft_data(membership.organisation, theme, summary="Testo scritto con cura", **overrides)
    response = client.post(CREATE_URL, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors
    if field:
        assert field in form.errors
    assert "Testo scritto con cura" in response.content.decode()
    assert "The proposal has not been saved" in response.content.decode()
    assert not Proposal.objects.exists()


def test_create_refuses_a_focus_group_of_another_theme_next_to_the_field(client):
    membership = MembershipFactory()
    login(client, membership.user)
    theme = ThemeFactory()
    other = FocusGroupFactory()
    response = client.post(CREATE_URL, draft_data(membership.organisation, theme, focus_group=other.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["focus_group"] == ["Choose a focus group of the proposal's theme."]
    assert not Proposal.objects.exists()


def test_create_refuses_an_organisation_the_user_does_not_belong_to(client):
    login(client, MembershipFactory().user)
    stranger_org = OrganisationFactory(verified=True)
    response = client.post(CREATE_URL, draft_data(stranger_org, ThemeFactory()))
    assert response.status_code == 200
    assert "lead_organisation" in response.context["form"].errors
    assert not Proposal.objects.exists()


# --- Editing -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.DRAFT, Status.CHANGES_REQUESTED])
def test_lead_edits_while_editable(client, status):
    proposal = ProposalFactory(status=status, title="Vecchio titolo")
    login(client, lead_member(proposal))
    assert client.get(url("proposal-update", proposal.pk)).status_code == 200
    response = client.post(url("proposal-update", proposal.pk), {
        "title": "Nuovo titolo", "theme": proposal.theme.pk, "summary": "Una sintesi",
    })
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.title, proposal.summary, proposal.status) == ("Nuovo titolo", "Una sintesi", status)
    assert "Changes saved." in messages_of(response)


def test_edit_form_shows_the_requested_changes(client):
    proposal = ProposalFactory(status=Status.CHANGES_REQUESTED, changes_requested_note="Aggiungere gli indicatori")
    login(client, lead_member(proposal))
    assert "Aggiungere gli indicatori" in client.get(url("proposal-update", proposal.pk)).content.decode()


def test_edit_with_bad_input_is_re_rendered_and_changes_nothing(client):
    proposal = ProposalFactory(title="Titolo")
    login(client, lead_member(proposal))
    before = snapshot()
    response = client.post(url("proposal-update", proposal.pk), {
        "title": "Titolo cambiato", "theme": proposal.theme.pk, "start_date": "2027-05-01", "end_date": "2026-01-01",
        "need": "Un bisogno scritto",
    })
    assert response.status_code == 200
    content = response.content.decode()
    assert "The end date cannot be before the start date." in content
    assert "Un bisogno scritto" in content
    assert snapshot() == before


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.IN_EVALUATION, Status.APPROVED, Status.WITHDRAWN])
def test_edit_after_submission_is_403_with_a_message_and_changes_nothing(client, status):
    proposal = ProposalFactory(status=status, title="Titolo")
    login(client, lead_member(proposal))
    before = snapshot()
    for response in (
        client.get(url("proposal-update", proposal.pk)),
        client.post(url("proposal-update", proposal.pk), {"title": "Cambiato", "theme": proposal.theme.pk}),
    ):
        assert response.status_code == 403
        assert "This proposal cannot be changed" in response.content.decode()
    content = response.content.decode()
    if status == Status.WITHDRAWN:
        assert "This proposal has been withdrawn; nothing can change it any more." in content
    elif status == Status.APPROVED:
        assert "already been decided" in content
    else:
        assert "it can be changed and submitted again only if they request changes" in content
    assert snapshot() == before


def test_edit_refused_to_everyone_but_the_lead(client):
    proposal = ProposalFactory(status=Status.SUBMITTED)
    draft = ProposalFactory()
    edit = url("proposal-update", proposal.pk)
    assert_login_redirect(client.get(edit))
    cases = [
        (co_partner_member(proposal, status=ProposalPartner.Status.ACCEPTED), edit, 403),
        (steering_member(), edit, 403),
        (steering_member(), url("proposal-update", draft.pk), 404),
        (outsider(), edit, 404),
        (UserFactory(), edit, 404),
    ]
    before = snapshot()
    for user, page, expected in cases:
        login(client, user)
        assert client.post(page, {"title": "Preso", "theme": proposal.theme.pk}).status_code == expected
    assert snapshot() == before


# --- The proposal page -------------------------------------------------------------------------


def test_detail_requires_login(client):
    assert_login_redirect(client.get(url("proposal-detail", ProposalFactory().pk)))


def test_a_draft_is_seen_only_by_its_partners(client):
    proposal = ProposalFactory(title="Bozza riservata")
    detail = url("proposal-detail", proposal.pk)
    for user in (lead_member(proposal), co_partner_member(proposal)):
        login(client, user)
        assert client.get(detail).status_code == 200
    declined = co_partner_member(proposal, status=ProposalPartner.Status.DECLINED)
    for user in (outsider(), UserFactory(), steering_member(), declined,
                 MembershipFactory(organisation=proposal.lead_organisation, pending=True).user):
        login(client, user)
        response = client.get(detail)
        assert response.status_code == 404
        assert "Bozza riservata" not in response.content.decode()


def test_a_submitted_proposal_is_seen_by_the_steering_group_but_not_by_other_partners(client):
    proposal = ProposalFactory(status=Status.SUBMITTED)
    login(client, steering_member())
    assert client.get(url("proposal-detail", proposal.pk)).status_code == 200
    login(client, outsider())
    assert client.get(url("proposal-detail", proposal.pk)).status_code == 404


def test_after_changes_requested_the_lead_sees_what_is_missing_but_no_call_warning(client):
    """The readiness box follows `projects.submit_proposal`; a resubmission ignores the call window."""
    theme = ThemeFactory(call_closes_at=timezone.now() - datetime.timedelta(days=1),
                         call_opens_at=timezone.now() - datetime.timedelta(days=30))
    proposal = CompleteProposalFactory(status=Status.CHANGES_REQUESTED, theme=theme, objectives="")
    login(client, lead_member(proposal))
    response = client.get(url("proposal-detail", proposal.pk))
    html = response.content.decode()
    assert 'id="submission-readiness"' in html and "Still missing before it can be submitted" in html
    assert "The call of this theme is not open" not in html
    proposal.status = Status.DRAFT
    proposal.save()
    html = client.get(url("proposal-detail", proposal.pk)).content.decode()
    assert "The call of this theme is not open" in html


def test_detail_shows_the_content_history_partners_and_commitments_with_totals(client):
    proposal = CompleteProposalFactory(status=Status.CHANGES_REQUESTED, changes_requested_note="Più indicatori")
    login(client, lead_member(proposal))
    coordinator = steering_member(coordinator=True, user__full_name="Carla Coordinatrice")
    ProposalStatusChange.objects.create(
        proposal=proposal, from_status=Status.IN_EVALUATION, to_status=Status.CHANGES_REQUESTED,
        changed_by=coordinator, note="Servono indicatori misurabili",
    )
    partner = ProposalPartnerFactory(proposal=proposal, status=ProposalPartner.Status.ACCEPTED, organisation__name="Coop Aurora")
    CommitmentFactory(proposal=proposal, estimated_value_eur=Decimal("1500.00"))
    CommitmentFactory(proposal=proposal, estimated_value_eur=Decimal("250.50"), kind="money", quantity=250, unit="euro")
    CommitmentFactory(proposal=proposal, organisation=partner.organisation, estimated_value_eur=Decimal("1000"))

    response = client.get(url("proposal-detail", proposal.pk))

    content = response.content.decode()
    assert response.status_code == 200
    for text in [proposal.need, proposal.rights, proposal.duties, proposal.indicators, "Legnano",
                 "Servono indicatori misurabili", "Carla Coordinatrice", "Più indicatori", "Coop Aurora"]:
        assert text in content
    assert "€ 1,750.50" in content  # the lead's subtotal
    assert "€ 1,000.00" in content  # the co-partner's
    assert "€ 2,750.50" in content  # the total
    assert response.context["commitment_total"] == Decimal("2750.50")
    assert [org.pk for org, _items, _sub in response.context["commitment_groups"]] == [
        proposal.lead_organisation_id, partner.organisation_id,
    ]
    assert url("proposal-update", proposal.pk) in content
    assert url("proposal-submit", proposal.pk) in content


def test_detail_formats_euro_the_italian_way(client):
    proposal = ProposalFactory()
    login(client, lead_member(proposal))
    CommitmentFactory(proposal=proposal, estimated_value_eur=Decimal("12345.60"))
    response = client.get(url("proposal-detail", proposal.pk), HTTP_ACCEPT_LANGUAGE="it")
    assert "€ 12.345,60" in response.content.decode()


def test_detail_shows_actions_only_to_whom_may_do_them(client):
    proposal = ProposalFactory()
    detail = url("proposal-detail", proposal.pk)
    login(client, co_partner_member(proposal, status=ProposalPartner.Status.ACCEPTED))
    content = client.get(detail).content.decode()
    assert url("commitment-create", proposal.pk) in content
    for name in ("proposal-update", "proposal-submit", "proposal-withdraw", "proposal-partner-invite", "attachment-upload"):
        assert url(name, proposal.pk) not in content
    login(client, lead_member(proposal))
    content = client.get(detail).content.decode()
    for name in ("proposal-update", "proposal-submit", "proposal-withdraw", "proposal-partner-invite",
                 "attachment-upload", "commitment-create"):
        assert url(name, proposal.pk) in content


def test_detail_lists_the_fields_missing_for_submission_to_the_lead(client):
    proposal = ProposalFactory(summary="")
    login(client, lead_member(proposal))
    content = client.get(url("proposal-detail", proposal.pk)).content.decode()
    assert "Still missing before it can be submitted:" in content
    assert "<li>Summary</li>" in content and "<li>Indicators</li>" in content


def test_detail_shows_the_decision_motivation_to_the_lead(client):
    proposal = ProposalFactory(status=Status.REJECTED, decision_motivation="Il piano economico non regge")
    login(client, lead_member(proposal))
    content = client.get(url("proposal-detail", proposal.pk)).content.decode()
    assert "The steering group rejected this proposal." in content
    assert "Il piano economico non regge" in content
    assert url("proposal-withdraw", proposal.pk) not in content


# --- Submitting --------------------------------------------------------------------------------


def test_submit_confirmation_lists_what_is_missing(client):
    proposal = ProposalFactory()
    login(client, lead_member(proposal))
    response = client.get(url("proposal-submit", proposal.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert "These required fields are still empty:" in content
    assert "<li>Need addressed</li>" in content


def test_submit_refused_with_the_missing_fields_and_nothing_changes(client):
    proposal = ProposalFactory(summary="Sintesi")
    login(client, lead_member(proposal))
    before = snapshot()
    response = client.post(url("proposal-submit", proposal.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert "The proposal has not been submitted." in content
    assert "Complete these fields before submitting: need addressed" in content
    assert "<li>Need addressed</li>" in content and "<li>Summary</li>" not in content
    assert snapshot() == before
    assert not mail.outbox


@pytest.mark.parametrize(("trait", "message"), [("closed", "closed on"), ("upcoming", "opens on")])
def test_submit_outside_the_call_window_is_refused_and_nothing_changes(client, trait, message):
    proposal = CompleteProposalFactory(theme=ThemeFactory(**{trait: True}))
    login(client, lead_member(proposal))
    before = snapshot()
    response = client.post(url("proposal-submit", proposal.pk))
    assert response.status_code == 200
    assert message in response.context["error"]
    assert snapshot() == before


def test_submit_complete_proposal_inside_the_window_emails_lead_and_steering(client, on_commit):
    proposal = CompleteProposalFactory()
    user = login(client, lead_member(proposal))
    colleague = lead_member(proposal)
    steering = steering_member()
    with on_commit():
        response = client.post(url("proposal-submit", proposal.pk), {"note": "Pronta"})
    assert response.status_code == 302
    assert response["Location"] == url("proposal-detail", proposal.pk)
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
    change = proposal.status_changes.last()
    assert (change.from_status, change.to_status, change.changed_by, change.note) == (
        Status.DRAFT, Status.SUBMITTED, user, "Pronta",
    )
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([user.email, colleague.email, steering.email])
    assert any(f"/proposte/{proposal.pk}/" in m.body for m in mail.outbox)


def test_resubmit_after_changes_requested_even_when_the_call_closed(client, on_commit):
    proposal = CompleteProposalFactory(status=Status.CHANGES_REQUESTED, theme=ThemeFactory(closed=True))
    login(client, lead_member(proposal))
    assert "Submit again" in client.get(url("proposal-submit", proposal.pk)).content.decode()
    with on_commit():
        client.post(url("proposal-submit", proposal.pk))
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.WITHDRAWN, Status.APPROVED])
def test_submit_in_a_status_that_does_not_allow_it_is_refused_with_a_message(client, status):
    proposal = CompleteProposalFactory(status=status)
    login(client, lead_member(proposal))
    before = snapshot()
    for response in (client.get(url("proposal-submit", proposal.pk)), client.post(url("proposal-submit", proposal.pk))):
        assert response.status_code == 302
        assert response["Location"] == url("proposal-detail", proposal.pk)
    messages = messages_of(response)
    if status == Status.WITHDRAWN:
        assert "This proposal has been withdrawn; nothing can change it any more." in messages
    assert len(messages) == 2
    assert snapshot() == before


def test_submit_refused_to_everyone_but_the_lead(client):
    proposal = CompleteProposalFactory()
    submit = url("proposal-submit", proposal.pk)
    assert_login_redirect(client.post(submit))
    cases = [
        (co_partner_member(proposal, status=ProposalPartner.Status.ACCEPTED), 403),
        (steering_member(), 404),
        (outsider(), 404),
        (UserFactory(), 404),
    ]
    before = snapshot()
    for user, expected in cases:
        login(client, user)
        assert client.post(submit).status_code == expected
    assert snapshot() == before


# --- Withdrawing -------------------------------------------------------------------------------


def test_withdraw_needs_confirmation_then_is_final(client):
    proposal = ProposalFactory(status=Status.SUBMITTED)
    user = login(client, lead_member(proposal))
    withdraw = url("proposal-withdraw", proposal.pk)
    content = client.get(withdraw).content.decode()
    assert "Withdrawing cannot be undone." in content

    before = snapshot()
    response = client.post(withdraw, {"note": "Manca un partner"})
    assert response.status_code == 200
    assert "Confirm that you understand that withdrawing is final." in response.content.decode()
    assert snapshot() == before

    response = client.post(withdraw, {"note": "Manca un partner", "confirm": "on"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.WITHDRAWN
    change = proposal.status_changes.last()
    assert (change.from_status, change.to_status, change.changed_by, change.note) == (
        Status.SUBMITTED, Status.WITHDRAWN, user, "Manca un partner",
    )
    assert "The proposal has been withdrawn." in messages_of(response)


def test_withdraw_refused_to_others_and_on_a_final_proposal(client):
    proposal = ProposalFactory(status=Status.SUBMITTED)
    withdraw = url("proposal-withdraw", proposal.pk)
    data = {"confirm": "on"}
    assert_login_redirect(client.post(withdraw, data))
    cases = [
        (co_partner_member(proposal, status=ProposalPartner.Status.ACCEPTED), 403),
        (steering_member(coordinator=True), 403),
        (outsider(), 404),
    ]
    before = snapshot()
    for user, expected in cases:
        login(client, user)
        assert client.post(withdraw, data).status_code == expected
    assert snapshot() == before

    withdrawn = ProposalFactory(status=Status.WITHDRAWN)
    login(client, lead_member(withdrawn))
    before = snapshot()
    response = client.post(url("proposal-withdraw", withdrawn.pk), data)
    assert response.status_code == 302
    assert "This proposal has been withdrawn; nothing can change it any more." in messages_of(response)
    assert snapshot() == before


def test_pages_answer_in_italian_by_default(client):
    proposal = ProposalFactory()
    login(client, lead_member(proposal))
    response = client.get(url("proposal-detail", proposal.pk), HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 200
    assert '<html lang="it"' in response.content.decode()


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.WITHDRAWN])
def test_staff_read_a_submitted_proposal_but_never_act_for_its_partners(client, status):
    """Staff are not superusers: they have no part in the lead organisation, whatever the status."""
    proposal = CompleteProposalFactory(status=status, submitted_at=timezone.now())
    staff = UserFactory(staff=True, totp=True)
    assert not staff.is_superuser
    login(client, staff)
    content = client.get(url("proposal-detail", proposal.pk)).content.decode()
    for name in ("proposal-update", "proposal-submit", "proposal-withdraw", "proposal-partner-invite",
                 "commitment-create", "attachment-upload"):
        assert url(name, proposal.pk) not in content
    before = snapshot()
    response = client.post(url("proposal-update", proposal.pk), {"title": "Cambiato", "theme": proposal.theme.pk})
    assert response.status_code == 403
    assert "Cambiato" not in response.content.decode()
    for name in ("proposal-submit", "proposal-withdraw", "proposal-partner-invite", "commitment-create"):
        assert client.post(url(name, proposal.pk), {"confirm": "on"}).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("size", [1, 6])
def test_detail_runs_the_same_number_of_queries_however_many_partners_and_commitments(
    client, size, django_assert_max_num_queries,
):
    proposal = CompleteProposalFactory()
    login(client, lead_member(proposal))
    for _ in range(size):
        partner = ProposalPartnerFactory(proposal=proposal, status=ProposalPartner.Status.ACCEPTED)
        MembershipFactory(organisation=partner.organisation)
        CommitmentFactory(proposal=proposal, organisation=partner.organisation)
        CommitmentFactory(proposal=proposal)
        ProposalStatusChange.objects.create(proposal=proposal, to_status=Status.DRAFT)
    # session, user, the proposal with lead and theme, its prefetches (lead's memberships,
    # partners and their organisations' memberships, target groups, age bands, municipalities,
    # policy areas, history, attachments, commitments with their organisations' memberships),
    # the review actions' and the menu's checks (steering seat, model permissions).
    with django_assert_max_num_queries(20):
        response = client.get(url("proposal-detail", proposal.pk))
    assert response.status_code == 200
    assert len(response.context["partners"]) == size
