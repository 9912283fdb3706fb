"""Links to the files of a page of videos cost no query per video: the files' row comes with each
video in the page's own query, on every list that shows videos (tests/api/test_query_counts.py
holds the same lists to a fixed count without the links).

The links are signed without reading the files, so the rows name keys that hold no file here."""

from collections.abc import Callable
from typing import Any

import pytest

from accounts.models import User
from engagement import services
from engagement.analytics import ranking_refresh
from engagement.models import Video, VideoMedia
from tests.api.conftest import gid
from tests.api.test_query_counts import MAX_QUERIES, SIZES, count_queries
from tests.factories import make_follow, make_user, make_video

pytestmark = [pytest.mark.differential, pytest.mark.both_engines]

FILES = "id playbackUrl posterUrl"
PAGE = f"(first: $first) {{ edges {{ node {{ {FILES} }} }} }}"
ROWS = f"(first: $first) {{ edges {{ node {{ video {{ {FILES} }} }} }} }}"  # rows that point at videos
# Each list: the variables it declares beside $first, and its selection.
LISTS = {
    "forYou": ("", f"forYou{PAGE}"),
    "followingFeed": ("", f"me {{ followingFeed{PAGE} }}"),
    "user.videos": (", $owner: String!", f"user(username: $owner) {{ videos{PAGE} }}"),
    "search": ("", f'search(query: "clip") {{ videos{PAGE} }}'),
    "hashtag": ("", f'hashtag(name: "clip") {{ videos{PAGE} }}'),
    "favorites": ("", f"me {{ favorites{ROWS} }}"),
    "likedVideos": ("", f"me {{ likedVideos{PAGE} }}"),
    "notifications": ("", f"me {{ notifications{ROWS} }}"),
    "remixes": (", $id: ID!", f"video(id: $id) {{ remixes{PAGE} }}"),
}
OWN_VIDEOS = f"query($first: Int!) {{ me {{ videos{PAGE} }} }}"


def _with_files(video: Video) -> Video:
    key = f"videos/{video.pk}/k"
    VideoMedia.objects.create(video=video, playback=f"{key}/playback.mp4", poster=f"{key}/poster.jpg")
    return video


def _scene(size: int) -> tuple[User, User, Video]:
    """``size`` published videos with files by one owner, each a duet of one source (which has
    no files), tagged #clip, liked (which notifies the owner) and saved by a reader who follows
    the owner; the only videos there are, so that every list shows these."""
    Video.objects.all().delete()
    owner, reader = make_user(f"owner{size}"), make_user(f"reader{size}")
    make_follow(reader, owner)
    source = make_video(make_user(f"source{size}"), caption="the source")
    for index in range(size):
        video = _with_files(make_video(owner, caption=f"#clip {index}", remix_of_id=source.pk, remix_kind="DUET"))
        services.like_add(actor=reader, video_id=video.pk)
        services.favorite_add(actor=reader, video_id=video.pk)
    ranking_refresh.rank_videos()
    return owner, reader, source


def test_every_list_of_videos_with_links_costs_the_same_for_5_and_50(
    gql: Any, db: None, signing_clock: Callable[[float], None]
) -> None:
    """Given 5 and 50 videos with files, when each list shows them with their links (For You to an
    anonymous visitor: it leaves out what the reader saved; notifications to the owner), then each
    list costs the same few queries for both. The clock is stopped so that the answers with the
    speed-ups off and on sign the same links."""
    signing_clock(0)
    counts: dict[str, dict[int, int]] = {name: {} for name in LISTS}
    for size in SIZES:
        owner, reader, source = _scene(size)
        variables = {"first": size + 1, "id": gid(source), "owner": owner.username}
        for name, (declared, selection) in LISTS.items():
            query = f"query($first: Int!{declared}) {{ {selection} }}"
            client = gql({"forYou": None, "notifications": owner}.get(name, reader))
            response = client(query, variables)
            assert response.errors == [] and str(response.data).count("/media/") == 2 * size, (name, response.body)
            counts[name][size] = count_queries(client, query, variables)

    print(f"\nlists with playbackUrl and posterUrl, queries: {counts}")
    assert {name: by_size[5] for name, by_size in counts.items()} == {
        name: by_size[50] for name, by_size in counts.items()
    }
    assert max(by_size[50] for by_size in counts.values()) <= MAX_QUERIES


def test_the_owners_own_page_with_links_costs_the_same_for_5_and_50(
    gql: Any, db: None, signing_clock: Callable[[float], None]
) -> None:
    signing_clock(0)
    counts = {}
    for size in SIZES:
        owner = make_user(f"creator{size}")
        for index in range(size):
            _with_files(make_video(owner, caption=f"v{index}"))
        counts[size] = count_queries(gql(owner), OWN_VIDEOS, {"first": size})

    print(f"\nme.videos with playbackUrl and posterUrl: {counts}")
    assert counts[5] == counts[50] <= MAX_QUERIES
