"""Staff pages for proposals: read-only records, with the steering group's moves as actions
that call the services (staff act as the Ufficio di Piano; every move is in the history).
Staff see here the proposals they see on the portal: those submitted at least once."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import services
from ..conflicts import without_conflicts
from ..models import Attachment, Commitment, Evaluation, Proposal, ProposalPartner, ProposalStatusChange
from .base import MotivationActionForm, ReadOnlyInline, run_service


class ProposalPartnerInline(ReadOnlyInline):
    model = ProposalPartner
    fields = ["organisation", "status", "invited_at", "invited_by", "decided_at", "decided_by"]
    readonly_fields = fields


class CommitmentInline(ReadOnlyInline):
    model = Commitment
    fields = ["organisation", "kind", "quantity", "unit", "estimated_value_eur", "description"]
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["original_name", "content_type", "size", "uploaded_at", "uploaded_by"]
    readonly_fields = fields


class EvaluationInline(ReadOnlyInline):
    model = Evaluation
    fields = ["evaluator", "submitted_at", "conflict_declared", "conflict_note", "comment"]
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        """Nobody in conflict of interest with a proposal reads its evaluations, here either."""
        return without_conflicts(super().get_queryset(request), request.user)

    def has_view_permission(self, request, obj=None):
        # Without a proposal Django asks whether the inline's rows may be read at all.
        if obj is None:
            return request.user.has_perm("projects.view_review_queue")
        return request.user.has_perm("projects.view_evaluation", obj)


class ProposalStatusChangeInline(ReadOnlyInline):
    model = ProposalStatusChange
    fields = ["changed_at", "from_status", "to_status", "changed_by", "note"]
    readonly_fields = fields


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "lead_organisation", "theme", "status", "submitted_at", "updated_at"]
    list_filter = ["status", "theme", "municipalities", "policy_areas"]
    search_fields = ["title", "summary", "lead_organisation__name"]
    list_select_related = ["lead_organisation", "theme"]
    inlines = [
        ProposalPartnerInline, CommitmentInline, AttachmentInline, EvaluationInline, ProposalStatusChangeInline,
    ]
    action_form = MotivationActionForm
    actions = ["start_evaluation_selected", "request_changes_selected", "approve_selected", "reject_selected"]

    def has_add_permission(self, request):
        # Proposals are written by members of the lead organisation, through the services.
        return False

    def has_view_permission(self, request, obj=None):
        """The list is the steering group's review queue; a proposal, whoever may see it on the
        portal (a draft belongs to its lead partner, staff included)."""
        if obj is None:
            return request.user.has_perm("projects.view_review_queue")
        return request.user.has_perm("projects.view_proposal", obj)

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def get_readonly_fields(self, request, obj=None):
        # The content belongs to the lead partner: staff read it here and act through actions.
        meta = self.model._meta
        return [f.name for f in meta.fields if not f.primary_key] + [f.name for f in meta.many_to_many]

    @admin.action(description=_("Start the evaluation of selected proposals"))
    def start_evaluation_selected(self, request, queryset):
        run_service(
            self, request, queryset,
            lambda proposal: services.start_evaluation(proposal, by=request.user),
            lambda n: ngettext("%(count)d proposal in evaluation.", "%(count)d proposals in evaluation.", n)
            % {"count": n},
        )

    @admin.action(description=_("Request changes to selected proposals (give the motivation)"))
    def request_changes_selected(self, request, queryset):
        motivation = request.POST.get("motivation", "")
        run_service(
            self, request, queryset,
            lambda proposal: services.request_changes(proposal, by=request.user, motivation=motivation),
            lambda n: ngettext(
                "Changes requested to %(count)d proposal.", "Changes requested to %(count)d proposals.", n
            ) % {"count": n},
        )

    @admin.action(description=_("Approve selected proposals (give the motivation)"))
    def approve_selected(self, request, queryset):
        motivation = request.POST.get("motivation", "")
        run_service(
            self, request, queryset,
            lambda proposal: services.decide_proposal(
                proposal, by=request.user, decision=Proposal.Status.APPROVED, motivation=motivation,
            ),
            lambda n: ngettext("%(count)d proposal approved.", "%(count)d proposals approved.", n) % {"count": n},
        )

    @admin.action(description=_("Reject selected proposals (give the motivation)"))
    def reject_selected(self, request, queryset):
        motivation = request.POST.get("motivation", "")
        run_service(
            self, request, queryset,
            lambda proposal: services.decide_proposal(
                proposal, by=request.user, decision=Proposal.Status.REJECTED, motivation=motivation,
            ),
            lambda n: ngettext("%(count)d proposal rejected.", "%(count)d proposals rejected.", n) % {"count": n},
        )
