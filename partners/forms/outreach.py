"""Forms of the outreach board: a contact's details, its assignment, a move along the board and
the invitation's confirmation. Validation only: the services set statuses and check the rules
again."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from welfare_portal.fields import NOTE_LENGTH
from welfare_portal.models import Municipality, User

from ..models import OutreachContact, SteeringGroupMember


def steering_members():
    """People who can follow a contact: current steering-group members, in one query."""
    current = SteeringGroupMember.objects.current(timezone.localdate()).values("user")
    return User.objects.filter(pk__in=current, is_active=True).order_by("full_name", "email")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.full_name or user.email


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    return helper


class OutreachContactForm(forms.ModelForm):
    """The potential partner's details. On creation it may be assigned at once."""

    assigned_to = PersonChoiceField(
        label=_("Assigned to"), queryset=User.objects.none(), required=False,
        empty_label=_("Nobody yet"),
        help_text=_("The steering-group member who follows this contact."),
    )

    class Meta:
        model = OutreachContact
        fields = ["name", "email", "kind", "municipality", "notes", "assigned_to"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "email": _("Needed to send the invitation."),
            "municipality": _("Where the organisation has its seat or works."),
            "notes": _("Who to talk to, what was said, next steps."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Assignment has its own form and history on the contact's page.
            del self.fields["assigned_to"]
        else:
            self.fields["assigned_to"].queryset = steering_members()
        self.fields["municipality"].queryset = Municipality.objects.order_by("name")
        self.fields["municipality"].empty_label = _("Not specified")
        self.helper = _helper()


class OutreachAssignForm(forms.Form):
    assignee = PersonChoiceField(
        label=_("Assigned to"), queryset=User.objects.none(), required=False,
        empty_label=_("Nobody"),
    )

    def __init__(self, *args, contact, **kwargs):
        kwargs.setdefault("initial", {"assignee": contact.assigned_to_id})
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = steering_members()
        self.helper = _helper()


class OutreachMoveForm(forms.Form):
    """Only the statuses the contact can move to next are offered."""

    to_status = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(
        label=_("Note"), required=False, max_length=NOTE_LENGTH, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: what happened, kept in the history."),
    )

    def __init__(self, *args, contact, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = OutreachContact.TRANSITIONS.get(contact.status, set())
        self.fields["to_status"].choices = [
            (value, label) for value, label in OutreachContact.Status.choices if value in allowed
        ]
        self.helper = _helper()
