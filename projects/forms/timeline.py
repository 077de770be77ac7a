"""Forms of the cronoprogramma: a milestone, and the day it was reached."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Milestone

__all__ = ["MilestoneDoneForm", "MilestoneForm"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["phase", "title", "description", "due_date", "order"]
        widgets = {"due_date": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].widget.attrs["min"] = 0
        self.helper = FormHelper()
        self.helper.form_tag = False


class MilestoneDoneForm(forms.Form):
    """Empty means today; a future day is refused by the service."""

    done_date = forms.DateField(label=_("Done on"), required=False, widget=DateInput())
