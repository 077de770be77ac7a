"""A person's own data as one JSON document (GDPR arts. 15 and 20).

PARTS lists, for every model with a relation to the user, what the file shows of the rows that
point at the person: what they are (account, addresses, memberships, seats), what they wrote
(proposals, commitments, evaluations, signatures) and what they did (each "…_by" of a history
row or a decision). A test checks that every relation to the user has its part, so a new model
cannot be forgotten. Only the person's own rows, and of them what is about the person: other
people's contact details, secrets (authenticator keys, cancellation tokens) and stored files
stay out.

Event registrations carry no account: they are matched by the person's verified addresses.
"""

import json
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from .closure import own_registrations

__all__ = ["PARTS", "REGISTRATION_FIELDS", "file_name", "json_document", "personal_data"]


@dataclass(frozen=True)
class Part:
    key: str
    model: str  # "app_label.ModelName"
    user_field: str  # the relation (or path) from the row to the person
    fields: tuple  # values() paths; "name=path" shows `path` under `name`

    def rows(self, user):
        queryset = apps.get_model(self.model)._default_manager.filter(**{self.user_field: user})
        return _values(queryset, self.fields)


def _values(queryset, fields):
    names = [spec.split("=", 1)[0] for spec in fields]
    paths = [spec.split("=", 1)[-1] for spec in fields]
    return [dict(zip(names, row)) for row in queryset.order_by("pk").values_list(*paths)]


def _history(key, model, record, *record_fields):
    """A history row the person wrote: what it is about, the move, when, the note."""
    return Part(key, model, "changed_by", (*record_fields, "from_status", "to_status", "changed_at", "note", *record))


PARTS = (
    # Who the person is in the portal
    Part("email_addresses", "account.EmailAddress", "user", ("email", "verified", "primary")),
    Part("authenticators", "mfa.Authenticator", "user", ("type", "created_at", "last_used_at")),
    Part("memberships", "partners.Membership", "user", (
        "organisation=organisation__name", "role", "status", "requested_at", "decided_at", "refusal_reason",
        "representative_tax_code", "confirmed_at",
    )),
    Part("steering_group_seats", "partners.SteeringGroupMember", "user", (
        "role", "organisation=organisation__name", "municipality=municipality__name", "start_date", "end_date",
        "appointed_at",
    )),
    Part("focus_groups_facilitated", "projects.FocusGroup", "facilitators", ("title", "theme=theme__title")),
    # What the person wrote or signed
    Part("proposals_created", "projects.Proposal", "created_by", (
        "id", "title", "lead_organisation=lead_organisation__name", "status", "created_at", "submitted_at",
    )),
    Part("commitments_stated", "projects.Commitment", "created_by", (
        "proposal=proposal__title", "organisation=organisation__name", "kind", "quantity", "unit",
        "estimated_value_eur", "description", "created_at",
    )),
    Part("attachments_uploaded", "projects.Attachment", "uploaded_by", (
        "proposal=proposal__title", "original_name", "content_type", "size", "uploaded_at",
    )),
    Part("evaluations", "projects.Evaluation", "evaluator", (
        "proposal=proposal__title", "comment", "submitted_at", "conflict_declared", "conflict_note",
        "conflict_declared_at", "created_at",
    )),
    Part("evaluation_scores", "projects.Score", "evaluation__evaluator", (
        "proposal=evaluation__proposal__title", "criterion=criterion__name", "value",
    )),
    Part("pact_signatures", "charter.Signature", "signer", (
        "pact=pact__title", "organisation=organisation__name", "full_name", "signer_name", "signer_email",
        "consent_text", "signed_at", "reauthenticated_at", "ip_address", "user_agent", "document_sha256",
        "record_sha256", "certificate_subject=qualified_evidence__certificate_subject",
        "certificate_issuer=qualified_evidence__certificate_issuer",
        "certificate_serial_number=qualified_evidence__certificate_serial_number",
        "certificate_trust=qualified_evidence__trust",
    )),
    Part("pact_declines", "charter.Decline", "declined_by", (
        "pact=pact__title", "organisation=organisation__name", "declined_at", "reason",
    )),
    # What the person did: decisions and records that name them
    Part("organisations_registered", "partners.Organisation", "created_by", ("id", "name", "status", "created_at")),
    Part("organisations_verified", "partners.Organisation", "verified_by", ("id", "name", "verified_at")),
    _history("organisation_status_changes", "partners.OrganisationStatusChange", (),
             "organisation=organisation__name"),
    Part("membership_requests_decided", "partners.Membership", "decided_by", (
        "organisation=organisation__name", "status", "decided_at",
    )),
    Part("legal_representatives_confirmed", "partners.Membership", "confirmed_by", (
        "organisation=organisation__name", "confirmed_at",
    )),
    _history("membership_status_changes", "partners.MembershipStatusChange", (),
             "organisation=membership__organisation__name"),
    Part("steering_seats_appointed", "partners.SteeringGroupMember", "appointed_by", ("role", "start_date", "appointed_at")),
    Part("steering_seats_ended", "partners.SteeringGroupMember", "ended_by", ("role", "start_date", "end_date")),
    Part("events_created", "partners.Event", "created_by", ("title", "starts_at", "place", "created_at")),
    Part("outreach_contacts_created", "partners.OutreachContact", "created_by", ("id", "name", "status", "created_at")),
    Part("outreach_contacts_assigned", "partners.OutreachContact", "assigned_to", ("id", "name", "status")),
    _history("outreach_status_changes", "partners.OutreachStatusChange", (), "contact=contact__name"),
    Part("themes_created", "projects.Theme", "created_by", ("title", "created_at")),
    Part("focus_groups_created", "projects.FocusGroup", "created_by", ("title", "created_at")),
    Part("focus_group_requests_made", "projects.FocusGroupMembership", "requested_by", (
        "focus_group=focus_group__title", "organisation=organisation__name", "status", "requested_at",
    )),
    Part("focus_group_requests_decided", "projects.FocusGroupMembership", "decided_by", (
        "focus_group=focus_group__title", "organisation=organisation__name", "status", "decided_at",
    )),
    Part("meetings_created", "projects.Meeting", "created_by", ("title", "starts_at", "created_at")),
    Part("meeting_minutes_published", "projects.Meeting", "minutes_published_by", ("title", "minutes_published_at")),
    Part("attendance_recorded", "projects.Attendance", "recorded_by", (
        "meeting=meeting__title", "organisation=organisation__name", "present", "recorded_at",
    )),
    Part("co_partners_invited", "projects.ProposalPartner", "invited_by", (
        "proposal=proposal__title", "organisation=organisation__name", "status", "invited_at",
    )),
    Part("co_partnerships_decided", "projects.ProposalPartner", "decided_by", (
        "proposal=proposal__title", "organisation=organisation__name", "status", "decided_at",
    )),
    Part("proposals_decided", "projects.Proposal", "decided_by", (
        "id", "title", "status", "decided_at", "decision_motivation",
    )),
    _history("proposal_status_changes", "projects.ProposalStatusChange", (), "proposal=proposal__title"),
    Part("milestones_created", "projects.Milestone", "created_by", ("title", "due_date", "created_at")),
    Part("milestones_done", "projects.Milestone", "done_by", ("title", "done_date")),
    Part("charter_versions_created", "charter.CharterVersion", "created_by", ("number", "status", "created_at")),
    Part("charter_versions_approved", "charter.CharterVersion", "approved_by", ("number", "approved_at")),
    Part("charter_versions_published", "charter.CharterVersion", "published_by", ("number", "published_at")),
    _history("charter_version_status_changes", "charter.CharterVersionStatusChange", (), "version=version__number"),
    Part("charter_items_added", "charter.CharterItem", "added_by", (
        "version=version__number", "proposal=proposal__title", "added_at",
    )),
    Part("pacts_created", "charter.Pact", "created_by", ("title", "created_at")),
    Part("pacts_opened", "charter.Pact", "opened_by", ("title", "opened_at")),
    Part("pacts_closed", "charter.Pact", "closed_by", ("title", "closed_at")),
    _history("pact_status_changes", "charter.PactStatusChange", (), "pact=pact__title"),
    Part("pact_signatories_added", "charter.Signatory", "added_by", (
        "pact=pact__title", "organisation_name", "added_at",
    )),
    Part("document_renders_retried", "charter.DocumentJob", "retried_by", ("kind", "retried_at")),
    Part("admin_actions", "admin.LogEntry", "user", (
        "action_time", "content_type=content_type__model", "object_id", "action_flag", "change_message",
    )),
)

REGISTRATION_FIELDS = (
    "event=event__title", "event_starts_at=event__starts_at", "name", "email", "organisation_name", "status",
    "privacy_consent_at", "registered_at", "promoted_at", "cancelled_at",
)


def personal_data(user, *, now=None):
    """Everything the portal holds about `user`, as plain JSON-ready data."""
    return {
        "about": {
            "portal": settings.PORTAL_NAME,
            "ambito": settings.PORTAL_AMBITO_NAME,
            "controller": settings.PRIVACY_CONTROLLER_NAME,
            "generated_at": (now or timezone.now()).isoformat(),
        },
        "account": {
            "id": user.pk, "email": user.email, "full_name": user.full_name, "date_joined": user.date_joined,
            "last_login": user.last_login, "is_staff": user.is_staff,
        },
        **{part.key: part.rows(user) for part in PARTS},
        "event_registrations": _values(own_registrations(user), REGISTRATION_FIELDS),
    }


def json_document(user):
    """The file: indented UTF-8 JSON."""
    return json.dumps(personal_data(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def file_name(user, *, today=None):
    return f"dati-personali-{(today or timezone.localdate()).isoformat()}.json"

