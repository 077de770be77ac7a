"""Notifications about joining focus groups."""

from .base import link, referents, send

__all__ = [
    "send_focus_group_invitation", "send_focus_group_invitation_answered", "send_focus_group_join_requested",
    "send_focus_group_request_decided",
]


def _focus_group_link(focus_group):
    return link("projects:focusgroup-detail", focus_group.pk)


def send_focus_group_invitation(membership):
    """To the invited organisation's referents, who accept or decline."""
    send(
        "focus_group_invitation", referents(membership.organisation),
        {"membership": membership, "focus_group": membership.focus_group,
         "link": _focus_group_link(membership.focus_group)},
    )


def send_focus_group_join_requested(membership):
    """To the facilitators, who accept or decline the request."""
    focus_group = membership.focus_group
    send(
        "focus_group_join_requested", list(focus_group.facilitators.all()),
        {"membership": membership, "focus_group": focus_group, "link": _focus_group_link(focus_group)},
    )


def send_focus_group_request_decided(membership):
    """To the referents of the organisation that asked to join, who wait for the answer."""
    focus_group = membership.focus_group
    send(
        "focus_group_request_decided", referents(membership.organisation),
        {"membership": membership, "focus_group": focus_group, "link": _focus_group_link(focus_group)},
    )


def send_focus_group_invitation_answered(membership):
    """To the facilitators, who invited the organisation."""
    focus_group = membership.focus_group
    send(
        "focus_group_invitation_answered", list(focus_group.facilitators.all()),
        {"membership": membership, "focus_group": focus_group, "link": _focus_group_link(focus_group)},
    )
