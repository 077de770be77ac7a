"""The steering group (gruppo di regia): its public page, and the staff pages that appoint
members and end their seats."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from welfare_portal.pagination import paginate

from .. import services
from ..filters.steering import SteeringMemberFilter
from ..forms.steering import SteeringMemberAppointForm, SteeringMemberEndForm
from ..models import SteeringGroupMember

SEATS_PER_PAGE = 20


def _seats():
    return SteeringGroupMember.objects.select_related("user", "organisation", "municipality")


def steering_group(request):
    """Who runs the process today: public, for transparency."""
    if not request.user.has_perm("partners.view_steering_group"):
        raise PermissionDenied
    coordinator_first = Case(
        When(role=SteeringGroupMember.Role.COORDINATOR, then=Value(0)), default=Value(1),
        output_field=IntegerField(),
    )
    members = _seats().current().order_by(coordinator_first, "user__full_name", "pk")
    return render(request, "partners/steering/group.html", {"members": members})


@login_required
def steering_member_list(request):
    """Every seat, past, current and future, for staff."""
    if not request.user.has_perm("partners.appoint_steering_member"):
        raise PermissionDenied
    seat_filter = SteeringMemberFilter(
        request.GET, queryset=_seats().order_by("-start_date", "user__full_name", "pk")
    )
    page = paginate(request, seat_filter.qs, per_page=SEATS_PER_PAGE)
    return render(request, "partners/steering/member_list.html", {
        "filter": seat_filter, "page": page, "today": timezone.localdate(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def steering_member_appoint(request):
    """Staff give a person a seat; the service checks the seat again and emails the person."""
    if not request.user.has_perm("partners.appoint_steering_member"):
        raise PermissionDenied
    form = SteeringMemberAppointForm(request.POST or None)
    if form.is_valid():
        try:
            seat = services.appoint_steering_member(by=request.user, **form.cleaned_data)
        except services.PartnersError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(person)s has been appointed to the steering group.") % {
                "person": seat.user,
            })
            return redirect("partners:steering-member-list")
    return render(request, "partners/steering/member_appoint.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def steering_member_end(request, pk):
    """A confirmation page with the last day (today by default); the POST ends the seat."""
    seat = get_object_or_404(_seats(), pk=pk)
    if not request.user.has_perm("partners.end_steering_membership", seat):
        raise PermissionDenied
    if seat.end_date is not None and seat.end_date < timezone.localdate():
        messages.info(request, _("This steering group membership has already ended."))
        return redirect("partners:steering-member-list")
    form = SteeringMemberEndForm(request.POST or None, seat=seat)
    if form.is_valid():
        try:
            services.end_steering_membership(seat, by=request.user, end_date=form.cleaned_data["end_date"])
        except services.PartnersError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The steering group membership of %(person)s ends on %(date)s.") % {
                "person": seat.user, "date": date_format(form.cleaned_data["end_date"], "SHORT_DATE_FORMAT"),
            })
            return redirect("partners:steering-member-list")
    return render(request, "partners/steering/member_end.html", {"seat": seat, "form": form})
