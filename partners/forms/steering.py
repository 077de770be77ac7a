"""Forms of the staff pages that appoint steering-group members and end their seats."""

from allauth.account.models import EmailAddress
from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from welfare_portal.models import User

from ..models import Organisation, SteeringGroupMember
from ..services import PartnersError, check_steering_seat


def appointable_users():
    """People who can hold a seat: active, with their login address confirmed."""
    confirmed = EmailAddress.objects.filter(user=OuterRef("pk"), email__iexact=OuterRef("email"), verified=True)
    return User.objects.filter(Exists(confirmed), is_active=True).order_by("full_name", "email")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.full_name} <{user.email}>" if user.full_name else user.email


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SteeringMemberAppointForm(forms.ModelForm):
    """Who, representing whom, with which role and for which dates. The service checks the
    same rules again; the form only puts each error next to the field it concerns."""

    user = PersonChoiceField(
        label=_("Person"), queryset=User.objects.none(),
        help_text=_("Only people with an active account and a confirmed email address are listed."),
    )

    class Meta:
        model = SteeringGroupMember
        fields = ["user", "organisation", "municipality", "role", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}
        help_texts = {
            "organisation": _("Choose a verified organisation, or a municipality below, not both."),
            "municipality": _("Or the municipality the person represents."),
            "end_date": _("Leave empty for an open-ended appointment; the last day is included."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = appointable_users()
        self.fields["organisation"].queryset = Organisation.objects.verified().order_by("name")
        self.fields["start_date"].initial = timezone.localdate
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned_data = super().clean()
        organisation, municipality = cleaned_data.get("organisation"), cleaned_data.get("municipality")
        if (organisation is None) == (municipality is None) and not self.has_error("organisation"):
            message = _("A steering group member represents either an organisation or a municipality.")
            self.add_error("organisation", message)
            self.add_error("municipality", message)
        start_date, end_date = cleaned_data.get("start_date"), cleaned_data.get("end_date")
        if start_date and end_date and end_date < start_date:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        if self.errors or not cleaned_data.get("user") or not start_date:
            return cleaned_data
        seat = SteeringGroupMember(
            **{name: cleaned_data.get(name) for name in self._meta.fields}
        )
        try:
            check_steering_seat(seat)
        except PartnersError as error:
            self.add_error("user", error.message)
        return cleaned_data


class SteeringMemberEndForm(forms.Form):
    """The last day of a seat; today unless staff say otherwise."""

    end_date = forms.DateField(
        label=_("Last day of the appointment"), widget=DateInput(),
        help_text=_("The member keeps the steering group's rights until this day included."),
    )

    def __init__(self, *args, seat, **kwargs):
        super().__init__(*args, **kwargs)
        self.seat = seat
        # A seat that has not started yet cannot end before its first day.
        self.fields["end_date"].initial = max(timezone.localdate(), seat.start_date)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_end_date(self):
        end_date = self.cleaned_data["end_date"]
        if end_date < self.seat.start_date:
            raise forms.ValidationError(
                _("The end date cannot be before the start date (%(start)s).")
                % {"start": date_format(self.seat.start_date, "SHORT_DATE_FORMAT")}
            )
        return end_date
