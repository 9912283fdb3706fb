"""Whatever a client sends to either GraphQL endpoint, the answer is JSON with a coded error,
never a 500: malformed, deep or non-UTF-8 bodies, parameters of the wrong type, wrong methods
and content types, odd query strings and headers. Explicit cases first, then hypothesis."""

import json
from typing import Any
from urllib.parse import quote

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api import graphene_schema
from api.errors import INTERNAL_MESSAGE
from api.transport import MAX_JSON_DEPTH, _as_json
from tests.api.conftest import ENDPOINTS

# The HTTP side of each engine's view: run on both.
pytestmark = pytest.mark.both_engines

ME = "{ me { id } }"
GRAPHQL_RESPONSE = "application/graphql-response+json; charset=utf-8"
DEPTH_11 = "{ me { videos { edges { node { owner { videos { edges { node { owner { id } } } } } } } } } }"


@pytest.fixture
def client(db: None) -> Client:
    return Client()


JSON = "application/json; charset=utf-8"


def coded(response: Any, status: int, code: str = "BAD_USER_INPUT") -> dict[str, Any]:
    """The first error of a JSON answer with ``status`` and ``code``, carrying the request id."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == JSON
    error = json.loads(response.content)["errors"][0]
    assert error["extensions"]["code"] == code
    assert error["extensions"]["requestId"] == response["X-Request-ID"]
    return error


def post(client: Client, engine: str, body: str | bytes, content_type: str = "application/json", **extra: Any) -> Any:
    """``generic``, so that bytes go out as they are (``post`` re-encodes to the charset)."""
    return client.generic("POST", ENDPOINTS[engine], data=body, content_type=content_type, **extra)


# Bodies and parameters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"query": "{ me { id } }", "variables": ' + '{"a": ' * 5000 + "1" + "}" * 5001,
        '{"query": "{ me { id } }", "variables": {"a": ' + "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH + "}}",
    ],
    ids=["array", "object", "just-over"],
)
def test_deeply_nested_json_is_refused_before_it_is_parsed(client: Client, engine: str, body: str) -> None:
    error = coded(post(client, engine, body), 400)

    assert f"deeper than {MAX_JSON_DEPTH}" in error["message"]


def test_nesting_within_the_limit_and_brackets_inside_strings_are_fine(client: Client, engine: str) -> None:
    inner = "[" * (MAX_JSON_DEPTH - 2) + "]" * (MAX_JSON_DEPTH - 2)
    body = json.dumps({"query": "# " + "{[" * 500 + "\n" + ME, "variables": {"a": json.loads(inner)}})

    response = post(client, engine, body)

    assert response.status_code == 200 and response.json() == {"data": {"me": None}}


def test_deep_variables_in_a_get_are_refused(client: Client, engine: str) -> None:
    response = client.get(ENDPOINTS[engine], {"query": ME, "variables": "[" * 50_000 + "]" * 50_000})

    coded(response, 400)


@pytest.mark.parametrize("variables", ["1", "NaN", "[1]", '"x"', "true", "1.5", "Infinity"])
def test_variables_that_are_not_an_object_are_refused_in_a_get(client: Client, engine: str, variables: str) -> None:
    error = coded(client.get(ENDPOINTS[engine], {"query": ME, "variables": variables}), 400)

    assert "`variables`" in error["message"]


@pytest.mark.parametrize("variables", ["1", "[1]", "[]", '"x"', "true", "NaN", "-Infinity"])
def test_variables_that_are_not_an_object_are_refused_in_a_post(client: Client, engine: str, variables: str) -> None:
    coded(post(client, engine, '{"query": "{ me { id } }", "variables": ' + variables + "}"), 400)


@pytest.mark.parametrize("value", ["1", "[]", '["a"]', "{}", "true"])
def test_an_operation_name_of_a_wrong_type_is_refused(client: Client, engine: str, value: str) -> None:
    error = coded(post(client, engine, '{"query": "{ me { id } }", "operationName": ' + value + "}"), 400)

    assert "`operationName`" in error["message"]


def test_an_unknown_operation_name_in_a_get_is_a_request_error(client: Client, engine: str) -> None:
    """Well-formed, so 200 under application/json (GraphQL over HTTP), with no ``data``."""
    response = client.get(ENDPOINTS[engine], {"query": "query A { me { id } }", "operationName": "B"})

    error = coded(response, 200)
    assert error["message"] == "Unknown operation named 'B'." and "data" not in response.json()


@pytest.mark.parametrize("extensions", ["1", "[]", '"x"'])
def test_extensions_that_are_not_an_object_are_refused(client: Client, engine: str, extensions: str) -> None:
    coded(post(client, engine, '{"query": "{ me { id } }", "extensions": ' + extensions + "}"), 400)
    coded(client.get(ENDPOINTS[engine], {"query": ME, "extensions": extensions}), 400)


@pytest.mark.parametrize(
    "body", ["{}", '{"query": null}', '{"query": 5}', '{"query": ["{ me { id } }"]}', "null", '"q"']
)
def test_a_query_missing_or_not_a_string_is_refused(client: Client, engine: str, body: str) -> None:
    coded(post(client, engine, body), 400)


@pytest.mark.parametrize("params", [{}, {"variables": "{}"}, {"operationName": "A"}])
def test_a_get_without_a_query_is_refused(client: Client, engine: str, params: dict[str, str]) -> None:
    error = coded(client.get(ENDPOINTS[engine], params), 400)

    assert "`query` is missing" in error["message"]


@pytest.mark.parametrize(
    ("body", "content_type", "status", "words"),
    [
        ('{"query": "{ me { id } }"}'.encode("utf-16"), "application/json", 415, "UTF-16"),
        ('{"query": "{ me { id } }"}'.encode("utf-16-le"), "application/json", 415, "UTF-16"),
        ('{"query": "{ me { id } }"}'.encode("utf-32"), "application/json", 415, "UTF-16 or UTF-32"),
        ('{"query": "{ me { id } }"}'.encode("utf-16"), "application/json; charset=utf-16", 415, "charset=utf-16"),
        (b'{"query": "{ me { id } }"}', "application/json; charset=latin-1", 415, "charset=latin-1"),
        (b'{"query": "{ me { id } }"}', "application/json; charset=bogus", 415, "charset=bogus"),
        ('{"query": "# caf\u00e9\\n{ me { id } }"}'.encode("latin-1"), "application/json", 400, "not valid UTF-8"),
        ('{"query": "{ me { id } }"}'.encode("utf-8-sig"), "application/json", 400, "byte-order mark"),
    ],
    ids=["utf-16", "utf-16-le", "utf-32", "charset-utf-16", "charset-latin-1", "charset-bogus", "latin-1", "bom"],
)
def test_bodies_in_other_encodings_are_refused_with_a_reason(
    client: Client, engine: str, body: bytes, content_type: str, status: int, words: str
) -> None:
    error = coded(post(client, engine, body, content_type), status)

    assert words in error["message"]


def test_utf8_declared_in_any_spelling_is_accepted(client: Client, engine: str) -> None:
    for charset in ("utf-8", "UTF-8", "utf8"):
        response = post(client, engine, json.dumps({"query": ME}).encode(), f"application/json; charset={charset}")

        assert response.status_code == 200, charset


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/graphql", "application/x-www-form-urlencoded", "", "application/jsonx"]
)
def test_wrong_content_types_are_415_in_json(client: Client, engine: str, content_type: str) -> None:
    coded(post(client, engine, json.dumps({"query": ME}), content_type), 415)


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "BREW"])
def test_other_methods_are_405_with_allow(client: Client, engine: str, method: str) -> None:
    response = client.generic(method, ENDPOINTS[engine])

    coded(response, 405)
    assert response["Allow"] == "GET, POST"


def test_head_is_405_with_allow_and_a_json_type(client: Client, engine: str) -> None:
    response = client.head(ENDPOINTS[engine], {"query": ME})

    assert response.status_code == 405 and response["Allow"] == "GET, POST"
    assert response["Content-Type"] == JSON


def test_a_mutation_over_get_names_post_in_allow(client: Client, engine: str) -> None:
    response = client.get(ENDPOINTS[engine], {"query": "mutation { logOut { clientMutationId } }"})

    coded(response, 405)
    assert response["Allow"] == "POST"


def test_an_oversized_body_is_413_before_it_is_read(client: Client, engine: str) -> None:
    coded(post(client, engine, json.dumps({"query": ME}), CONTENT_LENGTH="99999999"), 413)


NOT_NUMBERS = ["abc", "-1", "1e3", "\u00b2", "12, 12"]  # ² passes str.isdigit, not int()


@pytest.mark.parametrize("length", NOT_NUMBERS)
def test_a_content_length_that_is_not_a_number_is_400_in_json(client: Client, engine: str, length: str) -> None:
    """django-prometheus read it with int() and answered 500, before any of our checks ran."""
    error = coded(client.get(ENDPOINTS[engine], {"query": "{ __typename }"}, CONTENT_LENGTH=length), 400)
    coded(post(client, engine, json.dumps({"query": ME}), CONTENT_LENGTH=length), 400)

    assert "Content-Length" in error["message"]


@pytest.mark.parametrize("path", ["/healthz", "/auth/csrf/", "/no/such/page/", "/admin/login/", "/o/token/"])
def test_a_content_length_that_is_not_a_number_is_400_in_json_everywhere(client: Client, path: str) -> None:
    coded(client.get(path, CONTENT_LENGTH="abc"), 400)
    coded(client.post(path, data="x", content_type="text/plain", CONTENT_LENGTH="abc"), 400)


def test_a_post_reads_its_body_and_never_its_url(client: Client, engine: str) -> None:
    """graphene-django prefers ``?query=`` over the body: the transport costed the body, so a
    deep query in the URL would pass the limits unchecked."""
    url = f"{ENDPOINTS[engine]}?query={quote(DEPTH_11)}&variables=1&operationName=X"

    response = client.post(url, data=json.dumps({"query": ME}), content_type="application/json")

    assert response.status_code == 200 and response.json() == {"data": {"me": None}}


def test_a_get_reads_its_url_and_never_a_body(client: Client, engine: str) -> None:
    response = client.generic(
        "GET",
        f"{ENDPOINTS[engine]}?query={quote(ME)}",
        data='{"variables": 1, "query": 5}',
        content_type="application/json",
    )

    assert response.status_code == 200 and response.json() == {"data": {"me": None}}


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_without_debug_a_get_without_query_is_refused_even_for_a_browser(client: Client, engine: str) -> None:
    coded(client.get(ENDPOINTS[engine], headers={"Accept": BROWSER_ACCEPT}), 400)
    coded(client.get(ENDPOINTS[engine], headers={"Accept": "text/html"}), 406)


def test_graphene_refusals_carry_a_code_without_the_transport(db: None) -> None:
    view = graphene_schema.GrapheneView.as_view(schema=graphene_schema.schema)

    response = view(RequestFactory().get("/graphql/graphene/"))

    assert response.status_code == 400
    assert json.loads(response.content)["errors"] == [
        {"message": "Must provide query string.", "extensions": {"code": "BAD_USER_INPUT"}}
    ]


@pytest.mark.parametrize(
    ("status", "code"), [(400, "BAD_USER_INPUT"), (404, "NOT_FOUND"), (405, "BAD_USER_INPUT"), (502, "INTERNAL")]
)
def test_a_plain_text_refusal_becomes_a_coded_json_error(status: int, code: str) -> None:
    request = RequestFactory().get("/graphql/")
    request.request_id = "f" * 32  # type: ignore[attr-defined]
    plain = HttpResponse("Unknown operation named 'B'.", status=status, content_type="text/plain")
    plain["Allow"] = "GET, POST"

    response = _as_json(request, plain)

    error = json.loads(response.content)["errors"][0]
    assert response.status_code == status and response["Allow"] == "GET, POST"
    assert error["extensions"] == {"code": code, "requestId": "f" * 32}
    assert error["message"] == ("Unknown operation named 'B'." if status < 500 else INTERNAL_MESSAGE)


# Property: nothing a client sends gets a 5xx or a non-JSON answer ---------------------------------

METHODS = st.sampled_from(["GET", "POST", "POST", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE", "BREW"])
CONTENT_TYPES = st.one_of(
    st.sampled_from(
        [
            "application/json",
            "application/json; charset=utf-8",
            "application/json; charset=UTF-16",
            "application/json; charset=bogus",
            "application/json; charset=",
            "application/json;;;",
            "APPLICATION/JSON",
            "application/graphql",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "text/plain",
            "",
        ]
    ),
    st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40),
)
JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
QUERIES = st.one_of(
    st.sampled_from(
        [
            ME,
            "{ __typename }",
            "query A { me { id } } query B { __typename }",
            "",
            "{",
            "mutation { nope }",
            "subscription { nope }",
            '{ video(id: "x") { id } }',
            "query($n: Int) { me { id } }",
            DEPTH_11,
            "{a" * 1200 + "}" * 1200,
        ]
    ),
    st.text(max_size=60),
)
REQUESTS = st.fixed_dictionaries(
    {},
    optional={
        "query": st.one_of(QUERIES, JSON_VALUES),
        "variables": JSON_VALUES,
        "operationName": st.one_of(st.sampled_from(["A", "B", "", "null"]), JSON_VALUES),
        "extensions": JSON_VALUES,
    },
)


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


JSON_TEXTS = st.one_of(
    REQUESTS.map(json.dumps),
    JSON_VALUES.map(json.dumps),
    st.lists(REQUESTS, max_size=3).map(json.dumps),
    st.integers(0, 3000).map(_deep),
    st.integers(0, 3000).map(lambda depth: '{"query": "{ me { id } }", "variables": {"a": ' + _deep(depth) + "}}"),
    st.sampled_from(["NaN", '{"query": "{ me { id } }", "variables": {"n": Infinity}}', "{not json", "", " "]),
    st.text(max_size=80),
)
ENCODINGS = st.sampled_from(
    ["utf-8", "utf-8", "utf-8", "utf-16", "utf-16-be", "utf-32", "utf-8-sig", "latin-1", "cp1252"]
)
BODIES = st.one_of(
    st.tuples(JSON_TEXTS, ENCODINGS).map(lambda pair: pair[0].encode(pair[1], "replace")),
    st.binary(max_size=200),
)
# Query strings as a client writes them (percent-encoded) and as it should not (raw ``%``, bytes).
PARAM_NAMES = st.sampled_from(["query", "variables", "operationName", "extensions", "id", "raw", "x"])
PARAM_VALUES = st.one_of(QUERIES, JSON_TEXTS, st.sampled_from(["%", "%ff", "%00", "%zz", "%C3%28", "%ED%A0%80"]))


def _wsgi(value: str, escape: bool) -> str:
    """A parameter as a WSGI server hands it over: percent-encoded, or its raw bytes as latin-1."""
    return quote(value, safe="") if escape else value.encode("utf-8", "surrogatepass").decode("latin-1")


QUERY_STRINGS = st.lists(st.tuples(PARAM_NAMES, PARAM_VALUES, st.booleans()), max_size=4).map(
    lambda params: "&".join(f"{name}={_wsgi(value, escape)}" for name, value, escape in params)
)
ASCII = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40)
HEADERS = st.fixed_dictionaries(
    {},
    optional={
        "HTTP_ACCEPT": st.one_of(
            st.sampled_from(
                ["text/html", "*/*", "text/event-stream", 'multipart/mixed;subscriptionSpec="1.0"', "application/json"]
            ),
            ASCII,
        ),
        "HTTP_AUTHORIZATION": st.one_of(
            st.sampled_from(["Bearer", "Bearer ", "Bearer x.y", "Basic Zm9vOmJhcg=="]), ASCII
        ),
        "HTTP_COOKIE": st.one_of(st.sampled_from(["sessionid=nope", "csrftoken=;;", "=;="]), ASCII),
        "HTTP_X_CSRFTOKEN": ASCII,
        "HTTP_ORIGIN": st.one_of(st.sampled_from(["https://evil.example", "null"]), ASCII),
        "HTTP_X_FORWARDED_FOR": ASCII,
        "HTTP_HOST": st.sampled_from(["testserver", "evil.example", "bad host!", "[::1", "testserver:99999"]),
        # Servers refuse a Content-Length that is not a number; one that passes it on gets a 400.
        "CONTENT_LENGTH": st.sampled_from(["", "0", "99999999", "short", *NOT_NUMBERS]),
        "HTTP_CONTENT_ENCODING": st.sampled_from(["gzip", "br", "identity"]),
    },
)


def _assert_answers_json(response: Any, method: str) -> None:
    assert response.status_code < 500, response.content[:300]
    assert response["Content-Type"] in (JSON, GRAPHQL_RESPONSE), (response.status_code, response.content[:300])
    if method == "HEAD":  # the body of a HEAD answer is dropped on the way out
        return
    body = json.loads(response.content)
    if response.status_code >= 400 or body.get("errors"):
        assert body["errors"][0]["extensions"]["code"], body
    else:
        assert "data" in body, body


FUZZ = settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@FUZZ
@given(method=METHODS, body=BODIES, content_type=CONTENT_TYPES, query_string=QUERY_STRINGS)
def test_no_body_method_or_content_type_gets_a_5xx_or_a_non_json_answer(
    client: Client, engine: str, method: str, body: bytes, content_type: str, query_string: str
) -> None:
    response = client.generic(
        method, ENDPOINTS[engine], data=body, content_type=content_type, QUERY_STRING=query_string
    )

    _assert_answers_json(response, method)


@FUZZ
@given(method=st.sampled_from(["GET", "POST"]), query_string=QUERY_STRINGS, headers=HEADERS, body=BODIES)
def test_no_query_string_or_header_shape_gets_a_5xx_or_a_non_json_answer(
    client: Client, engine: str, method: str, query_string: str, headers: dict[str, Any], body: bytes
) -> None:
    if headers.get("CONTENT_LENGTH") == "short":  # a length over the body only hangs a real server
        headers["CONTENT_LENGTH"] = str(len(body) // 2)
    response = client.generic(
        method, ENDPOINTS[engine], data=body, content_type="application/json", QUERY_STRING=query_string, **headers
    )

    _assert_answers_json(response, method)


def test_a_bearer_request_with_a_stray_percent_in_its_url_is_not_a_500(client: Client, engine: str) -> None:
    response = client.generic("GET", ENDPOINTS[engine], QUERY_STRING="query=%zz", HTTP_AUTHORIZATION="Bearer nope")

    assert response.status_code == 401
