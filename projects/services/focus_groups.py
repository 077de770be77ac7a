"""Focus groups: facilitators, member organisations (on request or by invitation), meetings,
minutes and attendance."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from partners.models import Organisation, SteeringGroupMember
from partners.rules import is_organisation_referent

from .. import emails
from ..models import Attendance, FocusGroup, FocusGroupMembership, Meeting
from .base import ProjectsError, require_active, require_perm, set_m2m, split_fields

FOCUS_GROUP_FIELDS = {"title", "description"}
FOCUS_GROUP_M2M_FIELDS = {"facilitators"}
MEETING_FIELDS = {"title", "starts_at", "place", "online_url", "agenda", "minutes"}

__all__ = [
    "accept_focus_group_membership", "check_facilitators", "create_focus_group",
    "decline_focus_group_membership", "invite_to_focus_group", "publish_minutes", "record_attendance",
    "request_to_join_focus_group", "schedule_meeting", "update_focus_group", "update_meeting",
]

MembershipStatus = FocusGroupMembership.Status


def check_facilitators(users):
    """Facilitators come from the steering group: refuse anyone without a current seat. The
    admin form asks this too."""
    users = list(users)
    current = set(
        SteeringGroupMember.objects.current().filter(user__in=users).values_list("user_id", flat=True)
    )
    outsiders = [str(user) for user in users if user.pk not in current]
    if outsiders:
        raise ValidationError(
            {
                "facilitators": _(
                    "Facilitators must be current members of the steering group; these are not: %(names)s."
                )
                % {"names": ", ".join(outsiders)}
            },
            code="facilitator_not_steering",
        )


def create_focus_group(theme, *, by, **data):
    require_active(by)
    require_perm(by, "projects.add_focusgroup")
    plain, m2m = split_fields(data, FOCUS_GROUP_FIELDS, FOCUS_GROUP_M2M_FIELDS, "focus group")
    check_facilitators(m2m.get("facilitators", ()))
    focus_group = FocusGroup(theme=theme, **plain, created_by=by)
    focus_group.full_clean()
    with transaction.atomic():
        focus_group.save()
        set_m2m(focus_group, m2m)
    return focus_group


def update_focus_group(focus_group, *, by, **data):
    require_active(by)
    plain, m2m = split_fields(data, FOCUS_GROUP_FIELDS, FOCUS_GROUP_M2M_FIELDS, "focus group")
    if "facilitators" in m2m:
        check_facilitators(m2m["facilitators"])
    with transaction.atomic():
        focus_group = FocusGroup.objects.select_for_update().get(pk=focus_group.pk)
        require_perm(by, "projects.change_focusgroup", focus_group)
        for name, value in plain.items():
            setattr(focus_group, name, value)
        focus_group.full_clean()
        focus_group.save(update_fields=list(plain) or None)
        set_m2m(focus_group, m2m)
    return focus_group


def _existing_membership_message(membership):
    params = {"organisation": membership.organisation}
    if membership.status == MembershipStatus.ACCEPTED:
        return _("%(organisation)s is already a member of this focus group.") % params
    if membership.status == MembershipStatus.REQUESTED:
        return _("%(organisation)s has already asked to join this focus group; a facilitator will decide.") % params
    return _(
        "%(organisation)s has already been invited to this focus group: a referent of the organisation "
        "can accept the invitation."
    ) % params


def _open_membership(focus_group, organisation, status, *, by):
    """Create the request or invitation, or renew a declined one; the focus group row is locked
    so two requests for the same organisation cannot race."""
    if organisation.status != Organisation.Status.VERIFIED:
        raise ProjectsError(_("Only a verified organisation can take part in a focus group."))
    FocusGroup.objects.select_for_update().get(pk=focus_group.pk)
    membership = (
        FocusGroupMembership.objects.select_for_update()
        .filter(focus_group=focus_group, organisation=organisation).first()
    )
    if membership is None:
        try:
            with transaction.atomic():
                return FocusGroupMembership.objects.create(
                    focus_group=focus_group, organisation=organisation, status=status, requested_by=by,
                )
        except IntegrityError:
            raise ProjectsError(_("This organisation is already in this focus group.")) from None
    if not membership.can_move_to(status):
        raise ProjectsError(_existing_membership_message(membership))
    membership.status = status
    membership.requested_at = timezone.now()
    membership.requested_by = by
    membership.decided_at = None
    membership.decided_by = None
    membership.save(update_fields=["status", "requested_at", "requested_by", "decided_at", "decided_by"])
    return membership


def request_to_join_focus_group(focus_group, *, by, organisation):
    """A referent asks for the organisation to join; the facilitators decide."""
    require_active(by)
    if not is_organisation_referent(by, organisation):
        raise ProjectsError(
            _("Only a referent of %(organisation)s can ask for it to join a focus group.")
            % {"organisation": organisation}
        )
    with transaction.atomic():
        membership = _open_membership(focus_group, organisation, MembershipStatus.REQUESTED, by=by)
        transaction.on_commit(lambda: emails.send_focus_group_join_requested(membership))
    return membership


def invite_to_focus_group(focus_group, *, by, organisation):
    """A facilitator invites an organisation; its referents decide."""
    require_active(by)
    require_perm(by, "projects.invite_focusgroup", focus_group)
    with transaction.atomic():
        membership = _open_membership(focus_group, organisation, MembershipStatus.INVITED, by=by)
        transaction.on_commit(lambda: emails.send_focus_group_invitation(membership))
    return membership


def _decide_membership(membership, to_status, *, by):
    require_active(by)
    with transaction.atomic():
        membership = (
            FocusGroupMembership.objects.select_for_update()
            .select_related("focus_group", "organisation").get(pk=membership.pk)
        )
        if not membership.can_move_to(to_status):
            raise ProjectsError(
                _("This request has already been decided (%(status)s).") % {"status": membership.get_status_display()}
            )
        require_perm(by, "projects.decide_focusgroupmembership", membership)
        was_request = membership.status == MembershipStatus.REQUESTED
        membership.status = to_status
        membership.decided_at = timezone.now()
        membership.decided_by = by
        membership.save(update_fields=["status", "decided_at", "decided_by"])
        if was_request:
            transaction.on_commit(lambda: emails.send_focus_group_request_decided(membership))
        else:
            transaction.on_commit(lambda: emails.send_focus_group_invitation_answered(membership))
    return membership


def accept_focus_group_membership(membership, *, by):
    """A facilitator accepts a request, or a referent accepts an invitation."""
    return _decide_membership(membership, MembershipStatus.ACCEPTED, by=by)


def decline_focus_group_membership(membership, *, by):
    return _decide_membership(membership, MembershipStatus.DECLINED, by=by)


def _clean_meeting_fields(plain):
    for name in ("title", "place", "online_url"):
        if name in plain:
            plain[name] = (plain[name] or "").strip()
    return plain


def schedule_meeting(focus_group, *, by, **data):
    require_active(by)
    require_perm(by, "projects.add_meeting", focus_group)
    plain, _m2m = split_fields(data, MEETING_FIELDS - {"minutes"}, (), "meeting")
    meeting = Meeting(focus_group=focus_group, **_clean_meeting_fields(plain), created_by=by)
    meeting.full_clean()
    meeting.save()
    return meeting


def update_meeting(meeting, *, by, **data):
    """Edit a meeting and write its minutes; once published, the minutes no longer change."""
    require_active(by)
    plain, _m2m = split_fields(data, MEETING_FIELDS, (), "meeting")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        require_perm(by, "projects.change_meeting", meeting)
        if meeting.minutes_published and "minutes" in plain and plain["minutes"] != meeting.minutes:
            raise ProjectsError(_("The minutes are published and can no longer be changed."))
        for name, value in _clean_meeting_fields(plain).items():
            setattr(meeting, name, value)
        meeting.full_clean()
        meeting.save(update_fields=list(plain) or None)
    return meeting


def publish_minutes(meeting, *, by):
    """Make the minutes visible to the focus group's members."""
    require_active(by)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.minutes_published:
            raise ProjectsError(
                _("These minutes were already published on %(date)s.")
                % {"date": date_format(timezone.localtime(meeting.minutes_published_at), "SHORT_DATE_FORMAT")}
            )
        require_perm(by, "projects.publish_meeting_minutes", meeting)
        if not meeting.minutes.strip():
            raise ProjectsError(_("Write the minutes before publishing them."))
        meeting.minutes_published_at = timezone.now()
        meeting.minutes_published_by = by
        meeting.save(update_fields=["minutes_published_at", "minutes_published_by"])
    return meeting


def record_attendance(meeting, *, by, attendance):
    """Record who was there: `attendance` maps member organisations (or their ids) to True
    (present) or False (absent). Rows already recorded are updated."""
    require_active(by)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        require_perm(by, "projects.add_attendance", meeting)
        if meeting.starts_at > timezone.now():
            raise ProjectsError(_("Attendance can be recorded once the meeting has started."))
        members = {
            m.organisation_id: m.organisation
            for m in FocusGroupMembership.objects.filter(
                focus_group_id=meeting.focus_group_id, status=MembershipStatus.ACCEPTED
            ).select_related("organisation")
        }
        wanted = {getattr(org, "pk", org): bool(present) for org, present in attendance.items()}
        outsiders = [org_id for org_id in wanted if org_id not in members]
        if outsiders:
            names = Organisation.objects.filter(pk__in=outsiders).values_list("name", flat=True)
            raise ProjectsError(
                _("Attendance is recorded only for member organisations of the focus group; these are not: %(names)s.")
                % {"names": ", ".join(sorted(names)) or ", ".join(map(str, outsiders))}
            )
        now = timezone.now()
        rows = []
        for org_id, present in wanted.items():
            row, _created = Attendance.objects.update_or_create(
                meeting=meeting, organisation_id=org_id,
                defaults={"present": present, "recorded_at": now, "recorded_by": by},
            )
            rows.append(row)
    return rows
