"""Transport rules, the same on both endpoints: JSON bodies only, no batching, no mutation over
GET, CSRF for sessions, and 400/413/415 (never 500) for malformed requests."""

import json

import pytest
from django.test import Client
from graphql_relay import to_global_id

from engagement.models import Favorite
from tests.api.conftest import ENDPOINTS
from tests.factories import make_user, make_video


@pytest.fixture
def client(db: None) -> Client:
    return Client()


def test_malformed_json_is_a_400(client: Client, engine: str) -> None:
    response = client.post(ENDPOINTS[engine], data="{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_an_oversize_body_is_a_413(client: Client, engine: str) -> None:
    body = json.dumps({"query": "{ me { id } }", "variables": {"pad": "x" * (1024 * 1024)}})

    response = client.post(ENDPOINTS[engine], data=body, content_type="application/json")

    assert response.status_code == 413


@pytest.mark.parametrize(
    ("content_type", "data"),
    [
        ("application/x-www-form-urlencoded", "query=%7B+me+%7B+id+%7D+%7D"),
        ("application/graphql", "{ me { id } }"),
        ("text/plain", '{"query": "{ me { id } }"}'),
    ],
)
def test_post_bodies_must_be_json(client: Client, engine: str, content_type: str, data: str) -> None:
    """Form and text bodies are what a cross-site form can send: refused outright."""
    response = client.post(ENDPOINTS[engine], data=data, content_type=content_type)

    assert response.status_code == 415


def test_batching_is_off(client: Client, engine: str) -> None:
    batch = json.dumps([{"query": "{ me { id } }"}, {"query": "{ me { id } }"}])

    response = client.post(ENDPOINTS[engine], data=batch, content_type="application/json")

    assert response.status_code == 400
    assert "Batched" in response.json()["errors"][0]["message"]


def test_a_body_without_a_query_string_is_a_400(client: Client, engine: str) -> None:
    response = client.post(ENDPOINTS[engine], data=json.dumps({"query": 5}), content_type="application/json")

    assert response.status_code == 400


def test_a_mutation_over_get_is_refused_and_changes_nothing(client: Client, engine: str) -> None:
    viewer, video = make_user("viewer"), make_video(make_user("creator"))
    client.force_login(viewer)
    video_id = to_global_id("Video", video.pk)
    query = f'mutation {{ favoriteVideo(input: {{videoId: "{video_id}"}}) {{ clientMutationId }} }}'

    response = client.get(ENDPOINTS[engine], {"query": query})

    assert response.status_code == 405
    assert not Favorite.objects.exists()


def test_a_query_over_get_works(client: Client, engine: str) -> None:
    response = client.get(ENDPOINTS[engine], {"query": "{ me { id } }"}, headers={"Accept": "application/json"})

    assert response.status_code == 200
    assert response.json()["data"] == {"me": None}


def test_a_session_post_without_the_csrf_token_is_refused(engine: str, db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("victim"))

    response = client.post(
        ENDPOINTS[engine],
        data=json.dumps({"query": 'mutation { createCollection(input: {name: "x"}) { clientMutationId } }'}),
        content_type="application/json",
    )

    assert response.status_code == 403


def test_every_response_carries_a_request_id(client: Client, engine: str) -> None:
    body = json.dumps({"query": "{ me { id } }"})

    response = client.post(ENDPOINTS[engine], data=body, content_type="application/json")

    assert len(response["X-Request-ID"]) == 32
