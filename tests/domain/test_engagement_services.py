"""Services of the engagement app: every write's effect, and every refusal's error and its
absence of effect (docs/ARCHITECTURE.md: creator settings, hidden is missing, "bad input changes nothing"
in "API conventions", and "Data and counters")."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext

from accounts.models import InteractionAudience, User
from engagement import services
from engagement.media import downloads
from engagement.models import (
    CAPTION_MAX_LENGTH,
    COLLECTION_NAME_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    Comment,
    Download,
    Favorite,
    FavoriteCollection,
    Like,
    Notification,
    RemixKind,
    Share,
    Video,
    View,
    Visibility,
)
from kernel.errors import DomainError, InvalidInput, NotFound, PermissionDenied, Unauthenticated
from tests.domain.helpers import anonymous, counters_of, db_state
from tests.factories import attach_files, make_follow, make_friends, make_user, make_video

pytestmark = pytest.mark.django_db

Operation = Callable[[Any, int], object]

# Every write that takes a video id, as (actor, video_id) -> result.
VIDEO_OPERATIONS: dict[str, Operation] = {
    "favorite_add": lambda actor, video_id: services.favorite_add(actor=actor, video_id=video_id),
    "favorite_remove": lambda actor, video_id: services.favorite_remove(actor=actor, video_id=video_id),
    "like_add": lambda actor, video_id: services.like_add(actor=actor, video_id=video_id),
    "like_remove": lambda actor, video_id: services.like_remove(actor=actor, video_id=video_id),
    "comment_create": lambda actor, video_id: services.comment_create(actor=actor, video_id=video_id, text="hi"),
    "share_create": lambda actor, video_id: services.share_create(actor=actor, video_id=video_id, channel="SMS"),
    "download_create": lambda actor, video_id: downloads.download_create(actor=actor, video_id=video_id),
    "view_record": lambda actor, video_id: services.view_record(
        actor=actor, video_id=video_id, watched_seconds=5, traffic_source="FOR_YOU"
    ),
    "video_update": lambda actor, video_id: services.video_update(actor=actor, video_id=video_id, caption="x"),
    "video_delete": lambda actor, video_id: services.video_delete(actor=actor, video_id=video_id),
    "duet": lambda actor, video_id: services.video_post(
        actor=actor, caption="duet", duration_seconds=10, remix_of_id=video_id, remix_kind=RemixKind.DUET
    ),
    "stitch": lambda actor, video_id: services.video_post(
        actor=actor, caption="stitch", duration_seconds=10, remix_of_id=video_id, remix_kind=RemixKind.STITCH
    ),
}


def missing_video_id() -> int:
    return (Video.objects.aggregate(top=Max("pk"))["top"] or 0) + 1000


def hidden_video(reason: str) -> Video:
    """A video that a fresh stranger may not see, for the given reason; it has its files, so that
    a download is refused for the video's visibility, not for want of a file."""
    owner = make_user(is_private=reason == "private-account")
    visibility = {"private": Visibility.PRIVATE, "friends": Visibility.FRIENDS}.get(reason, Visibility.PUBLIC)
    video = make_video(owner, visibility=visibility)
    attach_files(video)
    if reason == "deactivated-owner":
        User.objects.filter(pk=owner.pk).update(is_active=False)
    return video


def raised(call: Callable[[], object]) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value


# Hidden is missing ---------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["private", "friends", "private-account", "deactivated-owner"])
@pytest.mark.parametrize("operation", list(VIDEO_OPERATIONS))
def test_invisible_video_is_not_found_exactly_like_a_missing_one(operation: str, reason: str) -> None:
    """Given a video the actor may not see, when they act on it, then the error has the same
    class and message as for an id that never existed, and nothing changes."""
    actor = make_user()
    video = hidden_video(reason)
    act = VIDEO_OPERATIONS[operation]
    before = db_state()

    hidden = raised(lambda: act(actor, video.pk))
    missing = raised(lambda: act(actor, missing_video_id()))

    assert type(hidden) is NotFound
    assert type(hidden) is type(missing)
    assert str(hidden) == str(missing)
    assert hidden.code == missing.code == "NOT_FOUND"
    assert db_state() == before


@pytest.mark.parametrize("operation", [name for name in VIDEO_OPERATIONS if name != "view_record"])
def test_anonymous_actor_is_unauthenticated(operation: str) -> None:
    video = make_video(make_user())
    before = db_state()

    with pytest.raises(Unauthenticated):
        VIDEO_OPERATIONS[operation](anonymous(), video.pk)

    assert db_state() == before


@pytest.mark.parametrize("operation", ["video_update", "video_delete"])
def test_only_the_owner_changes_a_video(operation: str) -> None:
    """A viewer who can see the video is told FORBIDDEN, not NOT_FOUND: the video is visible."""
    video = make_video(make_user())
    viewer = make_user()
    before = db_state()

    with pytest.raises(PermissionDenied):
        VIDEO_OPERATIONS[operation](viewer, video.pk)

    assert db_state() == before


# Bad input changes nothing (API conventions) -------------------------------------------------

BadCall = Callable[[User, Video], object]
BAD_INPUT: dict[str, BadCall] = {
    "caption-nul": lambda me, video: services.video_post(actor=me, caption="a\x00b", duration_seconds=5),
    "caption-too-long": lambda me, video: services.video_post(
        actor=me, caption="c" * (CAPTION_MAX_LENGTH + 1), duration_seconds=5
    ),
    "visibility-unknown": lambda me, video: services.video_post(
        actor=me, caption="", duration_seconds=5, visibility="SECRET"
    ),
    "duration-zero": lambda me, video: services.video_post(actor=me, caption="", duration_seconds=0),
    "duration-too-long": lambda me, video: services.video_post(actor=me, caption="", duration_seconds=3601),
    "allow-comments-unknown": lambda me, video: services.video_post(
        actor=me, caption="", duration_seconds=5, allow_comments="FOLLOWERS"
    ),
    "remix-kind-unknown": lambda me, video: services.video_post(
        actor=me, caption="", duration_seconds=5, remix_of_id=video.pk, remix_kind="REACTION"
    ),
    "update-caption-nul": lambda me, video: services.video_update(actor=video.owner, video_id=video.pk, caption="\x00"),
    "update-visibility-unknown": lambda me, video: services.video_update(
        actor=video.owner, video_id=video.pk, visibility="HIDDEN"
    ),
    "comment-nul": lambda me, video: services.comment_create(actor=me, video_id=video.pk, text="hey\x00"),
    "comment-too-long": lambda me, video: services.comment_create(
        actor=me, video_id=video.pk, text="w" * (COMMENT_MAX_LENGTH + 1)
    ),
    "comment-empty": lambda me, video: services.comment_create(actor=me, video_id=video.pk, text="   "),
    "collection-nul": lambda me, video: services.collection_create(actor=me, name="fav\x00"),
    "collection-too-long": lambda me, video: services.collection_create(
        actor=me, name="n" * (COLLECTION_NAME_MAX_LENGTH + 1)
    ),
    "collection-empty": lambda me, video: services.collection_create(actor=me, name=""),
    "collection-blank": lambda me, video: services.collection_create(actor=me, name="   "),
    "watched-negative": lambda me, video: services.view_record(
        actor=me, video_id=video.pk, watched_seconds=-1, traffic_source="FOR_YOU"
    ),
    "watched-too-long": lambda me, video: services.view_record(
        actor=me, video_id=video.pk, watched_seconds=6 * 60 * 60 + 1, traffic_source="FOR_YOU"
    ),
    "traffic-source-unknown": lambda me, video: services.view_record(
        actor=me, video_id=video.pk, watched_seconds=3, traffic_source="TELEPATHY"
    ),
    "share-channel-unknown": lambda me, video: services.share_create(actor=me, video_id=video.pk, channel="FAX"),
}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_is_invalid_and_changes_nothing(case: str) -> None:
    me = make_user()
    video = make_video(make_user())
    services.collection_create(actor=me, name="existing")
    before = db_state()

    with pytest.raises(InvalidInput):
        BAD_INPUT[case](me, video)

    assert db_state() == before


def test_renaming_a_collection_validates_like_creating_one() -> None:
    me = make_user()
    first = services.collection_create(actor=me, name="first")
    services.collection_create(actor=me, name="second")
    before = db_state()

    for name in ("", "\x00", "x" * (COLLECTION_NAME_MAX_LENGTH + 1), "second"):
        with pytest.raises(InvalidInput):
            services.collection_rename(actor=me, collection_id=first.pk, name=name)

    assert db_state() == before


def test_duplicate_collection_name_is_invalid() -> None:
    me = make_user()
    services.collection_create(actor=me, name="Cats")
    services.collection_create(actor=make_user(), name="Dogs")

    with pytest.raises(InvalidInput):
        services.collection_create(actor=me, name="  Cats ")

    assert FavoriteCollection.objects.filter(owner=me).count() == 1
    assert services.collection_create(actor=me, name="Dogs").name == "Dogs"  # names are per owner


# Videos --------------------------------------------------------------------------------------


def test_video_post_takes_the_creators_defaults_and_creates_counters() -> None:
    creator = make_user(default_allow_download=False, default_allow_comments=InteractionAudience.FRIENDS)

    video = services.video_post(actor=creator, caption="  hello  ", duration_seconds=12)

    assert video.caption == "hello"
    assert not video.allow_download
    assert video.allow_comments == InteractionAudience.FRIENDS
    assert video.allow_duet == InteractionAudience.EVERYONE
    assert counters_of(video) == dict.fromkeys(counters_of(video), 0)


def test_video_update_and_delete_by_the_owner() -> None:
    owner = make_user()
    video = make_video(owner)
    services.favorite_add(actor=make_user(), video_id=video.pk)

    services.video_update(actor=owner, video_id=video.pk, visibility=Visibility.PRIVATE, allow_download=False)
    video.refresh_from_db()
    assert (video.visibility, video.allow_download) == (Visibility.PRIVATE, False)

    assert services.video_delete(actor=owner, video_id=video.pk).video_id == video.pk
    assert not Video.objects.filter(pk=video.pk).exists()
    assert not Favorite.objects.exists()


def test_video_delete_names_what_of_the_owners_own_went_with_it() -> None:
    """Given an owner who saved their own video and was notified of a like and a comment on it,
    when they delete it, then the deletion names their favorite and those notifications, and
    nobody else's."""
    owner, fan = make_user(), make_user()
    video = make_video(owner)
    own_favorite = services.favorite_add(actor=owner, video_id=video.pk)
    services.favorite_add(actor=fan, video_id=video.pk)
    services.like_add(actor=fan, video_id=video.pk)
    services.comment_create(actor=fan, video_id=video.pk, text="hi")
    notifications = set(Notification.objects.filter(recipient=owner).values_list("pk", flat=True))

    deletion = services.video_delete(actor=owner, video_id=video.pk)

    assert (deletion.favorite_id, set(deletion.notification_ids)) == (own_favorite.pk, notifications)
    assert len(notifications) == 2


# Favorites -----------------------------------------------------------------------------------


def test_favorite_add_saves_silently() -> None:
    """Given a visible video, when I save it, then one row exists, save_count is 1 and no one is
    notified (saves never notify)."""
    me, creator = make_user(), make_user()
    video = make_video(creator)

    favorite = services.favorite_add(actor=me, video_id=video.pk)

    assert (favorite.user_id, favorite.video_id) == (me.pk, video.pk)
    assert counters_of(video)["save_count"] == 1
    assert not Notification.objects.exists()


def test_favorite_add_twice_is_one_save() -> None:
    me = make_user()
    video = make_video(make_user())

    first = services.favorite_add(actor=me, video_id=video.pk)
    second = services.favorite_add(actor=me, video_id=video.pk)

    assert first.pk == second.pk
    assert Favorite.objects.count() == 1
    assert counters_of(video)["save_count"] == 1


def test_favorite_add_into_a_collection() -> None:
    me = make_user()
    collection = services.collection_create(actor=me, name="later")
    video = make_video(make_user())

    favorite = services.favorite_add(actor=me, video_id=video.pk, collection_id=collection.pk)

    assert favorite.collection_id == collection.pk


def test_favorite_add_into_someone_elses_collection_is_not_found() -> None:
    me, other = make_user(), make_user()
    theirs = services.collection_create(actor=other, name="theirs")
    video = make_video(make_user())
    before = db_state()

    with pytest.raises(NotFound):
        services.favorite_add(actor=me, video_id=video.pk, collection_id=theirs.pk)

    assert db_state() == before


def test_favorite_remove() -> None:
    me = make_user()
    video = make_video(make_user())
    favorite = services.favorite_add(actor=me, video_id=video.pk)
    services.favorite_add(actor=make_user(), video_id=video.pk)

    assert services.favorite_remove(actor=me, video_id=video.pk) == favorite.pk

    assert not Favorite.objects.filter(user=me).exists()
    assert counters_of(video)["save_count"] == 1


def test_favorite_remove_when_not_saved_returns_none_and_counts_nothing() -> None:
    me = make_user()
    video = make_video(make_user())
    services.favorite_add(actor=make_user(), video_id=video.pk)  # someone else's save must stay counted
    before = db_state()

    assert services.favorite_remove(actor=me, video_id=video.pk) is None

    assert db_state() == before
    assert counters_of(video)["save_count"] == 1


def test_favorite_remove_works_after_the_video_became_private() -> None:
    """An unavailable favorite stays removable (video visibility), and the count follows."""
    me, owner = make_user(), make_user()
    video = make_video(owner)
    favorite = services.favorite_add(actor=me, video_id=video.pk)
    services.video_update(actor=owner, video_id=video.pk, visibility=Visibility.PRIVATE)

    assert services.favorite_remove(actor=me, video_id=video.pk) == favorite.pk

    assert not Favorite.objects.exists()
    assert counters_of(video)["save_count"] == 0


def test_favorite_move_between_own_collections_only() -> None:
    me, other = make_user(), make_user()
    mine = services.collection_create(actor=me, name="mine")
    theirs = services.collection_create(actor=other, name="theirs")
    video = make_video(make_user())
    services.favorite_add(actor=me, video_id=video.pk)

    assert services.favorite_move(actor=me, video_id=video.pk, collection_id=mine.pk).collection_id == mine.pk
    with pytest.raises(NotFound):
        services.favorite_move(actor=me, video_id=video.pk, collection_id=theirs.pk)
    assert Favorite.objects.get().collection_id == mine.pk
    assert services.favorite_move(actor=me, video_id=video.pk, collection_id=None).collection_id is None
    with pytest.raises(NotFound):
        services.favorite_move(actor=other, video_id=video.pk, collection_id=theirs.pk)  # other never saved it


def test_collection_delete_keeps_its_favorites() -> None:
    me = make_user()
    collection = services.collection_create(actor=me, name="gone soon")
    video = make_video(make_user())
    held = services.favorite_add(actor=me, video_id=video.pk, collection_id=collection.pk)
    services.favorite_add(actor=me, video_id=make_video(make_user()).pk)  # in no collection: not moved

    with pytest.raises(NotFound):
        services.collection_delete(actor=make_user(), collection_id=collection.pk)
    assert services.collection_delete(actor=me, collection_id=collection.pk) == [held.pk]

    favorite = Favorite.objects.get(pk=held.pk)
    assert favorite.collection_id is None
    assert counters_of(video)["save_count"] == 1


# Likes ---------------------------------------------------------------------------------------


def test_like_twice_is_one_like_and_unlike_twice_never_goes_negative() -> None:
    me = make_user()
    video = make_video(make_user())

    services.like_add(actor=me, video_id=video.pk)
    services.like_add(actor=me, video_id=video.pk)
    assert Like.objects.count() == 1
    assert counters_of(video)["like_count"] == 1
    assert Notification.objects.count() == 1

    services.like_remove(actor=me, video_id=video.pk)
    services.like_remove(actor=me, video_id=video.pk)
    assert not Like.objects.exists()
    assert counters_of(video)["like_count"] == 0


def test_like_add_returns_the_video_with_fresh_counters_and_flag() -> None:
    me = make_user()
    video = make_video(make_user())

    liked = services.like_add(actor=me, video_id=video.pk)

    assert liked.counters.like_count == 1
    assert liked.viewer_has_liked is True  # type: ignore[attr-defined]


# Comments ------------------------------------------------------------------------------------


def test_comment_create_and_delete_move_the_count() -> None:
    me = make_user()
    video = make_video(make_user())

    comment = services.comment_create(actor=me, video_id=video.pk, text="  first!  ")
    assert comment.text == "first!"
    assert counters_of(video)["comment_count"] == 1

    services.comment_delete(actor=me, comment_id=comment.pk)
    assert not Comment.objects.exists()
    assert counters_of(video)["comment_count"] == 0


@pytest.mark.postgres
def test_deleting_a_comment_locks_the_comment_row_only() -> None:
    """The video and its owner are read alongside the comment; locking them too would make a
    comment deletion wait on (and deadlock with) follows and counter steps on those rows."""
    me = make_user()
    comment = services.comment_create(actor=me, video_id=make_video(make_user()).pk, text="bye")

    with CaptureQueriesContext(connection) as queries:
        services.comment_delete(actor=me, comment_id=comment.pk)

    locks = [query["sql"] for query in queries.captured_queries if "FOR UPDATE" in query["sql"]]
    comment_locks = [sql for sql in locks if sql.startswith('SELECT "engagement_comment"."id"')]
    assert len(comment_locks) == 1
    assert comment_locks[0].endswith('FOR UPDATE OF "engagement_comment"'), comment_locks[0]


def test_video_owner_may_delete_any_comment_on_it() -> None:
    """The deletion names the owner's notification about the comment, which went with it."""
    owner = make_user()
    video = make_video(owner)
    comment = services.comment_create(actor=make_user(), video_id=video.pk, text="spam")
    notification = Notification.objects.get(recipient=owner, comment=comment)

    deletion = services.comment_delete(actor=owner, comment_id=comment.pk)

    assert (deletion.video_id, list(deletion.notification_ids)) == (video.pk, [notification.pk])
    assert counters_of(video)["comment_count"] == 0
    assert not Notification.objects.exists()


def test_a_third_party_may_not_delete_a_comment() -> None:
    video = make_video(make_user())
    comment = services.comment_create(actor=make_user(), video_id=video.pk, text="mine")
    bystander = make_user()
    before = db_state()

    with pytest.raises(PermissionDenied):
        services.comment_delete(actor=bystander, comment_id=comment.pk)
    with pytest.raises(Unauthenticated):
        services.comment_delete(actor=anonymous(), comment_id=comment.pk)

    assert db_state() == before


def test_comment_on_a_hidden_video_is_not_found_like_a_missing_comment() -> None:
    owner, author = make_user(), make_user()
    make_friends(owner, author)
    video = make_video(owner, visibility=Visibility.FRIENDS)
    comment = services.comment_create(actor=author, video_id=video.pk, text="between friends")
    stranger = make_user()
    before = db_state()

    hidden = raised(lambda: services.comment_delete(actor=stranger, comment_id=comment.pk))
    missing = raised(lambda: services.comment_delete(actor=stranger, comment_id=comment.pk + 1000))

    assert type(hidden) is type(missing) is NotFound
    assert str(hidden) == str(missing)
    assert db_state() == before


@pytest.mark.parametrize("operation", ["comment", "duet", "stitch"])
def test_no_one_audience_refuses_everyone_but_the_owner(operation: str) -> None:
    owner = make_user()
    field = {"comment": "allow_comments", "duet": "allow_duet", "stitch": "allow_stitch"}[operation]
    video = make_video(owner, **{field: InteractionAudience.NO_ONE})
    act = VIDEO_OPERATIONS["comment_create" if operation == "comment" else operation]
    friend = make_user()
    make_friends(owner, friend)
    before = db_state()

    with pytest.raises(PermissionDenied):
        act(friend, video.pk)

    assert db_state() == before
    act(owner, video.pk)  # the owner is never locked out of their own video


@pytest.mark.parametrize("operation", ["comment_create", "duet", "stitch"])
def test_friends_audience_allows_friends_only(operation: str) -> None:
    owner, friend, follower = make_user(), make_user(), make_user()
    make_friends(owner, friend)
    make_follow(follower, owner)
    field = {"comment_create": "allow_comments", "duet": "allow_duet", "stitch": "allow_stitch"}[operation]
    video = make_video(owner, **{field: InteractionAudience.FRIENDS})
    act = VIDEO_OPERATIONS[operation]
    before = db_state()

    with pytest.raises(PermissionDenied):
        act(follower, video.pk)
    assert db_state() == before

    act(friend, video.pk)
    assert db_state() != before


def test_duet_records_its_source() -> None:
    source = make_video(make_user())
    me = make_user()

    duet = services.video_post(
        actor=me, caption="with you", duration_seconds=10, remix_of_id=source.pk, remix_kind=RemixKind.DUET
    )

    assert (duet.remix_of_id, duet.remix_kind) == (source.pk, RemixKind.DUET)
    assert counters_of(duet)["view_count"] == 0


# Shares, downloads, views --------------------------------------------------------------------


def test_share_create_counts() -> None:
    video = make_video(make_user())
    me = make_user()

    services.share_create(actor=me, video_id=video.pk, channel="WHATSAPP")
    services.share_create(actor=me, video_id=video.pk, channel="WHATSAPP")  # shares are events, not a set

    assert Share.objects.count() == 2
    assert counters_of(video)["share_count"] == 2


def test_download_create_counts_and_signs_a_link() -> None:
    video = make_video(make_user())
    media = attach_files(video)
    me = make_user()

    grant = downloads.download_create(actor=me, video_id=video.pk)

    assert Download.objects.filter(user=me, video=video).count() == 1
    assert counters_of(video)["download_count"] == 1
    token = grant.url.rstrip("/").rsplit("/", 1)[-1]
    assert downloads.download_redeem(token=token) == downloads.DownloadFile(
        key=media.download, filename=f"video-{video.pk}.mp4"
    )


def test_downloads_off_is_forbidden_and_nothing_is_counted() -> None:
    """Creator settings are enforced: downloads off means a clear error, no Download row and an unchanged count."""
    owner = make_user()
    video = make_video(owner, allow_download=False)
    attach_files(video)
    me = make_user()
    before = db_state()

    with pytest.raises(PermissionDenied):
        downloads.download_create(actor=me, video_id=video.pk)

    assert not Download.objects.exists()
    assert counters_of(video)["download_count"] == 0
    assert db_state() == before


def test_download_token_forged_or_tampered_is_not_found() -> None:
    video = make_video(make_user())
    attach_files(video)
    grant = downloads.download_create(actor=make_user(), video_id=video.pk)
    token = grant.url.rstrip("/").rsplit("/", 1)[-1]

    for forged in ("nonsense", token[:-1] + ("A" if token[-1] != "A" else "B")):
        with pytest.raises(NotFound):
            downloads.download_redeem(token=forged)


@pytest.mark.parametrize("actor_kind", ["anonymous", "user"])
def test_view_record_counts_watch_time_and_completion(actor_kind: str) -> None:
    video = make_video(make_user(), duration_seconds=30)
    actor = anonymous() if actor_kind == "anonymous" else make_user()

    partial = services.view_record(actor=actor, video_id=video.pk, watched_seconds=12, traffic_source="SEARCH")
    full = services.view_record(actor=actor, video_id=video.pk, watched_seconds=30, traffic_source="PROFILE")
    services.view_record(actor=actor, video_id=video.pk, watched_seconds=0, traffic_source="OTHER")

    assert (partial.completed, full.completed) == (False, True)
    assert partial.viewer_id == (None if actor_kind == "anonymous" else actor.pk)
    counters = counters_of(video)
    assert (counters["view_count"], counters["total_watch_seconds"], counters["completion_count"]) == (3, 42, 1)
    assert View.objects.count() == 3


@pytest.mark.parametrize(
    ("playback", "field"),
    [
        ({"watch_position": -1}, "watchPosition"),
        ({"watch_position": 31}, "watchPosition"),
        ({"device": "LAPTOP"}, "device"),
        ({"device": ""}, "device"),
        ({"traffic_source": "RADIO"}, "trafficSource"),
    ],
)
def test_view_record_refuses_a_bad_playback_and_writes_nothing(playback: dict[str, Any], field: str) -> None:
    """Every value is checked before the view is written: the error names the API's field."""
    video = make_video(make_user(), duration_seconds=30)
    before = db_state()

    with pytest.raises(InvalidInput) as refused:
        services.view_record(
            actor=anonymous(), video_id=video.pk, **{"watched_seconds": 10, "traffic_source": "FOR_YOU", **playback}
        )

    assert refused.value.field == field
    assert db_state() == before


def test_view_record_of_a_hidden_video_by_anonymous_is_not_found() -> None:
    video = make_video(make_user(), visibility=Visibility.FRIENDS)
    before = db_state()

    with pytest.raises(NotFound):
        services.view_record(actor=anonymous(), video_id=video.pk, watched_seconds=3, traffic_source="OTHER")

    assert db_state() == before


# Notifications -------------------------------------------------------------------------------


def test_mark_read_touches_only_my_notifications() -> None:
    me, other = make_user(), make_user()
    services.like_add(actor=other, video_id=make_video(me).pk)
    services.like_add(actor=me, video_id=make_video(other).pk)
    theirs = Notification.objects.get(recipient=other)

    assert services.notifications_mark_read(actor=me, notification_ids=[theirs.pk]) == 0
    assert services.notifications_mark_read(actor=me) == 1

    assert Notification.objects.get(recipient=me).is_read
    assert not Notification.objects.get(recipient=other).is_read
    with pytest.raises(Unauthenticated):
        services.notifications_mark_read(actor=anonymous())
