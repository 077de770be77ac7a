"""The Carta's pages: the public Carta, the versions and their differences, and the steering
group's draft editor (texts, projects and their order, discard, approve, publish). Each page is
allowed for its role and refused for the others; refusals say why and change nothing."""

import hashlib
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from charter.models import CharterItem, CharterVersion, CharterVersionStatusChange, Document, DocumentKind, Pact
from charter.services.versions import default_charter
from charter.tests.factories import (
    CharterFactory,
    CharterVersionFactory,
    PactFactory,
    PublishedVersionFactory,
    approved_proposal,
    steering_member,
)
from partners.models import Organisation
from projects.models import Proposal
from projects.tests.factories import MembershipFactory, ProposalFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = CharterVersion.Status
CHARTER_URL = reverse("charter:charter-detail")
LIST_URL = reverse("charter:version-list")
CREATE_URL = reverse("charter:version-create")
ROLES = ["anonymous", "partner", "member", "coordinator", "staff"]
STEERING = {"member", "coordinator", "staff"}


@pytest.fixture(autouse=True)
def _english_pages(client):
    """Pages follow the browser's language: ask for English to assert on the msgids."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def charter():
    """This portal's Carta (the one the public page and the list show)."""
    return default_charter()


def log_in(client, role):
    """Log the client in as someone with `role`; None for anonymous."""
    factories = {
        "partner": lambda: MembershipFactory().user,
        "member": steering_member,
        "coordinator": lambda: steering_member(coordinator=True),
        "staff": lambda: UserFactory(staff=True, totp=True),
    }
    if role == "anonymous":
        return None
    user = factories[role]()
    client.force_login(user)
    return user


def url(name, version, *args):
    return reverse(f"charter:{name}", args=[version.pk, *args])


def text(response):
    return response.content.decode()


def message_texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def is_login_redirect(response):
    return response.status_code == 302 and response.url.startswith(reverse("account_login"))


def stand_in_document(version, content=b"%PDF-1.7 stand-in for the Carta"):
    document = Document(
        kind=DocumentKind.CHARTER, version=version, size=len(content), page_count=3,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    document.file.save("charter.pdf", ContentFile(content), save=True)
    return document


def frozen(charter, status=Status.PUBLISHED, proposals=None, **kwargs):
    """A version frozen in `status` (its snapshot, no PDF), listing `proposals` (by default one
    new approved proposal)."""
    return PublishedVersionFactory(
        charter=charter, proposals=proposals or [approved_proposal()], freeze=status, **kwargs,
    )


def order(version):
    return list(CharterItem.objects.filter(version=version).order_by("position").values_list("proposal_id", flat=True))


def state(version):
    """What a refused action must leave as it was."""
    version = CharterVersion.objects.get(pk=version.pk)
    return (
        version.status, version.introduction, version.principles, version.snapshot,
        list(version.items.order_by("position").values_list("proposal_id", "position")),
        version.status_changes.count(), Document.objects.filter(version=version).count(),
    )


# --- The public Carta -----------------------------------------------------------------------


def test_charter_page_empty_state_while_nothing_is_published(client, charter):
    CharterVersionFactory(charter=charter, introduction="Bozza riservata della regia.")
    response = client.get(CHARTER_URL)
    assert response.status_code == 200
    assert "The Carta has not been published yet." in text(response)
    assert "Bozza riservata" not in text(response)


def test_charter_page_shows_the_published_version_with_every_part_of_its_projects(client, charter):
    """The summary lists each project under its theme and leads to the project's own page,
    which holds every part of it; the partners and their resources have a page too."""
    housing = ThemeFactory(title="Abitare solidale")
    proposal = approved_proposal("Rete di vicinato", theme=housing)
    co_partner = proposal.partners.get(status="accepted").organisation
    version = PublishedVersionFactory(charter=charter, proposals=[proposal], introduction="Una Carta per tutti.")

    response = client.get(CHARTER_URL)

    assert response.status_code == 200
    assert response.context["version"] == version
    summary = text(response)
    for expected in ["Una Carta per tutti.", "Abitare solidale", "Rete di vicinato", proposal.lead_organisation.name]:
        assert expected in summary, expected
    assert proposal.rights not in summary
    # A table of contents whose links lead to the sections; the old anchor of a project lands
    # on its entry, whose link opens its page.
    assert f'href="#theme-{housing.pk}"' in summary and f'id="theme-{housing.pk}"' in summary
    assert 'href="#introduction"' in summary and 'id="introduction"' in summary
    assert f'id="project-{proposal.pk}"' in summary and f'href="progetti/{proposal.pk}/"' in summary
    project_url = reverse("charter:charter-project", args=[proposal.pk])
    assert project_url == CHARTER_URL + f"progetti/{proposal.pk}/"

    page = client.get(project_url)
    assert page.status_code == 200
    content = text(page)
    for expected in [
        "Rete di vicinato", "Abitare solidale", proposal.summary, proposal.lead_organisation.name, co_partner.name,
        "Legnano", proposal.rights, proposal.duties, proposal.indicators, "Volontari per le visite.",
        str(proposal.target_groups.get()), *[str(area) for area in proposal.policy_areas.all()],
    ]:
        assert expected in content, expected
    assert "5,000.00" in content  # the co-partner's money, and the project's total below
    assert f'href="{CHARTER_URL}"' in content

    partners = text(client.get(CHARTER_URL + "partner/"))
    assert 'href="partner/"' in summary
    assert co_partner.name in partners and proposal.lead_organisation.name in partners and "5,000.00" in partners


def test_the_projects_of_the_carta_lead_to_each_other_in_its_order(client, charter):
    first, second, third = (approved_proposal(f"Progetto {n}") for n in (1, 2, 3))
    PublishedVersionFactory(charter=charter, proposals=[first, second, third])
    content = text(client.get(reverse("charter:charter-project", args=[second.pk])))
    assert f'href="../{first.pk}/" rel="prev"' in content and f'href="../{third.pk}/" rel="next"' in content
    assert "Project 2 of 3" in content
    first_page = text(client.get(reverse("charter:charter-project", args=[first.pk])))
    assert 'rel="prev"' not in first_page and f'href="../{second.pk}/" rel="next"' in first_page


def test_a_project_outside_the_published_carta_is_not_found(client, charter):
    listed, elsewhere = approved_proposal("In Carta"), approved_proposal("Fuori Carta")
    assert client.get(reverse("charter:charter-project", args=[listed.pk])).status_code == 404  # nothing published
    assert client.get(reverse("charter:charter-partners")).status_code == 404
    PublishedVersionFactory(charter=charter, proposals=[listed])
    assert client.get(reverse("charter:charter-project", args=[listed.pk])).status_code == 200
    assert client.get(reverse("charter:charter-project", args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("charter:charter-project", args=[listed.pk + 1000])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_the_project_pages_of_a_version_follow_who_may_see_it(client, charter, role):
    proposal = approved_proposal("Progetto in bozza")
    draft = CharterVersionFactory(charter=charter, proposals=[proposal])
    log_in(client, role)
    summary = client.get(url("version-detail", draft))
    page = client.get(url("version-project", draft, proposal.pk))
    partners = client.get(url("version-partners", draft))
    if role in STEERING:
        assert summary.status_code == page.status_code == partners.status_code == 200
        assert f'href="progetti/{proposal.pk}/"' in text(summary)
        assert "Progetto in bozza" in text(page) and f'href="{url("version-detail", draft)}"' in text(page)
    else:
        assert summary.status_code == page.status_code == partners.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_the_published_carta_and_its_superseded_versions_are_public(client, charter, role):
    old = frozen(charter, Status.SUPERSEDED, [approved_proposal("Progetto della prima")], number=1)
    new = frozen(charter, Status.PUBLISHED, [approved_proposal("Progetto della seconda")], number=2)
    log_in(client, role)
    assert "Progetto della seconda" in text(client.get(CHARTER_URL))
    assert "Progetto della prima" in text(client.get(url("version-detail", old)))
    first = old.items.get().proposal_id
    assert "Progetto della prima" in text(client.get(url("version-project", old, first)))
    assert client.get(url("version-diff", old, new.pk)).status_code == 200


def test_charter_page_reads_the_snapshot_not_the_live_proposals(client, charter):
    proposal = approved_proposal("Titolo approvato")
    PublishedVersionFactory(charter=charter, proposals=[proposal])
    Proposal.objects.filter(pk=proposal.pk).update(title="Titolo cambiato dopo", rights="Diritti riscritti")
    Organisation.objects.filter(pk=proposal.lead_organisation_id).update(name="Nome cambiato")

    content = text(client.get(CHARTER_URL))

    assert "Titolo approvato" in content and proposal.lead_organisation.name in content
    assert "Titolo cambiato dopo" not in content and "Diritti riscritti" not in content
    assert "Nome cambiato" not in content


def _content_rendered(response):
    return "charter/versions/_content.html" in [template.name for template in response.templates]


def test_a_frozen_versions_content_is_laid_out_once_per_language(client, charter):
    """The public Carta's projects are rendered once and then served from the cache (they
    cannot change); the page around them still follows the visitor and the language."""
    PublishedVersionFactory(charter=charter, proposals=[approved_proposal("Orti condivisi")])
    first = client.get(CHARTER_URL)
    again = client.get(CHARTER_URL)
    assert _content_rendered(first) and not _content_rendered(again)
    without_tokens = [re.sub(r'value="[A-Za-z0-9]{64}"', "", text(r)) for r in (first, again)]  # CSRF tokens differ
    assert without_tokens[0] == without_tokens[1] and "Orti condivisi" in text(again)
    assert 'id="resources"' in text(again)

    italian = client.get(CHARTER_URL, HTTP_ACCEPT_LANGUAGE="it")
    assert _content_rendered(italian) and "Risorse messe in rete" in text(italian)
    assert "Resources put into the network" in text(client.get(CHARTER_URL))


def test_a_drafts_live_content_is_laid_out_on_every_view(client, charter):
    proposal = approved_proposal("Titolo vecchio")
    draft = CharterVersionFactory(charter=charter, proposals=[proposal])
    log_in(client, "coordinator")
    assert _content_rendered(client.get(url("version-detail", draft)))
    Proposal.objects.filter(pk=proposal.pk).update(title="Titolo aggiornato")
    response = client.get(url("version-detail", draft))
    assert _content_rendered(response) and "Titolo aggiornato" in text(response)


def test_charter_page_offers_the_pdf_with_its_fingerprint_and_size(client, charter):
    version = PublishedVersionFactory(charter=charter, proposals=[approved_proposal()])
    document = stand_in_document(version)
    content = text(client.get(CHARTER_URL))
    assert f'href="{reverse("charter:document-download", args=[document.pk])}"' in content
    assert document.sha256 in content
    assert f"{document.size}\xa0bytes" in content


def test_charter_page_shows_only_the_portals_published_version(client, charter):
    PublishedVersionFactory(charter=CharterFactory(), proposals=[approved_proposal("Altro ambito")])
    PublishedVersionFactory(charter=charter, proposals=[approved_proposal("Nostro ambito")])
    content = text(client.get(CHARTER_URL))
    assert "Nostro ambito" in content and "Altro ambito" not in content


def test_charter_page_links_to_the_open_pact_but_not_to_one_being_prepared(client, charter):
    version = PublishedVersionFactory(charter=charter, proposals=[approved_proposal()])
    pact = PactFactory(version=version)
    assert 'id="pact-link"' not in text(client.get(CHARTER_URL))
    Pact.objects.filter(pk=pact.pk).update(status=Pact.Status.OPEN, opened_at=timezone.now())
    content = text(client.get(CHARTER_URL))
    assert f'href="{reverse("charter:pact-detail", args=[pact.pk])}"' in content


def test_menu_links_to_the_carta_for_everyone(client):
    assert f'href="{CHARTER_URL}"' in text(client.get(reverse("home")))
    log_in(client, "partner")
    assert f'href="{CHARTER_URL}"' in text(client.get(reverse("home")))


# --- A version's page -----------------------------------------------------------------------


def test_superseded_version_stays_readable_with_a_banner_naming_its_successor(client, charter):
    old = frozen(charter, Status.SUPERSEDED, [approved_proposal("Prima")], number=1)
    PublishedVersionFactory(charter=charter, number=2, proposals=[approved_proposal("Seconda")])
    response = client.get(url("version-detail", old))
    assert response.status_code == 200
    assert "This version has been superseded by version 2." in text(response)
    assert "Prima" in text(response) and "Seconda" not in text(response)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", [Status.DRAFT, Status.APPROVED])
def test_unpublished_versions_are_seen_only_by_the_steering_group_and_staff(client, charter, role, status):
    if status == Status.DRAFT:
        version = CharterVersionFactory(charter=charter, proposals=[approved_proposal("Progetto in bozza")])
    else:
        version = frozen(charter, status, [approved_proposal("Progetto in bozza")])
    log_in(client, role)
    response = client.get(url("version-detail", version))
    if role in STEERING:
        assert response.status_code == 200
        assert "Progetto in bozza" in text(response)
    else:
        assert response.status_code == 404


def test_draft_page_shows_the_live_content_and_the_actions_for_the_coordinator(client, charter):
    proposal = approved_proposal("Titolo vecchio")
    draft = CharterVersionFactory(charter=charter, proposals=[proposal])
    Proposal.objects.filter(pk=proposal.pk).update(title="Titolo aggiornato")
    log_in(client, "coordinator")
    content = text(client.get(url("version-detail", draft)))
    assert "Titolo aggiornato" in content
    for name in ["version-update", "version-projects", "version-approve", "version-discard"]:
        assert f'href="{url(name, draft)}"' in content, name
    assert url("version-publish", draft) not in content


def test_a_steering_member_is_not_offered_approval_or_publication(client, charter):
    draft = CharterVersionFactory(charter=charter, proposals=[approved_proposal()])
    approved = frozen(CharterFactory(), Status.APPROVED)
    log_in(client, "member")
    assert url("version-approve", draft) not in text(client.get(url("version-detail", draft)))
    assert url("version-update", draft) in text(client.get(url("version-detail", draft)))
    assert url("version-publish", approved) not in text(client.get(url("version-detail", approved)))


@pytest.mark.parametrize("role", ROLES)
def test_the_published_version_offers_the_steering_group_to_prepare_its_pact(client, charter, role):
    version = PublishedVersionFactory(charter=charter, proposals=[approved_proposal()])
    create = reverse("charter:pact-create", args=[version.pk])
    log_in(client, role)
    assert (create in text(client.get(url("version-detail", version)))) is (role in STEERING)
    PactFactory(version=version)
    assert create not in text(client.get(url("version-detail", version)))


def test_public_visitors_see_no_history_nor_actions(client, charter):
    version = PublishedVersionFactory(charter=charter, proposals=[approved_proposal()])
    CharterVersionStatusChange.objects.create(version=version, to_status=Status.PUBLISHED, note="Nota interna")
    content = text(client.get(url("version-detail", version)))
    assert "Nota interna" not in content and 'id="actions"' not in content


# --- The list of versions -------------------------------------------------------------------


def test_version_list_empty_state(client, charter):
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert "No version of the Carta has been published yet." in text(response)


@pytest.mark.parametrize("role", ROLES)
def test_version_list_shows_drafts_and_approved_versions_only_to_the_steering_group(client, charter, role):
    superseded = frozen(charter, Status.SUPERSEDED, number=1)
    published = PublishedVersionFactory(charter=charter, number=2, proposals=[approved_proposal()])
    approved = frozen(charter, Status.APPROVED, number=3)
    draft = CharterVersionFactory(charter=charter, number=4)
    log_in(client, role)
    response = client.get(LIST_URL)
    listed = list(response.context["page"].object_list)
    if role in STEERING:
        assert listed == [draft, approved, published, superseded]
        assert 'data-status="draft"' in text(response) and 'data-status="approved"' in text(response)
        assert f'href="{CREATE_URL}"' in text(response)
    else:
        assert listed == [published, superseded]
        assert f'href="{CREATE_URL}"' not in text(response)
    assert 'data-status="superseded"' in text(response)


@pytest.mark.parametrize("size", [3, 30])
def test_version_list_runs_a_constant_number_of_queries(client, charter, django_assert_max_num_queries, size):
    proposal = approved_proposal()
    for number in range(1, size):
        version = frozen(charter, Status.SUPERSEDED, [proposal], number=number)
        stand_in_document(version)
    stand_in_document(PublishedVersionFactory(charter=charter, number=size, proposals=[proposal]))
    log_in(client, "member")
    # Session and user; the steering seat; the menu's count of pacts to sign; the page's count
    # and rows with their project count; their PDFs; the versions for the compare form.
    with django_assert_max_num_queries(8):
        response = client.get(LIST_URL)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(size, 20)


def test_compare_form_leads_to_the_side_by_side_page(client, charter):
    first = frozen(charter, Status.SUPERSEDED, number=1)
    second = PublishedVersionFactory(charter=charter, number=2, proposals=[approved_proposal()])
    assert 'id="compare-form"' in text(client.get(LIST_URL))
    response = client.get(reverse("charter:version-compare"), {"old": first.pk, "new": second.pk})
    assert response.status_code == 302 and response.url == url("version-diff", first, second.pk)


def test_compare_form_refuses_the_same_version_twice_and_versions_one_cannot_see(client, charter):
    published = PublishedVersionFactory(charter=charter, number=1, proposals=[approved_proposal()])
    draft = CharterVersionFactory(charter=charter, number=2)
    response = client.get(reverse("charter:version-compare"), {"old": published.pk, "new": published.pk})
    assert response.url == LIST_URL and "Choose two different versions." in message_texts(response)
    response = client.get(reverse("charter:version-compare"), {"old": published.pk, "new": draft.pk})
    assert response.url == LIST_URL and message_texts(response)


# --- The differences between two versions ---------------------------------------------------


def test_diff_page_shows_texts_and_projects_added_removed_and_changed(client, charter):
    kept, dropped = approved_proposal("Progetto stabile"), approved_proposal("Progetto tolto")
    added = approved_proposal("Progetto nuovo")
    old = PublishedVersionFactory(
        charter=charter, number=1, proposals=[kept, dropped], freeze=Status.SUPERSEDED,
        introduction="Riga comune.\nRiga vecchia.",
    )
    Proposal.objects.filter(pk=kept.pk).update(rights="Diritti ampliati.")
    new = PublishedVersionFactory(
        charter=charter, number=2, proposals=[kept, added], introduction="Riga comune.\nRiga nuova.",
    )

    # Whichever order the address names them, the older version is on the left.
    response = client.get(url("version-diff", new, old.pk))

    assert response.status_code == 200
    assert (response.context["old"], response.context["new"]) == (old, new)
    content = text(response)
    assert "Removed from version 1:" in content and "Added in version 2:" in content
    assert "<del>" in content and "<ins>" in content
    assert content.index("Riga vecchia.") < content.index("Riga nuova.")
    section = lambda name: content[content.index(f'id="{name}"'):]  # noqa: E731
    assert f'data-project="{added.pk}"' in section("projects-added").split("</section>")[0]
    assert f'data-project="{dropped.pk}"' in section("projects-removed").split("</section>")[0]
    changed = section("projects-changed").split("</section>")[0]
    assert f'data-project="{kept.pk}"' in changed and "Diritti ampliati." in changed


def test_diff_page_of_identical_versions_says_so(client, charter):
    proposal = approved_proposal()
    old = PublishedVersionFactory(charter=charter, number=1, proposals=[proposal], freeze=Status.SUPERSEDED)
    new = PublishedVersionFactory(charter=charter, number=2, proposals=[proposal])
    assert "The two versions have the same content." in text(client.get(url("version-diff", old, new.pk)))


@pytest.mark.parametrize("role", ROLES)
def test_diff_with_a_draft_is_seen_only_by_whoever_sees_the_draft(client, charter, role):
    published = PublishedVersionFactory(charter=charter, number=1, proposals=[approved_proposal()])
    draft = CharterVersionFactory(charter=charter, number=2, proposals=[approved_proposal()])
    log_in(client, role)
    response = client.get(url("version-diff", published, draft.pk))
    assert response.status_code == (200 if role in STEERING else 404)


def test_diff_of_versions_of_different_cartas_is_not_found(client, charter):
    ours = PublishedVersionFactory(charter=charter, proposals=[approved_proposal()])
    theirs = PublishedVersionFactory(charter=CharterFactory(), proposals=[approved_proposal()])
    assert client.get(url("version-diff", ours, theirs.pk)).status_code == 404


# --- Opening a draft ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_opening_a_draft_is_for_the_steering_group_and_staff(client, charter, role):
    PublishedVersionFactory(charter=charter, number=1, proposals=[approved_proposal()])
    log_in(client, role)
    get, post = client.get(CREATE_URL), client.post(CREATE_URL, {"start_from": "copy"})
    if role == "anonymous":
        assert is_login_redirect(get) and is_login_redirect(post)
    elif role == "partner":
        assert get.status_code == post.status_code == 403
        assert "Only members of the steering group and staff can prepare the Carta." in text(post)
    else:
        assert get.status_code == 200
        draft = charter.versions.get(status=Status.DRAFT)
        assert post.status_code == 302 and post.url == url("version-detail", draft)
    assert charter.versions.filter(status=Status.DRAFT).exists() is (role in STEERING)


def test_a_new_draft_copies_the_latest_version_or_starts_blank(client, charter):
    first, second = approved_proposal(), approved_proposal()
    latest = frozen(charter, Status.PUBLISHED, [second, first], number=1, introduction="Testo rivisto.")
    user = log_in(client, "member")
    client.post(CREATE_URL, {"start_from": "copy"})
    copy = charter.versions.get(status=Status.DRAFT)
    assert (copy.number, copy.introduction, copy.created_by) == (2, "Testo rivisto.", user)
    assert list(copy.items.values_list("proposal_id", flat=True)) == [second.pk, first.pk]
    copy.items.all().delete()
    copy.delete()
    client.post(CREATE_URL, {"start_from": "blank"})
    blank = charter.versions.get(status=Status.DRAFT)
    assert blank.introduction != latest.introduction and not blank.items.exists()


def test_opening_a_second_draft_leads_to_the_existing_one(client, charter):
    draft = CharterVersionFactory(charter=charter, number=1)
    log_in(client, "member")
    response = client.post(CREATE_URL, {"start_from": "blank"})
    assert response.url == url("version-detail", draft)
    assert "Version 1 is already a draft: edit it, or discard it before opening another." in message_texts(response)
    assert charter.versions.count() == 1


def test_first_draft_offers_only_the_default_texts(client, charter):
    log_in(client, "member")
    form = client.get(CREATE_URL).context["form"]
    assert [value for value, _label in form.fields["start_from"].choices] == ["blank"]


# --- Texts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_editing_the_texts_of_a_draft(client, charter, role):
    draft = CharterVersionFactory(charter=charter)
    before = state(draft)
    log_in(client, role)
    response = client.post(url("version-update", draft), {"introduction": "Nuova introduzione.", "principles": "- Uno"})
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role == "partner":
        assert response.status_code == 404
    else:
        assert response.url == url("version-detail", draft)
        draft.refresh_from_db()
        assert (draft.introduction, draft.principles) == ("Nuova introduzione.", "- Uno")
    if role not in STEERING:
        assert state(draft) == before


def test_the_texts_of_a_frozen_version_cannot_be_edited(client, charter):
    version = PublishedVersionFactory(charter=charter, proposals=[approved_proposal()])
    before = state(version)
    log_in(client, "staff")
    response = client.post(url("version-update", version), {"introduction": "Riscritta", "principles": ""})
    assert response.url == url("version-detail", version)
    assert message_texts(response) == [f"Version {version.number} is “Published”: only a draft can be changed."]
    assert state(version) == before


def test_a_partner_is_refused_the_editor_of_a_public_version(client, charter):
    version = PublishedVersionFactory(charter=charter, proposals=[approved_proposal()])
    log_in(client, "partner")
    response = client.get(url("version-update", version))
    assert response.status_code == 403


# --- Projects: add, remove, order -----------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_projects_page_is_for_the_steering_group(client, charter, role):
    draft = CharterVersionFactory(charter=charter)
    log_in(client, role)
    response = client.get(url("version-projects", draft))
    if role == "anonymous":
        assert is_login_redirect(response)
    else:
        assert response.status_code == (200 if role in STEERING else 404)


def test_projects_page_offers_only_approved_proposals_not_yet_listed(client, charter):
    listed, free = approved_proposal("Già in bozza"), approved_proposal("Da aggiungere")
    ProposalFactory(title="Ancora in bozza")
    ProposalFactory(title="Solo inviata", status=Proposal.Status.SUBMITTED)
    draft = CharterVersionFactory(charter=charter, proposals=[listed])
    log_in(client, "member")
    response = client.get(url("version-projects", draft))
    assert list(response.context["page"].object_list) == [free]
    assert f'data-item="{listed.pk}"' in text(response)
    assert "Ancora in bozza" not in text(response) and "Solo inviata" not in text(response)


def test_projects_page_search_filters_the_proposals_to_add(client, charter):
    approved_proposal("Orti sociali")
    approved_proposal("Casa condivisa")
    draft = CharterVersionFactory(charter=charter)
    log_in(client, "member")
    response = client.get(url("version-projects", draft), {"q": "orti"})
    assert [p.title for p in response.context["page"].object_list] == ["Orti sociali"]


def test_adding_an_approved_proposal(client, charter):
    theme = ThemeFactory()
    first, second = approved_proposal(theme=theme), approved_proposal()
    late = approved_proposal(theme=theme)
    draft = CharterVersionFactory(charter=charter, proposals=[first, second])
    log_in(client, "member")
    response = client.post(url("version-project-add", draft), {"proposal": late.pk})
    assert response.url == url("version-projects", draft) + "#draft-projects"
    assert f"“{late.title}” has been added to the draft." in message_texts(response)
    # After the last project of its theme.
    assert order(draft) == [first.pk, late.pk, second.pk]


@pytest.mark.parametrize(
    "proposal_status", [Proposal.Status.DRAFT, Proposal.Status.SUBMITTED, Proposal.Status.REJECTED],
)
def test_adding_a_proposal_that_is_not_approved_is_refused(client, charter, proposal_status):
    draft = CharterVersionFactory(charter=charter)
    proposal = ProposalFactory(status=proposal_status)
    before = state(draft)
    log_in(client, "coordinator")
    response = client.post(url("version-project-add", draft), {"proposal": proposal.pk})
    assert any("Only approved proposals can be listed in the Carta" in m for m in message_texts(response))
    assert state(draft) == before


def test_adding_a_project_twice_or_one_that_does_not_exist_is_refused(client, charter):
    proposal = approved_proposal()
    draft = CharterVersionFactory(charter=charter, proposals=[proposal])
    before = state(draft)
    log_in(client, "member")
    response = client.post(url("version-project-add", draft), {"proposal": proposal.pk})
    assert f"“{proposal.title}” is already in this version." in message_texts(response)
    response = client.post(url("version-project-add", draft), {"proposal": 999999})
    assert "This project does not exist." in message_texts(response)
    assert state(draft) == before


@pytest.mark.parametrize(
    "name", ["version-project-add", "version-project-remove", "version-project-move", "version-theme-move"],
)
def test_project_actions_are_post_only(client, charter, name):
    draft = CharterVersionFactory(charter=charter)
    log_in(client, "member")
    assert client.get(url(name, draft)).status_code == 405


@pytest.mark.parametrize("role", ["anonymous", "partner"])
def test_project_actions_are_refused_outside_the_steering_group(client, charter, role):
    listed, free = approved_proposal(), approved_proposal()
    draft = CharterVersionFactory(charter=charter, proposals=[listed])
    before = state(draft)
    log_in(client, role)
    for name, data in [
        ("version-project-add", {"proposal": free.pk}), ("version-project-remove", {"proposal": listed.pk}),
        ("version-project-move", {"proposal": listed.pk, "direction": "down"}),
    ]:
        response = client.post(url(name, draft), data)
        assert is_login_redirect(response) if role == "anonymous" else response.status_code == 404
    assert state(draft) == before


def test_projects_of_a_frozen_version_cannot_change(client, charter):
    listed, free = approved_proposal(), approved_proposal()
    version = PublishedVersionFactory(charter=charter, proposals=[listed], freeze=Status.APPROVED)
    before = state(version)
    log_in(client, "coordinator")
    response = client.post(url("version-project-add", version), {"proposal": free.pk})
    assert response.url == url("version-detail", version)
    assert message_texts(response) == [f"Version {version.number} is “Approved”: only a draft can be changed."]
    client.post(url("version-project-remove", version), {"proposal": listed.pk})
    assert state(version) == before


def test_removing_a_project(client, charter):
    first, second = approved_proposal(), approved_proposal()
    draft = CharterVersionFactory(charter=charter, proposals=[first, second])
    log_in(client, "member")
    response = client.post(url("version-project-remove", draft), {"proposal": first.pk})
    assert f"“{first.title}” has been removed from the draft." in message_texts(response)
    assert list(draft.items.values_list("proposal_id", "position")) == [(second.pk, 1)]
    # Removing it again says it is not there.
    response = client.post(url("version-project-remove", draft), {"proposal": first.pk})
    assert f"“{first.title}” is not in this version." in message_texts(response)


def test_moving_projects_within_their_theme_and_themes_as_a_whole(client, charter):
    housing, work = ThemeFactory(title="Abitare"), ThemeFactory(title="Lavoro")
    a1, a2 = approved_proposal(theme=housing), approved_proposal(theme=housing)
    w1 = approved_proposal(theme=work)
    draft = CharterVersionFactory(charter=charter, proposals=[a1, a2, w1])
    log_in(client, "member")
    move = url("version-project-move", draft)

    client.post(move, {"proposal": a2.pk, "direction": "up"})
    assert order(draft) == [a2.pk, a1.pk, w1.pk]
    # The last project of a theme does not jump into the next theme.
    client.post(move, {"proposal": a1.pk, "direction": "down"})
    assert order(draft) == [a2.pk, a1.pk, w1.pk]
    client.post(url("version-theme-move", draft), {"theme": work.pk, "direction": "up"})
    assert order(draft) == [w1.pk, a2.pk, a1.pk]
    response = client.post(move, {"proposal": 999999, "direction": "up"})
    assert "This project or theme is not in the draft." in message_texts(response)
    assert order(draft) == [w1.pk, a2.pk, a1.pk]


def test_projects_page_shows_the_draft_grouped_by_theme(client, charter):
    housing, work = ThemeFactory(title="Abitare"), ThemeFactory(title="Lavoro")
    a1, w1, a2 = approved_proposal(theme=housing), approved_proposal(theme=work), approved_proposal(theme=housing)
    draft = CharterVersionFactory(charter=charter, proposals=[a1, w1, a2])
    log_in(client, "member")
    groups = client.get(url("version-projects", draft)).context["groups"]
    shown = [(theme, [item.proposal for item in items]) for theme, items in groups]
    assert shown == [(housing, [a1, a2]), (work, [w1])]


# --- Discarding a draft ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_discarding_a_draft(client, charter, role):
    draft = CharterVersionFactory(charter=charter, proposals=[approved_proposal()])
    log_in(client, role)
    confirmation = client.get(url("version-discard", draft))
    response = client.post(url("version-discard", draft))
    if role == "anonymous":
        assert is_login_redirect(confirmation) and is_login_redirect(response)
    elif role == "partner":
        assert confirmation.status_code == response.status_code == 404
    else:
        assert confirmation.status_code == 200 and "This cannot be undone." in text(confirmation)
        assert response.url == LIST_URL
    assert CharterVersion.objects.filter(pk=draft.pk).exists() is (role not in STEERING)


def test_a_frozen_version_cannot_be_discarded(client, charter):
    version = PublishedVersionFactory(charter=charter, proposals=[approved_proposal()], freeze=Status.APPROVED)
    log_in(client, "staff")
    response = client.post(url("version-discard", version))
    assert response.url == url("version-detail", version)
    assert CharterVersion.objects.filter(pk=version.pk).exists()


# --- Approval -------------------------------------------------------------------------------


def test_approval_confirmation_explains_what_it_does(client, charter):
    draft = CharterVersionFactory(charter=charter, proposals=[approved_proposal()])
    log_in(client, "coordinator")
    response = client.get(url("version-approve", draft))
    assert response.status_code == 200
    assert "Approving freezes the content of this version." in text(response)
    assert "The version lists 1 project in 1 theme." in text(response)
    assert "SHA-256" in text(response)
    assert state(draft)[0] == Status.DRAFT


def test_the_coordinator_approves_a_draft_and_sees_the_pdfs_fingerprint(client, charter):
    draft = CharterVersionFactory(charter=charter, proposals=[approved_proposal("Rete di vicinato")])
    user = log_in(client, "coordinator")

    response = client.post(url("version-approve", draft), {"note": "Seduta del 12 ottobre."})

    assert response.url == url("version-detail", draft)
    draft.refresh_from_db()
    document = Document.objects.get(version=draft, kind=DocumentKind.CHARTER)
    assert (draft.status, draft.approved_by) == (Status.APPROVED, user)
    assert draft.status_changes.last().note == "Seduta del 12 ottobre."
    assert any(document.sha256 in m for m in message_texts(response))
    page = text(client.get(url("version-detail", draft)))
    assert document.sha256 in page and 'id="approved-banner"' in page


@pytest.mark.parametrize("role", ["anonymous", "partner", "member"])
def test_approval_is_refused_to_everyone_but_the_coordinator_and_staff(client, charter, role):
    draft = CharterVersionFactory(charter=charter, proposals=[approved_proposal()])
    before = state(draft)
    log_in(client, role)
    get, post = client.get(url("version-approve", draft)), client.post(url("version-approve", draft))
    if role == "anonymous":
        assert is_login_redirect(get) and is_login_redirect(post)
    elif role == "partner":
        assert get.status_code == post.status_code == 404
    else:
        assert get.status_code == post.status_code == 403
        assert "Only the coordinator of the steering group or staff can approve or publish the Carta." in text(post)
    assert state(draft) == before


def test_staff_approve_too(client, charter):
    draft = CharterVersionFactory(charter=charter, proposals=[approved_proposal()])
    log_in(client, "staff")
    client.post(url("version-approve", draft))
    assert CharterVersion.objects.get(pk=draft.pk).status == Status.APPROVED


def test_approving_twice_is_refused_and_changes_nothing(client, charter):
    version = PublishedVersionFactory(charter=charter, proposals=[approved_proposal()], freeze=Status.APPROVED)
    before = state(version)
    log_in(client, "coordinator")
    response = client.post(url("version-approve", version))
    assert response.url == url("version-detail", version)
    assert message_texts(response) == [
        f"Version {version.number} is “Approved”: it cannot become “Approved”."
    ]
    assert state(version) == before


@pytest.mark.parametrize("problem, message", [
    ("empty", "Add at least one approved project before approving the Carta."),
    ("no_introduction", "Write the introduction before approving the Carta."),
    ("withdrawn", "Remove the projects that are no longer approved before approving the Carta."),
])
def test_approving_an_incomplete_draft_is_refused_with_the_reason(client, charter, problem, message):
    proposal = approved_proposal()
    draft = CharterVersionFactory(
        charter=charter, proposals=[] if problem == "empty" else [proposal],
        introduction="" if problem == "no_introduction" else "Introduzione.",
    )
    if problem == "withdrawn":
        Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.WITHDRAWN)
    before = state(draft)
    log_in(client, "coordinator")
    if problem == "withdrawn":
        assert 'id="not-approved"' in text(client.get(url("version-approve", draft)))
    response = client.post(url("version-approve", draft))
    assert message in message_texts(response)
    assert state(draft) == before


def test_editing_a_proposal_after_approval_changes_neither_the_version_nor_its_pdf(client, charter):
    proposal = approved_proposal("Titolo approvato")
    draft = CharterVersionFactory(charter=charter, proposals=[proposal])
    log_in(client, "coordinator")
    client.post(url("version-approve", draft))
    document = Document.objects.get(version=draft)
    page_before = text(client.get(url("version-detail", draft)))
    stored = (document.sha256, document.size, document.file.name)

    Proposal.objects.filter(pk=proposal.pk).update(title="Titolo cambiato", summary="Sintesi cambiata")
    Organisation.objects.filter(pk=proposal.lead_organisation_id).update(name="Capofila rinominato")

    page_after = text(client.get(url("version-detail", draft)))
    assert "Titolo approvato" in page_after
    assert "Titolo cambiato" not in page_after and "Capofila rinominato" not in page_after
    assert page_after.count("Titolo approvato") == page_before.count("Titolo approvato")
    document.refresh_from_db()
    assert (document.sha256, document.size, document.file.name) == stored
    assert hashlib.sha256(document.read_bytes()).hexdigest() == stored[0]
    assert Document.objects.filter(version=draft).count() == 1


# --- Publication ----------------------------------------------------------------------------


def test_publication_confirmation_names_the_version_it_replaces(client, charter):
    current = PublishedVersionFactory(charter=charter, number=1, proposals=[approved_proposal()])
    approved = frozen(charter, Status.APPROVED, number=2)
    log_in(client, "coordinator")
    response = client.get(url("version-publish", approved))
    assert response.status_code == 200
    assert "Version 2 will replace version 1 as the public Carta." in text(response)
    assert CharterVersion.objects.get(pk=current.pk).status == Status.PUBLISHED


def test_the_coordinator_publishes_and_the_earlier_version_is_superseded(client, charter):
    current = PublishedVersionFactory(charter=charter, number=1, proposals=[approved_proposal("Vecchio")])
    approved = frozen(charter, Status.APPROVED, [approved_proposal("Nuovo")], number=2)
    user = log_in(client, "coordinator")

    response = client.post(url("version-publish", approved), {"note": "Delibera n. 4."})

    assert response.url == CHARTER_URL
    assert "Version 2 is now the public Carta." in message_texts(response)
    approved.refresh_from_db()
    assert (approved.status, approved.published_by) == (Status.PUBLISHED, user)
    assert CharterVersion.objects.get(pk=current.pk).status == Status.SUPERSEDED
    client.logout()
    content = text(client.get(CHARTER_URL))
    assert "Nuovo" in content and "Vecchio" not in content
    assert "This version has been superseded by version 2." in text(client.get(url("version-detail", current)))


@pytest.mark.parametrize("role", ["anonymous", "partner", "member"])
def test_publication_is_refused_to_everyone_but_the_coordinator_and_staff(client, charter, role):
    approved = PublishedVersionFactory(charter=charter, proposals=[approved_proposal()], freeze=Status.APPROVED)
    before = state(approved)
    log_in(client, role)
    response = client.post(url("version-publish", approved))
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role == "partner":
        assert response.status_code == 404
    else:
        assert response.status_code == 403
    assert state(approved) == before


def test_staff_publish_too(client, charter):
    approved = PublishedVersionFactory(charter=charter, proposals=[approved_proposal()], freeze=Status.APPROVED)
    log_in(client, "staff")
    client.post(url("version-publish", approved))
    assert CharterVersion.objects.get(pk=approved.pk).status == Status.PUBLISHED


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PUBLISHED, Status.SUPERSEDED])
def test_publishing_a_version_that_is_not_approved_is_refused(client, charter, status):
    if status == Status.DRAFT:
        version = CharterVersionFactory(charter=charter, proposals=[approved_proposal()])
    else:
        version = PublishedVersionFactory(charter=charter, proposals=[approved_proposal()], freeze=status)
    before = state(version)
    log_in(client, "staff")
    response = client.post(url("version-publish", version))
    assert response.url == url("version-detail", version)
    assert "it cannot become “Published”" in message_texts(response)[0]
    assert state(version) == before


def test_publishing_an_older_version_over_a_later_one_is_refused(client, charter):
    older = PublishedVersionFactory(charter=charter, number=1, proposals=[approved_proposal()], freeze=Status.APPROVED)
    PublishedVersionFactory(charter=charter, number=2, proposals=[approved_proposal()])
    before = state(older)
    log_in(client, "coordinator")
    response = client.post(url("version-publish", older))
    assert "A later version (2) is already published: an older one cannot replace it." in message_texts(response)
    assert state(older) == before
