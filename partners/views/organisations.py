"""Organisations for the people in them: registration, profile, joining, deciding requests.

Visibility follows `partners.view_organisation`: a verified organisation is public, a pending
or rejected one exists only for its members and staff (404 for everyone else). Acting on it
follows `partners.change_organisation` (referents and staff; 403 for plain members).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import services
from ..forms.organisations import MembershipRefuseForm, MembershipRequestForm, OrganisationForm
from ..models import Membership, Organisation
from ..rules import has_membership, is_organisation_member, is_staff
from ..services.base import require_verified_email


def organisation_queryset():
    """Everything the profile page and the permission checks read, in a fixed number of
    queries: the rules read the prefetched memberships."""
    return Organisation.objects.select_related("seat_municipality").prefetch_related(
        "municipalities_served", "policy_areas",
        Prefetch("memberships", queryset=Membership.objects.select_related("user").order_by("requested_at", "pk")),
    )


def get_visible_organisation(request, pk):
    organisation = get_object_or_404(organisation_queryset(), pk=pk)
    if not request.user.has_perm("partners.view_organisation", organisation):
        raise Http404
    return organisation


def get_managed_organisation(request, pk):
    organisation = get_visible_organisation(request, pk)
    if not request.user.has_perm("partners.change_organisation", organisation):
        raise PermissionDenied
    return organisation


def _invitation(request):
    """The outreach contact whose invitation link brought this person here, if still valid."""
    token = request.session.get(services.INVITATION_SESSION_KEY)
    if not token:
        return None
    try:
        return services.read_invitation_token(token)
    except services.PartnersError:
        return None


def _invitation_initial(contact):
    if contact is None:
        return {}
    initial = {"name": contact.name, "kind": contact.kind, "email": contact.email,
               "seat_municipality": contact.municipality_id}
    return {key: value for key, value in initial.items() if value}


@login_required
@require_http_methods(["GET", "POST"])
def organisation_register(request):
    try:
        require_verified_email(request.user)
    except services.PartnersError as error:
        messages.error(request, error.message)
        return redirect("account_email")
    invitation = _invitation(request)
    form = OrganisationForm(request.POST or None, initial=_invitation_initial(invitation))
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.register_organisation(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        except services.PartnersError as error:
            messages.error(request, error.message)
        else:
            token = request.session.pop(services.INVITATION_SESSION_KEY, None)
            services.link_invited_organisation(organisation, token=token, by=request.user)
            messages.success(request, _(
                "%(organisation)s has been registered. The district plan office will verify it; "
                "you will receive an email."
            ) % {"organisation": organisation})
            return redirect("partners:organisation-detail", organisation.pk)
    return render(request, "partners/organisations/organisation_form.html", {
        "form": form, "invitation": invitation,
    })


@login_required
def my_organisations(request):
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("organisation", "organisation__seat_municipality")
        .order_by("organisation__name", "pk")
    )
    return render(request, "partners/organisations/my_organisations.html", {"memberships": memberships})


def organisation_detail(request, pk):
    organisation = get_visible_organisation(request, pk)
    user = request.user
    memberships = list(organisation.memberships.all())
    own = next((m for m in memberships if m.user_id == user.pk), None) if user.is_authenticated else None
    can_manage = user.has_perm("partners.change_organisation", organisation)
    may_join = user.has_perm("partners.join_organisation", organisation)
    return render(request, "partners/organisations/organisation_detail.html", {
        "organisation": organisation,
        "own_membership": own,
        "can_manage": can_manage,
        "can_resubmit": user.has_perm("partners.resubmit_organisation", organisation),
        "can_join": may_join and user.is_authenticated,
        "log_in_to_join": may_join and not user.is_authenticated,
        "show_rejection": organisation.rejection_reason and (can_manage or is_organisation_member(user, organisation)),
        "members": [m for m in memberships if m.status == Membership.Status.ACCEPTED] if can_manage else [],
        "requests": [m for m in memberships if m.status == Membership.Status.PENDING] if can_manage else [],
        "is_staff": is_staff(user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk):
    organisation = get_managed_organisation(request, pk)
    lock_tax_code = not request.user.has_perm("partners.change_organisation_tax_code", organisation)
    # The form works on its own copy, so a refused change never shows up in the page's title.
    form = OrganisationForm(
        request.POST or None, instance=Organisation.objects.get(pk=organisation.pk),
        lock_tax_code=lock_tax_code,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(organisation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        except services.PartnersError as error:
            messages.error(request, error.message)
        else:
            if request.user.has_perm("partners.resubmit_organisation", organisation):
                messages.success(request, _(
                    "Changes saved. When every correction is done, submit the organisation for "
                    "verification again."
                ))
            else:
                messages.success(request, _("Changes saved."))
            return redirect("partners:organisation-detail", organisation.pk)
    return render(request, "partners/organisations/organisation_form.html", {
        "form": form, "organisation": organisation,
    })


@login_required
@require_http_methods(["GET", "POST"])
def organisation_resubmit(request, pk):
    """A confirmation page, then the move back to the verification queue."""
    organisation = get_managed_organisation(request, pk)
    if request.method == "POST":
        try:
            services.resubmit_organisation(organisation, by=request.user)
        except services.PartnersError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(organisation)s has been submitted for verification again.")
                             % {"organisation": organisation})
        return redirect("partners:organisation-detail", organisation.pk)
    if not request.user.has_perm("partners.resubmit_organisation", organisation):
        messages.info(request, _("Only a rejected organisation can be submitted again."))
        return redirect("partners:organisation-detail", organisation.pk)
    return render(request, "partners/organisations/organisation_resubmit.html", {"organisation": organisation})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_join(request, pk):
    organisation = get_visible_organisation(request, pk)
    detail_url = reverse("partners:organisation-detail", args=[organisation.pk])
    if request.method == "GET" and not request.user.has_perm("partners.join_organisation", organisation):
        if has_membership(request.user, organisation):
            messages.info(request, _("You have already asked to join %(organisation)s: see the status below.")
                          % {"organisation": organisation})
        else:
            messages.info(request, _("You can ask to join an organisation only once it is verified."))
        return redirect(detail_url)
    form = MembershipRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_membership(organisation, by=request.user, **form.cleaned_data)
        except services.PartnersError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _(
                "Your request has been sent to the referents of %(organisation)s; you will "
                "receive an email when they decide."
            ) % {"organisation": organisation})
        return redirect(detail_url)
    return render(request, "partners/organisations/organisation_join.html", {
        "organisation": organisation, "form": form,
    })


def _get_request_to_decide(request, pk):
    """The membership request and its organisation; 404 if the organisation is not visible,
    403 unless the user manages it."""
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk)
    organisation = get_managed_organisation(request, membership.organisation_id)
    membership.organisation = organisation
    return membership


def _requests_url(membership):
    return reverse("partners:organisation-detail", args=[membership.organisation_id]) + "#requests"


@login_required
@require_POST
def membership_accept(request, pk):
    membership = _get_request_to_decide(request, pk)
    try:
        services.accept_membership(membership, by=request.user)
    except services.PartnersError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(person)s is now a member of %(organisation)s.")
                         % {"person": membership.user, "organisation": membership.organisation})
    return redirect(_requests_url(membership))


@login_required
@require_http_methods(["GET", "POST"])
def membership_refuse(request, pk):
    """A confirmation page with an optional reason, then the refusal (which is final)."""
    membership = _get_request_to_decide(request, pk)
    if not request.user.has_perm("partners.decide_membership", membership):
        messages.info(request, _("This request has already been decided (%(status)s).")
                      % {"status": membership.get_status_display()})
        return redirect(_requests_url(membership))
    form = MembershipRefuseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.refuse_membership(membership, by=request.user, reason=form.cleaned_data["reason"])
        except services.PartnersError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The request of %(person)s has been refused.")
                             % {"person": membership.user})
        return redirect(_requests_url(membership))
    return render(request, "partners/organisations/membership_refuse.html", {
        "membership": membership, "organisation": membership.organisation, "form": form,
    })
