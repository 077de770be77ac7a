"""The Carta's content as HTML, in parts, kept in the cache once a version is frozen.

A Carta of 200 projects is 1.2 MB of HTML in one page: too much for a citizen on a phone and
for the server under load. So a version reads as a summary (texts, themes with their projects
listed, resources per theme and municipality), one page per project, and one page of partners
with what each put into the network. Every part of a frozen snapshot (approved, published,
superseded) reads the same for everyone, so it is rendered once per version, part and
language and kept; a draft's live content is rendered on each view. The key includes a
fingerprint of the templates that draw the content, so a deploy that changes them never
serves the old layout.

Links between the parts are relative (`progetti/12/`, `../13/`), so the same HTML serves the
public Carta (/carta/) and the page of each version (/carta/versioni/5/).
"""

import hashlib
from functools import cache as once
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .resources import resources_summary
from .snapshot import content_of, projects_of

SUMMARY = "summary"
PARTNERS = "partners"
TEMPLATES = {
    SUMMARY: "charter/versions/_content.html",
    PARTNERS: "charter/versions/_partners.html",
    "project": "charter/versions/_project_page.html",
}
# Kept for a week; a cache miss only costs one rendering.
TIMEOUT_SECONDS = 7 * 24 * 3600


@once
def _templates_fingerprint():
    """A short hash of the content templates and of the template tags they use."""
    sources = sorted((Path(settings.BASE_DIR) / "templates" / "charter" / "versions").glob("_*.html"))
    sources.append(Path(__file__).resolve().parent / "templatetags" / "charter_pdf.py")
    digest = hashlib.sha256()
    for path in sources:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def project_part(proposal_id):
    return f"project-{int(proposal_id)}"


def _project_context(content, proposal_id):
    """The project, its theme and its neighbours in the Carta's order; None when the version
    does not list it."""
    projects = projects_of(content)
    themes = {project["proposal_id"]: theme for theme in content["themes"] for project in theme["projects"]}
    for index, project in enumerate(projects):
        if project["proposal_id"] == proposal_id:
            return {
                "project": project, "theme": themes[proposal_id], "position": index + 1, "count": len(projects),
                "previous": projects[index - 1] if index else None,
                "next": projects[index + 1] if index + 1 < len(projects) else None,
            }
    return None


def _render(version, part):
    """The part's HTML, or "" for a project the version does not list."""
    content = content_of(version)
    if part.startswith("project-"):
        context = _project_context(content, int(part.removeprefix("project-")))
        return render_to_string(TEMPLATES["project"], context) if context else ""
    return render_to_string(TEMPLATES[part], {"content": content, "summary": resources_summary(content)})


def content_html(version, part=SUMMARY):
    """A part of the content of `version` as HTML, in the active language: SUMMARY, PARTNERS or
    `project_part(proposal_id)`; "" for a project the version does not list."""
    if version.approved_at is None:  # a draft: its live content (approval freezes the snapshot)
        html = _render(version, part)
    else:
        key = "charter:content:{pk}:{approved}:{part}:{language}:{templates}".format(
            pk=version.pk, approved=int(version.approved_at.timestamp()), part=part, language=get_language(),
            templates=_templates_fingerprint(),
        )
        html = cache.get(key)
        if html is None:
            html = str(_render(version, part))
            cache.set(key, html, TIMEOUT_SECONDS)
    # Rendered by our templates, which escape every user-written value.
    return mark_safe(html)
