"""Fixtures of the route tests: the API tests' world and a credential of every kind."""

from tests.api.conftest import _world_of_the_module, world  # noqa: F401  (fixtures)
from tests.routes.credentials import credentials  # noqa: F401  (fixture)
