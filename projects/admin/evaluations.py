"""Staff pages for the rubric (criteria editable; activation through the service) and the
evaluations (read-only)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .. import services
from ..conflicts import without_conflicts
from ..models import Criterion, Evaluation, Proposal, Rubric, Score
from .base import ReadOnlyInline, run_service


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["order", "name", "description", "weight"]

    def clean_weight(self):
        """As services.update_criterion: a used criterion keeps its weight."""
        weight = self.cleaned_data["weight"]
        instance = self.instance
        if instance.pk and weight != instance.weight and instance.scores.exists():
            raise ValidationError(
                _("This criterion has already been used in evaluations, so its weight cannot change: "
                  "create a new rubric instead.")
            )
        return weight


class CriterionInline(admin.TabularInline):
    model = Criterion
    form = CriterionForm
    extra = 0


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active", "created_at"]
    readonly_fields = ["is_active", "created_at"]
    inlines = [CriterionInline]
    actions = ["activate_selected"]

    @admin.action(description=_("Make the selected rubric the active one"))
    def activate_selected(self, request, queryset):
        run_service(
            self, request, queryset[:1],
            lambda rubric: services.activate_rubric(rubric, by=request.user),
            lambda n: _("Rubric activated."),
        )


class ScoreInline(ReadOnlyInline):
    model = Score
    fields = ["criterion", "value"]
    readonly_fields = fields


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["proposal", "evaluator", "submitted_at", "conflict_declared"]
    list_filter = ["conflict_declared", "proposal__theme"]
    search_fields = ["proposal__title", "evaluator__email", "evaluator__full_name"]
    list_select_related = ["proposal", "evaluator"]
    readonly_fields = [
        "proposal", "evaluator", "rubric", "comment", "submitted_at", "conflict_declared", "conflict_note",
        "conflict_declared_at", "created_at",
    ]
    inlines = [ScoreInline]

    def has_add_permission(self, request):
        return False

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("projects.view_review_queue")
        return request.user.has_perm("projects.view_evaluation", obj.proposal)

    def get_queryset(self, request):
        """What staff see on the portal, and nothing of a proposal they are in conflict with."""
        visible = super().get_queryset(request).filter(proposal__in=Proposal.objects.for_user(request.user))
        return without_conflicts(visible, request.user)
