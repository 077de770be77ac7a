"""Events: the public list and page with the registration form, cancellation through the link
in the confirmation email, and the organisers' pages (create, edit, registrations, CSV export,
cancelling a registration)."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from welfare_portal.pagination import paginate
from welfare_portal.ratelimits import public_mail_over_limit, public_mail_refused

from .. import services
from ..filters.events import EventRegistrationFilter
from ..forms.events import EventForm, EventRegistrationForm
from ..models import Event, EventRegistration, Membership
from ..rules import is_cancellable_registration

EVENTS_PER_PAGE = 10
REGISTRATIONS_PER_PAGE = 20
Status = EventRegistration.Status
# A spreadsheet runs a cell starting with one of these as a formula: such cells get a quote.
CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _events_with_seats():
    """Events with `confirmed_count` and `seats_left`, counted in the same query."""
    return Event.objects.annotate(
        confirmed_count=Count("registrations", filter=Q(registrations__status=Status.CONFIRMED)),
    ).annotate(seats_left=F("capacity") - F("confirmed_count"))


def _require_perm(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _registration_counts(registrations):
    """Confirmed, waiting and cancelled, in one query."""
    return registrations.aggregate(
        confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=Status.WAITING)),
        cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
    )


# Public pages


@require_GET
def event_list(request):
    """Upcoming events first, soonest at the top; past ones in their own list, latest first."""
    _require_perm(request, "partners.view_event")
    now = timezone.now()
    events = _events_with_seats()
    upcoming = paginate(request, events.filter(starts_at__gte=now).order_by("starts_at", "pk"), per_page=EVENTS_PER_PAGE)
    past = paginate(
        request, events.filter(starts_at__lt=now).order_by("-starts_at", "-pk"), per_page=EVENTS_PER_PAGE,
        param="past_page",
    )
    return render(request, "partners/events/event_list.html", {
        "upcoming": upcoming,
        "past": past,
    })


def _initial_registration(user):
    """Logged-in people find their name, address and organisation already filled in."""
    if not user.is_authenticated:
        return {}
    membership = (
        Membership.objects.accepted().filter(user=user).select_related("organisation")
        .order_by("organisation__name").first()
    )
    return {
        "name": user.full_name, "email": user.email,
        "organisation_name": membership.organisation.name if membership else "",
    }


@require_http_methods(["GET", "POST"])
def event_detail(request, pk):
    """The event, its seats and the registration form (confirmed seat or waiting list). The
    answer is the same whether or not the address was registered already: the email tells."""
    event = get_object_or_404(_events_with_seats(), pk=pk)
    if not request.user.has_perm("partners.view_event", event):
        raise Http404
    if request.method == "POST":
        form = EventRegistrationForm(request.POST)
        if form.is_valid():
            retry_after = public_mail_over_limit(request, form.cleaned_data["email"])
            if retry_after:
                return public_mail_refused(request, retry_after, back_url=request.path)
            try:
                services.register_for_event(event, **form.cleaned_data)
            except services.PartnersError as error:
                messages.error(request, error.message)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                # The address as typed: the stored spelling of a registered one would give it away.
                messages.success(request, _(
                    "Thank you. We have sent an email to %(email)s with the outcome of the "
                    "registration for “%(title)s” and the link to cancel it. If it does not arrive "
                    "within a few minutes, please check the spam folder."
                ) % {"email": form.cleaned_data["email"], "title": event.title})
                return redirect("partners:event-detail", pk=event.pk)
    else:
        form = EventRegistrationForm(initial=_initial_registration(request.user))
    return render(request, "partners/events/event_detail.html", {
        "event": event, "form": form,
        "can_register": request.user.has_perm("partners.register_event", event),
        "can_organise": request.user.has_perm("partners.view_eventregistration", event),
    })


@require_http_methods(["GET", "POST"])
def registration_cancel(request, token):
    """The link in the confirmation email: shows the registration; the POST cancels it.

    The POST counts for the client address only: the link reaches nobody but the address's
    owner, and each registration is cancelled (and its email sent) once, so an owner can
    always cancel what a stranger registered in their name."""
    registration = get_object_or_404(EventRegistration.objects.select_related("event"), cancel_token=token)
    if request.method == "POST":
        retry_after = public_mail_over_limit(request)
        if retry_after:
            return public_mail_refused(request, retry_after, back_url=request.path)
        try:
            services.cancel_registration(registration)
        except services.PartnersError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your registration has been cancelled. Thank you for letting us know."))
        return redirect("partners:event-registration-cancel", token=token)
    return render(request, "partners/events/registration_cancel.html", {
        "registration": registration, "event": registration.event,
        # The link in the email is the person's credential: no account, so the predicate itself.
        "can_cancel": is_cancellable_registration.test(None, registration),
    })


# Organisers' pages (steering group and staff)


@login_required
@require_GET
def event_manage_list(request):
    """Every event with its counts, latest first, for the organisers."""
    _require_perm(request, "partners.view_eventregistration")
    events = Event.objects.annotate(
        confirmed_count=Count("registrations", filter=Q(registrations__status=Status.CONFIRMED)),
        waiting_count=Count("registrations", filter=Q(registrations__status=Status.WAITING)),
    ).order_by("-starts_at", "-pk")
    page = paginate(request, events, per_page=REGISTRATIONS_PER_PAGE)
    return render(request, "partners/events/manage_list.html", {
        "page": page, "now": timezone.now(),
        "can_add": request.user.has_perm("partners.add_event"),
        "can_change": request.user.has_perm("partners.change_event"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    _require_perm(request, "partners.add_event")
    form = EventForm(request.POST or None)
    if form.is_valid():
        try:
            event = services.create_event(by=request.user, **form.cleaned_data)
        except services.PartnersError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The event has been created and is open for registration."))
            return redirect("partners:event-detail", pk=event.pk)
    return render(request, "partners/events/event_form.html", {"form": form, "event": None})


@login_required
@require_http_methods(["GET", "POST"])
def event_update(request, pk):
    event = get_object_or_404(Event, pk=pk)
    _require_perm(request, "partners.change_event", event)
    title = event.title  # validating the form writes into `event`
    form = EventForm(request.POST or None, instance=event)
    if form.is_valid():
        try:
            services.update_event(event, by=request.user, **form.cleaned_data)
        except services.PartnersError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The event has been saved."))
            return redirect("partners:event-detail", pk=event.pk)
    return render(request, "partners/events/event_form.html", {"form": form, "event": event, "title": title})


@login_required
@require_GET
def event_registrations(request, pk):
    """Who registered, filtered by status or searched by name and email, with the counts."""
    event = get_object_or_404(Event, pk=pk)
    _require_perm(request, "partners.view_eventregistration", event)
    registrations = event.registrations.all()  # each row knows its event: the rules read it
    registration_filter = EventRegistrationFilter(
        request.GET, queryset=registrations.order_by("registered_at", "pk")
    )
    page = paginate(request, registration_filter.qs, per_page=REGISTRATIONS_PER_PAGE)
    return render(request, "partners/events/registration_list.html", {
        "event": event, "filter": registration_filter, "page": page,
        "counts": _registration_counts(registrations),
        "can_organise": request.user.has_perm("partners.change_event", event),
    })


def _csv_cell(value):
    """Text a spreadsheet shows as text: a leading =, +, - or @ would make it a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(CSV_FORMULA_PREFIXES) else text


def _csv_datetime(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@login_required
@require_GET
def event_registrations_csv(request, pk):
    """Every registration of the event, for a spreadsheet. UTF-8 with a byte-order mark so Excel
    reads accented names; semicolons, the separator Excel expects with Italian settings."""
    event = get_object_or_404(Event, pk=pk)
    _require_perm(request, "partners.view_eventregistration", event)
    filename = f"{slugify(event.title) or 'event'}-{event.pk}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([
        _("Name"), _("Email"), _("Organisation"), _("Status"), _("Registered at"), _("Promoted at"),
    ])
    for registration in EventRegistration.objects.filter(event=event).order_by("registered_at", "pk"):
        writer.writerow([
            _csv_cell(registration.name), _csv_cell(registration.email),
            _csv_cell(registration.organisation_name), registration.get_status_display(),
            _csv_datetime(registration.registered_at), _csv_datetime(registration.promoted_at),
        ])
    return response


@login_required
@require_http_methods(["GET", "POST"])
def event_registration_organiser_cancel(request, pk):
    """A confirmation page; the POST cancels the registration and tells the person."""
    registration = get_object_or_404(EventRegistration.objects.select_related("event"), pk=pk)
    event = registration.event
    _require_perm(request, "partners.change_event", event)
    if request.method == "POST":
        try:
            services.cancel_registration(registration, by=request.user)
        except services.PartnersError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _(
                "The registration of %(name)s has been cancelled; they have been told by email."
            ) % {"name": registration.name})
        return redirect("partners:event-registrations", pk=event.pk)
    if not request.user.has_perm("partners.cancel_eventregistration", registration):
        if registration.status == Status.CANCELLED:
            messages.info(request, _("This registration has already been cancelled."))
        else:
            messages.error(request, _("This event has already taken place: the registration stays as it was."))
        return redirect("partners:event-registrations", pk=event.pk)
    return render(request, "partners/events/registration_organiser_cancel.html", {
        "registration": registration, "event": event,
    })
