"""One user's own requests racing through the API on PostgreSQL, on both engines: 30 clients of
the same account saving, unsaving, liking and unliking one video at once. Every request answers
without an error code (no INTERNAL, no NOT_FOUND for a lost race; a retryable TIMEOUT is retried)
and the totals equal the rows."""

import random
import time
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from engagement.counters import counter_drift, totals
from engagement.models import Favorite, Like, Video
from tests.api.conftest import gid
from tests.api.test_concurrency_postgres import LIKE, RETRIED, SAVE, UNSAVE, run_clients
from tests.factories import make_user, make_video

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CLIENTS = 30
REQUESTS_PER_CLIENT = 8
UNLIKE = "mutation($id: ID!) { unlikeVideo(input: {videoId: $id}) { video { id } } }"


def test_one_user_on_30_clients_saving_unsaving_liking_and_unliking(engine: str, settings: Settings) -> None:
    # One account sends all the requests here: its burst throttles would answer most of them.
    settings.GRAPHQL_MUTATION_THROTTLES = {}
    me, video = make_user("saver"), make_video(make_user("creator"))
    variables = {"id": gid(video)}

    def script(client: Client, index: int) -> list[tuple[str, dict[str, Any]]]:
        chooser = random.Random(index)
        return [(chooser.choice((SAVE, UNSAVE, LIKE, UNLIKE)), variables) for _ in range(REQUESTS_PER_CLIENT)]

    started = time.monotonic()
    outcomes = run_clients(engine, [me] * CLIENTS, script)

    shown = totals(Video.objects.get(pk=video.pk))
    saved = Favorite.objects.filter(user=me, video=video).count()
    liked = Like.objects.filter(user=me, video=video).count()
    print(
        f"\n[{engine}] one user on {CLIENTS} clients, {sum(outcomes.values())} requests in "
        f"{time.monotonic() - started:.2f}s: {dict(outcomes)}; save_count={shown['save_count']} rows={saved}, "
        f"like_count={shown['like_count']} rows={liked}"
    )
    assert set(outcomes) - {RETRIED} == {"ok"}
    assert (shown["save_count"], shown["like_count"]) == (saved, liked)
    assert counter_drift() == []
