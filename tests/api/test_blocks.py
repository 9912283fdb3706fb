"""Blocks and mutes over the API ("Blocks and mutes", docs/ARCHITECTURE.md).

A block hides two people from each other everywhere, whichever of them blocked: each answers the
other as a missing account would, in profiles, node lookups, videos (through favorites,
notifications and liked videos too), comments, follow lists, notifications and mentions. A mute
hides the muted person's notifications from the muter alone. Neither notifies anyone, and whom
a person blocked or muted is theirs alone."""

import json
from typing import Any

import pytest
from django.conf import settings

from accounts import services as account_services
from accounts.models import Block, Follow, Mute, User
from accounts.scopes import Scope
from accounts.tokens import access_token_create
from engagement import services
from engagement.counters import counter_drift
from engagement.models import Notification, NotificationKind
from kernel.errors import ErrorCode
from tests.api.cases import assert_data, assert_denied, assert_single_error
from tests.api.conftest import World, gid, missing_gid
from tests.domain.helpers import db_state
from tests.factories import make_follow, make_user, make_video

# Who blocks whom: the creator and the viewer are friends (mutual follows), the viewer saved and
# liked the creator's public video, and that like notified the creator.
BOTH_WAYS = pytest.mark.parametrize(("blocker", "blocked"), [("creator", "viewer"), ("viewer", "creator")])

PROFILE = "query($name: String!) { user(username: $name) { id username } }"
NODE = "query($id: ID!) { node(id: $id) { id } }"
BLOCK = "mutation($name: String!) { blockUser(input: {username: $name}) { blockedUserId blocked } }"
UNBLOCK = "mutation($name: String!) { unblockUser(input: {username: $name}) { removed user { id viewerHasBlocked } } }"
MUTE = "mutation($name: String!) { muteUser(input: {username: $name}) { muted user { id viewerHasMuted } } }"
UNMUTE = "mutation($name: String!) { unmuteUser(input: {username: $name}) { removed user { id viewerHasMuted } } }"
FOLLOW = "mutation($name: String!) { follow(input: {username: $name}) { status } }"
NOTIFICATIONS = "{ me { unreadNotificationCount notifications { edges { node { id kind actor { username } } } } } }"


def block(world: World, blocker: str, blocked: str) -> None:
    account_services.user_block(actor=world.user(blocker), username=blocked)  # type: ignore[arg-type]


def user_of(world: World, role: str) -> User:
    user = world.user(role)
    assert user is not None
    return user


def usernames(edges: list[dict[str, Any]]) -> list[str]:
    return [edge["node"]["username"] for edge in edges]


# Hidden from each other: profiles and videos ---------------------------------------------------------


@BOTH_WAYS
def test_each_profile_answers_the_other_as_a_missing_account(
    gql: Any, world: World, blocker: str, blocked: str
) -> None:
    """Given a block, when either of the two asks for the other by username or by global ID, then
    the answer is byte for byte that for an account that does not exist; a third person still
    finds both."""
    block(world, blocker, blocked)
    for asker, other in ((blocker, blocked), (blocked, blocker)):
        client = gql(world.user(asker))

        assert client(PROFILE, {"name": other}).body == client(PROFILE, {"name": "nobody_at_all"}).body
        hidden = client(NODE, {"id": gid(user_of(world, other))})
        assert hidden.body == client(NODE, {"id": missing_gid("User")}).body == {"data": {"node": None}}

    third = gql(world.other_viewer)
    assert assert_data(third(PROFILE, {"name": blocker}), ("user", "username")) == blocker
    assert assert_data(third(PROFILE, {"name": blocked}), ("user", "username")) == blocked


@BOTH_WAYS
def test_each_others_videos_are_missing_by_every_path(gql: Any, world: World, blocker: str, blocked: str) -> None:
    """Given the viewer saved and liked the creator's public video, when either blocks the other,
    then the viewer finds it nowhere: not by ID, not in their favorites (kept, unavailable), not
    in their liked videos, nor in the liked videos another person shows everyone. The creator no
    longer sees the viewer's like notification. A third person still sees the video."""
    block(world, blocker, blocked)
    viewer, creator = gql(world.viewer), gql(world.creator)
    video_id = gid(world.public_video)

    by_id = viewer("query($id: ID!) { video(id: $id) { id } node(id: $id) { id } }", {"id": video_id})
    favorites = viewer("{ me { favorites { edges { node { id isAvailable video { id } } } } } }")
    liked = viewer("{ me { likedVideos { edges { node { id } } } } }")
    theirs = viewer(
        "query($name: String!) { user(username: $name) { likedVideos { edges { node { id } } } } }",
        {"name": "other_viewer"},
    )

    assert by_id.body == {"data": {"video": None, "node": None}}
    assert assert_data(favorites, ("me", "favorites", "edges")) == [
        {"node": {"id": gid(world.favorite), "isAvailable": False, "video": None}}
    ]
    assert assert_data(liked, ("me", "likedVideos", "edges")) == []
    assert assert_data(theirs, ("user", "likedVideos", "edges")) == []
    notifications = assert_data(creator(NOTIFICATIONS), ("me",))
    assert notifications == {"unreadNotificationCount": 1, "notifications": {"edges": [notifications_edge(world)]}}
    third = gql(world.other_viewer)("query($id: ID!) { video(id: $id) { id } }", {"id": video_id})
    assert assert_data(third, ("video", "id")) == video_id


def notifications_edge(world: World) -> dict[str, Any]:
    """The creator's one notification left: the other viewer's like."""
    left = Notification.objects.get(recipient=world.creator, actor=world.other_viewer)
    return {"node": {"id": gid(left), "kind": "LIKE", "actor": {"username": "other_viewer"}}}


def test_a_favorite_of_a_blocked_owners_video_stays_removable(gql: Any, world: World) -> None:
    """Video visibility: a favorite that became unavailable through a block is still the saver's to
    remove, and the payload names it without the video."""
    block(world, "creator", "viewer")

    response = gql(world.viewer)(
        "mutation($id: ID!) { unfavoriteVideo(input: {videoId: $id}) { removed removedFavoriteId video { id } } }",
        {"id": gid(world.public_video)},
    )

    assert assert_data(response, ("unfavoriteVideo",)) == {
        "removed": True,
        "removedFavoriteId": gid(world.favorite),
        "video": None,
    }


DELETE_COMMENT = "mutation($id: ID!) { deleteComment(input: {commentId: $id}) { deletedCommentId video { id } } }"
UNLIKE = "mutation($id: ID!) { unlikeVideo(input: {videoId: $id}) { video { id } } }"


@BOTH_WAYS
def test_the_viewers_own_comments_replies_and_likes_stay_removable_across_a_block(
    gql: Any, world: World, blocker: str, blocked: str
) -> None:
    """One's own words and likes are one's own to take back, also on a video or in a thread a
    block now hides: the comment, the reply and the like go, and the payload shows no video."""
    on_creators = services.comment_create(actor=world.viewer, video_id=world.public_video.pk, text="mine")
    top = services.comment_create(actor=world.creator, video_id=world.other_creator_video.pk, text="top")
    reply = services.comment_create(
        actor=world.viewer, video_id=world.other_creator_video.pk, text="my reply", reply_to_id=top.pk
    )
    block(world, blocker, blocked)
    viewer = gql(world.viewer)

    deleted = [viewer(DELETE_COMMENT, {"id": gid(comment)}) for comment in (on_creators, reply)]
    unliked = viewer(UNLIKE, {"id": gid(world.public_video)})

    assert [assert_data(answer, ("deleteComment",))["deletedCommentId"] for answer in deleted] == [
        gid(on_creators),
        gid(reply),
    ]
    assert deleted[0].data["deleteComment"]["video"] is None
    assert assert_data(unliked, ("unlikeVideo",)) is not None and unliked.data["unlikeVideo"]["video"] is None
    assert not world.viewer.likes.exists() and not world.viewer.comments.exists()
    assert counter_drift() == []


def test_someone_elses_comment_hidden_by_a_block_stays_out_of_reach(gql: Any, world: World) -> None:
    """Only one's own rows are reachable through a block: the owner still cannot delete the
    blocked person's comment, nor anyone unlike for someone else."""
    theirs = services.comment_create(actor=world.viewer, video_id=world.public_video.pk, text="theirs")
    block(world, "creator", "viewer")

    response = gql(world.creator)(DELETE_COMMENT, {"id": gid(theirs)})

    assert_single_error(response, ErrorCode.NOT_FOUND)
    assert world.viewer.comments.filter(pk=theirs.pk).exists()


def test_a_reply_in_a_thread_a_block_hides_notifies_no_one_it_hides_from(gql: Any, world: World) -> None:
    """The creator blocked the viewer; a third person's reply in the creator's thread that answers
    or mentions the viewer is not shown to the viewer, who could not read it."""
    top = services.comment_create(actor=world.creator, video_id=world.other_creator_video.pk, text="top")
    mine = services.comment_create(
        actor=world.viewer, video_id=world.other_creator_video.pk, text="me too", reply_to_id=top.pk
    )
    block(world, "creator", "viewer")
    before = assert_data(gql(world.viewer)(NOTIFICATIONS), ("me",))
    services.comment_create(
        actor=world.other_viewer,
        video_id=world.other_creator_video.pk,
        text="@viewer agreed",
        reply_to_id=mine.pk,
    )
    assert Notification.objects.filter(recipient=world.viewer, actor=world.other_viewer).exists()

    response = gql(world.viewer)(NOTIFICATIONS)

    assert assert_data(response, ("me",)) == before


# Comments -------------------------------------------------------------------------------------------

COMMENTS = "query($id: ID!) { video(id: $id) { comments { edges { node { text author { username } } } } } }"


@BOTH_WAYS
def test_comments_of_the_other_are_hidden_on_a_video_both_see(
    gql: Any, world: World, blocker: str, blocked: str
) -> None:
    """Given both commented on a third person's video, when either blocks the other, then each
    reads only their own comment there, and the other's by ID is missing; a third person reads
    both."""
    video = world.other_creator_video
    comments = {
        role: services.comment_create(actor=user_of(world, role), video_id=video.pk, text=f"by {role}")
        for role in (blocker, blocked)
    }
    block(world, blocker, blocked)

    for asker, other in ((blocker, blocked), (blocked, blocker)):
        client = gql(world.user(asker))
        edges = assert_data(client(COMMENTS, {"id": gid(video)}), ("video", "comments", "edges"))
        assert [edge["node"]["text"] for edge in edges] == [f"by {asker}"]
        assert client(NODE, {"id": gid(comments[other])}).body == {"data": {"node": None}}

    edges = assert_data(gql(world.other_viewer)(COMMENTS, {"id": gid(video)}), ("video", "comments", "edges"))
    assert sorted(edge["node"]["text"] for edge in edges) == sorted(f"by {role}" for role in (blocker, blocked))


def test_the_owner_cannot_reach_a_blocked_persons_comment_on_their_video(gql: Any, world: World) -> None:
    """Given the other viewer commented on the creator's video, when the creator blocks them,
    then to the creator that comment is missing, in deletion too (NOT_FOUND, nothing changed)."""
    comment = services.comment_create(actor=world.other_viewer, video_id=world.public_video.pk, text="hi")
    block(world, "creator", "other_viewer")
    before = db_state()

    response = gql(world.creator)(
        "mutation($id: ID!) { deleteComment(input: {commentId: $id}) { deletedCommentId } }", {"id": gid(comment)}
    )

    assert_single_error(response, ErrorCode.NOT_FOUND)
    assert db_state() == before


# Follows, follow lists and requests -------------------------------------------------------------------

FOLLOW_LISTS = """
{ me {
  followers { edges { node { username } } }
  following { edges { node { username } } }
  followRequests { edges { node { username } } }
} }
"""


@BOTH_WAYS
def test_following_across_a_block_is_not_found_either_way(gql: Any, world: World, blocker: str, blocked: str) -> None:
    """Given a block, when either follows the other, then NOT_FOUND exactly as for a missing
    account, and nothing changes."""
    block(world, blocker, blocked)
    before = db_state()
    for asker, other in ((blocker, blocked), (blocked, blocker)):
        client = gql(world.user(asker))

        hidden = client(FOLLOW, {"name": other})

        assert hidden.body == client(FOLLOW, {"name": "nobody_at_all"}).body
        assert_single_error(hidden, ErrorCode.NOT_FOUND)
    assert db_state() == before


@BOTH_WAYS
def test_follow_lists_never_show_the_other(gql: Any, world: World, blocker: str, blocked: str) -> None:
    """Given a block, and follow rows between the two that a concurrent follow could have left
    (made here directly), then neither finds the other among followers, following or requests."""
    block(world, blocker, blocked)
    make_follow(user_of(world, blocker), user_of(world, blocked))
    make_follow(user_of(world, blocked), user_of(world, blocker), accepted=False)

    for asker in (blocker, blocked):
        lists = assert_data(gql(world.user(asker))(FOLLOW_LISTS), ("me",))
        assert {name: usernames(value["edges"]) for name, value in lists.items()} == {
            "followers": [],
            "following": [],
            "followRequests": [],
        }


def test_a_block_ends_a_pending_request_and_its_approval(gql: Any, world: World) -> None:
    """Given the viewer asked to follow the private account, when the private account blocks the
    viewer, then the request is gone: not listed, and approving it is NOT_FOUND."""
    services.follow(actor=world.viewer, username="private_account")
    block(world, "private_account", "viewer")
    client = gql(world.private_account)

    approve = client('mutation { approveFollowRequest(input: {username: "viewer"}) { user { id } } }')

    assert assert_data(client(FOLLOW_LISTS), ("me", "followRequests", "edges")) == []
    assert_single_error(approve, ErrorCode.NOT_FOUND)
    assert not Follow.objects.filter(follower=world.viewer, followee=world.private_account).exists()


def test_a_block_ends_both_follows_and_moves_the_counters_once(gql: Any, world: World) -> None:
    """Given friends (two accepted follows), when one blocks the other twice (a double tap), then
    both follows end, each counter moves by one once, and every counter equals its rows."""
    client = gql(world.creator)

    first = client(BLOCK, {"name": "viewer"})
    again = client(BLOCK, {"name": "viewer"})

    assert assert_data(first, ("blockUser",)) == {"blockedUserId": gid(world.viewer), "blocked": True}
    assert assert_data(again, ("blockUser",)) == {"blockedUserId": gid(world.viewer), "blocked": False}
    assert Block.objects.filter(blocker=world.creator, blocked=world.viewer).count() == 1
    both = User.objects.filter(pk__in=[world.creator.pk, world.viewer.pk])
    assert list(both.values_list("follower_count", "following_count")) == [(0, 0), (0, 0)]
    assert counter_drift() == []


def test_unblocking_brings_back_the_profile_but_not_the_follows(gql: Any, world: World) -> None:
    """Given the creator blocked their friend the viewer, when the creator unblocks them (twice),
    then the second call removes nothing, both see each other again, and the ended follows stay
    ended."""
    block(world, "creator", "viewer")
    client = gql(world.creator)

    first = client(UNBLOCK, {"name": "viewer"})
    again = client(UNBLOCK, {"name": "viewer"})

    assert assert_data(first, ("unblockUser",)) == {
        "removed": True,
        "user": {"id": gid(world.viewer), "viewerHasBlocked": False},
    }
    assert assert_data(again, ("unblockUser", "removed")) is False
    assert assert_data(gql(world.viewer)(PROFILE, {"name": "creator"}), ("user", "username")) == "creator"
    assert (
        not Follow.objects.filter(follower__in=[world.creator, world.viewer])
        .filter(followee__in=[world.creator, world.viewer])
        .exists()
    )


# Blocking someone who blocked you; what the blocked person learns ------------------------------------


def test_blocking_someone_who_blocked_you_answers_as_a_missing_account(gql: Any, world: World) -> None:
    """Given the creator blocked the viewer, when the viewer tries to block, unblock, mute or
    unmute the creator, then each answers exactly as for a username that does not exist, and
    nothing changes: a success would tell the viewer that the account lives and hides from them.
    The creator's own block stands."""
    block(world, "creator", "viewer")
    client = gql(world.viewer)
    before = db_state()

    for document in (BLOCK, UNBLOCK, MUTE, UNMUTE):
        hidden = client(document, {"name": "creator"})

        assert hidden.body == client(document, {"name": "nobody_at_all"}).body
        assert_single_error(hidden, ErrorCode.NOT_FOUND)
    assert db_state() == before
    assert Block.objects.filter(blocker=world.creator, blocked=world.viewer).exists()


def test_the_blocked_person_learns_nothing_from_their_own_lists_and_flags(gql: Any, world: World) -> None:
    """Given the creator blocked the viewer, then the viewer's own lists of blocks and mutes are
    empty, their export names no one who blocked them, and nothing was written to either
    person's notifications."""
    before = Notification.objects.count()
    block(world, "creator", "viewer")

    response = gql(world.viewer)(
        "{ me { blockedUsers { edges { node { id } } } mutedUsers { edges { node { id } } } export } }"
    )

    me = assert_data(response, ("me",))
    assert me["blockedUsers"]["edges"] == me["mutedUsers"]["edges"] == []
    assert me["export"]["account"]["blocked"] == me["export"]["account"]["muted"] == []
    assert "creator" not in json.dumps(me["export"]["account"])
    assert Notification.objects.count() == before


def test_the_viewers_flags_tell_their_own_doing_only(gql: Any, world: World) -> None:
    """Given the creator blocked the other viewer and muted the viewer, then a third person sees
    no flag set on either (someone else's block or mute is not theirs to know), and the creator
    sees their mute on the viewer."""
    block(world, "creator", "other_viewer")
    account_services.user_mute(actor=world.creator, username="viewer")
    flags = "query($name: String!) { user(username: $name) { viewerHasBlocked viewerHasMuted } }"

    third = gql(world.other_creator)
    for name in ("viewer", "other_viewer"):
        assert assert_data(third(flags, {"name": name}), ("user",)) == {
            "viewerHasBlocked": False,
            "viewerHasMuted": False,
        }
    mine = gql(world.creator)(flags, {"name": "viewer"})
    assert assert_data(mine, ("user",)) == {"viewerHasBlocked": False, "viewerHasMuted": True}


# Notifications and mentions ---------------------------------------------------------------------------


@BOTH_WAYS
def test_notifications_across_a_block_are_not_shown_nor_counted(
    gql: Any, world: World, blocker: str, blocked: str
) -> None:
    """Given the viewer's like notified the creator, when either blocks the other, then the
    creator's inbox neither shows nor counts it, and marking everything read marks only what is
    shown."""
    block(world, blocker, blocked)
    client = gql(world.creator)

    inbox = assert_data(client(NOTIFICATIONS), ("me",))
    marked = client("mutation { markNotificationsRead(input: {}) { markedCount unreadNotificationCount } }")

    assert [edge["node"]["actor"]["username"] for edge in inbox["notifications"]["edges"]] == ["other_viewer"]
    assert inbox["unreadNotificationCount"] == 1
    assert assert_data(marked, ("markNotificationsRead",)) == {"markedCount": 1, "unreadNotificationCount": 0}
    node = client("query($id: ID!) { node(id: $id) { id } }", {"id": gid(world.like_notification)})
    assert node.body == {"data": {"node": None}}


@BOTH_WAYS
def test_a_mention_across_a_block_notifies_no_one(world: World, blocker: str, blocked: str) -> None:
    """Given a block, when either mentions the other (and a third person) in a comment on a video
    all of them see, then only the third person is notified of the mention."""
    block(world, blocker, blocked)
    for writer, target in ((blocker, blocked), (blocked, blocker)):
        text = f"@{target} and @other_viewer look"
        services.comment_create(actor=user_of(world, writer), video_id=world.other_creator_video.pk, text=text)

    mentions = Notification.objects.filter(kind=NotificationKind.MENTION)
    assert sorted(mentions.values_list("recipient__username", flat=True)) == ["other_viewer", "other_viewer"]


def test_blocking_and_muting_notify_no_one(gql: Any, world: World) -> None:
    before = Notification.objects.count()
    client = gql(world.viewer)

    for document in (MUTE, BLOCK, UNBLOCK, UNMUTE):
        assert_data(client(document, {"name": "other_creator"}), ())

    assert Notification.objects.count() == before


# Delegated insights ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("blocker", "blocked"), [("creator", "manager"), ("manager", "creator")])
def test_a_delegation_does_not_reach_across_a_block(gql: Any, world: World, blocker: str, blocked: str) -> None:
    """Given the creator delegated the public video's insights to a manager, when either blocks
    the other, then the manager's managed videos are empty and the creator's video is missing."""
    manager = make_user("manager")
    services.insights_access_grant(actor=world.creator, username="manager", video_id=world.public_video.pk)
    people = {"creator": world.creator, "manager": manager}
    account_services.user_block(actor=people[blocker], username=blocked)

    response = gql(manager)(
        "query($id: ID!) { me { managedVideos { edges { node { id } } } } video(id: $id) { id } }",
        {"id": gid(world.public_video)},
    )

    assert response.body == {"data": {"me": {"managedVideos": {"edges": []}}, "video": None}}


# Mutes ----------------------------------------------------------------------------------------------


def test_a_mute_hides_notifications_from_the_muter_alone(gql: Any, world: World) -> None:
    """Given the viewer and the other viewer liked the creator's video, when the creator mutes the
    viewer (twice), then the creator's inbox neither shows nor counts the viewer's like; everything
    else stays: the friendship, the viewer's profile, video and comments for the creator, and the
    viewer's notifications to anyone else."""
    theirs = make_video(world.viewer)
    services.like_add(actor=world.other_viewer, video_id=theirs.pk)
    comment = services.comment_create(actor=world.viewer, video_id=world.public_video.pk, text="muted words")
    client = gql(world.creator)

    first = client(MUTE, {"name": "viewer"})
    again = client(MUTE, {"name": "viewer"})

    assert assert_data(first, ("muteUser",)) == {
        "muted": True,
        "user": {"id": gid(world.viewer), "viewerHasMuted": True},
    }
    assert assert_data(again, ("muteUser", "muted")) is False
    inbox = assert_data(client(NOTIFICATIONS), ("me",))
    assert {edge["node"]["actor"]["username"] for edge in inbox["notifications"]["edges"]} == {"other_viewer"}
    assert inbox["unreadNotificationCount"] == 1
    assert assert_data(client(PROFILE, {"name": "viewer"}), ("user", "username")) == "viewer"
    assert assert_data(client(NODE, {"id": gid(comment)}), ("node", "id")) == gid(comment)
    assert Follow.objects.filter(follower=world.creator, followee=world.viewer).exists()
    assert Mute.objects.filter(muter=world.creator).count() == 1
    others = assert_data(gql(world.viewer)(NOTIFICATIONS), ("me", "notifications", "edges"))
    assert [edge["node"]["actor"]["username"] for edge in others] == ["other_viewer"]


def test_unmuting_shows_the_notifications_again(gql: Any, world: World) -> None:
    account_services.user_mute(actor=world.creator, username="viewer")
    client = gql(world.creator)

    first = client(UNMUTE, {"name": "viewer"})
    again = client(UNMUTE, {"name": "viewer"})

    assert assert_data(first, ("unmuteUser",)) == {
        "removed": True,
        "user": {"id": gid(world.viewer), "viewerHasMuted": False},
    }
    assert assert_data(again, ("unmuteUser", "removed")) is False
    assert assert_data(client(NOTIFICATIONS), ("me", "unreadNotificationCount")) == 2


def test_muting_someone_the_viewer_blocked_shows_them_as_a_query_does(gql: Any, world: World) -> None:
    """A user the viewer blocked is hidden from the viewer: the mute's payload shows them as a
    query would (null), and the mute is made and listed all the same."""
    account_services.user_block(actor=world.viewer, username="other_creator")

    response = gql(world.viewer)(MUTE, {"name": "other_creator"})

    assert assert_data(response, ("muteUser",)) == {"muted": True, "user": None}
    assert Mute.objects.filter(muter=world.viewer, muted=world.other_creator).exists()


# The viewer's own lists ---------------------------------------------------------------------------

OWN_LISTS = """
query($after: String) {
  me {
    blockedUsers(first: 2, after: $after) {
      edges { node { username viewerHasBlocked viewerHasMuted } }
      pageInfo { hasNextPage endCursor }
    }
    mutedUsers { edges { node { username viewerHasBlocked viewerHasMuted } } }
  }
}
"""


def test_own_lists_are_newest_first_and_paginated(gql: Any, world: World) -> None:
    """Given the viewer blocked three people and muted two (one of them also blocked), then the
    lists hold them newest first, with the viewer's flags, and a page continues after its
    cursor."""
    for name in ("other_viewer", "other_creator", "private_account"):
        account_services.user_block(actor=world.viewer, username=name)
    for name in ("other_creator", "creator"):
        account_services.user_mute(actor=world.viewer, username=name)
    client = gql(world.viewer)

    first = assert_data(client(OWN_LISTS), ("me",))
    cursor = first["blockedUsers"]["pageInfo"]["endCursor"]
    second = assert_data(client(OWN_LISTS, {"after": cursor}), ("me", "blockedUsers"))

    assert [edge["node"] for edge in first["blockedUsers"]["edges"]] == [
        {"username": "private_account", "viewerHasBlocked": True, "viewerHasMuted": False},
        {"username": "other_creator", "viewerHasBlocked": True, "viewerHasMuted": True},
    ]
    assert first["blockedUsers"]["pageInfo"]["hasNextPage"] is True
    assert usernames(second["edges"]) == ["other_viewer"]
    assert [edge["node"] for edge in first["mutedUsers"]["edges"]] == [
        {"username": "creator", "viewerHasBlocked": False, "viewerHasMuted": True},
        {"username": "other_creator", "viewerHasBlocked": True, "viewerHasMuted": True},
    ]


def test_own_lists_leave_out_deactivated_accounts(gql: Any, world: World) -> None:
    """Deactivated accounts are gone for everyone, from one's own lists too."""
    account_services.user_block(actor=world.viewer, username="other_viewer")
    account_services.user_mute(actor=world.viewer, username="other_viewer")
    User.objects.filter(pk=world.other_viewer.pk).update(is_active=False)

    me = assert_data(gql(world.viewer)(OWN_LISTS), ("me",))

    assert me["blockedUsers"]["edges"] == me["mutedUsers"]["edges"] == []


def test_the_export_holds_the_viewers_own_blocks_and_mutes(gql: Any, world: World) -> None:
    account_services.user_block(actor=world.viewer, username="other_creator")
    account_services.user_mute(actor=world.viewer, username="other_viewer")

    export = assert_data(gql(world.viewer)("{ me { export } }"), ("me", "export", "account"))

    assert [entry["username"] for entry in export["blocked"]] == ["other_creator"]
    assert [entry["username"] for entry in export["muted"]] == ["other_viewer"]
    assert all(entry["since"] for entry in export["blocked"] + export["muted"])


# Sessions only, and bad input ---------------------------------------------------------------------


SEARCH_PEOPLE = "query($q: String!) { search(query: $q) { users { edges { node { username } } } } }"


@pytest.mark.parametrize("scope", list(Scope))
def test_a_token_finds_whom_its_owner_muted_so_it_cannot_read_the_mutes_back(
    gql: Any, world: World, scope: Scope
) -> None:
    """A mute shapes what the muter is shown in person: their session's search leaves the muted
    account out, while a token of any scope sees the lists as if there were no mute, else comparing
    its answers with an anonymous one would list whom the owner muted."""
    account_services.user_mute(actor=world.viewer, username="other_creator")
    _, token = access_token_create(actor=world.viewer, name="script", scopes=[scope])

    in_person = gql(world.viewer)(SEARCH_PEOPLE, {"q": "other_creator"})
    through_token = gql(token=token)(SEARCH_PEOPLE, {"q": "other_creator"})

    assert usernames(assert_data(in_person, ("search",))["users"]["edges"]) == []
    assert usernames(assert_data(through_token, ("search",))["users"]["edges"]) == ["other_creator"]


@pytest.mark.parametrize("scope", [Scope.PROFILE_READ, Scope.INTERACTIONS_WRITE])
def test_tokens_neither_read_nor_change_blocks_and_mutes(gql: Any, world: World, scope: Scope) -> None:
    """Whom a person blocks or mutes is for their sessions: a token of any scope is refused the
    lists, the flags and the mutations, and changes nothing."""
    _, token = access_token_create(actor=world.viewer, name="script", scopes=[scope])
    client = gql(token=token)
    before = db_state()

    lists = client("{ me { blockedUsers { edges { node { id } } } } }")
    flags = client('{ user(username: "creator") { viewerHasBlocked } }')
    blocking = client(BLOCK, {"name": "other_creator"})

    if scope is Scope.PROFILE_READ:
        assert_denied(lists, ("me", "blockedUsers"), ErrorCode.FORBIDDEN)
    assert_denied(flags, ("user", "viewerHasBlocked"), ErrorCode.FORBIDDEN)
    assert_denied(blocking, ("blockUser",), ErrorCode.FORBIDDEN)
    assert db_state() == before


@pytest.mark.parametrize("document", [BLOCK, UNBLOCK, MUTE, UNMUTE], ids=["block", "unblock", "mute", "unmute"])
@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("viewer", ErrorCode.BAD_USER_INPUT),  # oneself
        ("nobody_at_all", ErrorCode.NOT_FOUND),
        ("deactivated", ErrorCode.NOT_FOUND),
        ("nul\x00name", ErrorCode.BAD_USER_INPUT),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(gql: Any, world: World, document: str, name: str, code: str) -> None:
    """Oneself is BAD_USER_INPUT on ``username`` (as following oneself is); a missing or
    deactivated account NOT_FOUND (as for ``follow``)."""
    make_user("deactivated", is_active=False)
    before = db_state()

    response = gql(world.viewer)(document, {"name": name})

    error = assert_single_error(response, code)
    if code == ErrorCode.BAD_USER_INPUT:
        assert error["extensions"]["field"] == "username"
    assert db_state() == before


def test_blocks_and_mutes_are_throttled_as_follows_are() -> None:
    """A script must not sweep through accounts blocking or muting faster than it could follow."""
    throttles = settings.GRAPHQL_MUTATION_THROTTLES
    assert {throttles[name] for name in ("blockUser", "unblockUser", "muteUser", "unmuteUser")} == {throttles["follow"]}
