"""Search and filters for the list of the proposals of the user's organisations."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from welfare_portal.models import Municipality

from ..models import Proposal, Theme

__all__ = ["ProposalFilter"]


class ProposalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Title or summary")}),
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), queryset=Theme.objects.order_by("title"), empty_label=_("All themes"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Proposal.Status.choices, empty_label=_("All statuses"),
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality covered"), queryset=Municipality.objects.all(), method="covering",
        empty_label=_("All municipalities"),
    )

    class Meta:
        model = Proposal
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value))

    def covering(self, queryset, name, value):
        """A subquery rather than a join, so no proposal repeats."""
        covered = Proposal.municipalities.through.objects.filter(municipality=value)
        return queryset.filter(pk__in=covered.values("proposal_id"))
