"""Bursts of spam-prone mutations answer RATE_LIMITED with the wait, and change nothing."""

from pytest_django import Settings

from engagement.models import Like, VideoCounters
from tests.api.conftest import gid
from tests.factories import make_user, make_video

LIKE = "mutation($id: ID!) { likeVideo(input: {videoId: $id}) { video { likeCount } } }"
UNLIKE = "mutation($id: ID!) { unlikeVideo(input: {videoId: $id}) { video { likeCount } } }"


def test_a_like_burst_is_throttled_with_the_wait(gql, settings: Settings) -> None:
    settings.GRAPHQL_MUTATION_THROTTLES = {**settings.GRAPHQL_MUTATION_THROTTLES, "likeVideo": (3, 60)}
    liker, videos = make_user("liker"), [make_video(make_user(f"creator{n}")) for n in range(4)]
    client = gql(liker)

    answers = [client(LIKE, {"id": gid(video)}) for video in videos]

    assert [answer.codes for answer in answers[:3]] == [[], [], []]
    refused = answers[3]
    assert refused.codes == ["RATE_LIMITED"]
    assert 1 <= refused.errors[0]["extensions"]["retryAfter"] <= 60
    assert not Like.objects.filter(video=videos[3]).exists()
    assert VideoCounters.objects.get(video=videos[3]).like_count == 0


def test_throttles_count_per_action_and_per_user(gql, settings: Settings) -> None:
    """Another user, or another action, is not held back by one user's burst."""
    settings.GRAPHQL_MUTATION_THROTTLES = {"likeVideo": (1, 60), "unlikeVideo": (1, 60)}
    video = make_video(make_user("creator"))
    first, second = gql(make_user("first")), gql(make_user("second"))

    assert first(LIKE, {"id": gid(video)}).codes == []
    assert first(LIKE, {"id": gid(video)}).codes == ["RATE_LIMITED"]
    assert first(UNLIKE, {"id": gid(video)}).codes == []
    assert second(LIKE, {"id": gid(video)}).codes == []
