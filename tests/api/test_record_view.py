"""``recordView`` on both engines: how far a playback went, whether it replayed and on which kind
of device; what an older client that sends none of them records; and bad values refused with the
field they name, nothing written."""

from typing import Any

import pytest

from engagement import services
from engagement.models import View
from tests.api.cases import assert_data, assert_single_error
from tests.api.conftest import World, gid
from tests.domain.helpers import counters_of, db_state

pytestmark = pytest.mark.both_engines

RECORD = "mutation($input: RecordViewInput!) { recordView(input: $input) { video { viewCount } } }"
RECORDED = ("watched_seconds", "position_seconds", "completed", "replayed", "device", "traffic_source")


def record(client: Any, world: World, **playback: Any) -> Any:
    """The public video (30 seconds) watched as ``playback`` says, from the For You feed."""
    variables = {"input": {"videoId": gid(world.public_video), "trafficSource": "FOR_YOU", **playback}}
    return client(RECORD, variables)


def recorded(world: World) -> list[tuple[Any, ...]]:
    return list(View.objects.filter(video=world.public_video).order_by("pk").values_list(*RECORDED))


def test_a_playback_says_how_far_it_went_whether_it_replayed_and_on_what(gql: Any, world: World) -> None:
    """Given a viewer who watched 45 seconds of the 30-second video, starting it again once and
    reaching 20 seconds on a phone, then the view holds all of it and is not complete; the
    video's counters sum the position and count the replay."""
    before = counters_of(world.public_video)

    response = record(gql(world.viewer), world, watchedSeconds=45, watchPosition=20, replayed=True, device="PHONE")

    assert assert_data(response, ("recordView", "video")) == {"viewCount": before["view_count"] + 1}
    assert recorded(world) == [(45, 20, False, True, "PHONE", "FOR_YOU")]
    after = counters_of(world.public_video)
    assert (after["reached_seconds"], after["replay_count"]) == (before["reached_seconds"] + 20, 1)
    assert after["completion_count"] == before["completion_count"]


def test_a_view_is_complete_when_it_reached_the_end(gql: Any, world: World) -> None:
    """Complete means the position reached the end, however many seconds were played: 5 seconds
    after seeking to the end is complete, 40 seconds that never reached it is not."""
    client = gql(None)

    record(client, world, watchedSeconds=5, watchPosition=30)
    record(client, world, watchedSeconds=40, watchPosition=29, device="TABLET")

    assert [(completed, device) for _, _, completed, _, device, _ in recorded(world)] == [
        (True, "UNKNOWN"),
        (False, "TABLET"),
    ]
    assert counters_of(world.public_video)["completion_count"] == 1


@pytest.mark.parametrize(("watched", "position", "completed"), [(12, 12, False), (30, 30, True), (95, 30, True)])
def test_an_older_client_that_sends_seconds_alone_still_records(
    gql: Any, world: World, watched: int, position: int, completed: bool
) -> None:
    """Given only videoId, watchedSeconds and trafficSource, then the view reached as far as its
    seconds went (the end at most), did not replay, and came from an unknown device."""
    response = record(gql(world.viewer), world, watchedSeconds=watched)

    assert_data(response, ("recordView", "video"))
    assert recorded(world) == [(watched, position, completed, False, "UNKNOWN", "FOR_YOU")]


@pytest.mark.parametrize(
    ("playback", "field"),
    [
        ({"watchedSeconds": 10, "watchPosition": -1}, "watchPosition"),
        ({"watchedSeconds": 10, "watchPosition": 31}, "watchPosition"),
        ({"watchedSeconds": -3, "watchPosition": 2}, "watchedSeconds"),
    ],
    ids=["a negative position", "beyond the end", "negative seconds"],
)
def test_a_position_outside_the_video_is_refused_and_nothing_is_written(
    gql: Any, world: World, playback: dict[str, Any], field: str
) -> None:
    before = db_state()

    response = record(gql(world.viewer), world, **playback)

    error = assert_single_error(response, "BAD_USER_INPUT")
    assert error["extensions"]["field"] == field
    assert response.data == {"recordView": None}
    assert db_state() == before and recorded(world) == []


@pytest.mark.parametrize("device", ["LAPTOP", "phone", "Mozilla/5.0 (iPhone)"])
def test_a_device_outside_the_vocabulary_is_refused_and_nothing_is_written(gql: Any, world: World, device: str) -> None:
    """The device is an enum: any other value (a user agent included) is refused before the
    mutation runs."""
    before = db_state()

    response = record(gql(world.viewer), world, watchedSeconds=10, device=device)

    assert_single_error(response, "BAD_USER_INPUT")
    assert db_state() == before and recorded(world) == []


def test_a_draft_has_nothing_to_have_played_and_records_nothing(gql: Any, world: World) -> None:
    """Given the owner's draft (no file yet, duration 0), then recording a view of it is
    UNAVAILABLE and writes nothing: no view, no counter, no completion out of a zero length."""
    draft = services.video_draft(actor=world.creator, caption="not yet")
    before = db_state()

    response = gql(world.creator)(
        RECORD, {"input": {"videoId": gid(draft), "trafficSource": "FOR_YOU", "watchedSeconds": 100}}
    )

    assert_single_error(response, "UNAVAILABLE")
    assert response.data == {"recordView": None}
    assert db_state() == before and not View.objects.filter(video=draft).exists()
