"""Filters of the organisers' list of an event's registrations."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import EventRegistration


class EventRegistrationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=EventRegistration.Status.choices, empty_label=_("All statuses")
    )

    class Meta:
        model = EventRegistration
        fields = ["q", "status"]

    def search(self, queryset, name, value):
        """Name, email or organisation, as organisers remember people."""
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(email__icontains=value) | Q(organisation_name__icontains=value)
        )
