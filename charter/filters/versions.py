"""Filters of the draft editor's list of approved proposals that can be added to the Carta."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from projects.models import Proposal, Theme


class AvailableProposalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), queryset=Theme.objects.order_by("title"), empty_label=_("All themes"),
    )

    class Meta:
        model = Proposal
        fields = ["q", "theme"]

    def search(self, queryset, name, value):
        """The project's title or its lead partner's name."""
        return queryset.filter(Q(title__icontains=value) | Q(lead_organisation__name__icontains=value))
