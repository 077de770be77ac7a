"""Browser-test harness (pytest plugin): Debian's Chromium driven by Playwright, and axe.

Filled in by the browser-tests work; see the `browser` marker in pytest.ini.
"""
