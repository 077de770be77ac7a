"""The differences between two versions of the Carta, structured for a side-by-side page.

Each text (the introduction, the principles and every text field of a project present in both)
becomes a list of rows `(tag, left line, right line)` from difflib: "equal", "replace",
"delete" (left only) or "insert" (right only). Projects are matched by proposal; those only in
the newer version are added, those only in the older removed, and a project in both is
changed when any of its fields differ. Drafts are compared on their live content.
"""

import difflib
from dataclasses import dataclass, field
from itertools import zip_longest

from django.utils.translation import gettext_lazy as _

from .snapshot import content_of, projects_of

TEXT_FIELDS = {"introduction": _("Introduction"), "principles": _("Principles")}
PROJECT_TEXT_FIELDS = {
    "title": _("Title"), "summary": _("Summary"), "need": _("Need addressed"), "objectives": _("Objectives"),
    "activities": _("Activities"), "rights": _("Rights guaranteed"), "duties": _("Duties asked"),
    "indicators": _("Indicators"),
}
PROJECT_LIST_FIELDS = {
    "co_partners": _("Co-partners"), "target_groups": _("Target groups"), "age_bands": _("Age bands"),
    "municipalities": _("Municipalities"), "policy_areas": _("Policy areas"), "commitments": _("Commitments"),
}
PROJECT_VALUE_FIELDS = {
    "theme": _("Theme"), "lead": _("Lead partner"), "estimated_beneficiaries": _("Estimated beneficiaries"),
    "start_date": _("Start date"), "end_date": _("End date"), "total_value_eur": _("Total value (euro)"),
}


@dataclass
class TextDiff:
    name: str
    label: str
    rows: list

    @property
    def changed(self):
        return any(tag != "equal" for tag, _left, _right in self.rows)


@dataclass
class ProjectDiff:
    proposal_id: int
    title: str
    texts: list = field(default_factory=list)
    values: list = field(default_factory=list)  # (label, old, new) for what is not plain text

    @property
    def changed(self):
        return bool(self.values) or any(text.changed for text in self.texts)


@dataclass
class VersionDiff:
    old_number: int
    new_number: int
    texts: list
    added: list
    removed: list
    changed: list
    moved: bool

    @property
    def has_changes(self):
        return bool(self.added or self.removed or self.changed or self.moved) or any(t.changed for t in self.texts)


def side_by_side(old, new):
    """Rows (tag, left, right) aligning the lines of two texts."""
    left, right = (old or "").splitlines(), (new or "").splitlines()
    rows = []
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(("equal", a, b) for a, b in zip(left[i1:i2], right[j1:j2]))
        elif tag == "replace":
            for a, b in zip_longest(left[i1:i2], right[j1:j2]):
                if a is not None and b is not None:
                    rows.append(("replace", a, b))
                else:
                    rows.append(("delete", a, None) if b is None else ("insert", None, b))
        elif tag == "delete":
            rows.extend(("delete", a, None) for a in left[i1:i2])
        else:
            rows.extend(("insert", None, b) for b in right[j1:j2])
    return rows


def _list_value(name, project):
    values = project[name]
    if name == "co_partners":
        return [o["name"] for o in values]
    if name == "commitments":
        return [
            f'{c["organisation"]}: {c["kind_label"]} {c["quantity"]} {c["unit"]} (€ {c["estimated_value_eur"]})'
            for c in values
        ]
    return list(values)


def _plain_value(name, project):
    value = project[name]
    if name == "theme":
        return value["title"]
    if name == "lead":
        return value["name"]
    return value


def _project_diff(old, new):
    result = ProjectDiff(proposal_id=new["proposal_id"], title=new["title"])
    for name, label in PROJECT_TEXT_FIELDS.items():
        if old[name] != new[name]:
            result.texts.append(TextDiff(name, str(label), side_by_side(old[name], new[name])))
    for name, label in {**PROJECT_VALUE_FIELDS, **PROJECT_LIST_FIELDS}.items():
        getter = _list_value if name in PROJECT_LIST_FIELDS else _plain_value
        before, after = getter(name, old), getter(name, new)
        if before != after:
            result.values.append((str(label), before, after))
    return result


def diff_versions(old_version, new_version):
    """A VersionDiff from `old_version` to `new_version` (any two versions of a Carta)."""
    old, new = content_of(old_version), content_of(new_version)
    texts = [TextDiff(name, str(label), side_by_side(old[name], new[name])) for name, label in TEXT_FIELDS.items()]
    old_projects = {p["proposal_id"]: p for p in projects_of(old)}
    new_projects = {p["proposal_id"]: p for p in projects_of(new)}
    added = [p for pid, p in new_projects.items() if pid not in old_projects]
    removed = [p for pid, p in old_projects.items() if pid not in new_projects]
    changed = []
    for pid, project in new_projects.items():
        if pid in old_projects:
            project_diff = _project_diff(old_projects[pid], project)
            if project_diff.changed:
                changed.append(project_diff)
    common_old = [pid for pid in old_projects if pid in new_projects]
    common_new = [pid for pid in new_projects if pid in old_projects]
    return VersionDiff(
        old_number=old_version.number, new_number=new_version.number, texts=texts,
        added=added, removed=removed, changed=changed, moved=common_old != common_new,
    )
