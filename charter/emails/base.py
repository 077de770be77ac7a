"""What every charter notification shares: rendering, recipients and links."""

from django.urls import NoReverseMatch

from partners.models import Membership, SteeringGroupMember
from welfare_portal.links import absolute_url
from welfare_portal.mail import send_to_people


def send(template, recipients, context):
    """One message per person, from templates/charter/email/<template>_{subject,body}.txt."""
    send_to_people(f"charter/email/{template}", recipients, context)


def link(viewname, *args):
    """An absolute link to a portal page, or None while that page does not exist yet: the
    emails are written before the pages (see the planned URL names in charter/urls), and show
    the link as soon as the page is there."""
    try:
        return absolute_url(viewname, *args)
    except NoReverseMatch:
        return None


def legal_representatives(organisation):
    return [
        m.user for m in Membership.objects.confirmed_legal_representatives()
        .filter(organisation=organisation).select_related("user")
    ]


def referents(organisation):
    return [m.user for m in Membership.objects.managing().filter(organisation=organisation).select_related("user")]


def steering_members():
    return [seat.user for seat in SteeringGroupMember.objects.current().select_related("user")]
