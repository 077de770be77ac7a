"""Search, filters and sorting of the steering group's review queue."""

import django_filters
from django import forms
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from welfare_portal.models import Municipality

from ..models import Proposal, Theme

__all__ = ["ReviewQueueFilter"]

Status = Proposal.Status

AWAITING = "awaiting"
# Every status a proposal can have once it has reached the steering group; "awaiting review"
# groups the two the group still has to work on. Drafts never appear.
STATUS_CHOICES = [
    (AWAITING, _("Awaiting review (submitted or in evaluation)")),
    *[(value, label) for value, label in Status.choices if value != Status.DRAFT],
]

SORTS = {
    "score": (_("Weighted score, highest first"), [F("weighted_score").desc(nulls_last=True), "submitted_at", "pk"]),
    "score_asc": (_("Weighted score, lowest first"), [F("weighted_score").asc(nulls_last=True), "submitted_at", "pk"]),
    "newest": (_("Submission date, newest first"), [F("submitted_at").desc(), "-pk"]),
    "oldest": (_("Submission date, oldest first"), ["submitted_at", "pk"]),
    "title": (_("Title"), [Lower("title"), "pk"]),
}
DEFAULT_SORT = "score"


class ReviewQueueFilter(django_filters.FilterSet):
    """Filters over `Proposal.objects.review_queue()`. Without a status, withdrawn proposals are
    left out: nothing more can happen to them; choose "Withdrawn" to find them."""

    q = django_filters.CharFilter(
        label=_("Search"), method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Title, summary or lead partner")}),
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), queryset=Theme.objects.order_by("title"), empty_label=_("All themes"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=_("All but withdrawn"),
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality covered"), queryset=Municipality.objects.order_by("name"), method="covering",
        empty_label=_("All municipalities"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=[(key, label) for key, (label, _order) in SORTS.items()],
        method="sort_by", empty_label=None,
    )

    class Meta:
        model = Proposal
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(summary__icontains=value) | Q(lead_organisation__name__icontains=value)
        )

    def filter_status(self, queryset, name, value):
        if value == AWAITING:
            return queryset.awaiting_review()
        return queryset.filter(status=value)

    def covering(self, queryset, name, value):
        """A subquery rather than a join, so no proposal is listed twice."""
        covered = Proposal.municipalities.through.objects.filter(municipality=value)
        return queryset.filter(pk__in=covered.values("proposal_id"))

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS[value][1])

    def filter_queryset(self, queryset):
        queryset = queryset.exclude(status=Status.DRAFT)
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.exclude(status=Status.WITHDRAWN)
        return super().filter_queryset(queryset)
