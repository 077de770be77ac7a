"""The benchmark behind `manage.py bench` (`make bench`): a large dataset (dataset.py), page
latencies through the test client (pages.py) and a load run over real HTTP (load.py)."""


class BenchmarkError(Exception):
    """The benchmark cannot go on or would measure the wrong thing; the message says why."""
