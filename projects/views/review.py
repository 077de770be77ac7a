"""The steering group's review of proposals: the queue, the feasibility evaluation (scores or a
declared conflict of interest), and the moves the group makes (start the evaluation, request
changes, decide).

Who may open a page is checked here (404 when the proposal is not visible at all, 403 when it
is but the role does not allow the page). A move asks its permission; when the role would
allow it but the proposal's status does not, the service's reason is shown instead, and the
services check everything again when they act. Who may read the evaluations
(`projects.view_evaluation`: nobody in conflict of interest) is asked for each proposal, and the
lists hide the scores of the others in the database too.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partners.rules import is_steering_member
from welfare_portal.fragments import filter_form_html
from welfare_portal.pagination import paginate

from .. import services
from ..conflicts import conflicting_organisations
from ..filters.review import ReviewQueueFilter
from ..forms.review import ChangesRequestForm, ConflictForm, DecisionForm, EvaluationForm
from ..models import Evaluation, Proposal, ProposalPartner, Rubric, Score
from ..rules import coordinator_or_staff, steering_or_staff

Status = Proposal.Status


def _require(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _move_refused(request, proposal, perm, role, to_status):
    """None when the user may make the move now (`perm`). When their role (the predicate
    `role`: steering group, coordinator, staff) would allow it but the proposal's status or
    their conflict of interest does not, the service's reason and back to the evaluation page;
    403 for everyone else."""
    if request.user.has_perm(perm, proposal):
        return None
    if not role.test(request.user):
        raise PermissionDenied
    messages.error(request, (
        services.move_refusal(proposal, to_status)
        or services.conflict_refusal(request.user, proposal)
        or _("You are not allowed to do this.")
    ))
    return _to_evaluation(proposal)


def _reviewed_proposals(viewer):
    return (
        Proposal.objects.select_related("lead_organisation", "theme", "focus_group", "decided_by")
        .prefetch_related(
            "municipalities",
            Prefetch("partners", queryset=ProposalPartner.objects.select_related("organisation")),
        )
        .with_weighted_score(viewer)
        .with_commitment_totals()
    )


def _visible_proposal(request, pk):
    """The proposal, or 404 for whoever may not see it (a partner of another organisation, an
    ex-member of the steering group, anyone before it is submitted)."""
    proposal = get_object_or_404(_reviewed_proposals(request.user), pk=pk)
    if not request.user.has_perm("projects.view_proposal", proposal):
        raise Http404
    return proposal


def _posted(request):
    """The POST data, even when empty (an empty POST still has to show the form's errors)."""
    return request.POST if request.method == "POST" else None


def _to_evaluation(proposal):
    return redirect("projects:proposal-evaluate", proposal.pk)


# The queue

# Long texts the queue never shows: every submitted proposal is sorted before a page is cut, so
# leaving them out keeps the rows the database sorts narrow.
QUEUE_UNSHOWN = [
    "summary", "need", "objectives", "activities", "rights", "duties", "indicators", "changes_requested_note",
    "decision_motivation", "lead_organisation__description", "theme__description",
]


def _with_my_work(queryset, user):
    """Whether the user has scored each proposal or declared a conflict, as two subqueries."""
    mine = Evaluation.objects.filter(proposal=OuterRef("pk"), evaluator=user)
    return queryset.annotate(
        scored_by_me=Exists(mine.filter(submitted_at__isnull=False, conflict_declared=False)),
        conflict_by_me=Exists(mine.filter(conflict_declared=True)),
    )


def _page_of_rows(request, queryset):
    """The page, found by sorting ids only, then its rows read in full: the database sorts every
    submitted proposal (8,000 of 10,000) without joining their partners and themes, and joins
    only the twenty it shows."""
    page = paginate(request, queryset.values_list("pk", flat=True))
    ids = list(page.object_list)
    rows = {proposal.pk: proposal for proposal in queryset.filter(pk__in=ids)}
    page.object_list = [rows[pk] for pk in ids]
    return page


@login_required
@require_GET
def review_queue(request):
    """Every proposal that has reached the steering group, best scored first; the same
    number of queries however long the list (the prefetches of `review_queue()` are for lists
    that show more, so they are dropped)."""
    _require(request, "projects.view_review_queue")
    queryset = _with_my_work(
        Proposal.objects.review_queue(request.user).prefetch_related(None).defer(*QUEUE_UNSHOWN), request.user,
    )
    queue_filter = ReviewQueueFilter(request.GET, queryset=queryset)
    page = _page_of_rows(request, queue_filter.qs)
    filtered = any(value for key, value in request.GET.items() if key not in ("page", "sort"))
    return render(request, "projects/review/queue.html", {
        "filter": queue_filter,
        "filter_form_html": filter_form_html(
            request, queue_filter, "projects/review/_queue_filters.html", {"filtered": filtered},
            ("theme", "status", "municipality", "sort"),
        ),
        "page": page,
        "filtered": filtered,
        "can_view_rubric": request.user.has_perm("projects.view_rubric"),
    })


# The evaluation page


def _evaluations(proposal):
    scores = Score.objects.select_related("criterion").order_by("criterion__order", "criterion__pk")
    return list(
        proposal.evaluations.filter(Q(submitted_at__isnull=False) | Q(conflict_declared=True))
        .select_related("evaluator")
        .prefetch_related(Prefetch("scores", queryset=scores))
        .order_by("conflict_declared", "submitted_at", "conflict_declared_at", "pk")
    )


def _render_evaluation(request, proposal, form=None, status=200):
    user = request.user
    rubric = Rubric.objects.active().prefetch_related("criteria").first()
    mine = Evaluation.objects.filter(proposal=proposal, evaluator=user).prefetch_related("scores").first()
    steering = is_steering_member(user)
    conflicts = list(conflicting_organisations(user, proposal)) if steering else []
    declared = mine is not None and mine.conflict_declared
    can_score = rubric is not None and user.has_perm("projects.evaluate_proposal", proposal)
    if can_score and form is None:
        form = EvaluationForm(rubric=rubric, evaluation=mine if mine and mine.submitted_at else None)
    can_view_evaluation = user.has_perm("projects.view_evaluation", proposal)
    evaluations = _evaluations(proposal) if can_view_evaluation else []
    return render(request, "projects/review/evaluate.html", {
        "proposal": proposal,
        "rubric": rubric,
        "form": form if can_score else None,
        "my_evaluation": mine,
        "is_steering_member": steering,
        "conflicts": conflicts,
        "conflict_declared": declared,
        "can_declare_conflict": user.has_perm("projects.declare_conflict_proposal", proposal),
        "can_view_evaluation": can_view_evaluation,
        "scored": [e for e in evaluations if not e.conflict_declared],
        "conflicted": [e for e in evaluations if e.conflict_declared],
        "history": proposal.status_changes.select_related("changed_by").order_by("-changed_at", "-pk"),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_evaluate(request, pk):
    """The proposal's key content, the rubric and the evaluator's scores; below, the weighted
    average and everybody's evaluations (for whoever may read them). Scoring again replaces
    one's earlier scores."""
    proposal = _visible_proposal(request, pk)
    _require(request, "projects.review_proposal", proposal)
    if request.method == "GET":
        return _render_evaluation(request, proposal)
    form = EvaluationForm(request.POST, rubric=Rubric.objects.active().prefetch_related("criteria").first())
    if not form.is_valid():
        return _render_evaluation(request, proposal, form=form)
    try:
        services.submit_evaluation(
            proposal, by=request.user, scores=form.scores(), comment=form.cleaned_data["comment"]
        )
    except services.ProjectsError as error:
        messages.error(request, error.message)
        return _to_evaluation(proposal)
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return _render_evaluation(request, proposal, form=form)
    messages.success(request, _("Your evaluation of “%(title)s” has been saved.") % {"title": proposal.title})
    return _to_evaluation(proposal)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_declare_conflict(request, pk):
    """A confirmation page (what declaring means, an optional reason); the POST records the
    conflict and removes any score the member gave."""
    proposal = _visible_proposal(request, pk)
    _require(request, "projects.review_proposal", proposal)
    form = ConflictForm(_posted(request))
    if form.is_valid():
        try:
            services.declare_conflict(proposal, by=request.user, note=form.cleaned_data["note"])
        except services.ProjectsError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Your conflict of interest has been recorded: you will not score this proposal.")
            )
        return _to_evaluation(proposal)
    return render(request, "projects/review/declare_conflict.html", {
        "proposal": proposal,
        "form": form,
        "conflicts": conflicting_organisations(request.user, proposal),
    })


# The steering group's moves


@login_required
@require_POST
def proposal_start_evaluation(request, pk):
    proposal = _visible_proposal(request, pk)
    refusal = _move_refused(
        request, proposal, "projects.start_evaluation_proposal", steering_or_staff, Status.IN_EVALUATION
    )
    if refusal:
        return refusal
    try:
        services.start_evaluation(proposal, by=request.user)
    except services.ProjectsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The evaluation of “%(title)s” has started: the steering group can score it.") % {
            "title": proposal.title,
        })
    return _to_evaluation(proposal)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_request_changes(request, pk):
    """The coordinator (or staff) sends the proposal back to the lead with what to change."""
    proposal = _visible_proposal(request, pk)
    refusal = _move_refused(
        request, proposal, "projects.request_changes_proposal", coordinator_or_staff, Status.CHANGES_REQUESTED
    )
    if refusal:
        return refusal
    form = ChangesRequestForm(_posted(request))
    if form.is_valid():
        try:
            services.request_changes(proposal, by=request.user, motivation=form.cleaned_data["motivation"])
        except services.ProjectsError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The lead partner has been asked for changes and notified by email."))
        return _to_evaluation(proposal)
    return render(request, "projects/review/request_changes.html", {"proposal": proposal, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def proposal_decide(request, pk):
    """The decision in two steps: the form, then a page that shows what will be recorded and
    says it is final. A second decision (another tab, another coordinator) is refused by the
    service, which locks the proposal."""
    proposal = _visible_proposal(request, pk)
    refusal = _move_refused(request, proposal, "projects.decide_proposal", coordinator_or_staff, Status.APPROVED)
    if refusal:
        return refusal
    form = DecisionForm(_posted(request))
    context = {"proposal": proposal, "form": form}
    if not form.is_valid() or form.editing:
        return render(request, "projects/review/decide.html", context)
    if not form.confirmed:
        return render(request, "projects/review/decide_confirm.html", context)
    decision = form.cleaned_data["decision"]
    try:
        services.decide_proposal(
            proposal, by=request.user, decision=decision, motivation=form.cleaned_data["motivation"]
        )
    except services.ProjectsError as error:
        messages.error(request, error.message)
    else:
        if decision == Status.APPROVED:
            message = _("“%(title)s” has been approved; the partners have been notified.")
        else:
            message = _("“%(title)s” has been rejected; the partners have been notified.")
        messages.success(request, message % {"title": proposal.title})
    return _to_evaluation(proposal)
