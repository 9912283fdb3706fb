"""Fixtures of the route tests: the API tests' world and a credential of every kind."""

from tests.api.conftest import world  # noqa: F401  (fixture)
from tests.routes.credentials import credentials  # noqa: F401  (fixture)
