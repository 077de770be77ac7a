"""Filters of the staff list of steering-group seats."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import SteeringGroupMember


class SteeringMemberFilter(django_filters.FilterSet):
    PERIODS = [("current", _("Current")), ("past", _("Ended")), ("future", _("Not started yet"))]

    q = django_filters.CharFilter(label=_("Search"), method="search")
    period = django_filters.ChoiceFilter(
        label=_("Period"), choices=PERIODS, method="filter_period", empty_label=_("All seats")
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=SteeringGroupMember.Role.choices, empty_label=_("All roles")
    )

    class Meta:
        model = SteeringGroupMember
        fields = ["q", "period", "role"]

    def search(self, queryset, name, value):
        """Person's name or email, or the organisation or municipality represented."""
        return queryset.filter(
            Q(user__full_name__icontains=value)
            | Q(user__email__icontains=value)
            | Q(organisation__name__icontains=value)
            | Q(municipality__name__icontains=value)
        )

    def filter_period(self, queryset, name, value):
        today = timezone.localdate()
        if value == "current":
            return queryset.current(today)
        if value == "past":
            return queryset.filter(end_date__lt=today)
        return queryset.filter(start_date__gt=today)
