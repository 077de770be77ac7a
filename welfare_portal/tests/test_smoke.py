import pytest

pytestmark = pytest.mark.django_db


def test_home_page_lists_the_municipalities(client):
    from welfare_portal.tests.factories import MunicipalityFactory

    MunicipalityFactory(name="Legnano")
    response = client.get("/")
    assert response.status_code == 200
    assert "Legnano" in response.content.decode()
