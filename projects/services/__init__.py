"""Every write with business meaning in the projects app, one module per area.

Each function locks the row it changes, checks the move against the model's TRANSITIONS and
the actor's right, writes a history row and sends its emails once the transaction commits.
Refusals raise ProjectsError with a message a person can read; invalid data raises Django's
ValidationError keyed by field, as a form would. Each module lists its public functions in
`__all__`.
"""

from .base import ProjectsError  # noqa: F401
from .evaluations import *  # noqa: F401,F403
from .focus_groups import *  # noqa: F401,F403
from .lifecycle import *  # noqa: F401,F403
from .partnership import *  # noqa: F401,F403
from .proposals import *  # noqa: F401,F403
from .themes import *  # noqa: F401,F403
