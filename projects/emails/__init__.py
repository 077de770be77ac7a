"""One function per notification; bodies are templates under templates/projects/email/.
Each module lists its public functions in `__all__`."""

from .focus_groups import *  # noqa: F401,F403
from .proposals import *  # noqa: F401,F403
