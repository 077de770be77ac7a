"""Notifications about the steering group; one function per notification.

Called inside `transaction.on_commit`, so nothing is sent for an appointment that rolls back.
"""

from welfare_portal.links import absolute_url
from welfare_portal.mail import send_to_people

__all__ = ["send_steering_member_appointed"]


def send_steering_member_appointed(seat):
    """Tell the person they have a seat, and where the group is shown."""
    send_to_people(
        "partners/email/steering_member_appointed", [seat.user],
        {"seat": seat, "steering_group_url": absolute_url("partners:steering-group")},
    )
