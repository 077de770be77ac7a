"""Search and filters for the public partner directory and the staff verification queue."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from welfare_portal.models import Municipality, PolicyArea

from ..models import Organisation, OrganisationKind

__all__ = ["DirectoryFilter", "StaffOrganisationFilter"]


def _search_input(placeholder):
    return forms.TextInput(attrs={"type": "search", "placeholder": placeholder})


class DirectoryFilter(django_filters.FilterSet):
    """Filters over a queryset of verified organisations (the view restricts it)."""

    q = django_filters.CharFilter(
        label=_("Search"), method="search", widget=_search_input(_("Name or description"))
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=OrganisationKind.choices, empty_label=_("All kinds")
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"), queryset=Municipality.objects.all(), method="in_municipality",
        empty_label=_("All municipalities"),
    )
    policy_area = django_filters.ModelChoiceFilter(
        label=_("Policy area"), queryset=PolicyArea.objects.all(), field_name="policy_areas",
        empty_label=_("All policy areas"),
    )

    class Meta:
        model = Organisation
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))

    def in_municipality(self, queryset, name, value):
        """Seated there or serving it; a subquery rather than a join, so no row repeats."""
        served = Organisation.municipalities_served.through.objects.filter(municipality=value)
        return queryset.filter(Q(seat_municipality=value) | Q(pk__in=served.values("organisation_id")))


class StaffOrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", widget=_search_input(_("Name, tax code or email"))
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Organisation.Status.choices, empty_label=_("All statuses")
    )

    class Meta:
        model = Organisation
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(tax_code__icontains=value.replace(" ", ""))
            | Q(email__icontains=value)
        )
