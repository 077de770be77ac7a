"""Focus groups: the page of a focus group, joining (on request or by invitation), the
facilitators' decisions and invitations, "my focus groups", and the steering group's forms.

Visibility follows `projects.view_focusgroup` (members, facilitators, steering group, staff).
A referent of a verified organisation that is not a member also reaches the page, without
its members and meetings, to ask to join or to answer an invitation (the invitation email
links there); anyone else gets a 404.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Subquery, Value
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partners.models import Membership, Organisation
from partners.rules import is_staff, is_steering_member
from welfare_portal.pagination import paginate

from .. import services
from ..forms.focus_groups import FocusGroupForm, FocusGroupInviteForm, FocusGroupJoinForm
from ..models import FocusGroup, FocusGroupMembership, Meeting, Theme
from ..rules import answers_focus_group_membership

FOCUS_GROUPS_PER_PAGE = 20
MembershipStatus = FocusGroupMembership.Status
OPEN_STATUSES = (MembershipStatus.REQUESTED, MembershipStatus.INVITED, MembershipStatus.ACCEPTED)


def _accepted_organisation_ids(user):
    return Membership.objects.accepted().filter(user=user).values("organisation_id")


def _is_member_of(user):
    """Exists: one of the user's organisations is an accepted member of the focus group."""
    return Exists(FocusGroupMembership.objects.filter(
        focus_group=OuterRef("pk"), status=MembershipStatus.ACCEPTED,
        organisation_id__in=_accepted_organisation_ids(user),
    ))


def _is_facilitated_by(user):
    return Exists(FocusGroup.facilitators.through.objects.filter(focusgroup_id=OuterRef("pk"), user_id=user.pk))


def focus_groups_visible_to(user):
    """The focus groups whose page the user may open, with `is_member` and `is_facilitating`:
    all of them for staff, the steering group and referents of verified organisations (who may
    ask to join); the ones their organisations belong to for everyone else."""
    if not user.is_authenticated:
        return FocusGroup.objects.none()
    steering = is_steering_member(user)
    focus_groups = FocusGroup.objects.annotate(
        is_member=_is_member_of(user),
        is_facilitating=_is_facilitated_by(user) if steering else Value(False),
    )
    if steering or is_staff(user) or user.has_perm("projects.join_focusgroup"):
        return focus_groups
    return focus_groups.filter(is_member=True)


def _focus_group_queryset():
    return FocusGroup.objects.select_related("theme").prefetch_related("facilitators")


def _require_perm(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


@dataclass
class ReferentAccess:
    """What the user's verified organisations, where they are a referent, can do here."""

    organisations: list
    joinable: list
    invitations: list
    requests: list


def referent_access(user, focus_group):
    managing = Membership.objects.managing().filter(user=user, organisation=OuterRef("pk"))
    organisations = list(Organisation.objects.verified().filter(Exists(managing)).order_by("name", "pk"))
    places = {
        m.organisation_id: m for m in FocusGroupMembership.objects.filter(
            focus_group=focus_group, organisation__in=[o.pk for o in organisations]
        ).select_related("organisation")
    }
    joinable = [
        o for o in organisations if o.pk not in places or places[o.pk].can_move_to(MembershipStatus.REQUESTED)
    ]
    by_status = lambda status: [m for m in places.values() if m.status == status]  # noqa: E731
    return ReferentAccess(
        organisations=organisations, joinable=joinable,
        invitations=by_status(MembershipStatus.INVITED), requests=by_status(MembershipStatus.REQUESTED),
    )


def get_focus_group_for(request, pk):
    """The focus group, whether the user sees it whole, and their referent access; 404 for
    someone who may neither see it nor ask to join it."""
    focus_group = get_object_or_404(_focus_group_queryset(), pk=pk)
    can_view = request.user.has_perm("projects.view_focusgroup", focus_group)
    access = referent_access(request.user, focus_group)
    if not can_view and not access.organisations:
        raise Http404
    return focus_group, can_view, access


def _invitable_organisations(focus_group):
    taken = FocusGroupMembership.objects.filter(focus_group=focus_group, status__in=OPEN_STATUSES)
    return Organisation.objects.verified().exclude(pk__in=taken.values("organisation_id")).order_by("name", "pk")


@login_required
@require_GET
def focusgroup_detail(request, pk):
    focus_group, can_view, access = get_focus_group_for(request, pk)
    user = request.user
    context = {
        "focus_group": focus_group, "theme": focus_group.theme, "can_view": can_view, "access": access,
        "facilitators": list(focus_group.facilitators.all()),
        "can_change": user.has_perm("projects.change_focusgroup", focus_group),
    }
    if can_view:
        now = timezone.now()
        memberships = FocusGroupMembership.objects.filter(focus_group=focus_group).select_related("organisation")
        meetings = Meeting.objects.filter(focus_group=focus_group)
        runs = user.has_perm("projects.invite_focusgroup", focus_group)
        context.update({
            "members": memberships.filter(status=MembershipStatus.ACCEPTED).order_by("organisation__name"),
            "upcoming_meetings": meetings.filter(starts_at__gte=now).order_by("starts_at", "pk"),
            "past_meetings": meetings.filter(starts_at__lt=now).order_by("-starts_at", "-pk"),
            "runs": runs,
            "can_add_meeting": user.has_perm("projects.add_meeting", focus_group),
        })
        if runs:
            context.update({
                "pending_requests": memberships.filter(status=MembershipStatus.REQUESTED)
                .order_by("requested_at", "pk"),
                "pending_invitations": memberships.filter(status=MembershipStatus.INVITED)
                .order_by("organisation__name"),
                "invite_form": FocusGroupInviteForm(organisations=_invitable_organisations(focus_group)),
            })
    return render(request, "projects/focus_groups/focusgroup_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def focusgroup_join(request, pk):
    """A confirmation page where a referent picks the organisation; the POST sends the request
    and emails the facilitators."""
    focus_group, can_view, access = get_focus_group_for(request, pk)
    if not access.organisations:
        raise PermissionDenied  # a member who is not a referent: sees the group, cannot ask
    if not access.joinable:
        messages.info(request, _(
            "Your organisations are already members of this focus group, or their request or invitation is pending."
        ))
        return redirect("projects:focusgroup-detail", pk=focus_group.pk)
    organisations = Organisation.objects.filter(pk__in=[o.pk for o in access.joinable]).order_by("name", "pk")
    initial = {"organisation": access.joinable[0].pk} if len(access.joinable) == 1 else {}
    form = FocusGroupJoinForm(request.POST or None, organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        try:
            services.request_to_join_focus_group(focus_group, by=request.user, organisation=organisation)
        except services.ProjectsError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _(
                "%(organisation)s has asked to join the focus group. The facilitators have been told "
                "by email and will decide."
            ) % {"organisation": organisation.name})
        return redirect("projects:focusgroup-detail", pk=focus_group.pk)
    return render(request, "projects/focus_groups/focusgroup_join.html", {
        "focus_group": focus_group, "form": form,
    })


@login_required
@require_http_methods(["GET", "POST"])
def focusgroup_invite(request, pk):
    """Facilitators and staff invite a verified organisation; its referents get an email."""
    focus_group, can_view, _access = get_focus_group_for(request, pk)
    _require_perm(request, "projects.invite_focusgroup", focus_group)
    form = FocusGroupInviteForm(request.POST or None, organisations=_invitable_organisations(focus_group))
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        try:
            services.invite_to_focus_group(focus_group, by=request.user, organisation=organisation)
        except services.ProjectsError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _(
                "%(organisation)s has been invited; its referents have been told by email."
            ) % {"organisation": organisation.name})
            return redirect("projects:focusgroup-detail", pk=focus_group.pk)
    return render(request, "projects/focus_groups/focusgroup_invite.html", {
        "focus_group": focus_group, "form": form,
    })


def _decide(request, pk, decide):
    membership = get_object_or_404(
        FocusGroupMembership.objects.select_related("organisation", "focus_group__theme")
        .prefetch_related("focus_group__facilitators"),
        pk=pk,
    )
    focus_group, _can_view, _access = get_focus_group_for(request, membership.focus_group_id)
    if not (
        request.user.has_perm("projects.decide_focusgroupmembership", membership)
        or (answers_focus_group_membership | is_staff).test(request.user, membership)
    ):
        raise PermissionDenied
    # Whoever has a part in it hears from the service why it cannot be decided (any more).
    was = membership.status
    try:
        membership = decide(membership, by=request.user)
    except services.ProjectsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _decision_message(was, membership))
    return redirect("projects:focusgroup-detail", pk=focus_group.pk)


def _decision_message(was, membership):
    params = {"organisation": membership.organisation.name}
    if membership.status == MembershipStatus.ACCEPTED:
        return _("%(organisation)s is now a member of the focus group.") % params
    if was == MembershipStatus.INVITED:
        return _("The invitation for %(organisation)s has been declined.") % params
    return _("The request of %(organisation)s has been declined.") % params


@login_required
@require_POST
def membership_accept(request, pk):
    """A facilitator accepts a request, or a referent accepts an invitation."""
    return _decide(request, pk, services.accept_focus_group_membership)


@login_required
@require_POST
def membership_decline(request, pk):
    return _decide(request, pk, services.decline_focus_group_membership)


def my_focus_groups_queryset(user):
    """Focus groups an organisation of the user is a member of, or that the user facilitates
    while in the steering group; with `my_memberships` (the user's organisations in it),
    `is_facilitating` and `next_meeting_at`, in a fixed number of queries."""
    organisation_ids = _accepted_organisation_ids(user)
    condition = _is_member_of(user)
    if is_steering_member(user):
        condition = condition | _is_facilitated_by(user)
    next_meeting = (
        Meeting.objects.filter(focus_group=OuterRef("pk"), starts_at__gte=timezone.now()).order_by("starts_at")
    )
    mine = FocusGroupMembership.objects.filter(status=MembershipStatus.ACCEPTED, organisation_id__in=organisation_ids)
    return (
        FocusGroup.objects.filter(condition)
        .annotate(
            is_facilitating=_is_facilitated_by(user),
            next_meeting_at=Subquery(next_meeting.values("starts_at")[:1]),
        )
        .select_related("theme")
        .prefetch_related(Prefetch(
            "memberships", queryset=mine.select_related("organisation").order_by("organisation__name"),
            to_attr="my_memberships",
        ))
        .order_by("theme__title", "title", "pk")
    )


@login_required
@require_GET
def my_focus_groups(request):
    """The user's focus groups, with the invitations their organisations can answer and the
    requests they are waiting on."""
    user = request.user
    managing = Membership.objects.managing().filter(user=user)
    pending = (
        FocusGroupMembership.objects.select_related("focus_group__theme", "organisation")
        .order_by("requested_at", "pk")
    )
    return render(request, "projects/focus_groups/my_focus_groups.html", {
        "page": paginate(request, my_focus_groups_queryset(user), per_page=FOCUS_GROUPS_PER_PAGE),
        "invitations": pending.filter(
            status=MembershipStatus.INVITED, organisation_id__in=managing.values("organisation_id"),
        ),
        "requests": pending.filter(
            status=MembershipStatus.REQUESTED, organisation_id__in=_accepted_organisation_ids(user),
        ),
        "is_referent": managing.filter(organisation__status=Organisation.Status.VERIFIED).exists(),
    })


def _save_focus_group(request, form, *, theme=None, focus_group=None):
    try:
        if focus_group is None:
            return services.create_focus_group(theme, by=request.user, **form.cleaned_data)
        return services.update_focus_group(focus_group, by=request.user, **form.cleaned_data)
    except services.ProjectsError as error:
        form.add_error(None, error.message)
    except ValidationError as error:
        form.add_error(None, error)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def focusgroup_create(request, theme_pk):
    theme = get_object_or_404(Theme, pk=theme_pk)
    _require_perm(request, "projects.add_focusgroup")
    form = FocusGroupForm(request.POST or None, instance=FocusGroup(theme=theme))
    if form.is_valid() and (focus_group := _save_focus_group(request, form, theme=theme)):
        messages.success(request, _("The focus group “%(title)s” has been created.") % {"title": focus_group.title})
        return redirect("projects:focusgroup-detail", pk=focus_group.pk)
    return render(request, "projects/focus_groups/focusgroup_form.html", {
        "form": form, "theme": theme, "focus_group": None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def focusgroup_update(request, pk):
    focus_group, _can_view, _access = get_focus_group_for(request, pk)
    _require_perm(request, "projects.change_focusgroup", focus_group)
    title = focus_group.title  # validating the form writes into `focus_group`
    form = FocusGroupForm(request.POST or None, instance=focus_group)
    if form.is_valid() and _save_focus_group(request, form, focus_group=focus_group):
        messages.success(request, _("The focus group has been saved."))
        return redirect("projects:focusgroup-detail", pk=focus_group.pk)
    return render(request, "projects/focus_groups/focusgroup_form.html", {
        "form": form, "theme": focus_group.theme, "focus_group": focus_group, "title": title,
    })
