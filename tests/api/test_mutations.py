"""Every mutation's happy path through HTTP, with the refusals the creator's settings and
ownership impose, and ``clientMutationId`` echoed by all of them."""

from typing import Any
from urllib.parse import urlsplit

import pytest

from accounts.models import Follow, FollowStatus, User
from api.contract import MUTATIONS
from engagement.media import storage
from engagement.models import Comment, Favorite, FavoriteCollection, Video, VideoCounters
from kernel.errors import ErrorCode
from tests.api.cases import MUTATION_CASES, assert_data, assert_denied, assert_single_error
from tests.api.conftest import GraphQLClient, World, gid
from tests.domain.helpers import db_state
from tests.factories import attach_files, password_of

ME = "{ me { username } }"


def counters(video: Video) -> dict[str, Any]:
    return dict(VideoCounters.objects.filter(video=video).values().get())


def run(client: GraphQLClient, name: str, input: dict[str, Any], fields: str) -> Any:
    """Call mutation ``name`` with ``input``; returns the response."""
    input_type = f"{name[0].upper()}{name[1:]}Input"
    return client(
        f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ clientMutationId {fields} }} }}",
        {"input": input},
    )


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_client_mutation_id_is_echoed(gql: Any, world: World, name: str) -> None:
    """Given any mutation called with a clientMutationId, then the payload echoes it."""
    case = MUTATION_CASES[name]
    variables = {"input": {**case.input(world), "clientMutationId": f"cmid-{name}"}}

    response = gql(case.actor_of(world))(case.document(name), variables)

    assert assert_data(response, (name, "clientMutationId")) == f"cmid-{name}"


# Sessions ----------------------------------------------------------------------------------------


def test_sign_up_signs_the_new_account_in(gql: Any, db: None) -> None:
    """Given an anonymous client, when it signs up, then the same client is signed in: a
    follow-up ``me`` names the new account."""
    client = gql(None)

    response = run(
        client,
        "signUp",
        {"username": "Newcomer", "password": "a-long-Passw0rd!", "email": "new@example.com", "country": "fr"},
        "user { username email country accountType }",
    )

    assert response.errors == []
    assert response.data["signUp"]["user"] == {
        "username": "newcomer",
        "email": "new@example.com",
        "country": "FR",
        "accountType": "PERSONAL",
    }
    assert client(ME).data == {"me": {"username": "newcomer"}}


def test_sign_up_with_a_taken_username_is_refused(gql: Any, world: World) -> None:
    """Given an existing username, then signing up with it is BAD_USER_INPUT and adds nobody."""
    before = db_state()

    response = run(
        gql(None), "signUp", {"username": "viewer", "password": "a-long-Passw0rd!", "email": "x@example.com"}, ""
    )

    assert_denied(response, ("signUp",), ErrorCode.BAD_USER_INPUT)
    assert db_state() == before


def test_log_in_with_the_right_password_signs_in(gql: Any, world: World) -> None:
    """Given an anonymous client, when it logs in with the right password, then ``me`` works."""
    client = gql(None)

    response = run(client, "logIn", {"username": "viewer", "password": password_of("viewer")}, "user { username }")

    assert response.data == {"logIn": {"clientMutationId": None, "user": {"username": "viewer"}}}
    assert client(ME).data == {"me": {"username": "viewer"}}


@pytest.mark.parametrize("username", ["viewer", "nobody_here"])
def test_log_in_with_a_wrong_password_or_username_is_unauthenticated(gql: Any, world: World, username: str) -> None:
    """Given a wrong password (or an unknown username: the same answer), then UNAUTHENTICATED
    and the client stays anonymous."""
    client = gql(None)

    response = run(client, "logIn", {"username": username, "password": "wrong-password-1!"}, "user { username }")

    assert_denied(response, ("logIn",), ErrorCode.UNAUTHENTICATED)
    assert response.errors[0]["message"] == "Wrong username or password."
    assert client(ME).data == {"me": None}


def test_log_out_ends_the_session(gql: Any, world: World) -> None:
    """Given a signed-in client, when it logs out, then ``me`` is null on the same client."""
    client = gql(world.viewer)
    assert client(ME).data == {"me": {"username": "viewer"}}

    response = run(client, "logOut", {}, "ok")

    assert response.data == {"logOut": {"clientMutationId": None, "ok": True}}
    assert client(ME).data == {"me": None}


# Profile and privacy settings --------------------------------------------------------------------


def test_update_profile_changes_only_the_given_fields(gql: Any, world: World) -> None:
    """Given the viewer's profile, when they change some fields, then ``me`` shows the new
    values and the omitted ones stay as they were."""
    client = gql(world.viewer)

    response = run(
        client,
        "updateProfile",
        {"bio": "I bake.", "country": "de", "birthYear": 1990, "gender": "NON_BINARY"},
        "me { displayName bio country birthYear gender }",
    )

    assert response.errors == []
    assert response.data["updateProfile"]["me"] == {
        "displayName": "Viewer",
        "bio": "I bake.",
        "country": "DE",
        "birthYear": 1990,
        "gender": "NON_BINARY",
    }
    assert client('{ user(username: "viewer") { bio displayName } }').data == {
        "user": {"bio": "I bake.", "displayName": "Viewer"}
    }


def test_update_privacy_settings_shows_liked_videos_to_everyone(gql: Any, world: World) -> None:
    """Given the viewer kept liked videos to ONLY_ME, when they switch to EVERYONE and set new
    defaults, then another user reads their likes and a new video takes the defaults."""
    response = run(
        gql(world.viewer),
        "updatePrivacySettings",
        {"likedVideosVisibility": "EVERYONE", "defaultAllowDownload": False, "defaultAllowComments": "FRIENDS"},
        "me { privacySettings { likedVideosVisibility defaultAllowDownload defaultAllowComments } }",
    )

    assert response.data["updatePrivacySettings"]["me"]["privacySettings"] == {
        "likedVideosVisibility": "EVERYONE",
        "defaultAllowDownload": False,
        "defaultAllowComments": "FRIENDS",
    }
    liked = gql(world.other_viewer)('{ user(username: "viewer") { likedVideos { edges { node { id } } } } }')
    assert liked.data == {"user": {"likedVideos": {"edges": [{"node": {"id": gid(world.public_video)}}]}}}
    posted = run(
        gql(world.viewer),
        "postVideo",
        {"caption": "mine", "visibility": "PUBLIC", "durationSeconds": 5},
        "video { allowDownload allowComments }",
    )
    assert posted.data["postVideo"]["video"] == {"allowDownload": False, "allowComments": "FRIENDS"}


def test_going_private_hides_public_videos_from_non_followers(gql: Any, world: World) -> None:
    """Given the creator's public video, when the creator makes the account private, then a
    non-follower no longer sees it while a friend (an approved follower) still does."""
    run(gql(world.creator), "updatePrivacySettings", {"isPrivate": True}, "me { isPrivate }")
    query = "query($id: ID!) { video(id: $id) { id } }"

    assert gql(world.other_viewer)(query, {"id": gid(world.public_video)}).data == {"video": None}
    assert gql(world.viewer)(query, {"id": gid(world.public_video)}).data == {"video": {"id": gid(world.public_video)}}


# Videos ------------------------------------------------------------------------------------------


def test_post_video_publishes_it_to_the_owner_and_the_public(gql: Any, world: World) -> None:
    """Given a creator, when they post a public video, then it comes back with its settings and
    appears first in their ``me.videos`` and to an anonymous viewer."""
    client = gql(world.creator)

    response = run(
        client,
        "postVideo",
        {"caption": "  hello  ", "visibility": "PUBLIC", "durationSeconds": 42, "allowComments": "FRIENDS"},
        "video { id caption durationSeconds visibility allowComments allowDownload owner { username } }",
    )

    video = assert_data(response, ("postVideo", "video"))
    assert video | {"id": None} == {
        "id": None,
        "caption": "hello",
        "durationSeconds": 42,
        "visibility": "PUBLIC",
        "allowComments": "FRIENDS",
        "allowDownload": True,
        "owner": {"username": "creator"},
    }
    mine = client("{ me { videos(first: 1) { edges { node { id } } } } }")
    assert mine.data["me"]["videos"]["edges"] == [{"node": {"id": video["id"]}}]
    public = gql(None)("query($id: ID!) { video(id: $id) { caption } }", {"id": video["id"]})
    assert public.data == {"video": {"caption": "hello"}}


def test_post_a_duet_notifies_the_source_owner(gql: Any, world: World) -> None:
    """Given the creator's public video, when another creator posts a duet of it, then the
    creator gets a DUET notification."""
    response = run(
        gql(world.other_creator),
        "postVideo",
        {
            "caption": "duet",
            "visibility": "PUBLIC",
            "durationSeconds": 10,
            "remixOfId": gid(world.public_video),
            "remixKind": "DUET",
        },
        "video { id }",
    )

    assert response.errors == []
    latest = gql(world.creator)("{ me { notifications(first: 1) { edges { node { kind actor { username } } } } } }")
    assert latest.data["me"]["notifications"]["edges"] == [
        {"node": {"kind": "DUET", "actor": {"username": "other_creator"}}}
    ]


def test_update_video_changes_caption_and_settings(gql: Any, world: World) -> None:
    """Given the creator's video, when they edit it, then the payload and a later read agree."""
    response = run(
        gql(world.creator),
        "updateVideo",
        {"videoId": gid(world.public_video), "caption": "edited", "allowDownload": False, "allowDuet": "NO_ONE"},
        "video { caption allowDownload allowDuet visibility }",
    )

    assert response.data["updateVideo"]["video"] == {
        "caption": "edited",
        "allowDownload": False,
        "allowDuet": "NO_ONE",
        "visibility": "PUBLIC",
    }
    assert Video.objects.get(pk=world.public_video.pk).caption == "edited"


def test_update_video_by_a_non_owner_is_forbidden(gql: Any, world: World) -> None:
    """Given the creator's public video, when the viewer (who may see it) edits it, then
    FORBIDDEN and the video is unchanged."""
    before = db_state()

    response = run(
        gql(world.viewer), "updateVideo", {"videoId": gid(world.public_video), "caption": "mine"}, "video { caption }"
    )

    assert_denied(response, ("updateVideo",), ErrorCode.FORBIDDEN)
    assert db_state() == before


def test_delete_video_removes_it_and_its_favorites(gql: Any, world: World) -> None:
    """Given the saved video, when the creator deletes it, then the payload names its id, it is
    gone for everyone and the savers' lists no longer hold it."""
    response = run(gql(world.creator), "deleteVideo", {"videoId": gid(world.public_video)}, "deletedVideoId")

    assert response.data["deleteVideo"]["deletedVideoId"] == gid(world.public_video)
    query = "query($id: ID!) { video(id: $id) { id } }"
    assert gql(world.creator)(query, {"id": gid(world.public_video)}).data == {"video": None}
    assert gql(world.viewer)("{ me { favorites { edges { node { id } } } } }").data == {
        "me": {"favorites": {"edges": []}}
    }


# Favorites and collections -----------------------------------------------------------------------

FAVORITE = "favorite { id isAvailable video { id viewerHasSaved } collection { name } }"


def test_favorite_video_twice_is_one_save(gql: Any, world: World) -> None:
    """Given a video the other creator has not saved, when they save it twice (a double tap),
    then both payloads name the same favorite and the save total moves by one."""
    client = gql(world.other_creator)
    saves_before = counters(world.public_video)["save_count"]

    first = run(client, "favoriteVideo", {"videoId": gid(world.public_video)}, FAVORITE)
    second = run(client, "favoriteVideo", {"videoId": gid(world.public_video)}, FAVORITE)

    assert first.errors == []
    assert first.body == second.body
    assert first.data["favoriteVideo"]["favorite"]["video"] == {"id": gid(world.public_video), "viewerHasSaved": True}
    assert first.data["favoriteVideo"]["favorite"]["isAvailable"] is True
    assert counters(world.public_video)["save_count"] == saves_before + 1
    assert Favorite.objects.filter(user=world.other_creator).count() == 1


def test_favorite_video_into_a_collection(gql: Any, world: World) -> None:
    """Given the viewer's collection, when they save a video into it, then the favorite is
    listed in that collection."""
    client = gql(world.viewer)

    response = run(
        client,
        "favoriteVideo",
        {"videoId": gid(world.locked_video), "collectionId": gid(world.collection)},
        FAVORITE,
    )

    assert response.data["favoriteVideo"]["favorite"]["collection"] == {"name": "Recipes"}
    listed = client(
        "query($c: ID!) { me { favorites(collectionId: $c) { edges { node { video { id } } } } } }",
        {"c": gid(world.collection)},
    )
    assert [edge["node"]["video"]["id"] for edge in listed.data["me"]["favorites"]["edges"]] == [
        gid(world.locked_video),
        gid(world.public_video),
    ]


def test_unfavorite_video_removes_once(gql: Any, world: World) -> None:
    """Given the viewer's favorite, when they unsave twice, then the first removes it and moves
    the total down by one, the second removes nothing."""
    client = gql(world.viewer)
    saves_before = counters(world.public_video)["save_count"]

    first = run(client, "unfavoriteVideo", {"videoId": gid(world.public_video)}, "removed")
    second = run(client, "unfavoriteVideo", {"videoId": gid(world.public_video)}, "removed")

    assert first.data["unfavoriteVideo"]["removed"] is True
    assert second.data["unfavoriteVideo"]["removed"] is False
    assert counters(world.public_video)["save_count"] == saves_before - 1
    assert not Favorite.objects.filter(pk=world.favorite.pk).exists()


def test_create_rename_and_delete_a_collection(gql: Any, world: World) -> None:
    """Given the viewer, when they create, rename and delete a collection, then each payload
    says so and ``me.collections`` follows."""
    client = gql(world.viewer)

    created = run(client, "createCollection", {"name": "  Dance  "}, "collection { id name }")
    collection = assert_data(created, ("createCollection", "collection"))
    rename = {"collectionId": collection["id"], "name": "Moves"}
    renamed = run(client, "renameCollection", rename, "collection { name }")
    listed = client("{ me { collections { edges { node { name } } } } }")
    deleted = run(client, "deleteCollection", {"collectionId": collection["id"]}, "deletedCollectionId")

    assert collection["name"] == "Dance"
    assert renamed.data["renameCollection"]["collection"] == {"name": "Moves"}
    assert [edge["node"]["name"] for edge in listed.data["me"]["collections"]["edges"]] == ["Moves", "Recipes"]
    assert deleted.data["deleteCollection"]["deletedCollectionId"] == collection["id"]
    assert not FavoriteCollection.objects.filter(owner=world.viewer, name="Moves").exists()


def test_create_collection_with_a_taken_name_is_refused(gql: Any, world: World) -> None:
    """Given the viewer's "Recipes" collection, then a second "Recipes" is BAD_USER_INPUT."""
    before = db_state()

    response = run(gql(world.viewer), "createCollection", {"name": "Recipes"}, "collection { id }")

    assert_denied(response, ("createCollection",), ErrorCode.BAD_USER_INPUT)
    assert db_state() == before


def test_deleting_a_collection_keeps_its_favorites(gql: Any, world: World) -> None:
    """Given a favorite in the viewer's collection, when the collection is deleted, then the
    favorite stays saved, outside any collection."""
    client = gql(world.viewer)

    run(client, "deleteCollection", {"collectionId": gid(world.collection)}, "deletedCollectionId")

    listed = client("{ me { favorites { edges { node { id collection { name } } } } } }")
    assert listed.data["me"]["favorites"]["edges"] == [{"node": {"id": gid(world.favorite), "collection": None}}]


def test_move_favorite_into_and_out_of_collections(gql: Any, world: World) -> None:
    """Given a favorite in "Recipes", when the viewer moves it to a new collection and then out
    of any, then each payload shows where it is."""
    client = gql(world.viewer)
    created = run(client, "createCollection", {"name": "Best"}, "collection { id }")
    best = created.data["createCollection"]["collection"]["id"]

    moved = run(client, "moveFavorite", {"videoId": gid(world.public_video), "collectionId": best}, FAVORITE)
    out = run(client, "moveFavorite", {"videoId": gid(world.public_video), "collectionId": None}, FAVORITE)

    assert moved.data["moveFavorite"]["favorite"]["collection"] == {"name": "Best"}
    assert moved.data["moveFavorite"]["favorite"]["id"] == gid(world.favorite)
    assert out.data["moveFavorite"]["favorite"]["collection"] is None


def test_move_a_favorite_that_was_never_saved_is_not_found(gql: Any, world: World) -> None:
    """Given a video the viewer did not save, then moving it is NOT_FOUND."""
    response = run(gql(world.viewer), "moveFavorite", {"videoId": gid(world.locked_video)}, "favorite { id }")

    assert_denied(response, ("moveFavorite",), ErrorCode.NOT_FOUND)


# Likes, comments, shares, downloads, views -------------------------------------------------------


def test_like_and_unlike_video(gql: Any, world: World) -> None:
    """Given the other creator, when they like and unlike the video, then likeCount and
    viewerHasLiked follow, and liking twice counts once."""
    client = gql(world.other_creator)
    fields = "video { likeCount viewerHasLiked }"

    liked = run(client, "likeVideo", {"videoId": gid(world.public_video)}, fields)
    again = run(client, "likeVideo", {"videoId": gid(world.public_video)}, fields)
    unliked = run(client, "unlikeVideo", {"videoId": gid(world.public_video)}, fields)

    assert liked.data["likeVideo"]["video"] == {"likeCount": 3, "viewerHasLiked": True}
    assert again.data["likeVideo"]["video"] == {"likeCount": 3, "viewerHasLiked": True}
    assert unliked.data["unlikeVideo"]["video"] == {"likeCount": 2, "viewerHasLiked": False}


def test_comment_on_video_adds_a_comment_and_notifies(gql: Any, world: World) -> None:
    """Given the creator's public video, when another viewer comments, then the comment is
    listed on the video, counted, and the creator is notified."""
    response = run(
        gql(world.other_viewer),
        "commentOnVideo",
        {"videoId": gid(world.public_video), "text": "  so good  "},
        "comment { id text author { username } }",
    )

    comment = assert_data(response, ("commentOnVideo", "comment"))
    assert (comment["text"], comment["author"]) == ("so good", {"username": "other_viewer"})
    video = gql(None)(
        "query($id: ID!) { video(id: $id) { commentCount comments { edges { node { id } } } } }",
        {"id": gid(world.public_video)},
    )
    assert video.data["video"] == {"commentCount": 1, "comments": {"edges": [{"node": {"id": comment["id"]}}]}}
    latest = gql(world.creator)("{ me { notifications(first: 1) { edges { node { kind } } } } }")
    assert latest.data["me"]["notifications"]["edges"] == [{"node": {"kind": "COMMENT"}}]


def test_comment_where_comments_are_off_is_forbidden_and_adds_no_row(gql: Any, world: World) -> None:
    """Given a video with comments set to NO_ONE, when the viewer comments, then FORBIDDEN and
    no comment row, no counter move, no notification."""
    before = db_state()

    response = run(
        gql(world.viewer), "commentOnVideo", {"videoId": gid(world.locked_video), "text": "hi"}, "comment { id }"
    )

    assert_denied(response, ("commentOnVideo",), ErrorCode.FORBIDDEN)
    assert not Comment.objects.filter(video=world.locked_video).exists()
    assert db_state() == before


@pytest.mark.parametrize("deleter", ["viewer", "creator"])
def test_delete_comment_by_its_author_or_the_video_owner(gql: Any, world: World, deleter: str) -> None:
    """Given the viewer's comment on the creator's video, then the author and the video's owner
    may each delete it; the count goes back down."""
    comment_id = MUTATION_CASES["deleteComment"].input(world)["commentId"]

    response = run(gql(world.user(deleter)), "deleteComment", {"commentId": comment_id}, "deletedCommentId")

    assert response.data["deleteComment"]["deletedCommentId"] == comment_id
    assert not Comment.objects.exists()
    assert counters(world.public_video)["comment_count"] == 0


def test_share_video_counts_the_share(gql: Any, world: World) -> None:
    """Given the public video, when the viewer shares it, then shareCount moves by one."""
    response = run(
        gql(world.viewer),
        "shareVideo",
        {"videoId": gid(world.public_video), "channel": "WHATSAPP"},
        "video { shareCount }",
    )

    assert response.data["shareVideo"]["video"] == {"shareCount": 1}


def test_download_with_downloads_off_is_forbidden_and_not_counted(gql: Any, world: World) -> None:
    """Given a video whose creator turned downloads off, when the viewer downloads it, then
    FORBIDDEN with a clear message, and downloadCount is unchanged."""
    before = db_state()

    response = run(gql(world.viewer), "downloadVideo", {"videoId": gid(world.locked_video)}, "url expiresAt")

    assert_denied(response, ("downloadVideo",), ErrorCode.FORBIDDEN)
    assert "downloads" in response.errors[0]["message"]
    assert counters(world.locked_video)["download_count"] == 0
    assert db_state() == before


def test_download_with_downloads_on_gives_a_working_signed_link(gql: Any, world: World) -> None:
    """Given a video that allows downloads, when the viewer downloads it, then the payload has
    a link that serves the marked download copy and the download is counted; a tampered link
    answers 404."""
    media = attach_files(world.public_video)
    client = gql(world.viewer)

    response = run(client, "downloadVideo", {"videoId": gid(world.public_video)}, "url expiresAt")

    payload = assert_data(response, ("downloadVideo",))
    assert payload["expiresAt"]
    path = urlsplit(payload["url"]).path
    fetched = client.http.get(path)
    assert fetched.status_code == 200
    with storage.media_storage().open(media.download) as download_copy:
        assert b"".join(fetched.streaming_content) == download_copy.read()
    assert counters(world.public_video)["download_count"] == 1
    token = path.rstrip("/").rsplit("/", 1)[-1]
    tampered = path.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B"))
    assert client.http.get(tampered).status_code == 404


def test_record_view_works_anonymously(gql: Any, world: World) -> None:
    """Given an anonymous viewer, when they record a full view, then viewCount moves and the
    creator's insights count the watch time and the completion."""
    response = run(
        gql(None),
        "recordView",
        {"videoId": gid(world.public_video), "watchedSeconds": 30, "trafficSource": "FOR_YOU"},
        "video { viewCount }",
    )

    assert response.data["recordView"]["video"] == {"viewCount": 1}
    insights = gql(world.creator)(
        "query($id: ID!) { video(id: $id) { insights { viewCount totalWatchSeconds completionRate } } }",
        {"id": gid(world.public_video)},
    )
    assert insights.data["video"]["insights"] == {"viewCount": 1, "totalWatchSeconds": 30, "completionRate": 1.0}


# Follows -----------------------------------------------------------------------------------------


def test_follow_and_unfollow_a_public_account(gql: Any, world: World) -> None:
    """Given the viewer does not follow the other creator, when they follow and unfollow, then
    the status is ACCEPTED, the counts move, and the unfollow removes the edge."""
    client = gql(world.viewer)

    followed = run(client, "follow", {"username": "other_creator"}, "status user { username followerCount }")
    unfollowed = run(client, "unfollow", {"username": "other_creator"}, "removed user { followerCount }")

    assert followed.data["follow"] == {
        "clientMutationId": None,
        "status": "ACCEPTED",
        "user": {"username": "other_creator", "followerCount": 1},
    }
    assert unfollowed.data["unfollow"] == {"clientMutationId": None, "removed": True, "user": {"followerCount": 0}}


def test_follow_a_private_account_then_approve(gql: Any, world: World) -> None:
    """Given a private account, when the viewer follows it, then the request is PENDING and
    listed for the account; once approved, the viewer is a follower and sees its videos."""
    viewer = gql(world.viewer)
    owner = gql(world.private_account)

    followed = run(viewer, "follow", {"username": "private_account"}, "status")
    requests = owner("{ me { followRequests { edges { node { username } } } } }")
    approved = run(owner, "approveFollowRequest", {"username": "viewer"}, "user { username }")

    assert followed.data["follow"]["status"] == "PENDING"
    assert requests.data["me"]["followRequests"]["edges"] == [{"node": {"username": "viewer"}}]
    assert approved.data["approveFollowRequest"]["user"] == {"username": "viewer"}
    followers = owner("{ me { followerCount followers { edges { node { username } } } } }")
    assert followers.data["me"] == {"followerCount": 1, "followers": {"edges": [{"node": {"username": "viewer"}}]}}
    video = viewer("query($id: ID!) { video(id: $id) { id } }", {"id": gid(world.private_account_video)})
    assert video.data == {"video": {"id": gid(world.private_account_video)}}


def test_decline_a_follow_request(gql: Any, world: World) -> None:
    """Given a pending request, when the private account declines it, then the request is gone
    and the viewer still does not see its videos."""
    run(gql(world.viewer), "follow", {"username": "private_account"}, "status")

    declined = run(gql(world.private_account), "declineFollowRequest", {"username": "viewer"}, "user { username }")

    assert declined.data["declineFollowRequest"]["user"] == {"username": "viewer"}
    assert not Follow.objects.filter(follower=world.viewer, followee=world.private_account).exists()
    video = gql(world.viewer)("query($id: ID!) { video(id: $id) { id } }", {"id": gid(world.private_account_video)})
    assert video.data == {"video": None}


def test_unfollow_withdraws_a_pending_request(gql: Any, world: World) -> None:
    """Given the viewer's pending request, when they unfollow, then the request is withdrawn."""
    client = gql(world.viewer)
    run(client, "follow", {"username": "private_account"}, "status")

    response = run(client, "unfollow", {"username": "private_account"}, "removed")

    assert response.data["unfollow"]["removed"] is True
    assert not Follow.objects.filter(follower=world.viewer, status=FollowStatus.PENDING).exists()


def test_follow_yourself_is_refused(gql: Any, world: World) -> None:
    """Given the viewer, then following themselves is BAD_USER_INPUT."""
    response = run(gql(world.viewer), "follow", {"username": "viewer"}, "status")

    assert_single_error(response, ErrorCode.BAD_USER_INPUT)


# Notifications -----------------------------------------------------------------------------------


def test_mark_notifications_read(gql: Any, world: World) -> None:
    """Given the creator's unread notifications (two likes), when they mark one and then all
    read, then the counts say so."""
    client = gql(world.creator)

    one = run(
        client,
        "markNotificationsRead",
        {"notificationIds": [gid(world.like_notification)]},
        "markedCount unreadNotificationCount",
    )
    rest = run(client, "markNotificationsRead", {}, "markedCount unreadNotificationCount")

    assert one.data["markNotificationsRead"] == {
        "clientMutationId": None,
        "markedCount": 1,
        "unreadNotificationCount": 1,
    }
    assert rest.data["markNotificationsRead"] == {
        "clientMutationId": None,
        "markedCount": 1,
        "unreadNotificationCount": 0,
    }
    listed = client("{ me { unreadNotificationCount notifications { edges { node { isRead } } } } }")
    assert listed.data["me"] == {
        "unreadNotificationCount": 0,
        "notifications": {"edges": [{"node": {"isRead": True}}, {"node": {"isRead": True}}]},
    }


def test_every_user_starts_with_their_own_session_only(gql: Any, world: World) -> None:
    """Sanity check of the client fixture: each client is signed in as its own user."""
    assert {
        role: gql(world.user(role))(ME).data["me"] for role in ("viewer", "creator", "other_viewer", "other_creator")
    } == {
        "viewer": {"username": "viewer"},
        "creator": {"username": "creator"},
        "other_viewer": {"username": "other_viewer"},
        "other_creator": {"username": "other_creator"},
    }
    assert User.objects.count() == 5
