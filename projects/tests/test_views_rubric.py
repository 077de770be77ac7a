"""The rubric page: the steering group reads the criteria and their weights; the coordinator
and staff add, edit and remove criteria and activate a rubric. A criterion already used keeps
its weight and stays."""

from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import Criterion, Rubric
from projects.tests.factories import (
    CriterionFactory,
    MembershipFactory,
    RubricFactory,
    ScoreFactory,
    SteeringGroupMemberFactory,
    UserFactory,
    steering_member,
)

pytestmark = pytest.mark.django_db

RUBRIC_URL = "/regia/griglia/"


def url(name, *args):
    return reverse(f"projects:{name}", args=args)


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def active():
    """The active rubric loaded by the data migration (weights 25/20/20/15/20)."""
    return Rubric.objects.active().get()


@pytest.fixture
def coordinator_client(client):
    client.force_login(steering_member(coordinator=True))
    return client


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


def rubric_rows():
    return (
        sorted(Rubric.objects.values_list("pk", "name", "is_active")),
        sorted(Criterion.objects.values_list("pk", "rubric_id", "name", "description", "weight", "order")),
    )


def criterion_data(**overrides):
    return {"name": "Coinvolgimento dei cittadini", "description": "", "weight": "10", "order": "60", **overrides}


def test_urls_are_italian_and_named():
    assert url("rubric") == RUBRIC_URL
    assert url("rubric-create") == RUBRIC_URL + "nuova/"
    assert url("rubric-activate", 3) == RUBRIC_URL + "3/attiva/"
    assert url("criterion-create", 3) == RUBRIC_URL + "3/criteri/nuovo/"
    assert url("criterion-update", 4) == RUBRIC_URL + "criteri/4/modifica/"
    assert url("criterion-delete", 4) == RUBRIC_URL + "criteri/4/elimina/"


def _pages(rubric, criterion):
    return [
        ("get", url("rubric-create"), None),
        ("post", url("rubric-create"), {"name": "Nuova griglia"}),
        ("post", url("rubric-activate", rubric.pk), None),
        ("get", url("criterion-create", rubric.pk), None),
        ("post", url("criterion-create", rubric.pk), criterion_data()),
        ("get", url("criterion-update", criterion.pk), None),
        ("post", url("criterion-update", criterion.pk), criterion_data(name="Rinominato")),
        ("get", url("criterion-delete", criterion.pk), None),
        ("post", url("criterion-delete", criterion.pk), None),
    ]


def test_anonymous_visitors_are_sent_to_log_in(client, active):
    other = CriterionFactory(rubric=RubricFactory())
    before = rubric_rows()
    for method, page_url, data in [("get", RUBRIC_URL, None), *_pages(other.rubric, other)]:
        response = getattr(client, method)(page_url, data)
        assert response.status_code == 302, page_url
        assert response["Location"].startswith("/accounts/login/?next="), page_url
    assert rubric_rows() == before


@pytest.mark.parametrize("who", ["partner", "ex_member"])
def test_people_outside_the_steering_group_are_refused(client, who):
    user = MembershipFactory().user if who == "partner" else SteeringGroupMemberFactory(ended=True).user
    client.force_login(user)
    other = CriterionFactory(rubric=RubricFactory())
    before = rubric_rows()
    for method, page_url, data in [("get", RUBRIC_URL, None), *_pages(other.rubric, other)]:
        assert getattr(client, method)(page_url, data).status_code == 403, page_url
    assert rubric_rows() == before


def test_a_plain_steering_member_reads_the_rubric_but_cannot_change_it(client, active):
    client.force_login(steering_member())
    response = client.get(RUBRIC_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bisogno coperto" in html and 'id="read-only-note"' in html
    assert url("criterion-create", active.pk) not in html and "criterion-edit" not in html
    other = CriterionFactory(rubric=RubricFactory())
    before = rubric_rows()
    for method, page_url, data in _pages(other.rubric, other):
        assert getattr(client, method)(page_url, data).status_code == 403, page_url
    assert rubric_rows() == before


def test_the_page_shows_weights_as_percentages_of_the_total(coordinator_client, active):
    draft = RubricFactory(name="Griglia 2027")
    CriterionFactory(rubric=draft, name="Uno", weight=Decimal("1"))
    CriterionFactory(rubric=draft, name="Due", weight=Decimal("3"))
    response = coordinator_client.get(RUBRIC_URL)
    html = response.content.decode()
    rubrics = response.context["rubrics"]
    assert [r.name for r in rubrics] == [active.name, "Griglia 2027"]  # the active one first
    assert [c.percent for c in rubrics[1].criteria.all()] == [Decimal(25), Decimal(75)]
    assert rubrics[0].total_weight == Decimal(100)
    assert "25.0%" in html and "75.0%" in html and "15.0%" in html
    assert url("criterion-create", active.pk) in html and url("rubric-activate", draft.pk) in html
    assert url("rubric-activate", active.pk) not in html  # already active


def test_rubric_page_runs_three_queries_for_its_data(coordinator_client, django_assert_max_num_queries):
    for _n in range(3):
        rubric = RubricFactory()
        CriterionFactory.create_batch(4, rubric=rubric)
    # session, user, view and change permission (seat each), rubrics, criteria with score
    # counts, the menu's seat check.
    with django_assert_max_num_queries(7):
        coordinator_client.get(RUBRIC_URL)


@pytest.mark.parametrize("who", ["coordinator", "staff"])
def test_the_coordinator_or_staff_add_edit_and_remove_a_criterion(client, active, who):
    client.force_login(steering_member(coordinator=True) if who == "coordinator" else UserFactory(staff=True, totp=True))
    assert client.get(url("criterion-create", active.pk)).status_code == 200
    response = client.post(url("criterion-create", active.pk), criterion_data(description="Partecipazione attiva."))
    assert response["Location"] == RUBRIC_URL
    criterion = Criterion.objects.get(name="Coinvolgimento dei cittadini")
    assert (criterion.rubric, criterion.weight, criterion.description) == (active, Decimal("10"), "Partecipazione attiva.")

    response = client.post(url("criterion-update", criterion.pk), criterion_data(name="Cittadinanza attiva", weight="12.5"))
    assert response["Location"] == RUBRIC_URL
    criterion.refresh_from_db()
    assert (criterion.name, criterion.weight) == ("Cittadinanza attiva", Decimal("12.5"))

    assert client.get(url("criterion-delete", criterion.pk)).status_code == 200
    assert Criterion.objects.filter(pk=criterion.pk).exists()  # the confirmation page changes nothing
    response = client.post(url("criterion-delete", criterion.pk), follow=True)
    assert "The criterion “Cittadinanza attiva” has been removed." in messages_of(response)
    assert not Criterion.objects.filter(pk=criterion.pk).exists()


@pytest.mark.parametrize("weight, error", [("0", "The weight must be greater than zero."), ("", "This field is required.")])
def test_a_criterion_needs_a_positive_weight(coordinator_client, active, weight, error):
    before = rubric_rows()
    response = coordinator_client.post(url("criterion-create", active.pk), criterion_data(weight=weight))
    assert response.status_code == 200
    assert response.context["form"].errors["weight"] == [error]
    assert rubric_rows() == before


def test_a_criterion_name_is_unique_in_its_rubric(coordinator_client, active):
    before = rubric_rows()
    response = coordinator_client.post(url("criterion-create", active.pk), criterion_data(name="Bisogno coperto"))
    assert response.status_code == 200
    assert "This rubric already has a criterion with this name." in response.content.decode()
    assert rubric_rows() == before


def test_a_scored_criterion_keeps_its_weight_but_can_be_reworded(coordinator_client, active):
    criterion = active.criteria.get(name="Bisogno coperto")
    ScoreFactory(criterion=criterion)
    page = coordinator_client.get(url("criterion-update", criterion.pk))
    assert 'id="criterion-used"' in page.content.decode()
    before = rubric_rows()
    response = coordinator_client.post(url("criterion-update", criterion.pk), criterion_data(
        name="Bisogno coperto", description=criterion.description, weight="40", order=criterion.order,
    ))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This criterion has already been used in evaluations, so its weight cannot change: create a new rubric instead."
    ]
    assert rubric_rows() == before
    response = coordinator_client.post(url("criterion-update", criterion.pk), criterion_data(
        name="Bisogno coperto", description="Descrizione più chiara.", weight="25", order=criterion.order,
    ))
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert (criterion.description, criterion.weight) == ("Descrizione più chiara.", Decimal("25"))


def test_a_scored_criterion_cannot_be_removed(coordinator_client, active):
    criterion = active.criteria.first()
    ScoreFactory(criterion=criterion)
    page = coordinator_client.get(url("criterion-delete", criterion.pk))
    assert 'id="criterion-used"' in page.content.decode() and 'id="criterion-delete-form"' not in page.content.decode()
    before = rubric_rows()
    response = coordinator_client.post(url("criterion-delete", criterion.pk), follow=True)
    assert "This criterion has already been used in evaluations and cannot be removed." in messages_of(response)
    assert rubric_rows() == before


def test_a_new_rubric_is_created_filled_and_activated(coordinator_client, active):
    response = coordinator_client.post(url("rubric-create"), {"name": "Griglia 2027", "description": "Per il bando 2027."})
    assert response["Location"] == RUBRIC_URL
    new = Rubric.objects.get(name="Griglia 2027")
    assert not new.is_active

    response = coordinator_client.post(url("rubric-activate", new.pk), follow=True)
    assert "A rubric needs at least one criterion before it can be used." in messages_of(response)
    assert Rubric.objects.active().get() == active

    coordinator_client.post(url("criterion-create", new.pk), criterion_data())
    response = coordinator_client.post(url("rubric-activate", new.pk), follow=True)
    assert "“Griglia 2027” is now the rubric new evaluations use." in messages_of(response)
    assert Rubric.objects.active().get() == new
    active.refresh_from_db()
    assert not active.is_active and active.criteria.count() == 5  # kept for the record


def test_a_rubric_name_is_unique(coordinator_client, active):
    response = coordinator_client.post(url("rubric-create"), {"name": active.name})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert Rubric.objects.count() == 1


def test_activate_accepts_only_post(coordinator_client, active):
    assert coordinator_client.get(url("rubric-activate", active.pk)).status_code == 405


def test_queue_links_to_the_rubric(client):
    client.force_login(steering_member())
    assert f'href="{RUBRIC_URL}"' in client.get("/regia/proposte/").content.decode()
