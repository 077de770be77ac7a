"""Forms for writing a proposal, submitting, withdrawing and attaching files. Validation only:
the services in projects.services write, and they check again what must hold for every caller."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.validators import MinValueValidator
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from partners.models import Membership, Organisation
from welfare_portal.fields import NOTE_LENGTH

from ..attachments import ACCEPTED_TYPES, max_attachment_bytes
from ..models import FocusGroup, Proposal, Theme

__all__ = ["AttachmentForm", "ProposalCreateForm", "ProposalForm", "SubmitForm", "WithdrawForm"]

# Accepted by the browser's file picker; the server reads the type from the content anyway.
ATTACHMENT_ACCEPT = ",".join(
    [".pdf", ".odt", ".docx", ".png", ".jpg", ".jpeg"] + [kind.content_type for kind in ACCEPTED_TYPES]
)


def _helper(layout=None):
    helper = FormHelper()
    helper.form_tag = False
    if layout is not None:
        helper.layout = layout
    return helper


def lead_organisation_choices(user):
    """The verified organisations the user is an accepted member of: the ones they may lead with."""
    return (
        Organisation.objects.verified()
        .filter(memberships__user=user, memberships__status=Membership.Status.ACCEPTED)
        .distinct().order_by("name")
    )


def _fieldset(legend, *fields):
    """A fieldset whose legend reads as a section heading of the long form."""
    return Fieldset(format_html('<span class="h4 d-block mt-3">{}</span>', legend), *fields, css_class="mb-4")


class FocusGroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.theme.title} – {obj.title}"


class ProposalForm(forms.ModelForm):
    """The whole proposal, in fieldsets. Every content field may be empty while it is a draft:
    what submission needs is checked when the lead submits (Proposal.REQUIRED_FOR_SUBMISSION)."""

    GENERAL = ["title", "summary", "theme", "focus_group"]
    PROJECT = ["need", "objectives", "activities"]
    BENEFICIARIES = ["target_groups", "age_bands", "estimated_beneficiaries"]
    TERRITORY = ["municipalities", "policy_areas"]
    DATES = ["start_date", "end_date"]
    RIGHTS = ["rights", "duties"]
    RESULTS = ["indicators"]

    focus_group = FocusGroupChoiceField(
        label=_("Focus group"), queryset=FocusGroup.objects.none(), required=False,
        help_text=_("Optional: the focus group of the chosen theme where the proposal was built."),
    )

    class Meta:
        model = Proposal
        fields = [
            "title", "summary", "theme", "focus_group", "need", "objectives", "activities",
            "target_groups", "age_bands", "estimated_beneficiaries", "municipalities", "policy_areas",
            "start_date", "end_date", "rights", "duties", "indicators",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "need": forms.Textarea(attrs={"rows": 4}),
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "activities": forms.Textarea(attrs={"rows": 5}),
            "target_groups": forms.CheckboxSelectMultiple,
            "age_bands": forms.CheckboxSelectMultiple,
            "municipalities": forms.CheckboxSelectMultiple,
            "policy_areas": forms.CheckboxSelectMultiple,
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "rights": forms.Textarea(attrs={"rows": 4}),
            "duties": forms.Textarea(attrs={"rows": 4}),
            "indicators": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "title": _("A short name people will recognise the project by."),
            "summary": _("Two or three sentences: what the project does and for whom."),
            "theme": _("The theme whose call the proposal answers; it can be submitted only while that call is open."),
            "need": _("The need the project answers, and why nobody answers it today."),
            "activities": _("What will be done, by whom, and how the partners work together."),
            "estimated_beneficiaries": _("How many people the project expects to reach."),
            "municipalities": _("The municipalities of the ambito where the project works."),
            "policy_areas": _(
                "The policies the project brings together (work, housing, transport, education...): "
                "an integrated answer networks more than one."
            ),
            "rights": _(
                "The rights the project guarantees to the people it serves. The partnership pairs "
                "every right with a duty: describe the duties below."
            ),
            "duties": _(
                "The social duties the project asks in return, of beneficiaries and partners, "
                "paired with the rights above."
            ),
            "indicators": _("How you will measure the results: what, how often, with which target."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current_theme = self.instance.theme_id if self.instance.pk else None
        # A draft is useful only under a call that has not closed yet; an existing proposal
        # keeps its own theme among the choices.
        self.fields["theme"].queryset = Theme.objects.filter(
            Q(call_closes_at__gt=timezone.now()) | Q(pk=current_theme)
        ).order_by("title")
        self.fields["focus_group"].queryset = (
            FocusGroup.objects.select_related("theme").order_by("theme__title", "title")
        )
        beneficiaries = self.fields["estimated_beneficiaries"]
        beneficiaries.validators.append(MinValueValidator(1))
        beneficiaries.error_messages = {
            **beneficiaries.error_messages,
            "min_value": _("The estimated number of beneficiaries must be at least 1."),
        }
        beneficiaries.widget.attrs["min"] = 1
        self.helper = _helper(Layout(*self.fieldsets()))

    def clean(self):
        """The database refuses it too; here the message goes next to the end date."""
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return cleaned

    def fieldsets(self):
        return [
            _fieldset(_("General information"), *self.GENERAL),
            _fieldset(_("The project"), *self.PROJECT),
            _fieldset(_("Beneficiaries"), *self.BENEFICIARIES),
            _fieldset(_("Territory and policies"), *self.TERRITORY),
            _fieldset(_("Dates"), *self.DATES),
            _fieldset(_("Rights and duties"), *self.RIGHTS),
            _fieldset(_("Results"), *self.RESULTS),
        ]


class ProposalCreateForm(ProposalForm):
    """A new proposal also names its lead organisation, which cannot change afterwards."""

    lead_organisation = forms.ModelChoiceField(
        label=_("Lead partner"), queryset=Organisation.objects.none(),
        help_text=_("The organisation that leads the project: one of your verified organisations."),
    )

    class Meta(ProposalForm.Meta):
        fields = ["lead_organisation", *ProposalForm.Meta.fields]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = lead_organisation_choices(user)
        self.fields["lead_organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["lead_organisation"].initial = organisations[0].pk

    def fieldsets(self):
        sets = super().fieldsets()
        sets[0] = _fieldset(_("General information"), "title", "summary", "lead_organisation", "theme", "focus_group")
        return sets


class SubmitForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the steering group"), required=False, max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional; kept in the proposal's history."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Reason for withdrawing"), required=False, max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional; kept in the proposal's history, which the partners read."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that a withdrawn proposal cannot be submitted or changed any more."),
        error_messages={"required": _("Confirm that you understand that withdrawing is final.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class AttachmentForm(forms.Form):
    """The file is checked by the service (type read from the content, size); its message is
    shown next to this field."""

    file = forms.FileField(
        label=_("File"), max_length=255,
        widget=forms.ClearableFileInput(attrs={"accept": ATTACHMENT_ACCEPT}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A PDF, ODT or DOCX document, or a PNG or JPEG image, up to %(limit)s. The type is "
            "read from the content of the file, not from its name."
        ) % {"limit": filesizeformat(max_attachment_bytes())}
        self.helper = _helper()
