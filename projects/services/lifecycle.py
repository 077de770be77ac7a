"""The proposal's lifecycle: every move in `Proposal.TRANSITIONS`, one function each.

Each locks the proposal's row, checks the move and the actor's right, writes the history row
and sends its emails once the transaction commits. A second, concurrent call waits for the
lock and then finds the status already changed, so it is refused and changes nothing.

Resubmission after changes were requested is allowed outside the theme's call window: the
steering group asked for the changes and waits for them, so the closed call must not block
the answer.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from welfare_portal.fields import TEXT_LENGTH, require_max_length

from .. import emails
from ..conflicts import is_in_conflict
from ..models import Proposal, ProposalStatusChange
from ..rules import coordinator_or_staff
from .base import ProjectsError, require_active, require_perm, require_text
from .proposals import lock_proposal

Status = Proposal.Status

__all__ = [
    "call_window_refusal", "conflict_refusal", "decide_proposal", "move_refusal", "request_changes",
    "start_evaluation", "submit_proposal", "withdraw_proposal",
]


def _check_move(proposal, to_status):
    if proposal.can_move_to(to_status):
        return
    status = proposal.get_status_display()
    if proposal.status in (Status.APPROVED, Status.REJECTED):
        raise ProjectsError(
            _("This proposal has already been decided (“%(status)s”); the decision cannot change.")
            % {"status": status}
        )
    if proposal.status == Status.WITHDRAWN:
        raise ProjectsError(_("This proposal has been withdrawn; nothing can change it any more."))
    raise ProjectsError(
        _("A proposal cannot go from “%(from)s” to “%(to)s”.") % {"from": status, "to": Status(to_status).label}
    )


def move_refusal(proposal, to_status):
    """The message the service would refuse this move with, or None: pages say it before
    showing a form for a move the proposal's status no longer allows."""
    try:
        _check_move(proposal, to_status)
    except ProjectsError as error:
        return error.message
    return None


def conflict_refusal(by, proposal):
    """Why `by` must abstain from deciding on the proposal (asking for changes or approving or
    rejecting it), or None. Whoever is in conflict of interest with it abstains, as Italian law
    asks of public officials (art. 6-bis of law 241/1990): they see none of its evaluation and
    leave the decision to another coordinator or to the district plan office. Said only to those
    whose role decides: everyone else is simply not allowed."""
    if coordinator_or_staff.test(by) and is_in_conflict(by, proposal):
        return _(
            "You are in a conflict of interest with this proposal, so you abstain from deciding on "
            "it: another coordinator of the steering group or the district plan office decides."
        )
    return None


def _require_no_conflict(by, proposal):
    refusal = conflict_refusal(by, proposal)
    if refusal:
        raise ProjectsError(refusal)


def _move(proposal, to_status, *, by, note="", extra_fields=()):
    from_status = proposal.status
    proposal.status = to_status
    proposal.updated_at = timezone.now()
    proposal.save(update_fields=["status", "updated_at", *extra_fields])
    ProposalStatusChange.objects.create(
        proposal=proposal, from_status=from_status, to_status=to_status, changed_by=by, note=note,
    )


def _check_call_window(proposal, now):
    theme = proposal.theme
    if theme.is_call_open(now):
        return
    if now < theme.call_opens_at:
        raise ProjectsError(
            _("The call for “%(theme)s” opens on %(date)s: the proposal can be submitted from then.")
            % {"theme": theme, "date": date_format(timezone.localtime(theme.call_opens_at), "DATETIME_FORMAT")}
        )
    raise ProjectsError(
        _("The call for “%(theme)s” closed on %(date)s: the proposal can no longer be submitted.")
        % {"theme": theme, "date": date_format(timezone.localtime(theme.call_closes_at), "DATETIME_FORMAT")}
    )


def call_window_refusal(proposal, now=None):
    """Why the theme's call window stops the proposal from being submitted now, or None. A
    resubmission after changes were requested is never stopped (see the module's docstring)."""
    if proposal.status == Status.CHANGES_REQUESTED:
        return None
    try:
        _check_call_window(proposal, now or timezone.now())
    except ProjectsError as error:
        return error.message
    return None


def submit_proposal(proposal, *, by, note=""):
    """Send the proposal to the steering group: inside the theme's call window (except a
    resubmission after changes requested) and with every required field complete."""
    require_active(by)
    now = timezone.now()
    with transaction.atomic():
        proposal = lock_proposal(proposal)
        _check_move(proposal, Status.SUBMITTED)
        require_perm(by, "projects.submit_proposal", proposal)
        resubmission = proposal.status == Status.CHANGES_REQUESTED
        refusal = call_window_refusal(proposal, now)
        if refusal:
            raise ProjectsError(refusal)
        missing = proposal.missing_for_submission()
        if missing:
            raise ProjectsError(
                _("Complete these fields before submitting: %(fields)s.") % {"fields": ", ".join(missing)}
            )
        proposal.submitted_at = now
        _move(proposal, Status.SUBMITTED, by=by, note=note, extra_fields=["submitted_at"])
        transaction.on_commit(lambda: emails.send_proposal_submitted(proposal, resubmission=resubmission))
    return proposal


def start_evaluation(proposal, *, by):
    """The steering group takes a submitted proposal into the feasibility evaluation."""
    require_active(by)
    with transaction.atomic():
        proposal = lock_proposal(proposal)
        _check_move(proposal, Status.IN_EVALUATION)
        require_perm(by, "projects.start_evaluation_proposal", proposal)
        _move(proposal, Status.IN_EVALUATION, by=by)
    return proposal


def request_changes(proposal, *, by, motivation):
    """The coordinator sends the proposal back to the lead, saying what to change."""
    require_active(by)
    motivation = require_text(
        motivation, _("Explain which changes are needed: the lead partner will read it.")
    )
    require_max_length(motivation, TEXT_LENGTH, ProjectsError)
    with transaction.atomic():
        proposal = lock_proposal(proposal)
        _check_move(proposal, Status.CHANGES_REQUESTED)
        _require_no_conflict(by, proposal)
        require_perm(by, "projects.request_changes_proposal", proposal)
        proposal.changes_requested_note = motivation
        _move(
            proposal, Status.CHANGES_REQUESTED, by=by, note=motivation,
            extra_fields=["changes_requested_note"],
        )
        transaction.on_commit(lambda: emails.send_changes_requested(proposal))
    return proposal


def decide_proposal(proposal, *, by, decision, motivation):
    """The coordinator approves or rejects, with a motivation the lead reads. Final."""
    if decision not in (Status.APPROVED, Status.REJECTED):
        raise ValueError(f"A decision is approved or rejected, not {decision!r}.")
    require_active(by)
    motivation = require_text(
        motivation, _("Give the motivation of the decision: the lead partner will read it.")
    )
    require_max_length(motivation, TEXT_LENGTH, ProjectsError)
    with transaction.atomic():
        proposal = lock_proposal(proposal)
        _check_move(proposal, decision)
        _require_no_conflict(by, proposal)
        require_perm(by, "projects.decide_proposal", proposal)
        proposal.decided_at = timezone.now()
        proposal.decided_by = by
        proposal.decision_motivation = motivation
        _move(
            proposal, decision, by=by, note=motivation,
            extra_fields=["decided_at", "decided_by", "decision_motivation"],
        )
        transaction.on_commit(lambda: emails.send_proposal_decided(proposal))
    return proposal


def withdraw_proposal(proposal, *, by, note=""):
    """The lead withdraws the proposal, at any point before a decision. Final."""
    require_active(by)
    with transaction.atomic():
        proposal = lock_proposal(proposal)
        _check_move(proposal, Status.WITHDRAWN)
        require_perm(by, "projects.withdraw_proposal", proposal)
        was_submitted = proposal.status != Status.DRAFT
        _move(proposal, Status.WITHDRAWN, by=by, note=(note or "").strip())
        transaction.on_commit(lambda: emails.send_proposal_withdrawn(proposal, was_submitted=was_submitted))
    return proposal
