"""Staff pages under /gestione/: the staff index, the organisation verification queue and the
confirmation of legal representatives.

The middleware already sends staff without an authenticator app to set one up; these views
still check who is asking, because a URL prefix is not a permission.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from welfare_portal.pagination import paginate

from .. import services
from ..filters.organisations import StaffOrganisationFilter
from ..forms.organisations import ConfirmLegalRepresentativeForm, OrganisationRejectForm, OrganisationVerifyForm
from ..models import Membership, Organisation, OrganisationStatusChange
from ..rules import is_staff


def staff_required(view):
    """Anonymous people go to the login page; logged-in people who are not staff get 403."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _unconfirmed_legal_representatives():
    return Membership.objects.accepted().filter(
        role=Membership.Role.LEGAL_REPRESENTATIVE, confirmed_at__isnull=True
    )


@staff_required
def staff_home(request):
    return render(request, "partners/staff_home.html", {
        "pending_organisations": Organisation.objects.filter(status=Organisation.Status.PENDING).count(),
        "unconfirmed_representatives": _unconfirmed_legal_representatives().count(),
    })


@staff_required
def staff_organisation_list(request):
    """The verification queue: pending organisations first-come first-served, unless staff
    choose another status (or all) in the filter."""
    data = request.GET.copy()
    data.setdefault("status", Organisation.Status.PENDING)
    organisations = Organisation.objects.select_related("seat_municipality", "created_by").order_by("created_at", "pk")
    filterset = StaffOrganisationFilter(data, queryset=organisations)
    page = paginate(request, filterset.qs)
    return render(request, "partners/organisations/staff_organisation_list.html", {
        "filter": filterset, "page": page,
    })


def _review(request, organisation, *, verify_form=None, reject_form=None):
    user = request.user
    return render(request, "partners/organisations/staff_organisation_review.html", {
        "organisation": organisation,
        "members": list(organisation.memberships.all()),
        "history": organisation.status_changes.all(),
        "can_verify": user.has_perm("partners.verify_organisation", organisation),
        "can_reject": user.has_perm("partners.reject_organisation", organisation),
        "verify_form": verify_form or OrganisationVerifyForm(),
        "reject_form": reject_form or OrganisationRejectForm(),
    })


def _get_organisation_to_review(pk):
    return get_object_or_404(
        Organisation.objects.select_related("seat_municipality", "created_by", "verified_by").prefetch_related(
            "municipalities_served", "policy_areas",
            Prefetch("memberships", queryset=Membership.objects.select_related("user").order_by("requested_at", "pk")),
            Prefetch("status_changes", queryset=OrganisationStatusChange.objects.select_related("changed_by")),
        ),
        pk=pk,
    )


@staff_required
def staff_organisation_review(request, pk):
    return _review(request, _get_organisation_to_review(pk))


@staff_required
@require_POST
def staff_organisation_verify(request, pk):
    """Verifying needs the reviewer to tick that the details were checked: the second step
    before a change that makes the organisation public."""
    organisation = _get_organisation_to_review(pk)
    form = OrganisationVerifyForm(request.POST)
    if not form.is_valid():
        return _review(request, organisation, verify_form=form)
    try:
        services.verify_organisation(organisation, by=request.user, note=form.cleaned_data["note"])
    except services.PartnersError as error:
        messages.error(request, error.message)
        return redirect("partners:staff-organisation-review", organisation.pk)
    messages.success(request, _("%(organisation)s is verified and now appears in the directory.")
                     % {"organisation": organisation})
    return redirect("partners:staff-organisation-list")


@staff_required
@require_POST
def staff_organisation_reject(request, pk):
    organisation = _get_organisation_to_review(pk)
    form = OrganisationRejectForm(request.POST)
    if not form.is_valid():
        return _review(request, organisation, reject_form=form)
    try:
        services.reject_organisation(organisation, by=request.user, reason=form.cleaned_data["reason"])
    except services.PartnersError as error:
        messages.error(request, error.message)
        return redirect("partners:staff-organisation-review", organisation.pk)
    messages.success(request, _("%(organisation)s has been rejected; its referents have been told why.")
                     % {"organisation": organisation})
    return redirect("partners:staff-organisation-list")


@staff_required
def staff_legal_representative_list(request):
    memberships = (
        _unconfirmed_legal_representatives()
        .select_related("user", "organisation")
        .order_by("decided_at", "pk")
    )
    page = paginate(request, memberships)
    return render(request, "partners/organisations/staff_legal_representative_list.html", {
        "page": page,
    })


@staff_required
@require_http_methods(["GET", "POST"])
def staff_legal_representative_confirm(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("user", "organisation"), pk=pk)
    if not request.user.has_perm("partners.confirm_legal_representative", membership):
        if membership.is_confirmed_legal_representative:
            messages.info(request, _("This person is already confirmed as legal representative."))
        else:
            messages.error(request, _("Only an accepted member can be confirmed as legal representative."))
        return redirect("partners:staff-legal-representative-list")
    form = ConfirmLegalRepresentativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_legal_representative(membership, by=request.user, tax_code=form.cleaned_data["tax_code"])
        except ValidationError as error:
            form.add_error(None, error)
        except services.PartnersError as error:
            messages.error(request, error.message)
            return redirect("partners:staff-legal-representative-list")
        else:
            messages.success(request, _("%(person)s is confirmed as legal representative of %(organisation)s.")
                             % {"person": membership.user, "organisation": membership.organisation})
            return redirect("partners:staff-legal-representative-list")
    return render(request, "partners/organisations/staff_legal_representative_confirm.html", {
        "membership": membership, "form": form,
    })
