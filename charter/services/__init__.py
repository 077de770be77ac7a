"""Every write with business meaning in the charter app, one module per area: versions of the
Carta, the Patto and its signatories, signing.

Each function locks the row it changes, checks the move against the model's TRANSITIONS and
the actor's right, writes a history row, renders the document the new state needs inside the
same transaction (so its SHA-256 is known before anyone can sign it) and sends its emails once
the transaction commits. Refusals raise CharterError with a message a person can read. Each
module lists its public functions in `__all__`.
"""

from .base import CharterError  # noqa: F401
from .pacts import *  # noqa: F401,F403
from .qualified import *  # noqa: F401,F403
from .signing import *  # noqa: F401,F403
from .versions import *  # noqa: F401,F403
