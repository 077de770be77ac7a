"""What every projects notification shares: rendering, recipients and links."""

from django.urls import NoReverseMatch

from partners.models import Membership, SteeringGroupMember
from welfare_portal.links import absolute_url
from welfare_portal.mail import send_to_people


def send(template, recipients, context):
    """One message per person, from templates/projects/email/<template>_{subject,body}.txt."""
    send_to_people(f"projects/email/{template}", recipients, context)


def link(viewname, *args):
    """An absolute link to a portal page, or None while that page does not exist yet: the
    emails are written before the pages (see the planned URL names in projects/urls.py), and
    show the link as soon as the page is there."""
    try:
        return absolute_url(viewname, *args)
    except NoReverseMatch:
        return None


def members(organisation):
    return [m.user for m in Membership.objects.accepted().filter(organisation=organisation).select_related("user")]


def referents(organisation):
    return [m.user for m in Membership.objects.managing().filter(organisation=organisation).select_related("user")]


def steering_members():
    return [seat.user for seat in SteeringGroupMember.objects.current().select_related("user")]
