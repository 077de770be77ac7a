"""Filters of the steering group's progress list of a pact's signatories. The queryset must
carry `has_signed`, `has_declined` (Signatory.objects.with_answers()) and `has_representative`."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..models import Signatory


class SignatoryFilter(django_filters.FilterSet):
    ANSWERS = [
        ("signed", pgettext_lazy("pact answer", "Signed")),
        ("declined", pgettext_lazy("pact answer", "Declined")),
        ("awaiting", pgettext_lazy("pact answer", "Awaiting an answer")),
    ]
    REPRESENTATIVES = [
        ("missing", pgettext_lazy("legal representative", "Missing")),
        ("confirmed", pgettext_lazy("legal representative", "Confirmed")),
    ]

    q = django_filters.CharFilter(label=_("Search"), method="search")
    answer = django_filters.ChoiceFilter(
        label=_("Answer"), choices=ANSWERS, method="filter_answer", empty_label=_("All answers"),
    )
    representative = django_filters.ChoiceFilter(
        label=_("Legal representative"), choices=REPRESENTATIVES, method="filter_representative",
        empty_label=_("All"),
    )

    class Meta:
        model = Signatory
        fields = ["q", "answer", "representative"]

    def search(self, queryset, name, value):
        """The name in the pact, the organisation's current name or its tax code."""
        return queryset.filter(
            Q(organisation_name__icontains=value)
            | Q(organisation__name__icontains=value)
            | Q(organisation__tax_code__icontains=value)
        )

    def filter_answer(self, queryset, name, value):
        if value == "signed":
            return queryset.filter(has_signed=True)
        if value == "declined":
            return queryset.filter(has_declined=True)
        return queryset.filter(has_signed=False, has_declined=False)

    def filter_representative(self, queryset, name, value):
        return queryset.filter(has_representative=(value == "confirmed"))
