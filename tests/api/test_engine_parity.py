"""Both engines answer alike where their libraries differ: a bad input value gets the same body
and status, in a variable or written in the document, whether the transport refuses it or a
resolver does; each engine's own schema says the same without the transport; and neither
endpoint sets the CSRF cookie."""

import json
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client
from graphql import GraphQLError, OperationDefinitionNode, StringValueNode, parse, validate
from graphql.execution.values import get_variable_values
from graphql.pyutils import inspect
from graphql_relay import to_global_id

from api.execution import OperationScope
from api.graphene_schema import schema as graphene_schema
from api.scalars import SCALARS
from api.strawberry_schema import schema as strawberry_schema
from tests.api.conftest import ENDPOINTS, World
from tests.factories import password_of

# The HTTP side of each engine's view: run on both.
pytestmark = pytest.mark.both_engines

RANGE = "query {{ me {{ insights {{ followerAges(from: {v}, to: {v}) {{ coveredTo }} }} }} }}"
NODE = "query {{ node(id: {v}) {{ id }} }}"
VIDEO = "query {{ video(id: {v}) {{ id }} }}"
PAGE = "query {{ me {{ videos(first: {v}) {{ edges {{ cursor }} }} }} }}"
USER = "query {{ user(username: {v}) {{ id }} }}"
SHARE = 'mutation {{ shareVideo(input: {{videoId: "VmlkZW86MQ==", channel: {v}}}) {{ clientMutationId }} }}'
PRIVACY = "mutation {{ updatePrivacySettings(input: {{isPrivate: {v}}}) {{ clientMutationId }} }}"

# name: (the variable's type, its JSON value, the same value as a literal, the operation)
BAD_VALUES: dict[str, tuple[str, Any, str, str]] = {
    "Date: no such month": ("Date!", "2024-13-01", '"2024-13-01"', RANGE),
    "Date: no such day": ("Date!", "2023-02-29", '"2023-02-29"', RANGE),
    "Date: a week date": ("Date!", "2024-W01-1", '"2024-W01-1"', RANGE),
    "Date: without hyphens": ("Date!", "20240101", '"20240101"', RANGE),
    "Date: a date-time": ("Date!", "2024-01-01T00:00:00Z", '"2024-01-01T00:00:00Z"', RANGE),
    "Date: other digits": ("Date!", "٢٠٢٤-01-01", '"٢٠٢٤-01-01"', RANGE),
    "Date: empty": ("Date!", "", '""', RANGE),
    "Date: a number": ("Date!", 20240101, "20240101", RANGE),
    "Date: a boolean": ("Date!", True, "true", RANGE),
    "Date: a list": ("Date!", ["2024-01-01"], '["2024-01-01"]', RANGE),
    "Date: an object": ("Date!", {"day": 1}, "{day: 1}", RANGE),
    "ID: a float": ("ID!", 1.5, "1.5", NODE),
    "ID: a boolean": ("ID!", False, "false", NODE),
    "ID: not a global ID": ("ID!", "garbage", '"garbage"', NODE),
    "ID: another type's global ID": ("ID!", to_global_id("User", "1"), f'"{to_global_id("User", "1")}"', VIDEO),
    "Int: over 32 bits": ("Int", 2**31, str(2**31), PAGE),
    "Int: a float": ("Int", 1.5, "1.5", PAGE),
    "Int: a string": ("Int", "1", '"1"', PAGE),
    "Int: out of the page range": ("Int", 0, "0", PAGE),
    "String: a number": ("String!", 1, "1", USER),
    "enum: no such value": ("ShareChannel!", "copy_link", "copy_link", SHARE),
    "enum: a string literal": ("ShareChannel!", 7, '"COPY_LINK"', SHARE),
    "Boolean: a string": ("Boolean", "yes", '"yes"', PRIVACY),
}
DATE_EXPECTED = "expected a date as a string, YYYY-MM-DD."


def documents(case: str) -> dict[str, tuple[str, dict[str, Any]]]:
    """The bad value sent as a variable and written as a literal: (document, variables) each."""
    type_name, value, literal, operation = BAD_VALUES[case]
    keyword, selection = operation.split(" ", 1)
    with_variable = f"{keyword}($v: {type_name}) {selection}".format(v="$v")
    return {"variable": (with_variable, {"v": value}), "literal": (operation.format(v=literal), {})}


def answer(client: Client, endpoint: str, query: str, variables: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    response = client.post(
        endpoint, json.dumps({"query": query, "variables": variables}), content_type="application/json"
    )
    body = response.json()
    for error in body.get("errors", []):
        assert error["extensions"].pop("requestId", response["X-Request-ID"]) == response["X-Request-ID"]
    return response.status_code, body


@pytest.mark.parametrize("case", sorted(BAD_VALUES))
def test_a_bad_value_gets_the_same_answer_from_both_engines(world: World, case: str) -> None:
    """Given the creator's session, when each bad value is sent to both engines as a variable and
    as a literal, then the bodies (request ids aside) and statuses are the same, every error
    coded BAD_USER_INPUT."""
    for how, (query, variables) in documents(case).items():
        answers = {}
        for engine, endpoint in ENDPOINTS.items():
            client = Client()
            client.force_login(world.creator)
            answers[engine] = answer(client, endpoint, query, variables)

        status, body = answers["strawberry"]
        assert answers["graphene"] == (status, body), how
        assert status == 200 and body["errors"], how
        assert {error["extensions"]["code"] for error in body["errors"]} == {"BAD_USER_INPUT"}, how


@pytest.mark.parametrize("case", sorted(case for case in BAD_VALUES if case.startswith("Date")))
def test_a_bad_date_is_refused_with_the_contracts_message_and_where_it_is(world: World, case: str) -> None:
    """A literal is shown as written and located (strawberry's own scalar gave neither), a
    variable as graphql-core shows any variable."""
    _type, value, literal, _operation = BAD_VALUES[case]
    client = Client()
    client.force_login(world.creator)

    (_, as_variable), (_, as_literal) = (
        answer(client, ENDPOINTS["graphene"], query, variables) for query, variables in documents(case).values()
    )

    shown = inspect(value)
    assert [error["message"] for error in as_variable["errors"]] == [
        f"Variable '$v' got invalid value {shown}; Date cannot represent {shown}: {DATE_EXPECTED}"
    ]
    assert [error["message"] for error in as_literal["errors"]] == [
        f"Date cannot represent {literal}: {DATE_EXPECTED}"
    ] * 2
    assert all(error["locations"] for error in as_literal["errors"])


ENGINE_SCHEMAS = {"strawberry": strawberry_schema._schema, "graphene": graphene_schema.graphql_schema}


@pytest.mark.parametrize("case", sorted(BAD_VALUES))
def test_each_engines_own_schema_refuses_a_bad_value_as_the_other_does(case: str) -> None:
    """The transport validates and coerces against strawberry's schema for both engines; without
    it, graphene's own schema still says what strawberry's says."""
    said: dict[str, list[Any]] = {}
    for engine, schema in ENGINE_SCHEMAS.items():
        (variable_query, variables), (literal_query, _) = documents(case).values()
        operation = parse(variable_query).definitions[0]
        assert isinstance(operation, OperationDefinitionNode)
        coerced = get_variable_values(schema, operation.variable_definitions, variables)
        said[engine] = [
            [error.formatted for error in validate(schema, parse(literal_query))],
            [error.formatted for error in coerced] if isinstance(coerced, list) else coerced,
        ]

    assert said["strawberry"] == said["graphene"]


SCALAR_VALUES: list[Any] = [
    "2024-05-01",
    "2024-02-30",
    "2024-05-01T12:00:00Z",
    "2024-05-01T12:00:00.123456+02:00",
    "2024-05-01T12:00:00",
    "2024-05-01 12:00:00Z",
    "2024-5-1",
    "",
    0,
    None,
    [],
]


@pytest.mark.parametrize("scalar", [scalar.name for scalar in SCALARS])
def test_each_contract_scalar_parses_and_refuses_alike_on_both_engines(scalar: str) -> None:
    """``DateTime`` is output only today: its parsing is compared here, value by value."""

    def outcome(call: Any, value: Any) -> Any:
        try:
            return ("parsed", call(value))
        except GraphQLError as error:
            return ("refused", error.message)

    strawberry, graphene = (schema.type_map[scalar] for schema in ENGINE_SCHEMAS.values())
    for value in SCALAR_VALUES:
        assert outcome(strawberry.parse_value, value) == outcome(graphene.parse_value, value), value
        if isinstance(value, str):
            literal = StringValueNode(value=value)
            assert outcome(strawberry.parse_literal, literal) == outcome(graphene.parse_literal, literal), value
    assert strawberry.description == graphene.description


# The CSRF cookie ---------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["{ __typename }", "{ nothingLikeThis }"])
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_neither_endpoint_sets_the_csrf_cookie(world: World, signed_in: bool, method: str, query: str) -> None:
    """graphene-django's view set it on every answer, strawberry's never: now neither does (a
    JSON request needs no token; /auth/csrf/ hands it to a client that wants it)."""
    cookies = {}
    for engine, endpoint in ENDPOINTS.items():
        client = Client(enforce_csrf_checks=True)
        if signed_in:
            client.force_login(world.viewer)
        if method == "GET":
            response = client.get(endpoint, {"query": query})
        else:
            response = client.post(endpoint, json.dumps({"query": query}), content_type="application/json")
        assert response.status_code == 200
        cookies[engine] = sorted(response.cookies)

    assert cookies["strawberry"] == cookies["graphene"]
    assert settings.CSRF_COOKIE_NAME not in cookies["graphene"]


def test_signing_in_sets_the_same_cookies_on_both_endpoints(world: World) -> None:
    """Signing in rotates the CSRF token (Django's ``login``), so both answers carry the new one
    with the session cookie."""
    query = "mutation($u: String!, $p: String!) { logIn(input: {username: $u, password: $p}) { user { id } } }"
    variables = {"u": world.viewer.username, "p": password_of(world.viewer.username)}
    cookies = {}
    for engine, endpoint in ENDPOINTS.items():
        body = json.dumps({"query": query, "variables": variables})
        response = Client(enforce_csrf_checks=True).post(endpoint, body, content_type="application/json")
        assert response.json()["data"]["logIn"]["user"]["id"], engine
        cookies[engine] = sorted(response.cookies)

    assert (
        cookies["strawberry"]
        == cookies["graphene"]
        == sorted([settings.CSRF_COOKIE_NAME, settings.SESSION_COOKIE_NAME])
    )


# When execution itself fails -------------------------------------------------------------------


def both_answers(query: str) -> dict[str, tuple[int, dict[str, Any]]]:
    return {engine: answer(Client(), endpoint, query, {}) for engine, endpoint in ENDPOINTS.items()}


def test_a_subscription_over_http_is_a_request_error_on_both_engines(db: None) -> None:
    """A subscription passes graphql-core's validation but is served over WebSocket alone: the
    transport refuses it before either engine runs, as a request error (no ``data``), with a code
    and location."""
    answers = both_answers("subscription { __typename }")

    assert answers["graphene"] == answers["strawberry"]
    status, body = answers["strawberry"]
    assert status == 200 and "data" not in body
    [error] = body["errors"]
    assert error["message"].startswith("Subscriptions are served over WebSocket")
    assert error["locations"] == [{"line": 1, "column": 1}] and error["extensions"]["code"] == "BAD_USER_INPUT"


def test_an_exception_from_the_executor_itself_gets_the_same_answer_from_both_engines(db: None) -> None:
    """Outside any field, so no resolver reports it: strawberry answers ``data: null`` with the
    masked error; graphene-django hands over the bare exception (``GrapheneView``)."""
    with mock.patch.object(OperationScope, "execute_operation", side_effect=RuntimeError("executor bug")):
        answers = both_answers("{ __typename }")

    assert answers["graphene"] == answers["strawberry"]
    status, body = answers["strawberry"]
    assert status == 200 and body["data"] is None
    assert [error["extensions"]["code"] for error in body["errors"]] == ["INTERNAL"]
    assert "executor bug" not in json.dumps(body)
