"""/metrics: django-prometheus's series and the service's own, for allowed addresses only, and
the GraphQL counters moving with each request on both engines."""

import json
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test import Client, RequestFactory
from prometheus_client import REGISTRY
from pytest_django import Settings

from api.observability import GraphQLMetricsMiddleware, OperationNames, outcome_of
from tests.factories import make_user

ENDPOINTS = {"strawberry": "/graphql/", "graphene": "/graphql/graphene/"}


def _requests(engine: str, outcome: str, operation: str = "anonymous") -> float:
    labels = {"operation": operation, "engine": engine, "outcome": outcome}
    return REGISTRY.get_sample_value("graphql_requests_total", labels) or 0.0


def _latency_count(engine: str) -> float:
    return REGISTRY.get_sample_value("graphql_request_seconds_count", {"engine": engine}) or 0.0


def _post(path: str, query: str, client: Client | None = None) -> Any:
    return (client or Client()).post(path, data=json.dumps({"query": query}), content_type="application/json")


# Who may read it ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_metrics_render_both_families_for_an_allowed_address() -> None:
    """Given a GraphQL request, when localhost (the default allow-list) reads /metrics, then it
    gets Prometheus text with django-prometheus's series and the service's own."""
    _post("/graphql/", "{ __typename }")

    response = Client().get("/metrics")

    text = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "django_http_requests_total_by_method_total" in text
    assert 'graphql_requests_total{engine="strawberry",operation="anonymous",outcome="ok"}' in text
    assert 'graphql_request_seconds_bucket{engine="strawberry"' in text
    for family in ("rate_limit_refusals_total", "cache_fallbacks_total"):
        assert f"# TYPE {family} counter" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("allowed", "remote", "forwarded", "hops", "status"),
    [
        (["127.0.0.1"], "203.0.113.9", "", 0, 404),  # anyone else
        ([], "127.0.0.1", "", 0, 404),  # an empty list turns it off
        (["10.0.0.0/8"], "10.1.2.3", "", 0, 200),  # networks
        (["not-an-address"], "127.0.0.1", "", 0, 404),  # a bad entry admits no one
        (["127.0.0.1"], "127.0.0.1", "203.0.113.9", 1, 404),  # a local proxy does not pass for its clients
        (["127.0.0.1"], "127.0.0.1", "127.0.0.1, 203.0.113.9", 1, 404),  # nor does a forged entry
        (["127.0.0.1"], "127.0.0.1", "", 1, 200),  # a scraper beside the proxy, straight to the app
    ],
)
def test_metrics_answer_allowed_addresses_only(
    settings: Settings, allowed: list[str], remote: str, forwarded: str, hops: int, status: int
) -> None:
    settings.METRICS_ALLOWED_IPS = allowed
    settings.TRUSTED_PROXY_HOPS = hops
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}

    response = Client().get("/metrics", headers=headers, REMOTE_ADDR=remote)

    assert response.status_code == status
    if status == 404:
        assert b"graphql_requests_total" not in response.content


@pytest.mark.django_db
def test_metrics_take_no_credential(settings: Settings) -> None:
    """A session opens nothing from a refused address, a bearer header is refused everywhere
    off GraphQL, and what an allowed scraper reads names no one who used the API."""
    person = make_user("metrics_person")
    signed_in = Client()
    signed_in.force_login(person)
    _post("/graphql/", "{ me { username email } }", client=signed_in)

    assert signed_in.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    assert Client().get("/metrics", headers={"Authorization": "Bearer ssv_pat_x"}).status_code == 401
    text = Client().get("/metrics").content.decode()
    assert person.username not in text and person.email not in text


@pytest.mark.django_db
def test_without_a_pool_metrics_answer_and_show_no_pool() -> None:
    """SQLite, or PostgreSQL without its pool (as the test database runs, tests/conftest.py): the
    pool gauges have nothing to read, so nothing of them is exported, and the rest still is."""
    _post("/graphql/", "{ __typename }")

    response = Client().get("/metrics")

    assert response.status_code == 200 and b"graphql_requests_total" in response.content
    assert b"database_pool_" not in response.content


# What GraphQL requests count ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("engine", sorted(ENDPOINTS))
def test_graphql_requests_move_the_counters(engine: str) -> None:
    """Given each engine, then an answered query counts as ok, a query with field errors as
    error, and one turned away before it ran as refused (a 4xx, or a GraphQL request error,
    answered 200 without data under application/json), each timed under its engine."""
    path = ENDPOINTS[engine]
    before = {outcome: _requests(engine, outcome) for outcome in ("ok", "error", "refused")}
    latency_before = _latency_count(engine)

    _post(path, "{ __typename }")
    _post(path, '{ node(id: "not an id") { id } }')
    _post(path, "{ video(id: 1) { nothingLikeThis } }")
    Client().post(path, data="{}", content_type="text/plain")  # 415 from the transport

    assert _requests(engine, "ok") == before["ok"] + 1
    assert _requests(engine, "error") == before["error"] + 1
    assert _requests(engine, "refused") == before["refused"] + 2
    assert _latency_count(engine) == latency_before + 4


@pytest.mark.django_db
def test_other_routes_count_nothing_here() -> None:
    before = sum(_requests(engine, "ok") for engine in ENDPOINTS)

    Client().get("/healthz")
    Client().get("/auth/csrf/")

    assert sum(_requests(engine, "ok") for engine in ENDPOINTS) == before


def test_the_operation_name_the_transport_stored_is_the_label() -> None:
    """When the transport leaves the parsed operation name on the request, the counter uses it."""

    def view(request: HttpRequest) -> HttpResponse:
        request.graphql_operation_name = "FavoritesPage"  # type: ignore[attr-defined]
        return JsonResponse({"data": {"__typename": "Query"}})

    before = _requests("graphene", "ok", "FavoritesPage")

    GraphQLMetricsMiddleware(view)(RequestFactory().post("/graphql/graphene/"))

    assert _requests("graphene", "ok", "FavoritesPage") == before + 1


def test_operation_names_are_bounded() -> None:
    """Operation names are the client's: only well-formed ones, only the first few distinct, and
    never one that would pass for the built-in labels."""
    names = OperationNames(limit=2)

    assert [names.label(name) for name in ("First", "Second", "Third", "First")] == [
        "First",
        "Second",
        "other",
        "First",
    ]
    assert names.label(None) == names.label("") == "anonymous"
    for hostile in ("x" * 65, "drop table", "名前", "a-b", 42, "other", "anonymous"):
        assert names.label(hostile) == "other"


@pytest.mark.parametrize(
    ("status", "body", "outcome"),
    [
        (200, {"data": {"a": 1}}, "ok"),
        (200, {"data": {"errors": "an alias"}}, "ok"),
        (200, {"data": {"text": 'he said "errors"'}}, "ok"),
        (200, {"data": None, "errors": [{"message": "x"}]}, "error"),
        (200, {"errors": [{"message": "no such field"}]}, "refused"),
        (400, {"errors": [{"message": "too deep"}]}, "refused"),
        (429, {"errors": [{"message": "budget"}]}, "refused"),
        (500, {"errors": [{"message": "boom"}]}, "error"),
    ],
)
def test_outcome_of(status: int, body: dict[str, Any], outcome: str) -> None:
    assert outcome_of(JsonResponse(body, status=status)) == outcome
