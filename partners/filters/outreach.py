"""Search and filters of the outreach board."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from welfare_portal.models import Municipality, User

from ..forms.outreach import PersonChoiceField
from ..models import OrganisationKind, OutreachContact, SteeringGroupMember


class PersonFilter(django_filters.ModelChoiceFilter):
    field_class = PersonChoiceField


def assignees(request):
    """Current members, and anyone who still follows a contact: an ex-member's contacts must
    stay findable to be handed over."""
    current = SteeringGroupMember.objects.current(timezone.localdate()).values("user")
    following = OutreachContact.objects.filter(assigned_to__isnull=False).values("assigned_to")
    return User.objects.filter(Q(pk__in=current) | Q(pk__in=following)).order_by("full_name", "email")


class OutreachContactFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=OutreachContact.Status.choices, empty_label=_("All statuses")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=OrganisationKind.choices, empty_label=_("All kinds")
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"), queryset=Municipality.objects.order_by("name"),
        empty_label=_("All municipalities"),
    )
    assigned_to = PersonFilter(label=_("Assigned to"), queryset=assignees, empty_label=_("Anybody"))
    mine = django_filters.BooleanFilter(
        label=_("Only contacts assigned to me"), method="filter_mine", widget=forms.CheckboxInput,
    )

    class Meta:
        model = OutreachContact
        fields = ["q", "status", "kind", "municipality", "assigned_to", "mine"]

    def search(self, queryset, name, value):
        """Name, email or notes."""
        return queryset.filter(
            Q(name__icontains=value) | Q(email__icontains=value) | Q(notes__icontains=value)
        )

    def filter_mine(self, queryset, name, value):
        if not value or self.request is None:
            return queryset
        return queryset.filter(assigned_to=self.request.user)
