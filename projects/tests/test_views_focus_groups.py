"""Focus group pages: the page of a focus group for each kind of viewer, asking to join,
invitations, the facilitators' decisions, "my focus groups", and the steering group's forms,
each allowed for its role and refused for the others."""

from dataclasses import dataclass

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.models import Membership
from partners.tests.factories import SteeringGroupMemberFactory
from projects.models import FocusGroup, FocusGroupMembership
from projects.tests.factories import (
    DAY,
    FocusGroupFactory,
    FocusGroupMembershipFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    ThemeFactory,
    UserFactory,
    steering_member,
)

pytestmark = pytest.mark.django_db

Status = FocusGroupMembership.Status
MY_URL = reverse("projects:my-focusgroups")


def url(name, obj):
    return reverse(f"projects:{name}", args=[obj.pk])


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def login(client, user):
    client.force_login(user)
    return user


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def membership_rows():
    return list(FocusGroupMembership.objects.order_by("pk").values_list(
        "focus_group_id", "organisation_id", "status", "requested_by_id", "decided_by_id",
    ))


def assert_login_redirect(response):
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


@dataclass
class World:
    focus_group: FocusGroup
    facilitator: object
    member_organisation: object
    member: object  # a plain member of the member organisation
    member_referent: object
    outsider_organisation: object  # verified, not in the focus group
    outsider_referent: object
    outsider_member: object  # a plain member of the outsider organisation


@pytest.fixture
def world():
    facilitator = steering_member(user__full_name="Anna Ricci")
    focus_group = FocusGroupFactory(
        title="Anziani soli", facilitators=[facilitator], theme=ThemeFactory(title="Abitare"),
    )
    member_organisation = OrganisationFactory(verified=True, name="Cooperativa La Ruota")
    FocusGroupMembershipFactory(focus_group=focus_group, organisation=member_organisation)
    member_referent = UserFactory()
    MembershipFactory(organisation=member_organisation, user=member_referent, role=Membership.Role.REFERENT)
    outsider_referent = UserFactory()
    outsider_organisation = OrganisationFactory(verified=True, name="Auser Legnano", referent=outsider_referent)
    return World(
        focus_group=focus_group, facilitator=facilitator,
        member_organisation=member_organisation,
        member=MembershipFactory(organisation=member_organisation).user,
        member_referent=member_referent,
        outsider_organisation=outsider_organisation, outsider_referent=outsider_referent,
        outsider_member=MembershipFactory(organisation=outsider_organisation).user,
    )


# The page of a focus group


def test_member_sees_theme_facilitators_members_and_meetings(client, world):
    upcoming = MeetingFactory(focus_group=world.focus_group, title="Secondo incontro",
                              starts_at=timezone.now() + 7 * DAY)
    past = MeetingFactory(focus_group=world.focus_group, title="Primo incontro")
    login(client, world.member)

    response = client.get(url("focusgroup-detail", world.focus_group))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Abitare" in html and "Anna Ricci" in html and "Cooperativa La Ruota" in html
    assert list(response.context["upcoming_meetings"]) == [upcoming]
    assert list(response.context["past_meetings"]) == [past]
    assert url("meeting-detail", upcoming) in html
    # Members neither decide requests nor invite.
    assert "pending_requests" not in response.context
    assert url("focusgroup-invite", world.focus_group) not in html
    assert url("focusgroup-join", world.focus_group) not in html


def test_focus_group_page_empty_states(client):
    focus_group = FocusGroupFactory()
    login(client, steering_member())
    html = client.get(url("focusgroup-detail", focus_group)).content.decode()
    for text in (
        "No facilitators yet.", "No member organisations yet.", "No meetings scheduled.", "No past meetings yet.",
    ):
        assert text in html


def test_focus_group_page_is_404_for_people_without_a_place_in_it(client, world):
    invited = OrganisationFactory(verified=True)
    FocusGroupMembershipFactory(focus_group=world.focus_group, organisation=invited, status=Status.INVITED)
    page = url("focusgroup-detail", world.focus_group)

    assert_login_redirect(client.get(page))
    for user in (UserFactory(), world.outsider_member, MembershipFactory(organisation=invited).user,
                 SteeringGroupMemberFactory(ended=True).user):
        login(client, user)
        assert client.get(page).status_code == 404


def test_referent_of_a_non_member_organisation_sees_the_page_without_members_and_meetings(client, world):
    MeetingFactory(focus_group=world.focus_group, title="Primo incontro")
    login(client, world.outsider_referent)

    response = client.get(url("focusgroup-detail", world.focus_group))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Anziani soli" in html and "Anna Ricci" in html
    assert "Cooperativa La Ruota" not in html and "Primo incontro" not in html
    assert f'href="{url("focusgroup-join", world.focus_group)}"' in html


@pytest.mark.parametrize("who", ["steering", "staff"])
def test_steering_group_and_staff_see_every_focus_group(client, world, who):
    login(client, steering_member() if who == "steering" else UserFactory(staff=True, totp=True))
    response = client.get(url("focusgroup-detail", world.focus_group))
    assert response.status_code == 200
    assert "Cooperativa La Ruota" in response.content.decode()


def test_facilitator_sees_pending_requests_and_the_invite_form(client, world):
    asking = OrganisationFactory(verified=True, name="Caritas Parabiago")
    request = FocusGroupMembershipFactory(focus_group=world.focus_group, organisation=asking, status=Status.REQUESTED)
    declined = OrganisationFactory(verified=True, name="ANFFAS Legnano")
    FocusGroupMembershipFactory(focus_group=world.focus_group, organisation=declined, status=Status.DECLINED)
    pending = OrganisationFactory(name="In attesa di verifica")
    login(client, world.facilitator)

    response = client.get(url("focusgroup-detail", world.focus_group))

    html = response.content.decode()
    assert list(response.context["pending_requests"]) == [request]
    assert f'action="{url("focusgroup-membership-accept", request)}"' in html
    assert f'action="{url("focusgroup-membership-decline", request)}"' in html
    invitable = set(response.context["invite_form"].fields["organisation"].queryset)
    assert invitable == {world.outsider_organisation, declined}
    assert asking not in invitable and world.member_organisation not in invitable and pending not in invitable


def test_user_written_text_is_escaped(client, world):
    world.focus_group.description = "<script>alert(1)</script>"
    world.focus_group.save()
    login(client, world.member)
    html = client.get(url("focusgroup-detail", world.focus_group)).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


# Asking to join


def test_referent_asks_to_join_after_a_confirmation(client, world, on_commit):
    login(client, world.outsider_referent)
    join = url("focusgroup-join", world.focus_group)

    confirmation = client.get(join)
    assert confirmation.status_code == 200
    assert not FocusGroupMembership.objects.filter(organisation=world.outsider_organisation).exists()

    with on_commit():
        response = client.post(join, {"organisation": world.outsider_organisation.pk})

    assert response.status_code == 302 and response.url == url("focusgroup-detail", world.focus_group)
    membership = FocusGroupMembership.objects.get(organisation=world.outsider_organisation)
    assert (membership.status, membership.requested_by) == (Status.REQUESTED, world.outsider_referent)
    assert [message.to for message in mail.outbox] == [[world.facilitator.email]]
    page = client.get(response.url)
    assert any("has asked to join the focus group" in message for message in messages_of(page))
    assert "asked to join on" in page.content.decode()
    assert f'href="{join}"' not in page.content.decode()  # nothing left to ask


def test_asking_to_join_for_someone_elses_organisation_changes_nothing(client, world):
    other = OrganisationFactory(verified=True)
    before = membership_rows()
    login(client, world.outsider_referent)
    response = client.post(url("focusgroup-join", world.focus_group), {"organisation": other.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]
    assert membership_rows() == before


def test_declined_organisation_can_ask_again(client, world):
    FocusGroupMembershipFactory(focus_group=world.focus_group, organisation=world.outsider_organisation,
                                status=Status.DECLINED)
    login(client, world.outsider_referent)
    client.post(url("focusgroup-join", world.focus_group), {"organisation": world.outsider_organisation.pk})
    assert FocusGroupMembership.objects.get(organisation=world.outsider_organisation).status == Status.REQUESTED


def test_referent_of_a_member_organisation_has_nothing_to_ask(client, world):
    before = membership_rows()
    login(client, world.member_referent)
    response = client.post(
        url("focusgroup-join", world.focus_group), {"organisation": world.member_organisation.pk}, follow=True,
    )
    assert any("already members of this focus group" in message for message in messages_of(response))
    assert membership_rows() == before


def test_asking_to_join_is_refused_to_non_referents(client, world):
    join = url("focusgroup-join", world.focus_group)
    before = membership_rows()
    assert_login_redirect(client.post(join, {"organisation": world.outsider_organisation.pk}))
    login(client, world.outsider_member)  # a plain member: cannot see it, cannot ask
    assert client.post(join, {"organisation": world.outsider_organisation.pk}).status_code == 404
    login(client, world.member)  # sees the group, is no referent
    assert client.get(join).status_code == 403
    assert membership_rows() == before


# Invitations


def test_facilitator_invites_an_organisation_and_its_referents_are_told(client, world, on_commit):
    login(client, world.facilitator)
    with on_commit():
        response = client.post(
            url("focusgroup-invite", world.focus_group), {"organisation": world.outsider_organisation.pk},
        )
    assert response.status_code == 302
    membership = FocusGroupMembership.objects.get(organisation=world.outsider_organisation)
    assert (membership.status, membership.requested_by) == (Status.INVITED, world.facilitator)
    assert [message.to for message in mail.outbox] == [[world.outsider_referent.email]]
    assert url("focusgroup-detail", world.focus_group) in mail.outbox[0].body


def test_inviting_a_member_organisation_is_refused_next_to_the_field(client, world):
    before = membership_rows()
    login(client, world.facilitator)
    response = client.post(url("focusgroup-invite", world.focus_group), {"organisation": world.member_organisation.pk})
    assert response.status_code == 200 and response.context["form"].errors["organisation"]
    assert membership_rows() == before


def test_inviting_is_refused_to_everyone_but_facilitators_and_staff(client, world):
    invite = url("focusgroup-invite", world.focus_group)
    data = {"organisation": world.outsider_organisation.pk}
    before = membership_rows()
    assert_login_redirect(client.post(invite, data))
    for user, status in ((steering_member(), 403), (world.member_referent, 403), (UserFactory(), 404)):
        login(client, user)
        assert client.post(invite, data).status_code == status
    assert membership_rows() == before
    login(client, UserFactory(staff=True, totp=True))
    client.post(invite, data)
    assert FocusGroupMembership.objects.get(organisation=world.outsider_organisation).status == Status.INVITED


def test_referent_of_an_invited_organisation_accepts_from_the_page(client, world):
    invitation = FocusGroupMembershipFactory(
        focus_group=world.focus_group, organisation=world.outsider_organisation, status=Status.INVITED,
    )
    login(client, world.outsider_referent)
    html = client.get(url("focusgroup-detail", world.focus_group)).content.decode()
    assert f'action="{url("focusgroup-membership-accept", invitation)}"' in html

    response = client.post(url("focusgroup-membership-accept", invitation), follow=True)

    invitation.refresh_from_db()
    assert (invitation.status, invitation.decided_by) == (Status.ACCEPTED, world.outsider_referent)
    assert "Auser Legnano is now a member of the focus group." in messages_of(response)
    login(client, world.outsider_member)  # now the whole organisation sees the group
    assert client.get(url("focusgroup-detail", world.focus_group)).status_code == 200


def test_referent_declines_an_invitation(client, world):
    invitation = FocusGroupMembershipFactory(
        focus_group=world.focus_group, organisation=world.outsider_organisation, status=Status.INVITED,
    )
    login(client, world.outsider_referent)
    response = client.post(url("focusgroup-membership-decline", invitation), follow=True)
    invitation.refresh_from_db()
    assert invitation.status == Status.DECLINED
    assert "The invitation for Auser Legnano has been declined." in messages_of(response)


def test_facilitator_cannot_answer_an_invitation_for_the_organisation(client, world):
    invitation = FocusGroupMembershipFactory(
        focus_group=world.focus_group, organisation=world.outsider_organisation, status=Status.INVITED,
    )
    before = membership_rows()
    login(client, world.facilitator)
    assert client.post(url("focusgroup-membership-accept", invitation)).status_code == 403
    login(client, world.outsider_member)
    assert client.post(url("focusgroup-membership-accept", invitation)).status_code == 404
    assert membership_rows() == before


# The facilitators' decisions on requests


@pytest.fixture
def join_request(world):
    return FocusGroupMembershipFactory(
        focus_group=world.focus_group, organisation=world.outsider_organisation, status=Status.REQUESTED,
        requested_by=world.outsider_referent,
    )


def test_facilitator_accepts_a_request(client, world, join_request):
    login(client, world.facilitator)
    response = client.post(url("focusgroup-membership-accept", join_request))
    assert response.status_code == 302 and response.url == url("focusgroup-detail", world.focus_group)
    join_request.refresh_from_db()
    assert (join_request.status, join_request.decided_by) == (Status.ACCEPTED, world.facilitator)
    page = client.get(response.url)
    assert "Auser Legnano is now a member of the focus group." in messages_of(page)
    assert list(page.context["pending_requests"]) == []


def test_facilitator_declines_a_request(client, world, join_request):
    login(client, world.facilitator)
    response = client.post(url("focusgroup-membership-decline", join_request), follow=True)
    join_request.refresh_from_db()
    assert join_request.status == Status.DECLINED
    assert "The request of Auser Legnano has been declined." in messages_of(response)


def test_deciding_twice_says_so_and_changes_nothing(client, world, join_request):
    login(client, world.facilitator)
    client.post(url("focusgroup-membership-accept", join_request))
    before = membership_rows()
    response = client.post(url("focusgroup-membership-decline", join_request), follow=True)
    assert "This request has already been decided (Accepted)." in messages_of(response)
    assert membership_rows() == before


def test_requests_are_decided_only_by_facilitators_and_staff(client, world, join_request):
    accept = url("focusgroup-membership-accept", join_request)
    before = membership_rows()
    assert_login_redirect(client.post(accept))
    for user, status in (
        (steering_member(), 403),  # sees the group, does not run it
        (world.outsider_referent, 403),  # asked, cannot accept its own request
        (world.member, 403),
        (UserFactory(), 404),
    ):
        login(client, user)
        assert client.post(accept).status_code == status, user
    login(client, world.facilitator)
    assert client.get(accept).status_code == 405
    assert membership_rows() == before


# My focus groups


def test_my_focus_groups_lists_my_organisations_groups_and_the_ones_i_facilitate(client, world):
    FocusGroupFactory(title="Giovani e lavoro", facilitators=[world.facilitator])
    FocusGroupFactory(title="Non mio")
    invited_to = FocusGroupFactory(title="Disabilità")
    FocusGroupMembershipFactory(focus_group=invited_to, organisation=world.member_organisation, status=Status.INVITED)
    MeetingFactory(focus_group=world.focus_group, starts_at=timezone.now() + 3 * DAY)

    login(client, world.member)
    response = client.get(MY_URL)
    assert [fg.title for fg in response.context["page"].object_list] == ["Anziani soli"]
    assert response.context["page"].object_list[0].next_meeting_at is not None
    assert "Cooperativa La Ruota" in response.content.decode()
    assert list(response.context["invitations"]) == []  # a plain member does not answer invitations

    login(client, world.member_referent)
    response = client.get(MY_URL)
    assert [inv.focus_group for inv in response.context["invitations"]] == [invited_to]

    login(client, world.facilitator)
    titles = [fg.title for fg in client.get(MY_URL).context["page"].object_list]
    assert titles == ["Anziani soli", "Giovani e lavoro"]


def test_my_focus_groups_shows_requests_waiting(client, world, join_request):
    login(client, world.outsider_member)
    response = client.get(MY_URL)
    assert list(response.context["requests"]) == [join_request]
    assert "Requests waiting for the facilitators" in response.content.decode()


def test_my_focus_groups_empty_state_and_login(client):
    assert_login_redirect(client.get(MY_URL))
    login(client, UserFactory())
    html = client.get(MY_URL).content.decode()
    assert "You do not take part in any focus group yet." in html


def test_my_focus_groups_runs_the_same_queries_with_10_and_200_focus_groups(client):
    member = MembershipFactory().user
    organisation = member.memberships.get().organisation
    theme = ThemeFactory()
    login(client, member)

    counts = []
    for added in (10, 190):
        for _index in range(added):
            focus_group = FocusGroupFactory(theme=theme)
            FocusGroupMembershipFactory(focus_group=focus_group, organisation=organisation)
            FocusGroupMembershipFactory(focus_group=focus_group)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(MY_URL)
        assert response.status_code == 200
        counts.append(len(queries))
    assert response.context["page"].paginator.count == 200
    # session and user, the steering seat, count and page of focus groups, their memberships,
    # invitations, requests, the referent check, and the menu's permission checks
    assert counts[0] == counts[1] <= 14, counts


# Creating and editing focus groups


def focus_group_post(facilitators=(), **overrides):
    return {"title": "Famiglie fragili", "description": "Sostegno alle famiglie.",
            "facilitators": [user.pk for user in facilitators], **overrides}


def test_steering_member_creates_a_focus_group_with_facilitators(client):
    theme = ThemeFactory()
    creator = login(client, steering_member())
    colleague = steering_member()
    create = url("focusgroup-create", theme)
    page = client.get(create)
    assert set(page.context["form"].fields["facilitators"].queryset) == {creator, colleague}

    response = client.post(create, focus_group_post(facilitators=[colleague]))

    focus_group = FocusGroup.objects.get()
    assert response.status_code == 302 and response.url == url("focusgroup-detail", focus_group)
    assert (focus_group.theme, focus_group.created_by) == (theme, creator)
    assert list(focus_group.facilitators.all()) == [colleague]


def test_facilitators_must_be_current_steering_members(client):
    theme = ThemeFactory()
    login(client, steering_member())
    former = SteeringGroupMemberFactory(ended=True).user
    response = client.post(url("focusgroup-create", theme), focus_group_post(facilitators=[former]))
    assert response.status_code == 200 and response.context["form"].errors["facilitators"]
    assert not FocusGroup.objects.exists()


def test_focus_group_title_must_be_unique_in_the_theme(client):
    existing = FocusGroupFactory(title="Famiglie fragili")
    login(client, steering_member())
    response = client.post(url("focusgroup-create", existing.theme), focus_group_post())
    assert response.status_code == 200
    assert "This theme already has a focus group with this title." in response.content.decode()
    assert FocusGroup.objects.count() == 1


def test_creating_focus_groups_is_refused_outside_the_steering_group(client):
    theme = ThemeFactory()
    create = url("focusgroup-create", theme)
    assert_login_redirect(client.get(create))
    referent = UserFactory()
    OrganisationFactory(verified=True, referent=referent)
    login(client, referent)
    assert client.get(create).status_code == 403
    assert client.post(create, focus_group_post()).status_code == 403
    assert not FocusGroup.objects.exists()


def test_facilitator_edits_the_focus_group(client, world):
    login(client, world.facilitator)
    update = url("focusgroup-update", world.focus_group)
    assert client.get(update).status_code == 200
    response = client.post(update, focus_group_post(title="Anziani e solitudine", facilitators=[world.facilitator]))
    assert response.status_code == 302
    world.focus_group.refresh_from_db()
    assert world.focus_group.title == "Anziani e solitudine"


def test_editing_is_refused_to_other_people(client, world):
    update = url("focusgroup-update", world.focus_group)
    data = focus_group_post(title="Cambiato")
    for user, status in ((steering_member(), 403), (world.member_referent, 403), (UserFactory(), 404)):
        login(client, user)
        assert client.post(update, data).status_code == status
    world.focus_group.refresh_from_db()
    assert world.focus_group.title == "Anziani soli"
    login(client, steering_member(coordinator=True))  # the coordinator may
    client.post(update, focus_group_post(title="Cambiato", facilitators=[world.facilitator]))
    world.focus_group.refresh_from_db()
    assert world.focus_group.title == "Cambiato"
