"""Who may do what with the Carta, the Patto, signatures and documents.

Permissions are `charter.<verb>_<model>`. Published versions, opened pacts and their documents
are public; drafts belong to the steering group and staff. The steering group writes drafts,
its coordinator (or staff) approves, publishes, opens and closes. Only an organisation's
confirmed legal representative signs or declines for it, never staff. State predicates read
the models' TRANSITIONS, so buttons and services agree.
"""

import rules

from partners.models import Membership
from partners.rules import is_staff, is_steering_coordinator, is_steering_member

from .models import CharterVersion, Decline, Document, DocumentJob, DocumentKind, Pact, Signature

steering_or_staff = is_staff | is_steering_member  # the cheap question first: no query for staff
coordinator_or_staff = is_staff | is_steering_coordinator


def is_confirmed_legal_representative(user, organisation):
    """The user is the organisation's confirmed legal representative (reads prefetched
    memberships when the organisation has them)."""
    if not user or not user.is_authenticated or not user.is_active or organisation is None:
        return False
    prefetched = getattr(organisation, "_prefetched_objects_cache", {}).get("memberships")
    if prefetched is not None:
        return any(m.user_id == user.pk and m.is_confirmed_legal_representative for m in prefetched)
    return Membership.objects.confirmed_legal_representatives().filter(user=user, organisation=organisation).exists()


# Versions


@rules.predicate
def is_public_version(user, version):
    return version is not None and version.is_public


@rules.predicate
def is_draft_version(user, version):
    return version is not None and version.is_draft


def _version_can_move_to(status):
    @rules.predicate(name=f"charter_version_can_move_to_{status}")
    def predicate(user, version):
        return version is not None and version.can_move_to(status)

    return predicate


@rules.predicate
def is_published_version_without_pact(user, version):
    return (
        version is not None and version.status == CharterVersion.Status.PUBLISHED
        and not Pact.objects.filter(version=version).exists()
    )


rules.add_perm("charter.view_charter", rules.always_allow)
rules.add_perm("charter.view_charterversion", is_public_version | steering_or_staff)
rules.add_perm("charter.add_charterversion", steering_or_staff)
rules.add_perm("charter.change_charterversion", steering_or_staff & is_draft_version)
rules.add_perm("charter.delete_charterversion", steering_or_staff & is_draft_version)
rules.add_perm(
    "charter.approve_charterversion", coordinator_or_staff & _version_can_move_to(CharterVersion.Status.APPROVED)
)
rules.add_perm(
    "charter.publish_charterversion", coordinator_or_staff & _version_can_move_to(CharterVersion.Status.PUBLISHED)
)

# Pacts


@rules.predicate
def is_public_pact(user, pact):
    return pact is not None and pact.status != Pact.Status.DRAFT


@rules.predicate
def is_draft_pact(user, pact):
    return pact is not None and pact.status == Pact.Status.DRAFT


@rules.predicate
def is_open_pact(user, pact):
    return pact is not None and pact.status == Pact.Status.OPEN


@rules.predicate
def is_closable_pact(user, pact):
    """Open, and every signatory has answered or the deadline has passed."""
    if pact is None or not pact.is_open:
        return False
    return pact.deadline_passed() or not pact.signatories.unanswered().exists()


rules.add_perm("charter.view_pact", is_public_pact | steering_or_staff)
rules.add_perm("charter.add_pact", steering_or_staff & is_published_version_without_pact)
rules.add_perm("charter.change_pact", steering_or_staff & is_draft_pact)
rules.add_perm("charter.open_pact", coordinator_or_staff & is_draft_pact)
rules.add_perm("charter.remind_pact", steering_or_staff & is_open_pact)
rules.add_perm("charter.close_pact", coordinator_or_staff & is_closable_pact)
rules.add_perm("charter.view_pact_progress", steering_or_staff)
# The client's address and browser of each signature: an audit record for staff only.
rules.add_perm("charter.view_signature_audit", is_staff)

# Signatories: the steering group prepares the list; the legal representative answers.


@rules.predicate
def is_signatory_of_draft_pact(user, signatory):
    return signatory is not None and signatory.pact.status == Pact.Status.DRAFT


@rules.predicate
def is_added_signatory(user, signatory):
    return signatory is not None and signatory.source == signatory.Source.ADDED


@rules.predicate
def is_signatory_legal_representative(user, signatory):
    return signatory is not None and is_confirmed_legal_representative(user, signatory.organisation)


@rules.predicate
def can_answer_signatory(user, signatory):
    """The pact is open, its deadline not passed, and the organisation has not answered yet."""
    if signatory is None or not signatory.pact.is_open or signatory.pact.deadline_passed():
        return False
    pact_id, organisation_id = signatory.pact_id, signatory.organisation_id
    return not (
        Signature.objects.filter(pact_id=pact_id, organisation_id=organisation_id).exists()
        or Decline.objects.filter(pact_id=pact_id, organisation_id=organisation_id).exists()
    )


@rules.predicate
def has_text_for_signing(user, signatory):
    """The PDF the signature refers to is stored (it is rendered in the background after the
    pact opens): nobody signs a text that is still being prepared."""
    return signatory is not None and Document.objects.filter(
        pact_id=signatory.pact_id, kind=DocumentKind.PACT_DRAFT,
    ).exists()


rules.add_perm("charter.add_signatory", steering_or_staff & is_draft_pact)
rules.add_perm("charter.change_signatory", steering_or_staff & is_signatory_of_draft_pact)
rules.add_perm("charter.delete_signatory", steering_or_staff & is_signatory_of_draft_pact & is_added_signatory)
rules.add_perm(
    "charter.sign_signatory", is_signatory_legal_representative & can_answer_signatory & has_text_for_signing,
)
rules.add_perm("charter.decline_signatory", is_signatory_legal_representative & can_answer_signatory)

# Documents follow what they belong to.


@rules.predicate
def is_public_document(user, document):
    if document is None:
        return False
    if document.version_id is not None:
        return document.version.is_public
    return document.pact.status != Pact.Status.DRAFT


rules.add_perm("charter.view_document", is_public_document | steering_or_staff)

# Documents being prepared in the background: the Ufficio di Piano watches them and queues
# again one that failed, or whose rendering stopped without a sign of life.


@rules.predicate
def is_retryable_document_job(user, job):
    return job is not None and (job.status == DocumentJob.Status.FAILED or job.is_stale())


rules.add_perm("charter.view_documentjob", is_staff)
rules.add_perm("charter.retry_documentjob", is_staff & is_retryable_document_job)

# The Django admin, for staff: the app, and the records of who signed and who declined (the
# admin shows them read-only; nobody deletes them).
rules.add_perm("charter", is_staff)
rules.add_perm("charter.view_signature", is_staff)
rules.add_perm("charter.view_decline", is_staff)
