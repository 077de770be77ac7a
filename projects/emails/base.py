"""What every projects notification shares: rendering, recipients and links."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import NoReverseMatch

from partners.models import Membership, SteeringGroupMember
from welfare_portal.links import absolute_url


def send(template, recipients, context):
    """One message per person (addresses are never disclosed to each other), subject and body
    from templates/projects/email/<template>_{subject,body}.txt."""
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    messages = []
    seen = set()
    for recipient in recipients:
        if not recipient.email or not recipient.is_active or recipient.pk in seen:
            continue
        seen.add(recipient.pk)
        ctx = {**context, "recipient": recipient, "portal_name": settings.PORTAL_NAME}
        subject = " ".join(render_to_string(f"projects/email/{template}_subject.txt", ctx).split())
        body = render_to_string(f"projects/email/{template}_body.txt", ctx)
        messages.append((prefix + subject, body, None, [recipient.email]))
    send_mass_mail(messages, fail_silently=False)


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
