"""seed_demo: demo data that a newcomer can log in with, loaded as often as wanted, and never
by accident on a production database."""

import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from welfare_portal.models import Municipality

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

User = get_user_model()

AMBITO_DI_LEGNANO = {
    "Busto Garolfo",
    "Canegrate",
    "Cerro Maggiore",
    "Dairago",
    "Legnano",
    "Nerviano",
    "Parabiago",
    "Rescaldina",
    "San Giorgio su Legnano",
    "San Vittore Olona",
    "Villa Cortese",
}


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot():
    return {
        "municipalities": sorted(Municipality.objects.values_list("name", flat=True)),
        "users": sorted(User.objects.values_list("email", "full_name", "is_staff", "is_superuser")),
        "addresses": sorted(EmailAddress.objects.values_list("email", "verified", "primary")),
    }


def test_seed_demo_loads_the_eleven_municipalities_of_the_ambito():
    seed("--force")

    assert set(Municipality.objects.values_list("name", flat=True)) == AMBITO_DI_LEGNANO


def test_seed_demo_run_twice_gives_the_same_data():
    seed("--force")
    first = snapshot()

    seed("--force")

    assert snapshot() == first
    assert len(first["municipalities"]) == 11
    assert len(first["users"]) == 4


def test_seed_demo_keeps_municipalities_already_there():
    Municipality.objects.create(name="Legnano", istat_code="015118", population=60000)

    seed("--force")

    legnano = Municipality.objects.get(name="Legnano")
    assert (legnano.istat_code, legnano.population) == ("015118", 60000)
    assert Municipality.objects.count() == 11


def test_every_demo_login_printed_works_with_the_printed_password(client):
    output = seed("--force")

    password = re.search(r"password for all: (\S+)\)", output).group(1)
    logins = re.findall(r"^\s+(\S+@\S+)\s", output, flags=re.MULTILINE)
    assert len(logins) == 4
    assert set(logins) == set(User.objects.values_list("email", flat=True))
    for email in logins:
        client.logout()
        response = client.post(reverse("account_login"), {"login": email, "password": password})
        assert response.status_code == 302, email
        assert response.url == reverse("home"), email
        assert client.session["_auth_user_id"] == str(User.objects.get(email=email).pk)


def test_seed_demo_makes_exactly_one_staff_login():
    output = seed("--force")

    [staff] = User.objects.filter(is_staff=True)
    assert staff.email in output


def test_seed_demo_refuses_with_debug_off_and_creates_nothing(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        seed()

    assert not Municipality.objects.exists()
    assert not User.objects.exists()


def test_seed_demo_runs_without_force_while_developing(settings):
    settings.DEBUG = True

    seed()

    assert Municipality.objects.count() == 11
