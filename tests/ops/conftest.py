"""Fault injection for the operational tests: the shared cache swapped for one that fails."""

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import caches
from pytest_django import Settings

from kernel import ratelimit, routers
from tests.api.conftest import ENDPOINTS, GraphQLClient, GraphQLResponse, client_maker
from tests.ops.faults import FaultyCache


@pytest.fixture(autouse=True)
def _fallback_state_reset() -> Iterator[None]:
    """Per-process fallback counts and the circuit breaker must not leak between tests."""
    ratelimit.reset_fallback()
    routers._primary_until = 0.0
    FaultyCache.mode, FaultyCache.calls = "ok", 0
    yield
    ratelimit.reset_fallback()
    routers._primary_until = 0.0
    FaultyCache.mode, FaultyCache.calls = "ok", 0


@pytest.fixture
def faulty_cache(settings: Settings) -> type[FaultyCache]:
    """The shared cache, replaced by ``FaultyCache``; set its ``mode`` to break it."""
    settings.CACHES = {"default": {"BACKEND": "tests.ops.faults.FaultyCache", "LOCATION": "ops-faulty"}}
    caches["default"].clear()
    return FaultyCache


@pytest.fixture(params=sorted(ENDPOINTS))
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def gql(engine: str, db: None) -> Callable[..., GraphQLClient]:
    """``gql(user)``: a client of the current engine (None: anonymous), as in tests/api."""
    return client_maker(ENDPOINTS[engine])


def answer(response: Any) -> GraphQLResponse:
    """A raw test-client response as JSON, failing loudly when it is not JSON."""
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return GraphQLResponse(status=response.status_code, body=json.loads(response.content))


def post(client: GraphQLClient, query: str, variables: dict[str, Any] | None = None) -> Any:
    """The raw response (headers included) of one GraphQL POST."""
    return client.http.post(
        client.endpoint,
        data=json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
        headers=client._credentials(),
    )
