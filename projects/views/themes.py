"""Themes (tematiche): the public list and page, with the call window and the focus groups the
viewer may open; the steering group and staff create and edit them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from welfare_portal.pagination import paginate

from .. import services
from ..filters.themes import ThemeFilter
from ..forms.themes import ThemeForm
from ..models import Theme
from .focus_groups import focus_groups_visible_to

THEMES_PER_PAGE = 20


def _require_perm(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


@require_GET
def theme_list(request):
    """Every theme, the latest call first: the partnership's public agenda."""
    _require_perm(request, "projects.view_theme")
    themes = Theme.objects.prefetch_related("policy_areas").order_by("-call_opens_at", "title", "pk")
    theme_filter = ThemeFilter(request.GET or None, queryset=themes)
    page = paginate(request, theme_filter.qs, per_page=THEMES_PER_PAGE)
    return render(request, "projects/themes/theme_list.html", {
        "filter": theme_filter, "page": page, "now": timezone.now(),
        "is_filtered": any(request.GET.get(name) for name in theme_filter.filters),
        "can_add": request.user.has_perm("projects.add_theme"),
    })


@require_GET
def theme_detail(request, pk):
    theme = get_object_or_404(Theme.objects.prefetch_related("policy_areas"), pk=pk)
    _require_perm(request, "projects.view_theme", theme)
    user = request.user
    focus_groups = focus_groups_visible_to(user).filter(theme=theme).order_by("title", "pk")
    return render(request, "projects/themes/theme_detail.html", {
        "theme": theme, "now": timezone.now(),
        "focus_groups": focus_groups,
        "call_open": theme.is_call_open(),
        "can_change": user.has_perm("projects.change_theme", theme),
        "can_add_focus_group": user.has_perm("projects.add_focusgroup"),
    })


def _save_theme(request, form, theme=None):
    """Create or update through the service; None when the form has to be shown again."""
    try:
        if theme is None:
            return services.create_theme(by=request.user, **form.cleaned_data)
        return services.update_theme(theme, by=request.user, **form.cleaned_data)
    except services.ProjectsError as error:
        form.add_error(None, error.message)
    except ValidationError as error:
        form.add_error(None, error)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def theme_create(request):
    _require_perm(request, "projects.add_theme")
    form = ThemeForm(request.POST or None)
    if form.is_valid() and (theme := _save_theme(request, form)):
        messages.success(request, _("The theme “%(title)s” has been created.") % {"title": theme.title})
        return redirect("projects:theme-detail", pk=theme.pk)
    return render(request, "projects/themes/theme_form.html", {"form": form, "theme": None})


@login_required
@require_http_methods(["GET", "POST"])
def theme_update(request, pk):
    theme = get_object_or_404(Theme, pk=pk)
    _require_perm(request, "projects.change_theme", theme)
    title = theme.title  # validating the form writes into `theme`
    form = ThemeForm(request.POST or None, instance=theme)
    if form.is_valid() and _save_theme(request, form, theme):
        messages.success(request, _("The theme has been saved."))
        return redirect("projects:theme-detail", pk=theme.pk)
    return render(request, "projects/themes/theme_form.html", {"form": form, "theme": theme, "title": title})
