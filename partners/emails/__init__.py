"""One function per notification; bodies are templates under templates/partners/email/.
Each module lists its public functions in `__all__`."""

from .organisations import *  # noqa: F401,F403
