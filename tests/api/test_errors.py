"""Bad input gets a clear BAD_USER_INPUT error and changes nothing; the transport refuses what a
browser-borne attack would send (a form or text post without the CSRF token, a mutation over
GET); nothing answers 500."""

import base64
import json
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from engagement.models import CAPTION_MAX_LENGTH, COMMENT_MAX_LENGTH
from kernel.errors import ErrorCode
from tests.api.cases import assert_single_error
from tests.api.conftest import World, gid
from tests.domain.helpers import db_state

FAVORITES = "query($first: Int, $after: String) { me { favorites(first: $first, after: $after) { edges { cursor } } } }"


def _cursor(payload: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()


# (label, document, variables builder)
BAD_INPUTS: list[tuple[str, str, Any]] = [
    ("first: 0", FAVORITES, lambda w: {"first": 0}),
    ("first: 101", FAVORITES, lambda w: {"first": 101}),
    ("first: -1 on a public list", '{ user(username: "creator") { videos(first: -1) { edges { cursor } } } }', None),
    ("garbage after", FAVORITES, lambda w: {"after": "not-a-cursor"}),
    ("after of base64 garbage", FAVORITES, lambda w: {"after": base64.b64encode(b"\xff\xfe").decode()}),
    ("after without a time zone", FAVORITES, lambda w: {"after": _cursor(["2024-01-01T00:00:00", 1])}),
    ("after with a wrong shape", FAVORITES, lambda w: {"after": _cursor({"id": 1})}),
    ("after with a year out of range", FAVORITES, lambda w: {"after": _cursor(["0001-01-01T00:00:00+14:00", 1])}),
    ("malformed global id", "query($id: ID!) { video(id: $id) { id } }", lambda w: {"id": "!!not-base64!!"}),
    ("global id without a pk", "query($id: ID!) { video(id: $id) { id } }", lambda w: {"id": "VmlkZW86"}),
    ("global id of a huge pk", "query($id: ID!) { node(id: $id) { id } }", lambda w: {"id": _b64("Video:" + "9" * 30)}),
    ("User id as a video id", "query($id: ID!) { video(id: $id) { id } }", lambda w: {"id": gid(w.viewer, "User")}),
    (
        "User id as videoId",
        "mutation($id: ID!) { favoriteVideo(input: {videoId: $id}) { favorite { id } } }",
        lambda w: {"id": gid(w.creator, "User")},
    ),
    (
        "malformed videoId",
        "mutation($id: ID!) { likeVideo(input: {videoId: $id}) { video { id } } }",
        lambda w: {"id": "garbage"},
    ),
    (
        "Video id as collectionId",
        "query($id: ID!) { me { favorites(collectionId: $id) { edges { cursor } } } }",
        lambda w: {"id": gid(w.public_video)},
    ),
    (
        "malformed notification id",
        'mutation { markNotificationsRead(input: {notificationIds: ["x"]}) { markedCount } }',
        None,
    ),
    (
        "negative watchedSeconds",
        "mutation($id: ID!) { recordView(input: {videoId: $id, watchedSeconds: -1, trafficSource: FOR_YOU}) "
        "{ video { id } } }",
        lambda w: {"id": gid(w.public_video)},
    ),
    (
        "unknown enum value in a literal",
        "mutation($id: ID!) { shareVideo(input: {videoId: $id, channel: CARRIER_PIGEON}) { video { id } } }",
        lambda w: {"id": gid(w.public_video)},
    ),
    (
        "unknown enum value in a variable",
        "mutation($id: ID!, $v: Visibility) { updateVideo(input: {videoId: $id, visibility: $v}) { video { id } } }",
        lambda w: {"id": gid(w.public_video), "v": "EVERYBODY"},
    ),
    (
        "NUL byte in a comment",
        "mutation($id: ID!, $t: String!) { commentOnVideo(input: {videoId: $id, text: $t}) { comment { id } } }",
        lambda w: {"id": gid(w.public_video), "t": "nice\u0000video"},
    ),
    (
        "over-long comment",
        "mutation($id: ID!, $t: String!) { commentOnVideo(input: {videoId: $id, text: $t}) { comment { id } } }",
        lambda w: {"id": gid(w.public_video), "t": "x" * (COMMENT_MAX_LENGTH + 1)},
    ),
    (
        "blank comment",
        "mutation($id: ID!, $t: String!) { commentOnVideo(input: {videoId: $id, text: $t}) { comment { id } } }",
        lambda w: {"id": gid(w.public_video), "t": "   "},
    ),
    (
        "over-long caption on post",
        "mutation($c: String!) { postVideo(input: {caption: $c, visibility: PUBLIC, durationSeconds: 5}) "
        "{ video { id } } }",
        lambda w: {"c": "x" * (CAPTION_MAX_LENGTH + 1)},
    ),
    (
        "over-long caption on update",
        "mutation($id: ID!, $c: String!) { updateVideo(input: {videoId: $id, caption: $c}) { video { id } } }",
        lambda w: {"id": gid(w.public_video), "c": "x" * (CAPTION_MAX_LENGTH + 1)},
    ),
    (
        "NUL byte in a caption",
        "mutation($id: ID!, $c: String!) { updateVideo(input: {videoId: $id, caption: $c}) { video { id } } }",
        lambda w: {"id": gid(w.public_video), "c": "a\u0000b"},
    ),
    (
        "duration out of range",
        'mutation { postVideo(input: {caption: "c", visibility: PUBLIC, durationSeconds: 0}) { video { id } } }',
        None,
    ),
    (
        "NUL byte in a collection name",
        "mutation($n: String!) { createCollection(input: {name: $n}) { collection { id } } }",
        lambda w: {"n": "a\u0000b"},
    ),
    (
        "over-long bio",
        "mutation($b: String!) { updateProfile(input: {bio: $b}) { me { bio } } }",
        lambda w: {"b": "x" * 161},
    ),
    ("bad country", 'mutation { updateProfile(input: {country: "France"}) { me { country } } }', None),
    (
        "NUL byte in a username to look up",
        "query($u: String!) { user(username: $u) { id } }",
        lambda w: {"u": "vie\u0000wer"},
    ),
    (
        "NUL byte in a username to follow",
        "mutation($u: String!) { follow(input: {username: $u}) { status } }",
        lambda w: {"u": "cre\u0000ator"},
    ),
    (
        "NUL byte in a username to sign up",
        'mutation($u: String!) { signUp(input: {username: $u, password: "a-long-Passw0rd!", '
        'email: "n@example.com"}) { user { id } } }',
        lambda w: {"u": "new\u0000comer"},
    ),
    (
        "remixKind without a valid source",
        'mutation($id: ID!) { postVideo(input: {caption: "c", visibility: PUBLIC, durationSeconds: 5, '
        "remixOfId: $id}) { video { id } } }",
        lambda w: {"id": gid(w.public_video)},
    ),
]


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(("label", "document", "variables"), BAD_INPUTS, ids=[label for label, _, _ in BAD_INPUTS])
def test_bad_input_is_refused_and_changes_nothing(
    gql: Any, world: World, label: str, document: str, variables: Any
) -> None:
    """Given the signed-in creator (who owns the videos edited here), when they send input the
    API cannot accept, then exactly one BAD_USER_INPUT error, no 500, and the database is as it
    was."""
    before = db_state()

    response = gql(world.creator)(document, variables(world) if variables else None)

    error = assert_single_error(response, ErrorCode.BAD_USER_INPUT)
    assert error["message"]
    assert db_state() == before


def test_bad_input_by_anonymous_log_in_with_a_nul_byte_is_refused(gql: Any, world: World) -> None:
    """Given a username with a NUL byte (which PostgreSQL cannot even compare), when someone
    logs in with it, then a client error, never INTERNAL, and the client stays anonymous."""
    client = gql(None)

    response = client(
        'mutation($u: String!) { logIn(input: {username: $u, password: "whatever-1!"}) { user { id } } }',
        {"u": "vie\u0000wer"},
    )

    assert response.status == 200
    assert response.codes == [ErrorCode.BAD_USER_INPUT]
    assert client("{ me { id } }").data == {"me": None}


# The transport -----------------------------------------------------------------------------------

CREATE = 'mutation { createCollection(input: {name: "Sneaky"}) { collection { id } } }'


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", urlencode({"query": CREATE})),
        (
            "multipart/form-data; boundary=BoUnDaRy",
            f'--BoUnDaRy\r\nContent-Disposition: form-data; name="query"\r\n\r\n{CREATE}\r\n--BoUnDaRy--\r\n',
        ),
        ("text/plain", json.dumps({"query": CREATE})),
    ],
    ids=["form", "multipart", "text"],
)
@pytest.mark.parametrize("token", ["none", "wrong"])
def test_a_cross_site_post_from_a_signed_in_session_is_refused(
    gql: Any, world: World, content_type: str, body: str, token: str
) -> None:
    """Given a browser session with its CSRF cookie, when another site's page makes it POST
    what it can send without a CORS preflight (a form, or text) with no CSRF token or a wrong
    one, then 403 in coded JSON and nothing changes."""
    endpoint = gql(None).endpoint
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.viewer)
    browser.get("/auth/csrf/")
    assert "csrftoken" in browser.cookies
    headers = {"X-CSRFToken": "x" * 64} if token == "wrong" else {}
    before = db_state()

    response = browser.post(endpoint, data=body, content_type=content_type, headers=headers)

    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"] == {"code": "FORBIDDEN", "requestId": response["X-Request-ID"]}
    assert db_state() == before


def test_mutation_over_get_is_refused_and_changes_nothing(gql: Any, world: World) -> None:
    """Given a signed-in session, when a mutation arrives as a GET (a link or an <img> can send
    one), then it is refused with a client error and nothing changes."""
    client = gql(world.viewer)
    before = db_state()

    response = client.http.get(client.endpoint, {"query": CREATE})

    assert 400 <= response.status_code < 500
    assert db_state() == before


def test_query_over_get_still_works(gql: Any, world: World) -> None:
    """Control for the test above: GET serves queries, so the refusal is about mutations."""
    client = gql(world.viewer)

    response = client.http.get(client.endpoint, {"query": "{ me { username } }"})

    assert response.status_code == 200
    assert json.loads(response.content) == {"data": {"me": {"username": "viewer"}}}


@pytest.mark.parametrize(
    "document",
    [
        "{ me { nope } }",
        "{ video { id } }",  # A required argument is missing.
        "{ me { username ",  # Syntax error.
        "mutation { noSuchMutation { ok } }",
        "query($id: Int!) { video(id: $id) { id } }",  # Variable of the wrong type.
    ],
)
def test_invalid_documents_get_an_error_with_a_code_and_no_500(gql: Any, world: World, document: str) -> None:
    """Given a document the schema cannot run, then every error carries a code and the status
    is not 500."""
    response = gql(world.viewer)(document, {"id": 1} if "$id" in document else None)

    assert response.status < 500
    assert response.errors
    assert all(code for code in response.codes), response.body


@pytest.mark.parametrize("body", ["{not json", "[]", '"a string"', '{"query": 42}', "{}"])
def test_malformed_request_bodies_are_client_errors(gql: Any, world: World, body: str) -> None:
    """Given a body that is not a GraphQL request at all, then a 4xx answer, never a 500."""
    client = gql(world.viewer)

    response = client.http.post(
        client.endpoint, data=body, content_type="application/json", headers={"X-CSRFToken": client._csrf()}
    )

    assert 400 <= response.status_code < 500
