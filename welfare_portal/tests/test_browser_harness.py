"""The browser harness itself: each browser test finds the migrated reference data, even after
another transactional test flushed the database with Playwright's event loop running."""

import pytest

from welfare_portal.models import PolicyArea

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("run", ["first", "after a flush"])
def test_reference_data_from_migrations_is_there(run, live_server, browser_page):
    browser_page.goto(live_server.url + "/healthz")
    assert PolicyArea.objects.count() == 9
