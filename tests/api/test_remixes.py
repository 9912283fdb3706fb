"""``Video.remixOf`` and ``Video.remixes``: a duet or stitch points at its source, and a video
lists its remixes, both through the video visibility scope (docs/ARCHITECTURE.md, "Video
visibility"): a source the viewer may not see is ``null``, a remix they may not see is absent."""

from collections.abc import Callable
from typing import Any

import pytest

from accounts.models import Block, User
from engagement.models import RemixKind, Video, Visibility
from tests.api.cases import assert_data
from tests.api.conftest import gid
from tests.api.test_query_counts import MAX_QUERIES, SIZES, count_queries
from tests.factories import make_follow, make_friends, make_user, make_video

REMIX_OF = "query($id: ID!) { video(id: $id) { remixKind remixOf { id caption owner { username } } } }"
REMIXES = """
query($id: ID!, $first: Int, $after: String) {
  video(id: $id) {
    remixes(first: $first, after: $after) {
      edges { node { id remixKind remixOf { id } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""


def remix(source: Video, owner: User | None = None, kind: str = RemixKind.DUET, **fields: Any) -> Video:
    return make_video(owner or make_user(), remix_of_id=source.pk, remix_kind=kind, **fields)


def remix_ids(response: Any) -> list[str]:
    return [edge["node"]["id"] for edge in assert_data(response, ("video", "remixes", "edges"))]


def test_a_remix_names_its_source_and_an_original_names_none(gql: Any, db: None) -> None:
    """Given an original and a stitch of it, when anyone reads them, then the stitch's remixOf is
    the original (with its owner) and the original's is null."""
    singer = make_user("singer")
    original = make_video(singer, caption="original")
    stitch = remix(original, kind=RemixKind.STITCH)

    answers = [gql(None)(REMIX_OF, {"id": gid(video)}).body for video in (stitch, original)]

    assert answers == [
        {
            "data": {
                "video": {
                    "remixKind": "STITCH",
                    "remixOf": {"id": gid(original), "caption": "original", "owner": {"username": "singer"}},
                }
            }
        },
        {"data": {"video": {"remixKind": None, "remixOf": None}}},
    ]


def test_a_deleted_source_leaves_the_remix_without_one(gql: Any, db: None) -> None:
    source = make_video(make_user())
    duet = remix(source)
    Video.objects.filter(pk=source.pk).delete()

    response = gql(None)(REMIX_OF, {"id": gid(duet)})

    assert response.body == {"data": {"video": {"remixKind": "DUET", "remixOf": None}}}


# Who may see the source: each hides it from some, and returns one who may see it and those who may
# not (None: an anonymous visitor; a block is between two accounts, so it hides nothing from one).


def _private_video(source: Video) -> tuple[User, list[User | None]]:
    Video.objects.filter(pk=source.pk).update(visibility=Visibility.PRIVATE)
    return source.owner, [make_user(), None]


def _friends_video(source: Video) -> tuple[User, list[User | None]]:
    friend = make_user()
    make_friends(friend, source.owner)
    Video.objects.filter(pk=source.pk).update(visibility=Visibility.FRIENDS)
    follower_only = make_user()
    make_follow(follower_only, source.owner)
    return friend, [follower_only, None]


def _private_account(source: Video) -> tuple[User, list[User | None]]:
    follower = make_user()
    make_follow(follower, source.owner)
    User.objects.filter(pk=source.owner_id).update(is_private=True)
    return follower, [make_user(), None]


def _blocked_by_the_source_owner(source: Video) -> tuple[User, list[User | None]]:
    blocked = make_user()
    Block.objects.create(blocker=source.owner, blocked=blocked)
    return make_user(), [blocked]


def _blocking_the_source_owner(source: Video) -> tuple[User, list[User | None]]:
    blocker = make_user()
    Block.objects.create(blocker=blocker, blocked=source.owner)
    return make_user(), [blocker]


HIDDEN_SOURCES: dict[str, Callable[[Video], tuple[User, list[User | None]]]] = {
    "private video": _private_video,
    "friends video": _friends_video,
    "private account": _private_account,
    "blocked by its owner": _blocked_by_the_source_owner,
    "blocking its owner": _blocking_the_source_owner,
}


@pytest.mark.parametrize("hidden", sorted(HIDDEN_SOURCES))
def test_a_source_the_viewer_may_not_see_is_null_as_if_deleted(gql: Any, db: None, hidden: str) -> None:
    """Given a public duet of a video that some viewers may not see, then those read remixOf null
    without an error (the same answer as a deleted source) while one who may see the source gets it."""
    source = make_video(make_user())
    duet = remix(source)
    allowed, refused = HIDDEN_SOURCES[hidden](source)

    seen = gql(allowed)(REMIX_OF, {"id": gid(duet)})
    unseen = [gql(viewer)(REMIX_OF, {"id": gid(duet)}) for viewer in refused]

    assert assert_data(seen, ("video", "remixOf", "id")) == gid(source)
    for response in unseen:
        assert response.body == {"data": {"video": {"remixKind": "DUET", "remixOf": None}}}


# The remixes of a video -------------------------------------------------------------------------


def test_remixes_list_the_visible_duets_and_stitches_newest_first(gql: Any, db: None) -> None:
    """Given a public video with remixes of every visibility, one by an account that blocked the
    viewer and one by an account the viewer blocked, then the viewer's list holds the ones they
    may see, newest first, each naming the video as its source; the owner of a private remix
    sees theirs too."""
    viewer = make_user("watcher")
    source = make_video(make_user())
    friend = make_user()
    make_friends(viewer, friend)
    first_public = remix(source)
    friends_remix = remix(source, friend, visibility=Visibility.FRIENDS)
    private_remix = remix(source, kind=RemixKind.STITCH, visibility=Visibility.PRIVATE)
    strangers_friends_remix = remix(source, visibility=Visibility.FRIENDS)
    blocker, blocked = make_user(), make_user()
    blocker_remix, blocked_remix = remix(source, blocker), remix(source, blocked)
    Block.objects.create(blocker=blocker, blocked=viewer)
    Block.objects.create(blocker=viewer, blocked=blocked)
    last_public = remix(source, kind=RemixKind.STITCH)

    as_viewer = gql(viewer)(REMIXES, {"id": gid(source)})
    as_anonymous = gql(None)(REMIXES, {"id": gid(source)})
    as_private_owner = gql(private_remix.owner)(REMIXES, {"id": gid(source)})

    assert remix_ids(as_viewer) == [gid(last_public), gid(friends_remix), gid(first_public)]
    assert {edge["node"]["remixOf"]["id"] for edge in as_viewer.data["video"]["remixes"]["edges"]} == {gid(source)}
    assert remix_ids(as_anonymous) == [gid(last_public), gid(blocked_remix), gid(blocker_remix), gid(first_public)]
    assert gid(private_remix) in remix_ids(as_private_owner)
    assert gid(strangers_friends_remix) not in remix_ids(as_private_owner)


def test_remixes_are_keyset_paginated(gql: Any, db: None) -> None:
    source = make_video(make_user())
    remixes = [remix(source) for _ in range(5)]
    client = gql(None)

    first = client(REMIXES, {"id": gid(source), "first": 3})
    cursor = first.data["video"]["remixes"]["pageInfo"]["endCursor"]
    rest = client(REMIXES, {"id": gid(source), "first": 3, "after": cursor})

    assert remix_ids(first) + remix_ids(rest) == [gid(video) for video in reversed(remixes)]
    assert first.data["video"]["remixes"]["pageInfo"]["hasNextPage"] is True
    assert rest.data["video"]["remixes"]["pageInfo"]["hasNextPage"] is False


def test_a_video_the_viewer_may_not_see_lists_no_remixes(gql: Any, db: None) -> None:
    """A hidden video is missing, remixes and all: ``video`` is null without an error."""
    source = make_video(make_user(), visibility=Visibility.PRIVATE)
    remix(source, source.owner)

    response = gql(make_user())(REMIXES, {"id": gid(source)})

    assert response.body == {"data": {"video": None}}


# What a page of them costs -------------------------------------------------------------------------

USER_VIDEOS_WITH_SOURCES = """
query($name: String!, $first: Int!) {
  user(username: $name) {
    videos(first: $first) {
      edges { node { id remixOf { id caption likeCount viewerHasLiked owner { username displayName } } } }
    }
  }
}
"""
REMIXES_PAGE = """
query($id: ID!, $first: Int!) {
  video(id: $id) {
    remixes(first: $first) {
      edges { node { id caption likeCount viewerHasLiked remixKind owner { username } remixOf { id caption } } }
    }
  }
}
"""


@pytest.mark.differential
@pytest.mark.both_engines
def test_remix_sources_on_a_page_cost_the_same_for_5_and_50(gql: Any, db: None) -> None:
    """Given remixers with 5 and 50 remixes of videos by several owners (one source hidden from
    the reader), when a page of their videos is read with each source, then both pages cost the
    same few queries, and the hidden source is null."""
    reader = make_user("reader")
    counts = {}
    for size in SIZES:
        owners = [make_user(f"source_owner{size}_{index}") for index in range(4)]
        remixer = make_user(f"remixer{size}")
        sources = [make_video(owners[index % len(owners)]) for index in range(size)]
        for source in sources:
            remix(source, remixer)
        Video.objects.filter(pk=sources[0].pk).update(visibility=Visibility.PRIVATE)
        variables = {"name": remixer.username, "first": size}
        counts[size] = count_queries(gql(reader), USER_VIDEOS_WITH_SOURCES, variables)
        edges = gql(reader)(USER_VIDEOS_WITH_SOURCES, variables).data["user"]["videos"]["edges"]
        assert len(edges) == size and sum(edge["node"]["remixOf"] is None for edge in edges) == 1

    print(f"\nuser.videos with remixOf queries: {counts}")
    assert counts[5] == counts[50] <= MAX_QUERIES


@pytest.mark.differential
@pytest.mark.both_engines
def test_a_remixes_page_costs_the_same_for_5_and_50(gql: Any, db: None) -> None:
    reader = make_user("reader")
    counts = {}
    for size in SIZES:
        source = make_video(make_user(f"popular{size}"))
        for index in range(size):
            remix(source, kind=(RemixKind.DUET, RemixKind.STITCH)[index % 2])
        counts[size] = count_queries(gql(reader), REMIXES_PAGE, {"id": gid(source), "first": size})

    print(f"\nvideo.remixes queries: {counts}")
    assert counts[5] == counts[50] <= MAX_QUERIES
