"""Bursts of spam-prone mutations answer RATE_LIMITED with the wait, and change nothing."""

from types import SimpleNamespace

import pytest
from pytest_django import Settings

from engagement.models import Like, VideoCounters, View
from kernel import ratelimit
from tests.api.conftest import gid
from tests.factories import make_user, make_video, password_of


@pytest.fixture(autouse=True)
def clock_inside_one_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows slide over two buckets (kernel/ratelimit.py): a burst that straddled a bucket
    boundary would be weighed partly as the previous bucket's. Each test runs at one instant in
    the middle of a bucket, so its counts are exact."""
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_800_000_030.0))


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


LOG_IN = "mutation($u: String!, $p: String!) { logIn(input: {username: $u, password: $p}) { user { username } } }"
RECORD_VIEW = """mutation($id: ID!) {
  recordView(input: {videoId: $id, watchedSeconds: 3, trafficSource: FOR_YOU}) { video { id } }
}"""


def test_password_guessing_is_throttled_before_the_password_is_checked(gql, settings: Settings) -> None:
    """Once an address has spent its burst of sign-ins, on any usernames (a credential-stuffing
    run, which the per-username lockout never sees), even the right password is refused: the
    throttle runs first, so its answer tells a guesser nothing about the password."""
    limit, _ = settings.GRAPHQL_MUTATION_THROTTLES["logIn"]  # the shipped setting, not a test's
    make_user("victim")
    client = gql(None)

    guesses = [client(LOG_IN, {"u": f"someone-{n}", "p": f"guess-{n}"}) for n in range(limit)]
    right = client(LOG_IN, {"u": "victim", "p": password_of("victim")})

    assert [answer.codes for answer in guesses] == [["UNAUTHENTICATED"]] * limit
    assert right.codes == ["RATE_LIMITED"]
    assert right.data == {"logIn": None} or right.data is None


def test_recorded_views_are_throttled_and_the_refused_one_is_not_counted(gql, settings: Settings) -> None:
    limit, _ = settings.GRAPHQL_MUTATION_THROTTLES["recordView"]
    video = make_video(make_user("creator"))
    client = gql(make_user("watcher"))

    answers = [client(RECORD_VIEW, {"id": gid(video)}) for _ in range(limit + 1)]

    assert [answer.codes for answer in answers] == [[]] * limit + [["RATE_LIMITED"]]
    assert View.objects.filter(video=video).count() == limit
    assert VideoCounters.objects.get(video=video).view_count == limit


@pytest.mark.parametrize(
    ("hops", "first", "second", "shared"),
    [
        pytest.param(0, "203.0.113.1", "203.0.113.2", True, id="no-proxy-ignores-the-header"),
        pytest.param(1, "203.0.113.1", "203.0.113.2", False, id="behind-a-proxy-each-client-counts"),
        pytest.param(1, "forged, 203.0.113.9", "also-forged, 203.0.113.9", True, id="forged-entries-do-not-help"),
    ],
)
def test_anonymous_clients_are_told_apart_by_the_address_our_proxy_saw(
    gql, settings: Settings, hops: int, first: str, second: str, shared: bool
) -> None:
    """Behind a proxy every request comes from the proxy's address: without X-Forwarded-For one
    guesser would lock everyone out of logIn. Only the entry our own proxy wrote is believed."""
    settings.TRUSTED_PROXY_HOPS = hops
    settings.GRAPHQL_MUTATION_THROTTLES = {**settings.GRAPHQL_MUTATION_THROTTLES, "logIn": (1, 300)}
    make_user("someone")
    guess = {"u": "someone", "p": "wrong"}

    assert gql(None)(LOG_IN, guess, X_FORWARDED_FOR=first).codes == ["UNAUTHENTICATED"]
    answer = gql(None)(LOG_IN, guess, X_FORWARDED_FOR=second)

    assert answer.codes == (["RATE_LIMITED"] if shared else ["UNAUTHENTICATED"])


START_UPLOAD = """mutation {
  startVideoUpload(input: {caption: "c", visibility: PUBLIC, contentType: "video/mp4", sizeBytes: 1000}) {
    video { id }
  }
}"""


def test_an_upload_burst_is_throttled_and_makes_no_draft(gql, settings: Settings) -> None:
    """Each upload stores a file: a script cannot open drafts without end."""
    settings.GRAPHQL_MUTATION_THROTTLES = {**settings.GRAPHQL_MUTATION_THROTTLES, "startVideoUpload": (2, 3600)}
    creator = make_user("uploader")
    client = gql(creator)

    answers = [client(START_UPLOAD) for _ in range(3)]

    assert [answer.codes for answer in answers] == [[], [], ["RATE_LIMITED"]]
    assert creator.videos.count() == 2
