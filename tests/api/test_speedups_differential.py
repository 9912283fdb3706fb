"""``GRAPHQL_SPEEDUPS`` changes no answer: the role matrix, the fuzzer and the query-count suite
run with each request answered with the speed-ups off and on (tests/api/speedups_twin.py). These
tests show the comparison can fail, and that the switch turns each speed-up off."""

import json
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test import Client, RequestFactory
from pytest_django import Settings

from api import documents
from api.strawberry_schema import schema
from engagement.models import Video
from tests.api.conftest import ENDPOINTS, gid
from tests.api.speedups_twin import SpeedupsDiffer, speedups_twinned, twinned
from tests.factories import make_user, make_video

QUERY = json.dumps({"query": "{ __typename }"})


def _graphql_post() -> HttpRequest:
    return RequestFactory().post("/graphql/", QUERY, content_type="application/json")


def test_an_answer_that_depends_on_the_switch_is_caught(db: None) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        return JsonResponse({"data": {"fast": settings.GRAPHQL_SPEEDUPS}})

    with pytest.raises(SpeedupsDiffer, match="fast"):
        twinned(view)(_graphql_post())


def test_a_query_count_that_depends_on_the_switch_is_caught(db: None) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        if not settings.GRAPHQL_SPEEDUPS:
            Video.objects.count()
        return JsonResponse({"data": None})

    with pytest.raises(SpeedupsDiffer, match=r"at /1: speed-ups on: 0\nspeed-ups off: 1\n"):
        twinned(view)(_graphql_post())


def test_the_twin_leaves_no_row_behind(db: None) -> None:
    """The speed-ups-off answer runs in a savepoint rolled back: a write happens once."""
    owner = make_user("owner")

    def view(request: HttpRequest) -> HttpResponse:
        make_video(owner)
        return JsonResponse({"data": None})

    twinned(view)(_graphql_post())

    assert Video.objects.count() == 1


def test_both_answers_draw_the_same_ids(db: None) -> None:
    """A row the request inserts has the same id in both answers, on PostgreSQL too, where the
    rolled-back twin has advanced the table's sequence (a new draft's upload link names its id)."""
    owner = make_user("owner")

    def view(request: HttpRequest) -> HttpResponse:
        return JsonResponse({"data": {"id": make_video(owner).pk}})

    answer = twinned(view)(_graphql_post())  # SpeedupsDiffer if the ids differ

    assert json.loads(answer.content) == {"data": {"id": Video.objects.get().pk}}


def test_both_answers_sign_links_in_the_same_second(db: None) -> None:
    """A signed link (an upload link) names the second it was signed in: the twin's answer and
    the real one read the same stopped clock, even when a second ticks between them."""
    ticks = iter(range(1_000_000, 1_000_100))

    def view(request: HttpRequest) -> HttpResponse:
        with mock.patch("django.core.signing.time.time", lambda: float(next(ticks))):
            return JsonResponse({"data": {"link": signing.dumps("upload")}})

    answer = twinned(view)(_graphql_post())  # SpeedupsDiffer if the two links differ

    assert signing.loads(json.loads(answer.content)["data"]["link"]) == "upload"


@pytest.mark.parametrize("engine", sorted(ENDPOINTS))
def test_a_real_request_answers_alike_with_the_switch_off(engine: str, db: None) -> None:
    video = make_video(make_user("creator"))
    body = json.dumps(
        {"query": "query($id: ID!) { video(id: $id) { owner { username } } }", "variables": {"id": gid(video)}}
    )

    with speedups_twinned():
        response = Client().post(ENDPOINTS[engine], body, content_type="application/json")

    assert response.json()["data"]["video"]["owner"]["username"] == "creator"


def test_off_rows_load_through_model_init(db: None, settings: Settings) -> None:
    """``FastLoading`` builds rows without ``Model.__init__`` only with the switch on."""
    make_video(make_user("creator"))
    calls: list[Any] = []
    original = Video.__init__

    def counting_init(self: Video, *args: Any, **kwargs: Any) -> None:
        calls.append(1)
        original(self, *args, **kwargs)

    Video.__init__ = counting_init  # type: ignore[assignment, method-assign]
    try:
        list(Video.objects.all())
        on = len(calls)
        settings.GRAPHQL_SPEEDUPS = False
        list(Video.objects.all())
    finally:
        Video.__init__ = original  # type: ignore[method-assign]

    assert (on, len(calls) - on) == (0, 1)


@pytest.mark.parametrize("speedups", [True, False])
def test_only_on_documents_come_from_the_shared_cache(db: None, settings: Settings, speedups: bool) -> None:
    """The cached parse is a speed-up too: off, strawberry parses each document itself."""
    settings.GRAPHQL_SPEEDUPS = speedups

    with mock.patch.object(documents, "parse_document", wraps=documents.parse_document) as parse_document:
        result = schema.execute_sync("{ __typename }")

    assert result.data == {"__typename": "Query"}
    assert parse_document.called is speedups
