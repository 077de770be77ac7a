"""Forms of the steering group's review: scores and comment, conflict of interest, changes
requested, the decision, and the rubric's criteria. Validation only: the services check the
proposal's status, the evaluator's conflicts and the actor's rights again."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from welfare_portal.fields import NOTE_LENGTH, TEXT_LENGTH

from ..models import MAX_SCORE, MIN_SCORE, Criterion, Proposal, Rubric

__all__ = [
    "ChangesRequestForm", "ConflictForm", "CriterionForm", "DecisionForm", "EvaluationForm", "RubricForm",
]

SCORE_LABELS = {
    0: _("0 – not met"),
    1: _("1 – poor"),
    2: _("2 – weak"),
    3: _("3 – adequate"),
    4: _("4 – good"),
    5: _("5 – excellent"),
}


def _helper(*fields):
    helper = FormHelper()
    helper.form_tag = False
    if fields:
        helper.layout = Layout(*fields)
    return helper


class EvaluationForm(forms.Form):
    """One group of radio buttons (a fieldset with the criterion as legend) per criterion of the
    rubric, and a comment. `scores()` gives what `services.submit_evaluation` expects."""

    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Strengths, weaknesses and what could make the proposal feasible."),
    )

    def __init__(self, *args, rubric, evaluation=None, **kwargs):
        self.criteria = list(rubric.criteria.all()) if rubric is not None else []
        if evaluation is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{self.field_name(score.criterion_id): score.value for score in evaluation.scores.all()},
                "comment": evaluation.comment,
            }
        super().__init__(*args, **kwargs)
        score_fields = {}
        total_weight = sum(criterion.weight for criterion in self.criteria)
        for criterion in self.criteria:
            weight = gettext("Weight %(weight)s, %(percent)s%% of the total.") % {
                "weight": floatformat(criterion.weight, -2),
                "percent": floatformat(criterion.weight * 100 / total_weight, 0),
            }
            score_fields[self.field_name(criterion.pk)] = forms.TypedChoiceField(
                label=criterion.name,
                choices=[(value, SCORE_LABELS[value]) for value in range(MIN_SCORE, MAX_SCORE + 1)],
                coerce=int, widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                help_text=f"{criterion.description} {weight}".strip(),
                error_messages={"required": _("Give a score from 0 to 5 for this criterion.")},
            )
        # The scores come before the comment.
        self.fields = {**score_fields, "comment": self.fields["comment"]}
        self.helper = _helper()

    @staticmethod
    def field_name(criterion_pk):
        return f"score_{criterion_pk}"

    def score_fields(self):
        """The bound score fields, for the template, which draws each as a fieldset of inline
        radios with its error always visible (crispy hides the error of inline radios)."""
        return [self[self.field_name(criterion.pk)] for criterion in self.criteria]

    def scores(self):
        return {criterion: self.cleaned_data[self.field_name(criterion.pk)] for criterion in self.criteria}


class ConflictForm(forms.Form):
    note = forms.CharField(
        label=_("Reason (optional)"), required=False, max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the organisation you belong to that takes part in the proposal."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ChangesRequestForm(forms.Form):
    motivation = forms.CharField(
        label=_("Changes requested"), max_length=TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The lead partner reads this, edits the proposal and submits it again."),
        error_messages={"required": _("Explain which changes are needed: the lead partner will read it.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_motivation(self):
        motivation = self.cleaned_data["motivation"].strip()
        if not motivation:
            raise forms.ValidationError(self.fields["motivation"].error_messages["required"], code="required")
        return motivation


class DecisionForm(forms.Form):
    """The decision in two steps: `review` shows what will be recorded and says it is final,
    `confirm` records it, `edit` goes back to the form with what was written."""

    REVIEW, CONFIRM, EDIT = "review", "confirm", "edit"

    decision = forms.TypedChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[(Proposal.Status.APPROVED, _("Approve")), (Proposal.Status.REJECTED, _("Reject"))],
        coerce=Proposal.Status,
        error_messages={"required": _("Choose whether to approve or reject the proposal.")},
    )
    motivation = forms.CharField(
        label=_("Motivation"), max_length=TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The lead partner and the co-partners read it with the decision."),
        error_messages={"required": _("Give the motivation of the decision: the lead partner will read it.")},
    )
    step = forms.ChoiceField(
        choices=[(REVIEW, REVIEW), (CONFIRM, CONFIRM), (EDIT, EDIT)], required=False, widget=forms.HiddenInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("decision"), Field("motivation"))

    def clean_motivation(self):
        motivation = self.cleaned_data["motivation"].strip()
        if not motivation:
            raise forms.ValidationError(self.fields["motivation"].error_messages["required"], code="required")
        return motivation

    @property
    def confirmed(self):
        return self.cleaned_data.get("step") == self.CONFIRM

    @property
    def editing(self):
        return self.cleaned_data.get("step") == self.EDIT


class RubricForm(forms.ModelForm):
    class Meta:
        model = Rubric
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["name", "description", "weight", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "description": _("What evaluators look at when they score this criterion."),
            "order": _("Criteria are listed from the lowest number."),
        }

    def __init__(self, *args, rubric, **kwargs):
        super().__init__(*args, **kwargs)
        # The rubric is known, so the form can report a duplicate name next to the field.
        self.instance.rubric = rubric
        self.helper = _helper()

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if weight is not None and weight <= 0:
            raise forms.ValidationError(_("The weight must be greater than zero."), code="min_value")
        return weight
