"""Every write with business meaning in the partners app, one module per area.

Each function locks the row it changes, checks the move against the model's TRANSITIONS and
the actor's right, writes a history row and sends its emails once the transaction commits.
Each module lists its public functions in `__all__`.
"""

from .base import PartnersError  # noqa: F401
from .events import *  # noqa: F401,F403
from .organisations import *  # noqa: F401,F403
from .outreach import *  # noqa: F401,F403
from .steering import *  # noqa: F401,F403
