"""The feasibility rubric: every steering-group member reads the criteria and their weights;
the coordinator and staff (projects.change_rubric) add, edit and remove criteria, create a new
rubric and activate it. A criterion already used in evaluations keeps its weight and cannot be
removed: the service says so."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import services
from ..forms.review import CriterionForm, RubricForm
from ..models import Criterion, Rubric


def _require(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _save(form, call):
    """Run the service; its refusal or invalid data become the form's errors. True on success."""
    try:
        call()
    except services.ProjectsError as error:
        form.add_error(None, error.message)
    except ValidationError as error:
        form.add_error(None, error)
    else:
        return True
    return False


@login_required
@require_GET
def rubric(request):
    """Every rubric, the active one first, with its criteria, weights as percentages of the
    total, and how many scores use each criterion (those keep their weight). Three queries."""
    _require(request, "projects.view_rubric")
    criteria = Criterion.objects.annotate(score_count=Count("scores")).order_by("order", "pk")
    rubrics = list(Rubric.objects.prefetch_related(Prefetch("criteria", queryset=criteria)))
    for each in rubrics:
        total = sum(criterion.weight for criterion in each.criteria.all())
        each.total_weight = total
        for criterion in each.criteria.all():
            criterion.percent = criterion.weight * 100 / total
    return render(request, "projects/review/rubric.html", {
        "rubrics": rubrics, "can_change": request.user.has_perm("projects.change_rubric"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def rubric_create(request):
    _require(request, "projects.change_rubric")
    form = RubricForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            created = services.create_rubric(by=request.user, **form.cleaned_data)
        except services.ProjectsError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The rubric “%(name)s” has been created: add its criteria, then activate it.") % {
                "name": created.name,
            })
            return redirect("projects:rubric")
    return render(request, "projects/review/rubric_form.html", {"form": form})


@login_required
@require_POST
def rubric_activate(request, pk):
    target = get_object_or_404(Rubric, pk=pk)
    _require(request, "projects.change_rubric", target)
    try:
        services.activate_rubric(target, by=request.user)
    except services.ProjectsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(name)s” is now the rubric new evaluations use.") % {"name": target.name})
    return redirect("projects:rubric")


@login_required
@require_http_methods(["GET", "POST"])
def criterion_create(request, pk):
    target = get_object_or_404(Rubric, pk=pk)
    _require(request, "projects.change_rubric", target)
    form = CriterionForm(request.POST if request.method == "POST" else None, rubric=target)
    if form.is_valid() and _save(form, lambda: services.add_criterion(target, by=request.user, **form.cleaned_data)):
        messages.success(request, _("The criterion “%(name)s” has been added.") % {"name": form.cleaned_data["name"]})
        return redirect("projects:rubric")
    return render(request, "projects/review/criterion_form.html", {"form": form, "rubric": target})


@login_required
@require_http_methods(["GET", "POST"])
def criterion_update(request, pk):
    criterion = get_object_or_404(Criterion.objects.select_related("rubric"), pk=pk)
    _require(request, "projects.change_rubric", criterion.rubric)
    used = criterion.scores.exists()
    data = request.POST if request.method == "POST" else None
    form = CriterionForm(data, instance=criterion, rubric=criterion.rubric)
    if form.is_valid() and _save(
        form, lambda: services.update_criterion(criterion, by=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("The criterion “%(name)s” has been saved.") % {"name": form.cleaned_data["name"]})
        return redirect("projects:rubric")
    return render(request, "projects/review/criterion_form.html", {
        "form": form, "rubric": criterion.rubric, "criterion": criterion, "used": used,
    })


@login_required
@require_http_methods(["GET", "POST"])
def criterion_delete(request, pk):
    """A confirmation page; the POST removes the criterion unless evaluations use it."""
    criterion = get_object_or_404(Criterion.objects.select_related("rubric"), pk=pk)
    _require(request, "projects.change_rubric", criterion.rubric)
    if request.method == "POST":
        try:
            services.delete_criterion(criterion, by=request.user)
        except services.ProjectsError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The criterion “%(name)s” has been removed.") % {"name": criterion.name})
        return redirect("projects:rubric")
    return render(request, "projects/review/criterion_delete.html", {
        "criterion": criterion, "used": criterion.scores.exists(),
    })
