"""Forms of the focus groups and their meetings: the focus group itself, asking to join,
inviting, a meeting, its minutes and its attendance. Validation only: memberships, minutes and
attendance change through projects.services.focus_groups."""

import re

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from partners.models import SteeringGroupMember
from welfare_portal.models import User

from ..models import FocusGroup, Meeting
from .themes import DateTimeLocalInput

__all__ = [
    "AttendanceForm", "FocusGroupForm", "FocusGroupInviteForm", "FocusGroupJoinForm", "MeetingForm",
    "MinutesForm", "current_steering_users",
]


def current_steering_users():
    """People with a current seat in the steering group: the only possible facilitators."""
    seats = SteeringGroupMember.objects.current().filter(user=OuterRef("pk"))
    return User.objects.filter(Exists(seats), is_active=True).order_by("full_name", "email")


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.full_name or user.email


class FocusGroupForm(forms.ModelForm):
    facilitators = PersonChoiceField(
        label=_("Facilitators"), queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Current members of the steering group who run the focus group: they schedule the "
            "meetings, write the minutes and decide who joins."
        ),
    )

    class Meta:
        model = FocusGroup
        fields = ["title", "description", "facilitators"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = current_steering_users()
        self.helper = FormHelper()
        self.helper.form_tag = False


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, organisation):
        return organisation.name


class FocusGroupJoinForm(forms.Form):
    """Which of the referent's organisations asks to join (the choices are the view's)."""

    organisation = OrganisationChoiceField(
        label=_("Organisation"), queryset=None, widget=forms.RadioSelect, empty_label=None,
        error_messages={"required": _("Choose the organisation that asks to join.")},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.helper = FormHelper()
        self.helper.form_tag = False


class FocusGroupInviteForm(forms.Form):
    """Which verified organisation to invite (the choices are the view's)."""

    organisation = OrganisationChoiceField(
        label=_("Organisation to invite"), queryset=None, empty_label=_("Choose an organisation"),
        help_text=_(
            "Verified organisations that are not in the focus group and have no pending request or invitation."
        ),
        error_messages={"required": _("Choose the organisation to invite.")},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.helper = FormHelper()
        self.helper.form_tag = False


class MeetingForm(forms.ModelForm):
    """Where and when. "Place, online link or both" is the model's constraint, so the form
    shows its message and the service refuses the same for every caller."""

    online_url = forms.URLField(
        label=_("Online meeting link"), max_length=500, required=False, assume_scheme="https",
        help_text=_("The link to the video call, starting with https://."),
    )

    class Meta:
        model = Meeting
        fields = ["title", "starts_at", "place", "online_url", "agenda"]
        widgets = {
            "starts_at": DateTimeLocalInput(),
            "agenda": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "title": _("Optional: for example “Second meeting: needs of the territory”."),
            "starts_at": _("Date and time, Italian time."),
            "place": _("The address or the room. Give the place, the online link, or both."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["online_url"].widget.attrs["placeholder"] = "https://"
        self.helper = FormHelper()
        self.helper.form_tag = False


class MinutesForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["minutes"]
        widgets = {"minutes": forms.Textarea(attrs={"rows": 14})}
        help_texts = {
            "minutes": _(
                "Visible only to the facilitators until you publish them; once published they can no longer change."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


PRESENT, ABSENT = "present", "absent"
ATTENDANCE_FIELD = re.compile(r"^org_(\d+)$")


class AttendanceForm(forms.Form):
    """One present/absent choice per member organisation, as fields `org_<pk>`. A posted
    choice for any other organisation is kept in `attendance` too, so the service refuses it
    with its own message instead of it being silently dropped."""

    def __init__(self, *args, organisations, recorded=None, **kwargs):
        super().__init__(*args, **kwargs)
        recorded = recorded or {}
        self.organisations = list(organisations)
        for organisation in self.organisations:
            initial = recorded.get(organisation.pk)
            self.fields[f"org_{organisation.pk}"] = forms.ChoiceField(
                label=organisation.name,
                choices=[(PRESENT, _("Present")), (ABSENT, _("Absent"))],
                widget=forms.RadioSelect,
                initial=None if initial is None else (PRESENT if initial else ABSENT),
                error_messages={"required": _("Choose present or absent for this organisation.")},
            )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        attendance = {}
        for name, value in (self.data or {}).items():
            match = ATTENDANCE_FIELD.match(name)
            if match and name not in self.fields and value in (PRESENT, ABSENT):
                attendance[int(match.group(1))] = value == PRESENT
        for organisation in self.organisations:
            value = cleaned.get(f"org_{organisation.pk}")
            if value:
                attendance[organisation.pk] = value == PRESENT
        cleaned["attendance"] = attendance
        return cleaned
