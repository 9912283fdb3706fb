"""Fault injection: a failure after the interaction row is written but before its counter or
notification leaves nothing behind (the service's transaction rolls back)."""

from unittest import mock

from engagement.models import Favorite, Like, Notification, VideoCounters
from tests.api.conftest import gid
from tests.factories import make_user, make_video

SAVE = "mutation($id: ID!) { favoriteVideo(input: {videoId: $id}) { favorite { id } } }"
LIKE = "mutation($id: ID!) { likeVideo(input: {videoId: $id}) { video { likeCount } } }"


def test_a_counter_failure_after_the_favorite_row_leaves_no_row(gql) -> None:
    viewer, video = make_user("viewer"), make_video(make_user("creator"))

    with mock.patch("engagement.counters.bump", side_effect=RuntimeError("counter store down")):
        response = gql(viewer)(SAVE, {"id": gid(video)})

    assert response.codes == ["INTERNAL"]
    assert not Favorite.objects.exists()
    assert VideoCounters.objects.get(video=video).save_count == 0


def test_a_notification_failure_after_the_like_row_leaves_no_like_and_no_count(gql) -> None:
    viewer, video = make_user("viewer"), make_video(make_user("creator"))

    with mock.patch("engagement.services._notify", side_effect=RuntimeError("queue down")):
        response = gql(viewer)(LIKE, {"id": gid(video)})

    assert response.codes == ["INTERNAL"]
    assert not Like.objects.exists() and not Notification.objects.exists()
    assert VideoCounters.objects.get(video=video).like_count == 0


def test_after_the_fault_the_same_action_succeeds(gql) -> None:
    """Nothing half-written blocks a retry (no orphan row tripping the unique pair)."""
    viewer, video = make_user("viewer"), make_video(make_user("creator"))
    with mock.patch("engagement.counters.bump", side_effect=RuntimeError("counter store down")):
        gql(viewer)(SAVE, {"id": gid(video)})

    retry = gql(viewer)(SAVE, {"id": gid(video)})

    assert retry.codes == []
    assert Favorite.objects.count() == 1 and VideoCounters.objects.get(video=video).save_count == 1
