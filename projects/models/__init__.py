"""The projects app's models, one module per area."""

from .evaluations import MAX_SCORE, MIN_SCORE, Criterion, Evaluation, Rubric, Score  # noqa: F401
from .focus_groups import Attendance, FocusGroup, FocusGroupMembership, Meeting, validate_http_url  # noqa: F401
from .partnership import Commitment, CommitmentKind, CommitmentQuerySet, ProposalPartner  # noqa: F401
from .proposals import (  # noqa: F401
    Attachment,
    Proposal,
    ProposalQuerySet,
    ProposalStatusChange,
    attachment_upload_to,
)
from .themes import Theme, ThemeQuerySet  # noqa: F401
from .timeline import Milestone, MilestoneQuerySet, MilestoneStatus, Phase  # noqa: F401
