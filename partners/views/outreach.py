"""The steering group's outreach board (potential partners, their status and history, the
invitation) and the public page an invitation link opens."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from welfare_portal.pagination import paginate

from .. import services
from ..filters.outreach import OutreachContactFilter
from ..forms.outreach import OutreachAssignForm, OutreachContactForm, OutreachMoveForm
from ..models import OutreachContact

CONTACTS_PER_PAGE = 20
Status = OutreachContact.Status


def _contacts():
    return OutreachContact.objects.select_related("municipality", "assigned_to", "organisation")


def _require(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _status_counts():
    """How many contacts are in each status, in one aggregate query."""
    counts = OutreachContact.objects.aggregate(
        **{value: Count("pk", filter=Q(status=value)) for value in Status.values}
    )
    return [(value, label, counts[value]) for value, label in Status.choices]


@login_required
@require_GET
def outreach_board(request):
    _require(request, "partners.view_outreachcontact")
    contact_filter = OutreachContactFilter(
        request.GET, queryset=_contacts().order_by("name", "pk"), request=request
    )
    page = paginate(request, contact_filter.qs, per_page=CONTACTS_PER_PAGE)
    return render(request, "partners/outreach/board.html", {
        "filter": contact_filter, "page": page, "status_counts": _status_counts(),
        "filtered": any(value for key, value in request.GET.items() if key != "page"),
        "can_add": request.user.has_perm("partners.add_outreachcontact"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def outreach_contact_create(request):
    _require(request, "partners.add_outreachcontact")
    # The member adding a contact usually follows it.
    form = OutreachContactForm(request.POST or None, initial={"assigned_to": request.user.pk})
    if form.is_valid():
        try:
            contact = services.create_outreach_contact(by=request.user, **form.cleaned_data)
        except services.PartnersError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s is now on the outreach board.") % {"name": contact.name})
            return redirect("partners:outreach-detail", contact.pk)
    return render(request, "partners/outreach/contact_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def outreach_contact_update(request, pk):
    contact = get_object_or_404(_contacts(), pk=pk)
    _require(request, "partners.change_outreachcontact", contact)
    form = OutreachContactForm(request.POST or None, instance=contact)
    if form.is_valid():
        try:
            services.update_outreach_contact(contact, by=request.user, **form.cleaned_data)
        except services.PartnersError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The contact's details have been saved."))
            return redirect("partners:outreach-detail", contact.pk)
    return render(request, "partners/outreach/contact_form.html", {"form": form, "contact": contact})


def _render_detail(request, contact, *, assign_form=None, move_form=None, status=200):
    history = contact.status_changes.select_related("changed_by").order_by("-changed_at", "-pk")
    return render(request, "partners/outreach/contact_detail.html", {
        "contact": contact,
        "history": history,
        "can_change": request.user.has_perm("partners.change_outreachcontact", contact),
        "can_invite": request.user.has_perm("partners.invite_outreachcontact", contact),
        "assign_form": assign_form or OutreachAssignForm(contact=contact),
        "move_form": move_form or OutreachMoveForm(contact=contact),
        "can_move": request.user.has_perm("partners.move_outreachcontact", contact),
    }, status=status)


@login_required
@require_GET
def outreach_contact_detail(request, pk):
    contact = get_object_or_404(_contacts(), pk=pk)
    _require(request, "partners.view_outreachcontact", contact)
    return _render_detail(request, contact)


@login_required
@require_POST
def outreach_contact_assign(request, pk):
    contact = get_object_or_404(_contacts(), pk=pk)
    _require(request, "partners.change_outreachcontact", contact)
    form = OutreachAssignForm(request.POST, contact=contact)
    if not form.is_valid():
        return _render_detail(request, contact, assign_form=form, status=400)
    assignee = form.cleaned_data["assignee"]
    try:
        services.assign_outreach_contact(contact, by=request.user, assignee=assignee)
    except services.PartnersError as error:
        messages.error(request, error.message)
    else:
        if assignee is None:
            messages.success(request, _("The contact is no longer assigned to anybody."))
        else:
            messages.success(request, _("The contact is now assigned to %(person)s.") % {
                "person": assignee.full_name or assignee.email,
            })
    return redirect("partners:outreach-detail", contact.pk)


@login_required
@require_POST
def outreach_contact_move(request, pk):
    contact = get_object_or_404(_contacts(), pk=pk)
    _require(request, "partners.change_outreachcontact", contact)
    form = OutreachMoveForm(request.POST, contact=contact)
    if not form.is_valid():
        return _render_detail(request, contact, move_form=form, status=400)
    try:
        contact = services.move_outreach_contact(
            contact, form.cleaned_data["to_status"], by=request.user, note=form.cleaned_data["note"]
        )
    except services.PartnersError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s is now “%(status)s”.") % {
            "name": contact.name, "status": contact.get_status_display(),
        })
    return redirect("partners:outreach-detail", contact.pk)


@login_required
@require_http_methods(["GET", "POST"])
def outreach_contact_invite(request, pk):
    """A confirmation page naming the address (and when the last invitation left); the POST
    sends the invitation with a new link."""
    contact = get_object_or_404(_contacts(), pk=pk)
    _require(request, "partners.view_outreachcontact", contact)
    if not request.user.has_perm("partners.invite_outreachcontact", contact):
        messages.error(request, _("This contact has already joined: there is nobody left to invite."))
        return redirect("partners:outreach-detail", contact.pk)
    if request.method == "POST":
        try:
            services.send_outreach_invitation(contact, by=request.user)
        except services.PartnersError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The invitation has been sent to %(email)s.") % {"email": contact.email})
            return redirect("partners:outreach-detail", contact.pk)
    return render(request, "partners/outreach/contact_invite.html", {"contact": contact})


@never_cache
@require_GET
def outreach_invitation(request, token):
    """Where the emailed link lands. A valid invitation waits in the session while the person
    signs up (or logs in) and registers the organisation, which then joins the contact."""
    try:
        contact = services.read_invitation_token(token)
    except services.PartnersError as error:
        return render(
            request, "partners/outreach/invitation_invalid.html", {"message": error.message}, status=400
        )
    request.session[services.INVITATION_SESSION_KEY] = token
    register_url = reverse("partners:organisation-register")
    next_query = urlencode({"next": register_url})
    return render(request, "partners/outreach/invitation.html", {
        "contact": contact,
        "register_url": register_url,
        "signup_url": f"{reverse('account_signup')}?{next_query}",
        "login_url": f"{reverse('account_login')}?{next_query}",
    })
