"""Notifications about the steering group; one function per notification.

Called inside `transaction.on_commit`, so nothing is sent for an appointment that rolls back.
"""

from welfare_portal.links import absolute_url

from .organisations import _send

__all__ = ["send_steering_member_appointed"]


def send_steering_member_appointed(seat):
    """Tell the person they have a seat, and where the group is shown."""
    _send(
        "steering_member_appointed", [seat.user],
        {"seat": seat, "steering_group_url": absolute_url("partners:steering-group")},
    )
