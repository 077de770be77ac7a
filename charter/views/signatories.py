"""The steering group's pages that list who signs the pact: adding an organisation that puts
resources into the network, stating a signatory's responsibilities, removing an added one. All
of it only while the pact is being prepared (see charter.views.pacts for the refusals)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import services
from ..forms.pacts import SignatoryAddForm, SignatoryForm
from ..models import Signatory
from ..rules import steering_or_staff
from .pacts import get_visible_pact, get_visible_signatory, posted, refuse_unless_allowed


@login_required
@require_http_methods(["GET", "POST"])
def signatory_add(request, pk):
    pact = get_visible_pact(request, pk)
    refusal = refuse_unless_allowed(request, pact, "charter.add_signatory", steering_or_staff)
    if refusal:
        return refusal
    form = SignatoryAddForm(posted(request), pact=pact)
    if request.method == "POST" and form.is_valid():
        try:
            signatory = services.add_signatory(pact, by=request.user, **form.cleaned_data)
        except services.CharterError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("%(organisation)s has been added to the signatories.") % {
                "organisation": signatory.organisation_name,
            })
            return redirect("charter:pact-progress", pk=pact.pk)
    return render(request, "charter/pacts/signatory_form.html", {"form": form, "pact": pact, "signatory": None})


@login_required
@require_http_methods(["GET", "POST"])
def signatory_update(request, pk):
    signatory = get_visible_signatory(request, pk)
    pact = signatory.pact
    refusal = refuse_unless_allowed(request, pact, "charter.change_signatory", steering_or_staff, obj=signatory)
    if refusal:
        return refusal
    form = SignatoryForm(posted(request), instance=Signatory.objects.get(pk=signatory.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_signatory(signatory, by=request.user, **form.cleaned_data)
        except services.CharterError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("charter:pact-progress", pk=pact.pk)
    return render(request, "charter/pacts/signatory_form.html", {"form": form, "pact": pact, "signatory": signatory})


@login_required
@require_POST
def signatory_remove(request, pk):
    """Only an organisation the steering group added; the partners of the Carta's projects stay."""
    signatory = get_visible_signatory(request, pk)
    pact = signatory.pact
    if not request.user.has_perm("charter.delete_signatory", signatory):
        if not steering_or_staff.test(request.user, pact):
            raise PermissionDenied
    try:
        services.remove_signatory(signatory, by=request.user)
    except services.CharterError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(organisation)s is no longer a signatory.") % {
            "organisation": signatory.organisation_name,
        })
    return redirect("charter:pact-progress", pk=pact.pk)
