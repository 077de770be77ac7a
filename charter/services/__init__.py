"""Every write with business meaning in the charter app, one module per area: versions of the
Carta, the Patto and its signatories, signing.

Each function locks the row it changes, checks the move against the model's TRANSITIONS and
the actor's right, writes a history row, records in the same transaction the document the new
state needs (charter.documents.owe_document: rendered in the background after the commit; nobody
signs before its SHA-256 is known) and sends its emails once the transaction commits. Refusals raise CharterError with a message a person can read. Each
module lists its public functions in `__all__`.
"""

from .base import CharterError  # noqa: F401
from .documents import *  # noqa: F401,F403
from .pacts import *  # noqa: F401,F403
from .qualified import *  # noqa: F401,F403
from .signing import *  # noqa: F401,F403
from .versions import *  # noqa: F401,F403
