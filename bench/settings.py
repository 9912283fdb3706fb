"""Settings of a bench run: the project's own settings (so the engines, middleware and database
options are exactly those that ship), plus the baseline views' URLs and budgets large enough
that a benchmark measures throughput rather than its own rate limiting.

``DATABASE_URL`` is chosen by ``bench.cli`` before this module is imported.
"""

from backend import settings as _project
from backend.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
# The throttles and budgets still run on every request (their cost is measured); they are only
# raised so that thousands of requests a minute from one account are not refused.
GRAPHQL_HOURLY_BUDGET_USER = 10**12
GRAPHQL_HOURLY_BUDGET_IP = 10**12
GRAPHQL_MUTATION_THROTTLES = {
    name: (10**9, per_seconds) for name, (_, per_seconds) in getattr(_project, "GRAPHQL_MUTATION_THROTTLES", {}).items()
}
# Bench accounts are created in bulk and signed in with forced sessions: hashing is not measured.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
}
