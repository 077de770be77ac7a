"""Check, before installing, that this machine has what the portal needs outside Python.

Runs with the system Python and nothing but the standard library, so that a newcomer hears
what is missing in one clear message instead of a traceback deep inside an install.
"""

import ctypes.util
import sys

problems = []

if sys.version_info < (3, 11):
    problems.append(
        f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}. "
        "On Debian/Ubuntu: sudo apt-get install python3 (or use pyenv)."
    )

try:
    import ensurepip  # noqa: F401
    import venv  # noqa: F401
except ImportError:
    problems.append("Python's venv module is missing. On Debian/Ubuntu: sudo apt-get install python3-venv")

# WeasyPrint renders the Carta and the Patto as PDF through Pango.
for library, package in (("pango-1.0", "libpango-1.0-0"), ("pangoft2-1.0", "libpangoft2-1.0-0")):
    if ctypes.util.find_library(library) is None:
        problems.append(
            f"The system library {library} (needed by WeasyPrint for PDFs) is missing. "
            f"On Debian/Ubuntu: sudo apt-get install {package}"
        )

if problems:
    print("The portal cannot be installed on this machine yet:", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    sys.exit(1)
