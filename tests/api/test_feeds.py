"""The two feeds: ``Me.followingFeed`` (the followees' videos, newest first) and ``Query.forYou``
(every video the viewer may see, best first by the For You score). Both show only what the viewer
may see (video visibility, private accounts, deactivated owners, blocks either way) and leave
out the accounts the viewer muted; forYou is personalized from the viewer's own rows alone, for a
session only, so nobody's saves or likes move anybody else's feed."""

from datetime import UTC, datetime
from typing import Any

import pytest

from accounts.models import Block, Mute, User
from accounts.tokens import access_token_create
from engagement import services
from engagement.analytics import ranking_refresh
from engagement.analytics.rollups import rollup_day
from engagement.models import Video, VideoRank, Visibility
from engagement.ranking import FOLLOWED_BOOST, FRESH_SCORE
from tests.api.conftest import GraphQLResponse
from tests.factories import make_follow, make_friends, make_user, make_video

pytestmark = pytest.mark.django_db

FOLLOWING_FEED = """
query($first: Int, $after: String) {
  me { followingFeed(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor } edges { node { caption } }
  } }
}
"""

FOR_YOU = """
query($first: Int, $after: String) {
  forYou(first: $first, after: $after) { pageInfo { hasNextPage endCursor } edges { node { caption } } }
}
"""


def _captions(response: GraphQLResponse, *path: str) -> list[str]:
    assert response.errors == [], response.errors
    connection = response.data
    for key in path:
        connection = connection[key]
    return [edge["node"]["caption"] for edge in connection["edges"]]


def following_feed(client: Any, **variables: Any) -> list[str]:
    return _captions(client(FOLLOWING_FEED, variables), "me", "followingFeed")


def for_you(client: Any, **variables: Any) -> list[str]:
    return _captions(client(FOR_YOU, variables), "forYou")


def walk(client: Any, query: str, *path: str, first: int) -> list[str]:
    """Every page from the first to the last, following ``endCursor``."""
    seen: list[str] = []
    after = None
    while True:
        response = client(query, {"first": first, "after": after})
        seen += _captions(response, *path)
        connection = response.data
        for key in path:
            connection = connection[key]
        if not connection["pageInfo"]["hasNextPage"]:
            return seen
        after = connection["pageInfo"]["endCursor"]


def ranked(owner: User, caption: str, score: float | None, **fields: Any) -> Video:
    """A video with a stored For You score (None: posted since the last ranking)."""
    video = make_video(owner, caption=caption, **fields)
    if score is not None:
        VideoRank.objects.create(video=video, score=score)
    return video


def token(user: User, *scopes: str) -> str:
    _, secret = access_token_create(actor=user, name="feeds", scopes=list(scopes))
    return secret


# Me.followingFeed --------------------------------------------------------------------------------


def test_the_following_feed_lists_the_followees_videos_newest_first(gql: Any) -> None:
    """Given the viewer follows a and b, asked to follow c (pending) and not d, then the feed
    holds a's and b's videos newest first, page after page, and nothing of c, d or the viewer."""
    me, a, b, c, d = (make_user(name) for name in ("me", "a", "b", "c", "d"))
    make_follow(me, a)
    make_follow(me, b)
    make_follow(me, c, accepted=False)
    for caption, owner in (("a1", a), ("b1", b), ("c1", c), ("d1", d), ("mine", me), ("a2", a), ("b2", b)):
        make_video(owner, caption=caption)
    client = gql(me)

    assert following_feed(client) == ["b2", "a2", "b1", "a1"]
    assert walk(client, FOLLOWING_FEED, "me", "followingFeed", first=1) == ["b2", "a2", "b1", "a1"]


def test_a_private_accounts_public_video_reaches_its_approved_followers_only(gql: Any) -> None:
    private = make_user("private", is_private=True)
    approved, pending = make_user("approved"), make_user("pending")
    make_follow(approved, private)
    make_follow(pending, private, accepted=False)
    make_video(private, caption="for approved followers")

    assert following_feed(gql(approved)) == ["for approved followers"]
    assert following_feed(gql(pending)) == []


def test_friends_videos_need_a_mutual_follow_and_private_videos_never_show(gql: Any) -> None:
    me, creator = make_user("me"), make_user("creator")
    make_follow(me, creator)
    make_video(creator, caption="public")
    make_video(creator, caption="friends", visibility=Visibility.FRIENDS)
    make_video(creator, caption="private", visibility=Visibility.PRIVATE)

    assert following_feed(gql(me)) == ["public"]
    make_follow(creator, me)
    assert following_feed(gql(me)) == ["friends", "public"]


def test_a_block_either_way_removes_an_account_from_the_following_feed(gql: Any) -> None:
    me, blocked_by_me, blocking_me, kept = (make_user(name) for name in ("me", "blocked", "blocking", "kept"))
    for creator in (blocked_by_me, blocking_me, kept):
        make_follow(me, creator)
        make_video(creator, caption=creator.username)
    Block.objects.create(blocker=me, blocked=blocked_by_me)
    Block.objects.create(blocker=blocking_me, blocked=me)

    assert following_feed(gql(me)) == ["kept"]


def test_a_mute_hides_an_account_from_the_muters_following_feed_alone(gql: Any) -> None:
    muter, other, muted = make_user("muter"), make_user("other"), make_user("muted")
    make_follow(muter, muted)
    make_follow(other, muted)
    make_video(muted, caption="muted's video")
    Mute.objects.create(muter=muter, muted=muted)

    assert following_feed(gql(muter)) == []
    assert following_feed(gql(other)) == ["muted's video"]


def test_a_deactivated_account_leaves_the_following_feed(gql: Any) -> None:
    me, gone = make_user("me"), make_user("gone")
    make_follow(me, gone)
    make_video(gone, caption="gone")
    User.objects.filter(pk=gone.pk).update(is_active=False)

    assert following_feed(gql(me)) == []


def test_the_following_feed_is_the_viewers_own(gql: Any) -> None:
    """Anonymous: ``me`` is null. A token needs PROFILE_READ, as ``Me.following`` does (the feed
    tells whom the viewer follows); an insights token is refused the field."""
    me, creator = make_user("me"), make_user("creator")
    make_follow(me, creator)
    make_video(creator, caption="hello")

    assert gql(None)(FOLLOWING_FEED).body == {"data": {"me": None}}
    assert following_feed(gql(token=token(me, "PROFILE_READ"))) == ["hello"]
    refused = gql(token=token(me, "INSIGHTS_READ"))(FOLLOWING_FEED)
    assert refused.codes == ["FORBIDDEN"] and refused.data == {"me": None}


# Query.forYou ------------------------------------------------------------------------------------


def test_an_anonymous_visitor_gets_the_global_ranking_best_first(gql: Any) -> None:
    """Stored scores decide, and a video posted since the last ranking stands at the fresh
    score, so it is seen before it has any engagement."""
    creator = make_user("creator")
    ranked(creator, "low", FRESH_SCORE - 3)
    ranked(creator, "best", FRESH_SCORE + 3)
    ranked(creator, "fresh", None)
    ranked(creator, "good", FRESH_SCORE + 1)

    assert for_you(gql(None)) == ["best", "good", "fresh", "low"]


def test_walking_for_you_pages_yields_every_video_once_best_first(gql: Any) -> None:
    """Ties in the score (two fresh videos, two equal scores) are broken by id, newest first, and
    a page boundary inside a tie neither skips nor repeats."""
    creator = make_user("creator")
    for caption, score in (("c", 2.0), ("a", 9.0), ("f1", None), ("d", 2.0), ("b", 7.0), ("f2", None), ("e", 1.0)):
        ranked(creator, caption, score)

    for first in (1, 2, 3, 100):
        assert walk(gql(None), FOR_YOU, "forYou", first=first) == ["a", "b", "f2", "f1", "d", "c", "e"]


def test_for_you_shows_only_what_the_viewer_may_see(gql: Any) -> None:
    """A hidden video ranks nowhere, however high its stored score: FRIENDS and PRIVATE videos,
    a private account's videos but to its approved followers, a deactivated owner's videos."""
    creator, private, gone = make_user("creator"), make_user("private", is_private=True), make_user("gone")
    friend, follower = make_user("friend"), make_user("follower")
    make_friends(friend, creator)
    make_follow(follower, private)
    ranked(creator, "public", 1.0)
    ranked(creator, "friends", 99.0, visibility=Visibility.FRIENDS)
    ranked(creator, "private", 99.0, visibility=Visibility.PRIVATE)
    ranked(private, "private account's", 99.0)
    ranked(gone, "deactivated owner's", 99.0)
    User.objects.filter(pk=gone.pk).update(is_active=False)

    assert for_you(gql(None)) == ["public"]
    assert for_you(gql(friend)) == ["friends", "public"]
    assert set(for_you(gql(follower))) == {"private account's", "public"}


def test_for_you_leaves_out_blocks_either_way_the_muters_mutes_and_the_viewers_own_videos(gql: Any) -> None:
    me, other = make_user("me"), make_user("other")
    blocked, blocking, muted, kept = (make_user(name) for name in ("blocked", "blocking", "muted", "kept"))
    for creator in (me, blocked, blocking, muted, kept):
        ranked(creator, creator.username, 1.0)
    Block.objects.create(blocker=me, blocked=blocked)
    Block.objects.create(blocker=blocking, blocked=me)
    Mute.objects.create(muter=me, muted=muted)

    assert for_you(gql(me)) == ["kept"]
    # Mutes shape what the muter is shown in person; a token's order must not tell them.
    assert set(for_you(gql(token=token(me, "INSIGHTS_READ")))) == {"kept", "muted"}
    assert set(for_you(gql(other))) == {"me", "blocked", "blocking", "muted", "kept"}


def test_followed_creators_rank_higher_for_their_followers_alone(gql: Any) -> None:
    me = make_user("me")
    followed, stranger = make_user("followed"), make_user("stranger")
    make_follow(me, followed)
    ranked(stranger, "stranger's", 5.0)
    ranked(followed, "followed's", 5.0 - FOLLOWED_BOOST / 2)

    assert for_you(gql(me)) == ["followed's", "stranger's"]
    assert for_you(gql(None)) == ["stranger's", "followed's"]
    assert for_you(gql(make_user("someone"))) == ["stranger's", "followed's"]


FEED_WITH_FLAGS = "{ forYou { edges { node { caption viewerHasSaved likeCount } } } }"


def _feed_of(client: Any) -> list[tuple[str, bool, int]]:
    edges = client(FEED_WITH_FLAGS).data["forYou"]["edges"]
    return [(edge["node"]["caption"], edge["node"]["viewerHasSaved"], edge["node"]["likeCount"]) for edge in edges]


def _creator_and_others() -> tuple[Video, datetime]:
    """A creator's two videos among three of someone else's, all ranked at one moment."""
    creator, other = make_user("creator"), make_user("other")
    target = make_video(creator, caption="target")
    make_video(creator, caption="creator's other")
    for index in range(3):
        make_video(other, caption=f"other's {index}")
    now = datetime.now(UTC)
    ranking_refresh.rank_videos(now=now)
    return target, now


def test_another_users_saves_never_move_my_feed(gql: Any) -> None:
    """Given B's personalized feed, when A saves a creator's video, even after the day's rollup
    and a ranking of the same hour, then B's feed is exactly as it was (a save enters the ranking
    only once its day has settled, released with noise), nothing tells B that anyone saved it,
    and only A's own feed changes: the saved video leaves it and its creator rises in it."""
    a, b = make_user("a"), make_user("b")
    target, now = _creator_and_others()
    before, before_a = _feed_of(gql(b)), for_you(gql(a))

    services.favorite_add(actor=a, video_id=target.pk)
    rollup_day(now.date(), now=now)
    ranking_refresh.rank_videos(now=now)

    assert _feed_of(gql(b)) == before
    assert not any(saved for _, saved, _ in before)
    assert "target" in before_a and "target" not in for_you(gql(a))
    assert for_you(gql(a))[0] == "creator's other"


def test_another_users_like_moves_my_feed_only_as_the_public_total_at_the_next_ranking(gql: Any) -> None:
    """A like is public as a total (``likeCount``): it enters the score at the next ranking,
    never as it happens, and only B's own likes boost creators in B's feed."""
    a, b = make_user("a"), make_user("b")
    target, now = _creator_and_others()
    before = [caption for caption, *_ in _feed_of(gql(b))]

    services.like_add(actor=a, video_id=target.pk)
    assert [caption for caption, *_ in _feed_of(gql(b))] == before

    ranking_refresh.rank_videos(now=now)
    after = _feed_of(gql(b))
    assert after[0] == ("target", False, 1)
    assert before.index("target") > 0


def test_a_token_reads_the_ranking_without_the_viewers_own_rows(gql: Any) -> None:
    """A token's scopes may not cover the viewer's follows, saves or views, and a personalized
    order would tell them: a token gets the ranking its owner may see, unpersonalized."""
    me, followed, stranger = make_user("me"), make_user("followed"), make_user("stranger")
    make_follow(me, followed)
    ranked(stranger, "stranger's", 5.0)
    ranked(followed, "followed's", 4.0)
    services.favorite_add(actor=me, video_id=ranked(stranger, "saved", 3.0).pk)

    assert for_you(gql(me)) == ["followed's", "stranger's"]
    for scopes in (("INSIGHTS_READ",), ("PROFILE_READ", "FAVORITES_READ")):
        assert for_you(gql(token=token(me, *scopes))) == ["stranger's", "followed's", "saved"]


def test_for_you_refuses_page_arguments_it_did_not_make(gql: Any) -> None:
    """``first`` outside 1..100, a made-up cursor, or a cursor of a time-ordered list (the
    following feed's): BAD_USER_INPUT naming the argument, never a page."""
    me, creator = make_user("me"), make_user("creator")
    make_follow(me, creator)
    ranked(creator, "v1", 1.0)
    ranked(creator, "v2", 2.0)
    time_cursor = gql(me)(FOLLOWING_FEED, {"first": 1}).data["me"]["followingFeed"]["pageInfo"]["endCursor"]

    for variables, field in (
        ({"first": 0}, "first"),
        ({"first": 101}, "first"),
        ({"after": "not a cursor"}, "after"),
        ({"first": 1, "after": time_cursor}, "after"),
    ):
        refused = gql(me)(FOR_YOU, variables)
        assert refused.codes == ["BAD_USER_INPUT"], variables
        assert refused.errors[0]["extensions"]["field"] == field
        assert refused.data is None
