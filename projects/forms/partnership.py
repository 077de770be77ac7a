"""Forms for co-partners (invitation, answer) and commitments. Validation only: the services
in projects.services.partnership decide who may invite, answer and commit."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.core.validators import MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.models import Membership, Organisation

from ..models import Commitment, ProposalPartner

__all__ = ["CommitmentForm", "PartnerAnswerForm", "PartnerInviteForm"]


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    return helper


def invitable_organisations(proposal):
    """Verified organisations other than the lead that are not invited nor partners already; a
    declined invitation can be sent again."""
    already = ProposalPartner.objects.filter(proposal=proposal).exclude(
        status=ProposalPartner.Status.DECLINED
    ).values("organisation_id")
    return (
        Organisation.objects.verified()
        .exclude(pk=proposal.lead_organisation_id).exclude(pk__in=already)
        .select_related("seat_municipality").order_by("name")
    )


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.seat_municipality})"


class PartnerInviteForm(forms.Form):
    organisation = OrganisationChoiceField(
        label=_("Organisation to invite"), queryset=Organisation.objects.none(),
        help_text=_("Verified organisations of the partnership; its referents receive the invitation by email."),
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = invitable_organisations(proposal)
        self.helper = _helper()


class PartnerAnswerForm(forms.Form):
    ACCEPT = "accept"
    DECLINE = "decline"

    answer = forms.ChoiceField(choices=[(ACCEPT, _("Accept")), (DECLINE, _("Decline"))])


def commitment_organisations(proposal, user):
    """The organisations for which the user may state commitments: the lead or an accepted
    co-partner, where the user is an accepted member."""
    mine = Membership.objects.accepted().filter(user=user).values("organisation_id")
    partners = ProposalPartner.objects.filter(
        proposal=proposal, status=ProposalPartner.Status.ACCEPTED
    ).values("organisation_id")
    lead = Organisation.objects.filter(pk=proposal.lead_organisation_id).values("pk")
    return Organisation.objects.filter(pk__in=mine).filter(
        Q(pk__in=partners) | Q(pk__in=lead)
    ).order_by("name")


class CommitmentForm(forms.ModelForm):
    """Quantity above zero and value not negative are checked here, next to their fields; the
    database refuses them too."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(),
        help_text=_("The partner that puts this resource into the project."),
    )

    class Meta:
        model = Commitment
        fields = ["organisation", "kind", "quantity", "unit", "estimated_value_eur", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "quantity": _("How much, in the unit below: for example 200 (hours) or 5000 (euro)."),
            "estimated_value_eur": _(
                "What the resource is worth in euro, even when it is not money: it adds up to the "
                "project's total."
            ),
            "description": _("Optional: what exactly, when, and who provides it."),
        }

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
            if len(organisations) == 1:
                self.fields["organisation"].initial = organisations[0].pk
        self._minimum("quantity", Decimal("0.01"), _("The quantity must be greater than zero."))
        self._minimum("estimated_value_eur", Decimal("0"), _("The estimated value cannot be negative."))
        self.helper = _helper()

    def _minimum(self, name, limit, message):
        field = self.fields[name]
        field.validators.append(MinValueValidator(limit))
        # A copy: form fields share their error_messages dict with the class's field.
        field.error_messages = {**field.error_messages, "min_value": message}
        field.widget.attrs.update(min=str(limit), step="0.01")
