"""Free text has a maximum length and names cannot lie, across the portal: every text column is
bounded in the model and in the database, a name is stored NFC without invisible characters
whoever writes it (sign-up, the admin, a service), and the database refuses an over-long text
that bypasses the forms."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import translation

from charter.tests.factories import CharterVersionFactory
from partners.tests.factories import OrganisationFactory
from projects.tests.factories import ProposalFactory
from welfare_portal.fields import NAME_LENGTH, BoundedTextField, NameField, clean_name
from welfare_portal.models import Municipality
from welfare_portal.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

APPS = ["welfare_portal", "partners", "projects", "charter"]
RLO, PDF = "\u202e", "\u202c"


def text_fields():
    return [
        (model, field)
        for app in APPS for model in apps.get_app_config(app).get_models()
        for field in model._meta.local_fields if isinstance(field, models.TextField)
    ]


def test_every_text_field_is_bounded_in_the_model_and_in_the_database():
    assert len(text_fields()) > 30
    for model, field in text_fields():
        assert isinstance(field, BoundedTextField), f"{model.__name__}.{field.name} has no maximum length"
        checks = [
            constraint for constraint in model._meta.constraints
            if constraint.name == f"{model._meta.app_label}_{model._meta.model_name}_{field.name}_max_length"
        ]
        assert len(checks) == 1, f"{model.__name__}.{field.name} has no length check in the database"
        assert checks[0].condition.rhs == field.max_length, f"{model.__name__}.{field.name}: limits differ"


@pytest.mark.parametrize("make, field, limit", [
    (lambda: OrganisationFactory(), "description", 4000),
    (lambda: ProposalFactory(), "need", 4000),
    (lambda: CharterVersionFactory(), "introduction", 6000),
])
def test_the_database_refuses_an_over_long_text_that_bypasses_the_forms(make, field, limit):
    instance = make()
    queryset = type(instance).objects.filter(pk=instance.pk)
    queryset.update(**{field: "é" * limit})
    with pytest.raises(IntegrityError), transaction.atomic():
        queryset.update(**{field: "é" * (limit + 1)})
    assert len(queryset.values_list(field, flat=True).get()) == limit


def test_the_model_refuses_an_over_long_text_with_djangos_message():
    organisation = OrganisationFactory()
    organisation.description = "x" * 4001
    with translation.override("en"):
        with pytest.raises(ValidationError) as excinfo:
            organisation.full_clean()
        assert excinfo.value.message_dict["description"] == [
            "Ensure this value has at most 4000 characters (it has 4001)."
        ]


@pytest.mark.parametrize("typed, stored", [
    (f"Cooperativa {RLO}gpj.exe{PDF}", "Cooperativa gpj.exe"),
    ("Bidi\u202a\u202b\u202d\u2066\u2067\u2068\u2069\u200e\u200f\u061c ripuliti", "Bidi ripuliti"),
    ("Zero\u200bwidth\u200c\u200d\u2060\ufeff", "Zerowidth"),
    ("Asso\u00adciazione", "Associazione"),
    ("Societa\u0300 Coope\u0301rativa", "Società Coopérativa"),
    ("  Mario\n\tRossi\r\n ", "Mario Rossi"),
    ("Maria\u00a0\u00a0Bianchi", "Maria Bianchi"),
    ("", ""),
])
def test_a_name_is_cleaned(typed, stored):
    assert clean_name(typed) == stored


def test_signup_stores_the_full_name_without_bidi_controls_and_nfc(client):
    client.post(reverse("account_signup"), {
        "full_name": f"Luca{RLO} Rossi\u0300", "email": "luca@example.org",
        "password1": DEFAULT_PASSWORD, "password2": DEFAULT_PASSWORD,
    })
    assert get_user_model().objects.get(email="luca@example.org").full_name == "Luca Rossì"


def test_signup_refuses_an_over_long_name(client):
    response = client.post(reverse("account_signup"), {
        "full_name": "M" * (NAME_LENGTH + 1), "email": "lungo@example.org",
        "password1": DEFAULT_PASSWORD, "password2": DEFAULT_PASSWORD,
    }, HTTP_ACCEPT_LANGUAGE="en")
    assert "Ensure this value has at most 200 characters (it has 201)." in response.content.decode()
    assert 'maxlength="200"' in response.content.decode()
    assert not get_user_model().objects.filter(email="lungo@example.org").exists()


def test_a_name_made_only_of_invisible_characters_is_missing(client):
    response = client.post(reverse("account_signup"), {
        "full_name": f"{RLO}\u200b\u00ad", "email": "vuoto@example.org",
        "password1": DEFAULT_PASSWORD, "password2": DEFAULT_PASSWORD,
    }, HTTP_ACCEPT_LANGUAGE="en")
    assert "This field is required." in response.content.decode()
    assert not get_user_model().objects.filter(email="vuoto@example.org").exists()


def test_the_admin_stores_names_cleaned(client):
    staff = UserFactory(staff=True)
    client.force_login(staff)
    response = client.post("/admin/welfare_portal/municipality/add/", {"name": f"Legnano{RLO}\u200b", "istat_code": ""})
    assert response.status_code == 302
    assert Municipality.objects.get().name == "Legnano"


def test_any_save_stores_a_name_cleaned():
    """A service or a script writing the model gets the same cleaning as a form."""
    user = UserFactory(full_name="Anna\u200b Neri\u0301")
    user.refresh_from_db()
    assert user.full_name == "Anna Nerí"
    assert isinstance(get_user_model()._meta.get_field("full_name"), NameField)
