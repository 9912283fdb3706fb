"""A page of either feed costs a fixed number of SQL queries whatever its size, with the fields a
client shows (owner, public counts, the viewer's flags), as ``tests/api/test_query_counts.py``
holds the other lists to. The counts include the session and auth middleware's own queries.

Run with ``-s`` to see the measured counts."""

from typing import Any

import pytest

from accounts.models import User
from engagement import services
from engagement.analytics import ranking_refresh
from engagement.models import Video
from tests.api.test_query_counts import MAX_QUERIES, SIZES, count_queries
from tests.factories import make_follow, make_user, make_video

# On each engine, every request answered with the speed-ups off and on too (tests/api/speedups_twin.py).
pytestmark = [pytest.mark.differential, pytest.mark.both_engines]

CARD = "id caption createdAt likeCount commentCount shareCount viewCount owner { username displayName }"
FLAGS = "viewerHasSaved viewerHasLiked"

FOLLOWING_FEED = f"""
query($first: Int!) {{
  me {{ followingFeed(first: $first) {{ pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {CARD} {FLAGS} }} }} }} }}
}}
"""

FOR_YOU_SIGNED_IN = f"""
query($first: Int!) {{
  forYou(first: $first) {{ pageInfo {{ hasNextPage endCursor }} edges {{ cursor node {{ {CARD} {FLAGS} }} }} }}
}}
"""

FOR_YOU_ANONYMOUS = f"""
query($first: Int!) {{
  forYou(first: $first) {{ pageInfo {{ hasNextPage endCursor }} edges {{ cursor node {{ {CARD} }} }} }}
}}
"""


def _creators_with_videos(prefix: str, size: int) -> list[User]:
    """Five creators with ``size`` videos between them, liked and saved by a fan, half of them
    ranked (the others stand at the fresh score)."""
    creators = [make_user(f"{prefix}{index}", display_name=f"Creator {index}") for index in range(5)]
    fan = make_user(f"{prefix}fan")
    for index in range(size):
        video = make_video(creators[index % len(creators)], caption=f"v{index}")
        if index % 2:
            services.like_add(actor=fan, video_id=video.pk)
        if index % 3 == 0:
            services.favorite_add(actor=fan, video_id=video.pk)
        if index == size // 2:
            ranking_refresh.rank_videos()
    return creators


def _reader_of(creators: list[User], name: str) -> User:
    """A reader who follows the creators and has liked and saved some of their videos."""
    reader = make_user(name)
    for creator in creators:
        make_follow(reader, creator)
    first_videos = Video.objects.filter(owner__in=creators).order_by("pk")[:4]
    for video in first_videos:
        services.like_add(actor=reader, video_id=video.pk)
    services.favorite_add(actor=reader, video_id=first_videos[0].pk)
    return reader


def test_a_following_feed_page_costs_the_same_for_5_and_50(gql: Any, db: None) -> None:
    counts = {}
    for size in SIZES:
        reader = _reader_of(_creators_with_videos(f"following{size}_", size), f"following_reader{size}")
        counts[size] = count_queries(gql(reader), FOLLOWING_FEED, {"first": size})

    print(f"\nme.followingFeed queries: {counts}")
    assert counts[5] == counts[50] <= MAX_QUERIES


def test_a_for_you_page_costs_the_same_for_5_and_50_signed_in_or_not(gql: Any, db: None) -> None:
    """Personalized for a signed-in reader (follows, likes, saves) and global for an anonymous
    visitor: the boosts and the left-out videos are subqueries of the page's one query."""
    counts: dict[str, dict[int, int]] = {"anonymous": {}, "signed in": {}}
    for size in SIZES:
        reader = _reader_of(_creators_with_videos(f"for_you{size}_", size), f"for_you_reader{size}")
        counts["anonymous"][size] = count_queries(gql(None), FOR_YOU_ANONYMOUS, {"first": size})
        counts["signed in"][size] = count_queries(gql(reader), FOR_YOU_SIGNED_IN, {"first": size})

    print(f"\nforYou queries: {counts}")
    for by_size in counts.values():
        assert by_size[5] == by_size[50] <= MAX_QUERIES


@pytest.mark.parametrize("size", SIZES)
def test_the_measured_feed_pages_hold_every_row_asked_for(gql: Any, db: None, size: int) -> None:
    """Control for the counts above: the pages really hold 5 and 50 videos (the for-you page
    fewer than all of them: the reader's own saved video is left out)."""
    reader = _reader_of(_creators_with_videos(f"control{size}_", size + 1), f"control_reader{size}")

    following = gql(reader)(FOLLOWING_FEED, {"first": size}).data["me"]["followingFeed"]["edges"]
    for_you = gql(reader)(FOR_YOU_SIGNED_IN, {"first": size}).data["forYou"]["edges"]

    assert len(following) == len(for_you) == size
