"""One function per notification; bodies are templates under templates/charter/email/.
Each module lists its public functions in `__all__`."""

from .documents import *  # noqa: F401,F403
from .pacts import *  # noqa: F401,F403
