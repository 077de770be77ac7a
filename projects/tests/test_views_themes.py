"""Theme pages: the public list and page (call window, policy areas, the focus groups the
viewer may open, the link to write a proposal) and the steering group's create and edit forms,
each allowed for its role and refused for the others."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.models import Membership
from projects.models import FocusGroupMembership, Theme
from projects.tests.factories import (
    FocusGroupFactory,
    FocusGroupMembershipFactory,
    MembershipFactory,
    OrganisationFactory,
    ThemeFactory,
    UserFactory,
    steering_member,
)
from welfare_portal.models import PolicyArea

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
LIST_URL = reverse("projects:theme-list")
CREATE_URL = reverse("projects:theme-create")


def detail_url(theme):
    return reverse("projects:theme-detail", args=[theme.pk])


def update_url(theme):
    return reverse("projects:theme-update", args=[theme.pk])


@pytest.fixture(autouse=True)
def _english_pages(client):
    """Pages follow the browser's language: ask for English to assert on the msgids."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def login(client, user):
    client.force_login(user)
    return user


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def local_input(moment):
    """A datetime-local value, as the browser sends it."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def theme_post(**overrides):
    now = timezone.now()
    return {
        "title": "Abitare e vicinato",
        "description": "Casa, vicinato e reti di prossimità.",
        "policy_areas": [area.pk for area in PolicyArea.objects.filter(slug__in=["housing", "social-services"])],
        "call_opens_at": local_input(now + DAY),
        "call_closes_at": local_input(now + 40 * DAY),
        **overrides,
    }


def theme_rows():
    return list(Theme.objects.order_by("pk").values_list("title", "description", "call_opens_at", "call_closes_at"))


# The public list


def test_theme_list_shows_call_status_and_policy_areas(client):
    housing = PolicyArea.objects.get(slug="housing")
    open_theme = ThemeFactory(title="Abitare")
    open_theme.policy_areas.set([housing])
    ThemeFactory(title="Lavoro", upcoming=True)
    ThemeFactory(title="Trasporti", closed=True)

    html = client.get(LIST_URL).content.decode()

    assert "Abitare" in html and "Lavoro" in html and "Trasporti" in html
    assert "Call open" in html and "Not open yet" in html and "Call closed" in html
    assert housing.name in html
    assert f'href="{reverse("projects:timeline")}"' in html


def test_theme_list_filters_by_call_status_and_search(client):
    ThemeFactory(title="Abitare")
    ThemeFactory(title="Trasporti", closed=True)

    open_only = client.get(LIST_URL, {"call": "open"})
    assert [t.title for t in open_only.context["page"].object_list] == ["Abitare"]
    searched = client.get(LIST_URL, {"q": "trasporti"})
    assert [t.title for t in searched.context["page"].object_list] == ["Trasporti"]
    nothing = client.get(LIST_URL, {"q": "nessuna"})
    assert "No theme matches your search." in nothing.content.decode()


def test_theme_list_empty_state(client):
    assert "No themes yet" in client.get(LIST_URL).content.decode()


def test_theme_list_paginates(client):
    ThemeFactory.create_batch(23)
    response = client.get(LIST_URL, {"page": 2})
    assert len(response.context["page"].object_list) == 3
    assert 'aria-label="Pages of the themes"' in response.content.decode()


def test_theme_list_runs_the_same_queries_with_10_and_200_themes(client):
    areas = list(PolicyArea.objects.all()[:3])

    def add_themes(count):
        for _index in range(count):
            ThemeFactory().policy_areas.set(areas)

    counts = []
    for added in (10, 190):  # 10 themes, then 200
        add_themes(added)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST_URL).status_code == 200
        counts.append(len(queries))
    # count, page of themes, their policy areas, the policy areas of the filter's select
    assert counts[0] == counts[1] <= 5, counts


def test_theme_list_escapes_user_written_text(client):
    ThemeFactory(title="<script>alert(1)</script>", description="<b>grassetto</b>")
    html = client.get(LIST_URL).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>grassetto</b>" not in html


def test_menu_shows_themes_to_everyone_and_my_focus_groups_to_logged_in_users(client):
    my_url = reverse("projects:my-focusgroups")
    html = client.get(reverse("home")).content.decode()
    assert f'href="{LIST_URL}"' in html
    assert f'href="{my_url}"' not in html
    login(client, UserFactory())
    assert f'href="{reverse("personal-area")}"' in client.get(reverse("home")).content.decode()
    assert f'href="{my_url}"' in client.get(reverse("personal-area")).content.decode()


# The theme page


def test_theme_page_shows_description_policy_areas_and_call_window(client):
    theme = ThemeFactory(title="Abitare", description="Casa e vicinato.\nReti di prossimità.")
    theme.policy_areas.set(PolicyArea.objects.filter(slug="housing"))
    html = client.get(detail_url(theme)).content.decode()
    assert "Casa e vicinato.<br>Reti di prossimità." in html
    assert PolicyArea.objects.get(slug="housing").name in html
    assert "Call open" in html


def test_unknown_theme_is_404(client):
    assert client.get(reverse("projects:theme-detail", args=[999])).status_code == 404


def _proposal_link(theme):
    return f'{reverse("projects:proposal-create")}?theme={theme.pk}'


def test_logged_in_user_gets_the_proposal_link_while_the_call_is_open(client):
    theme = ThemeFactory()
    link = _proposal_link(theme)
    assert link not in client.get(detail_url(theme)).content.decode()  # anonymous
    login(client, MembershipFactory().user)
    assert link in client.get(detail_url(theme)).content.decode()


@pytest.mark.parametrize("state", ["closed", "upcoming"])
def test_no_proposal_link_outside_the_call_window(client, state):
    theme = ThemeFactory(**{state: True})
    link = _proposal_link(theme)
    login(client, MembershipFactory().user)
    html = client.get(detail_url(theme)).content.decode()
    assert link not in html
    assert 'id="write-proposal"' not in html


def _focus_group_links(response):
    return [fg.title for fg in response.context["focus_groups"]]


def test_theme_page_lists_only_the_focus_groups_the_viewer_may_open(client):
    theme = ThemeFactory()
    mine = FocusGroupFactory(theme=theme, title="Anziani soli")
    other = FocusGroupFactory(theme=theme, title="Giovani e lavoro")
    FocusGroupFactory(title="Altro tema")
    member = MembershipFactory().user
    organisation = member.memberships.get().organisation
    FocusGroupMembershipFactory(focus_group=mine, organisation=organisation)
    FocusGroupMembershipFactory(
        focus_group=other, organisation=organisation, status=FocusGroupMembership.Status.INVITED,
    )

    anonymous = client.get(detail_url(theme))
    assert _focus_group_links(anonymous) == []
    assert f'href="{reverse("projects:focusgroup-detail", args=[mine.pk])}"' not in anonymous.content.decode()

    login(client, member)
    response = client.get(detail_url(theme))
    assert _focus_group_links(response) == ["Anziani soli"]
    assert "Your organisation takes part" in response.content.decode()

    login(client, steering_member())
    assert _focus_group_links(client.get(detail_url(theme))) == ["Anziani soli", "Giovani e lavoro"]


def test_referent_of_a_verified_organisation_sees_every_focus_group_to_ask_to_join(client):
    theme = ThemeFactory()
    FocusGroupFactory(theme=theme, title="Anziani soli")
    referent = UserFactory()
    OrganisationFactory(verified=True, referent=referent)
    login(client, referent)
    assert _focus_group_links(client.get(detail_url(theme))) == ["Anziani soli"]


def test_member_without_focus_groups_sees_the_empty_state(client):
    theme = ThemeFactory()
    FocusGroupFactory(theme=theme)
    login(client, MembershipFactory(role=Membership.Role.MEMBER).user)
    response = client.get(detail_url(theme))
    assert _focus_group_links(response) == []
    assert "No focus groups to show" in response.content.decode()


# Creating and editing themes


def test_steering_member_creates_a_theme(client):
    user = login(client, steering_member())
    assert client.get(LIST_URL).context["can_add"] is True
    assert client.get(CREATE_URL).status_code == 200

    response = client.post(CREATE_URL, theme_post())

    theme = Theme.objects.get()
    assert response.status_code == 302 and response.url == detail_url(theme)
    assert theme.title == "Abitare e vicinato" and theme.created_by == user
    assert set(theme.policy_areas.values_list("slug", flat=True)) == {"housing", "social-services"}
    assert "The theme “Abitare e vicinato” has been created." in messages_of(client.get(response.url))


def test_staff_creates_a_theme(client):
    login(client, UserFactory(staff=True, totp=True))
    response = client.post(CREATE_URL, theme_post())
    assert response.status_code == 302 and Theme.objects.count() == 1


def test_inverted_call_window_is_refused_with_a_clear_message(client):
    login(client, steering_member())
    now = timezone.now()
    response = client.post(CREATE_URL, theme_post(
        call_opens_at=local_input(now + 10 * DAY), call_closes_at=local_input(now + DAY),
    ))
    assert response.status_code == 200
    assert response.context["form"].errors["call_closes_at"] == ["The call must close after it opens."]
    assert "The call must close after it opens." in response.content.decode()
    assert not Theme.objects.exists()


@pytest.mark.parametrize("url", [CREATE_URL, "update"])
def test_theme_forms_are_refused_to_people_outside_the_steering_group(client, url):
    theme = ThemeFactory()
    url = update_url(theme) if url == "update" else url
    before = theme_rows()

    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))

    referent = UserFactory()
    OrganisationFactory(verified=True, referent=referent)
    login(client, referent)
    assert client.get(url).status_code == 403
    assert client.post(url, theme_post()).status_code == 403
    assert theme_rows() == before


def test_former_steering_member_cannot_create_themes(client):
    from partners.tests.factories import SteeringGroupMemberFactory

    login(client, SteeringGroupMemberFactory(ended=True).user)
    assert client.post(CREATE_URL, theme_post()).status_code == 403
    assert not Theme.objects.exists()


def test_steering_member_edits_a_theme(client):
    theme = ThemeFactory(title="Abitare")
    login(client, steering_member())
    assert client.get(detail_url(theme)).context["can_change"] is True
    assert client.get(update_url(theme)).status_code == 200

    response = client.post(update_url(theme), theme_post(title="Abitare insieme"))

    assert response.status_code == 302 and response.url == detail_url(theme)
    theme.refresh_from_db()
    assert theme.title == "Abitare insieme"


def test_editing_a_theme_with_an_inverted_window_changes_nothing(client):
    theme = ThemeFactory(title="Abitare")
    before = theme_rows()
    login(client, steering_member())
    now = timezone.now()
    response = client.post(update_url(theme), theme_post(
        title="Cambiato", call_opens_at=local_input(now), call_closes_at=local_input(now - DAY),
    ))
    assert response.status_code == 200
    assert "The call must close after it opens." in response.content.decode()
    assert theme_rows() == before


def test_theme_form_is_not_offered_to_plain_users(client):
    theme = ThemeFactory()
    login(client, MembershipFactory().user)
    response = client.get(detail_url(theme))
    assert response.context["can_change"] is False
    assert f'href="{update_url(theme)}"' not in response.content.decode()
    assert f'href="{CREATE_URL}"' not in client.get(LIST_URL).content.decode()
