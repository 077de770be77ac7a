"""One function per notification; bodies are templates under templates/partners/email/.
Each module lists its public functions in `__all__`."""

from .events import *  # noqa: F401,F403
from .organisations import *  # noqa: F401,F403
from .outreach import *  # noqa: F401,F403
from .steering import *  # noqa: F401,F403
