"""Forms of the Carta pages: opening a draft, its texts, the projects it lists and their order,
the note recorded with approval and publication, and the choice of two versions to compare.
Validation only: charter.services check the version's status and the actor's rights again."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from projects.models import Proposal
from welfare_portal.fields import NOTE_LENGTH

from ..models import CharterVersion

__all__ = [
    "DraftOpenForm", "DraftTextsForm", "MoveProjectForm", "MoveThemeForm", "ProposalChoiceForm",
    "StatusNoteForm", "VersionCompareForm", "grouped_order",
]

UP, DOWN = "up", "down"
DIRECTIONS = [(UP, _("Up")), (DOWN, _("Down"))]


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    return helper


class DraftOpenForm(forms.Form):
    """Where the new draft starts from: the latest version's texts and projects, or the seed's
    texts and no project."""

    COPY, BLANK = "copy", "blank"

    start_from = forms.ChoiceField(
        label=_("Start from"), widget=forms.RadioSelect, initial=COPY,
        choices=[
            (COPY, _("A copy of the latest version (its texts and its projects still approved)")),
            (BLANK, _("The default texts, with no project")),
        ],
    )

    def __init__(self, *args, has_versions=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_versions:
            # Nothing to copy yet: the only start is the default texts.
            self.fields["start_from"].choices = self.fields["start_from"].choices[1:]
            self.fields["start_from"].initial = self.BLANK
        self.helper = _helper()

    @property
    def copy_latest(self):
        return self.cleaned_data["start_from"] == self.COPY


class DraftTextsForm(forms.ModelForm):
    class Meta:
        model = CharterVersion
        fields = ["introduction", "principles"]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 12}),
            "principles": forms.Textarea(attrs={"rows": 12}),
        }
        help_texts = {
            "introduction": _("Separate paragraphs with a blank line."),
            "principles": _("Lines starting with “- ” become a bulleted list."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ProposalChoiceForm(forms.Form):
    """A proposal to add to or remove from a draft. Any proposal can be named: whether it may
    be listed (approved, not already there) is the service's to say, with its reason."""

    proposal = forms.ModelChoiceField(
        queryset=Proposal.objects.all(), widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This project does not exist.")},
    )


def grouped_order(items):
    """The draft's items grouped as the Carta shows them: each theme where its first project
    stands, its projects in their order. Returns [(theme id, [items])]."""
    groups = {}
    for item in sorted(items, key=lambda item: (item.position, item.pk)):
        groups.setdefault(item.proposal.theme_id, []).append(item)
    return list(groups.items())


def _swap(sequence, index, direction):
    other = index - 1 if direction == UP else index + 1
    if 0 <= other < len(sequence):
        sequence[index], sequence[other] = sequence[other], sequence[index]


def _flatten(groups):
    return [item.proposal_id for _theme, group in groups for item in group]


class MoveProjectForm(forms.Form):
    """Move a project one place up or down among the projects of its theme."""

    proposal = forms.IntegerField(widget=forms.HiddenInput)
    direction = forms.ChoiceField(choices=DIRECTIONS, widget=forms.HiddenInput)

    def new_order(self, items):
        """Every proposal id of the draft in the new order, or None when the project is not
        in the draft."""
        groups = grouped_order(items)
        for _theme, group in groups:
            ids = [item.proposal_id for item in group]
            if self.cleaned_data["proposal"] in ids:
                _swap(group, ids.index(self.cleaned_data["proposal"]), self.cleaned_data["direction"])
                return _flatten(groups)
        return None


class MoveThemeForm(forms.Form):
    """Move a theme, with all its projects, one place up or down in the Carta."""

    theme = forms.IntegerField(widget=forms.HiddenInput)
    direction = forms.ChoiceField(choices=DIRECTIONS, widget=forms.HiddenInput)

    def new_order(self, items):
        groups = grouped_order(items)
        themes = [theme for theme, _group in groups]
        if self.cleaned_data["theme"] not in themes:
            return None
        _swap(groups, themes.index(self.cleaned_data["theme"]), self.cleaned_data["direction"])
        return _flatten(groups)


class StatusNoteForm(forms.Form):
    """The optional note kept in the version's history with approval or publication."""

    note = forms.CharField(
        label=_("Note for the history (optional)"), required=False, max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the date and minutes of the steering group's meeting that decided it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, version):
        return _("Version %(number)s (%(status)s)") % {
            "number": version.number, "status": version.get_status_display(),
        }


class VersionCompareForm(forms.Form):
    """Two versions the viewer may see, to be shown side by side."""

    old = VersionChoiceField(label=_("Compare version"), queryset=CharterVersion.objects.none())
    new = VersionChoiceField(label=_("with version"), queryset=CharterVersion.objects.none())

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        versions = list(versions)
        queryset = CharterVersion.objects.filter(pk__in=[version.pk for version in versions]).defer("snapshot")
        for name in ("old", "new"):
            self.fields[name].queryset = queryset
            # The choices come from the list already read: no query per select.
            self.fields[name].choices = [("", "---------")] + [
                (version.pk, self.fields[name].label_from_instance(version)) for version in versions
            ]
        if len(versions) >= 2 and not self.is_bound:
            self.initial = {"old": versions[1].pk, "new": versions[0].pk}
        self.helper = _helper()

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("old") and cleaned_data.get("old") == cleaned_data.get("new"):
            raise forms.ValidationError(_("Choose two different versions."))
        return cleaned_data
