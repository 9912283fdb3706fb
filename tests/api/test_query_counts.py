"""A page costs a fixed number of SQL queries whatever its size: no N+1 on favorites, a
creator's videos with insights, or a video's comments. The counts include the session and auth
middleware's own queries; what matters is that 5 rows and 50 rows cost the same.

Run with ``-s`` to see the measured counts."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import services as account_services
from accounts.models import User
from engagement import services
from engagement.models import Video
from tests.api.conftest import GraphQLClient, gid
from tests.factories import make_user, make_video

# On each engine, every request answered with the speed-ups off and on too (tests/api/speedups_twin.py).
pytestmark = [pytest.mark.differential, pytest.mark.both_engines]

MAX_QUERIES = 8
SIZES = (5, 50)

FAVORITES = """
query($first: Int!) {
  me {
    favorites(first: $first) {
      edges { node { id isAvailable collection { name } video {
        id caption likeCount commentCount viewCount viewerHasSaved viewerHasLiked
        owner { username displayName }
      } } }
    }
  }
}
"""

MY_VIDEOS = """
query($first: Int!) {
  me {
    videos(first: $first) {
      edges { node {
        id caption visibility likeCount viewerHasSaved owner { username }
        insights { saveCount likeCount viewCount downloadCount totalWatchSeconds averageWatchSeconds completionRate }
      } }
    }
  }
}
"""

COMMENTS = """
query($id: ID!, $first: Int!) {
  video(id: $id) {
    id commentCount
    comments(first: $first) { edges { node { id text createdAt author { username displayName } } } }
  }
}
"""


def count_queries(client: GraphQLClient, query: str, variables: dict[str, Any]) -> int:
    """SQL queries of one request (middleware included), after checking that it succeeded."""
    client("{ __typename }")  # Warm the session and CSRF cookies outside the measurement.
    with CaptureQueriesContext(connection) as queries:
        response = client(query, variables)
    assert response.errors == [], response.errors
    return len(queries)


def _owners(prefix: str, count: int) -> list[User]:
    return [make_user(f"{prefix}{index}", display_name=f"Owner {index}") for index in range(count)]


def _saver_with_favorites(size: int) -> User:
    """A saver with ``size`` favorites of videos by several owners, in two collections, some
    liked, one of them no longer available."""
    saver = make_user(f"saver{size}")
    owners = _owners(f"owner{size}_", 4)
    collections = [services.collection_create(actor=saver, name=f"c{index}") for index in range(2)]
    for index in range(size):
        video = make_video(owners[index % len(owners)], caption=f"v{index}")
        collection = collections[index % 2].pk if index % 3 else None
        services.favorite_add(actor=saver, video_id=video.pk, collection_id=collection)
        if index % 2:
            services.like_add(actor=saver, video_id=video.pk)
    Video.objects.filter(pk=video.pk).update(visibility="PRIVATE")  # The last one became unavailable.
    return saver


def test_favorites_page_costs_the_same_for_5_and_50(gql: Any, db: None) -> None:
    """Given savers with 5 and 50 favorites, when each lists them with their videos, owners and
    collections, then both requests cost the same few queries."""
    counts = {}
    for size in SIZES:
        saver = _saver_with_favorites(size)
        counts[size] = count_queries(gql(saver), FAVORITES, {"first": size})

    print(f"\nme.favorites queries: {counts}")
    assert counts[5] == counts[50] <= MAX_QUERIES


def test_own_videos_with_insights_cost_the_same_for_5_and_50(gql: Any, db: None) -> None:
    """Given creators with 5 and 50 videos of every visibility, when each lists them with their
    insights, then both requests cost the same few queries."""
    counts = {}
    for size in SIZES:
        creator = make_user(f"creator{size}", account_type="CREATOR")
        fan = make_user(f"fan{size}")
        for index in range(size):
            visibility = ("PUBLIC", "FRIENDS", "PRIVATE")[index % 3]
            video = make_video(creator, visibility=visibility)
            if index % 2:  # Saved by a fan where the fan may see it, by the creator otherwise.
                services.favorite_add(actor=fan if visibility == "PUBLIC" else creator, video_id=video.pk)
        counts[size] = count_queries(gql(creator), MY_VIDEOS, {"first": size})

    print(f"\nme.videos with insights queries: {counts}")
    assert counts[5] == counts[50] <= MAX_QUERIES


def test_video_comments_cost_the_same_for_5_and_50(gql: Any, db: None) -> None:
    """Given videos with 5 and 50 comments by different authors, when an anonymous viewer and a
    signed-in one read them, then the cost does not depend on the number of comments."""
    counts: dict[str, dict[int, int]] = {"anonymous": {}, "signed in": {}}
    reader = make_user("reader")
    for size in SIZES:
        owner = make_user(f"host{size}")
        video = make_video(owner)
        authors = _owners(f"author{size}_", 5)
        for index in range(size):
            services.comment_create(actor=authors[index % len(authors)], video_id=video.pk, text=f"c{index}")
        variables = {"id": gid(video), "first": size}
        counts["anonymous"][size] = count_queries(gql(None), COMMENTS, variables)
        counts["signed in"][size] = count_queries(gql(reader), COMMENTS, variables)

    print(f"\nvideo.comments queries: {counts}")
    for by_size in counts.values():
        assert by_size[5] == by_size[50] <= MAX_QUERIES


OWN_BLOCKS_AND_MUTES = """
query($first: Int!) {
  me {
    blockedUsers(first: $first) { edges { node { id username followerCount viewerHasBlocked viewerHasMuted } } }
    mutedUsers(first: $first) { edges { node { id username followerCount viewerHasBlocked viewerHasMuted } } }
  }
}
"""


def test_own_blocks_and_mutes_cost_the_same_for_5_and_50(gql: Any, db: None) -> None:
    """Given people who blocked and muted 5 and 50 accounts (some both), when each lists both with
    the viewer's flags on every row, then both requests cost the same few queries."""
    counts = {}
    for size in SIZES:
        person = make_user(f"blocker{size}")
        for index, other in enumerate(_owners(f"blocked{size}_", size)):
            account_services.user_block(actor=person, username=other.username)
            if index % 2:
                account_services.user_mute(actor=person, username=other.username)
        for other in _owners(f"muted{size}_", size):
            account_services.user_mute(actor=person, username=other.username)
        client = gql(person)
        counts[size] = count_queries(client, OWN_BLOCKS_AND_MUTES, {"first": size})
        listed = client(OWN_BLOCKS_AND_MUTES, {"first": size}).data["me"]
        assert [len(listed[name]["edges"]) for name in ("blockedUsers", "mutedUsers")] == [size, size]

    print(f"\nme.blockedUsers and me.mutedUsers queries: {counts}")
    assert counts[5] == counts[50] <= MAX_QUERIES


@pytest.mark.parametrize("size", SIZES)
def test_favorites_page_returns_every_row_asked_for(gql: Any, db: None, size: int) -> None:
    """Control for the counts above: the measured pages really hold 5 and 50 favorites."""
    saver = _saver_with_favorites(size)

    response = gql(saver)(FAVORITES, {"first": size})

    edges = response.data["me"]["favorites"]["edges"]
    assert len(edges) == size
    assert sum(1 for edge in edges if edge["node"]["video"] is None) == 1
