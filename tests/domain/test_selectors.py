"""Selectors: reads always go through a policy scope and take the viewer (docs/ARCHITECTURE.md, "Inside an app").

Favorites are SELF (saves are private) and keep invisible videos as unavailable (video visibility);
liked videos are SELF unless shown; insights are OWNER_AGGREGATE; hidden equals missing; and a
page of favorites costs the same number of queries whatever its size.
"""

import pytest
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import assign_perm

from accounts import selectors as account_selectors
from accounts.models import LikedVideosVisibility, User
from accounts.viewers import Viewer
from engagement import policies, selectors, services
from engagement.counters import totals as counter_totals
from engagement.models import Favorite, Visibility
from kernel.errors import NotFound, PermissionDenied, Unauthenticated
from tests.domain.helpers import anonymous
from tests.factories import make_follow, make_friends, make_user, make_video

pytestmark = pytest.mark.django_db


# Favorites -----------------------------------------------------------------------------------


def test_favorites_page_marks_videos_that_became_invisible_as_unavailable() -> None:
    """Given four saved videos, when one turns PRIVATE, one's owner goes private and one's owner
    is deactivated, then all four stay listed and only the untouched one is available."""
    me = make_user()
    owners = [make_user() for _ in range(4)]
    untouched, made_private, owner_went_private, owner_deactivated = (make_video(owner) for owner in owners)
    for video in (untouched, made_private, owner_went_private, owner_deactivated):
        services.favorite_add(actor=me, video_id=video.pk)

    services.video_update(actor=owners[1], video_id=made_private.pk, visibility=Visibility.PRIVATE)
    User.objects.filter(pk=owners[2].pk).update(is_private=True)
    User.objects.filter(pk=owners[3].pk).update(is_active=False)

    page = selectors.favorites_page(viewer=me, first=10, after=None)

    available = {favorite.video_id: favorite.is_available for favorite in page.items}  # type: ignore[attr-defined]
    assert available == {
        untouched.pk: True,
        made_private.pk: False,
        owner_went_private.pk: False,
        owner_deactivated.pk: False,
    }


def test_favorite_stays_available_through_an_accepted_follow() -> None:
    me, owner = make_user(), make_user(is_private=True)
    make_follow(me, owner)
    video = make_video(owner)
    services.favorite_add(actor=me, video_id=video.pk)

    (favorite,) = selectors.favorites_page(viewer=me, first=5, after=None).items

    assert favorite.is_available is True  # type: ignore[attr-defined]


def test_favorites_page_never_returns_another_users_favorites() -> None:
    alice, bob = make_user(), make_user()
    shared = make_video(make_user())
    only_bob = make_video(make_user())
    services.favorite_add(actor=alice, video_id=shared.pk)
    services.favorite_add(actor=bob, video_id=shared.pk)
    services.favorite_add(actor=bob, video_id=only_bob.pk)

    page = selectors.favorites_page(viewer=alice, first=100, after=None)

    assert [(favorite.user_id, favorite.video_id) for favorite in page.items] == [(alice.pk, shared.pk)]
    assert not page.has_next_page


def test_favorites_page_of_someone_elses_collection_is_not_found() -> None:
    alice, bob = make_user(), make_user()
    bobs = services.collection_create(actor=bob, name="bob's")
    services.favorite_add(actor=bob, video_id=make_video(make_user()).pk, collection_id=bobs.pk)
    missing_id = bobs.pk + 1000

    with pytest.raises(NotFound) as hidden:
        selectors.favorites_page(viewer=alice, first=10, after=None, collection_id=bobs.pk)
    with pytest.raises(NotFound) as missing:
        selectors.favorites_page(viewer=alice, first=10, after=None, collection_id=missing_id)

    assert str(hidden.value) == str(missing.value)


def test_favorites_page_filters_by_own_collection() -> None:
    me = make_user()
    later = services.collection_create(actor=me, name="later")
    in_collection, loose = make_video(make_user()), make_video(make_user())
    services.favorite_add(actor=me, video_id=in_collection.pk, collection_id=later.pk)
    services.favorite_add(actor=me, video_id=loose.pk)

    page = selectors.favorites_page(viewer=me, first=10, after=None, collection_id=later.pk)

    assert [favorite.video_id for favorite in page.items] == [in_collection.pk]


def test_favorites_page_needs_a_signed_in_viewer() -> None:
    with pytest.raises(Unauthenticated):
        selectors.favorites_page(viewer=anonymous(), first=10, after=None)


def test_favorites_page_copies_the_viewers_flags_onto_each_video() -> None:
    me = make_user()
    liked, not_liked = make_video(make_user()), make_video(make_user())
    services.favorite_add(actor=me, video_id=liked.pk)
    services.favorite_add(actor=me, video_id=not_liked.pk)
    services.like_add(actor=me, video_id=liked.pk)

    page = selectors.favorites_page(viewer=me, first=10, after=None)

    flags = {f.video_id: (f.video.viewer_has_saved, f.video.viewer_has_liked) for f in page.items}  # type: ignore[attr-defined]
    assert flags == {liked.pk: (True, True), not_liked.pk: (True, False)}


def test_favorite_get_of_another_users_favorite_is_not_found_like_a_missing_one() -> None:
    alice, bob = make_user(), make_user()
    bobs = services.favorite_add(actor=bob, video_id=make_video(make_user()).pk)
    missing_id = (Favorite.objects.aggregate(top=Max("pk"))["top"] or 0) + 1000

    with pytest.raises(NotFound) as hidden:
        selectors.favorite_get(viewer=alice, favorite_id=bobs.pk)
    with pytest.raises(NotFound) as missing:
        selectors.favorite_get(viewer=alice, favorite_id=missing_id)

    assert str(hidden.value) == str(missing.value)
    assert selectors.favorite_get(viewer=bob, favorite_id=bobs.pk).pk == bobs.pk
    with pytest.raises(NotFound):
        selectors.favorite_get(viewer=anonymous(), favorite_id=bobs.pk)


def _read_favorites_page(viewer: User, size: int) -> int:
    """Read a page the way an API would render it; return how many queries that took."""
    with CaptureQueriesContext(connection) as queries:
        page = selectors.favorites_page(viewer=viewer, first=size, after=None)
        for favorite in page.items:
            video = favorite.video
            _ = (video.caption, video.owner.username, counter_totals(video)["save_count"], favorite.collection)
            _ = (favorite.is_available, video.viewer_has_saved, video.viewer_has_liked)  # type: ignore[attr-defined]
    assert len(page.items) == size
    return len(queries)


def test_favorites_page_query_count_does_not_grow_with_the_page() -> None:
    """Five favorites and fifty cost the same queries: no N+1 through owner, counters or collection."""
    small, large = make_user(), make_user()
    creators = [make_user() for _ in range(5)]
    collection = services.collection_create(actor=large, name="all")
    for index in range(50):
        video = make_video(creators[index % 5])
        services.favorite_add(actor=large, video_id=video.pk, collection_id=collection.pk)
        if index < 5:
            services.favorite_add(actor=small, video_id=video.pk)

    queries_for_5 = _read_favorites_page(small, 5)
    queries_for_50 = _read_favorites_page(large, 50)

    assert queries_for_5 == queries_for_50
    assert queries_for_50 <= 2


# Liked videos --------------------------------------------------------------------------------


def test_liked_videos_only_me_is_forbidden_to_others() -> None:
    liker = make_user()  # ONLY_ME is the default
    services.like_add(actor=liker, video_id=make_video(make_user()).pk)
    friend = make_user()
    make_friends(liker, friend)

    for viewer in (friend, make_user(), anonymous()):
        with pytest.raises(PermissionDenied):
            selectors.liked_videos_page(viewer=viewer, user=liker, first=10, after=None)
    assert len(selectors.liked_videos_page(viewer=liker, user=liker, first=10, after=None).items) == 1


def test_liked_videos_everyone_shows_only_videos_the_viewer_may_see() -> None:
    liker, creator, stranger = (
        make_user(liked_videos_visibility=LikedVideosVisibility.EVERYONE),
        make_user(),
        make_user(),
    )
    make_friends(liker, creator)
    public = make_video(creator)
    friends_only = make_video(creator, visibility=Visibility.FRIENDS)
    services.like_add(actor=liker, video_id=public.pk)
    services.like_add(actor=liker, video_id=friends_only.pk)

    page = selectors.liked_videos_page(viewer=stranger, user=liker, first=10, after=None)

    assert [like.video.pk for like in page.items] == [public.pk]


def test_liked_videos_everyone_on_a_private_account_is_for_followers() -> None:
    liker = make_user(is_private=True, liked_videos_visibility=LikedVideosVisibility.EVERYONE)
    follower = make_user()
    make_follow(follower, liker)
    services.like_add(actor=liker, video_id=make_video(make_user()).pk)

    with pytest.raises(PermissionDenied):
        selectors.liked_videos_page(viewer=make_user(), user=liker, first=10, after=None)
    assert len(selectors.liked_videos_page(viewer=follower, user=liker, first=10, after=None).items) == 1


# Videos and insights -------------------------------------------------------------------------


def test_video_get_hidden_is_not_found_like_missing() -> None:
    video = make_video(make_user(), visibility=Visibility.PRIVATE)
    stranger = make_user()

    with pytest.raises(NotFound) as hidden:
        selectors.video_get(viewer=stranger, video_id=video.pk)
    with pytest.raises(NotFound) as missing:
        selectors.video_get(viewer=stranger, video_id=video.pk + 1000)

    assert type(hidden.value) is type(missing.value)
    assert str(hidden.value) == str(missing.value)


def test_videos_by_ids_drops_hidden_videos() -> None:
    owner = make_user()
    public, private = make_video(owner), make_video(owner, visibility=Visibility.PRIVATE)

    found = selectors.videos_by_ids(viewer=make_user(), video_ids=[public.pk, private.pk, private.pk + 1000])

    assert set(found) == {public.pk}


def test_user_videos_page_shows_what_the_viewer_may_see() -> None:
    owner, friend = make_user(), make_user()
    make_friends(owner, friend)
    videos = {visibility: make_video(owner, visibility=visibility) for visibility in Visibility.values}

    def listed(viewer: Viewer) -> set[str]:
        page = selectors.user_videos_page(viewer=viewer, owner=owner, first=10, after=None)
        return {video.visibility for video in page.items}

    assert len(videos) == 3
    assert listed(owner) == {Visibility.PUBLIC, Visibility.FRIENDS, Visibility.PRIVATE}
    assert listed(friend) == {Visibility.PUBLIC, Visibility.FRIENDS}
    assert listed(make_user()) == {Visibility.PUBLIC}
    assert listed(anonymous()) == {Visibility.PUBLIC}


def test_video_insights_for_the_owner_are_the_counters() -> None:
    owner = make_user()
    video = make_video(owner, duration_seconds=10)
    fans = [make_user() for _ in range(3)]
    for fan in fans:
        services.favorite_add(actor=fan, video_id=video.pk)
        services.view_record(actor=fan, video_id=video.pk, watched_seconds=10, traffic_source="FOR_YOU")
    services.view_record(actor=anonymous(), video_id=video.pk, watched_seconds=4, traffic_source="SEARCH")
    services.like_add(actor=fans[0], video_id=video.pk)

    totals = selectors.video_insights(viewer=owner, video=selectors.video_get(viewer=owner, video_id=video.pk))

    assert (totals.save_count, totals.like_count, totals.view_count) == (3, 1, 4)
    assert (totals.total_watch_seconds, totals.completion_count) == (34, 3)
    assert totals.average_watch_seconds == pytest.approx(8.5)
    assert totals.completion_rate == pytest.approx(0.75)


def test_video_insights_are_forbidden_to_anyone_but_owner_and_delegates() -> None:
    owner, friend, manager = make_user(), make_user(), make_user()
    make_friends(owner, friend)
    video = selectors.video_get(viewer=owner, video_id=make_video(owner).pk)

    for viewer in (friend, make_user(), anonymous()):
        with pytest.raises(PermissionDenied):
            selectors.video_insights(viewer=viewer, video=video)

    assign_perm(policies.VIDEO_INSIGHTS_PERMISSION, manager, video)
    assert selectors.video_insights(viewer=manager, video=video).save_count == 0


def test_managed_videos_page_lists_delegated_videos_only() -> None:
    owner, manager = make_user(), make_user()
    delegated = make_video(owner)
    make_video(owner)  # not delegated
    make_video(manager)  # the manager's own video is not "managed"
    assign_perm(policies.VIDEO_INSIGHTS_PERMISSION, manager, delegated)

    page = selectors.managed_videos_page(viewer=manager, first=10, after=None)

    assert [video.pk for video in page.items] == [delegated.pk]


# Notifications and the follow graph ----------------------------------------------------------


def test_notifications_page_is_the_viewers_own() -> None:
    me, other = make_user(), make_user()
    services.like_add(actor=other, video_id=make_video(me).pk)
    services.like_add(actor=me, video_id=make_video(other).pk)

    page = selectors.notifications_page(viewer=me, first=10, after=None)

    assert [n.recipient_id for n in page.items] == [me.pk]
    assert selectors.unread_notification_count(viewer=me) == 1
    with pytest.raises(Unauthenticated):
        selectors.notifications_page(viewer=anonymous(), first=10, after=None)


def test_follow_lists_of_a_private_account() -> None:
    private = make_user(is_private=True)
    follower, pending, stranger = make_user(), make_user(), make_user()
    make_follow(follower, private)
    make_follow(pending, private, accepted=False)

    with pytest.raises(PermissionDenied):
        account_selectors.followers_page(viewer=stranger, user=private, first=10, after=None)
    with pytest.raises(PermissionDenied):
        account_selectors.following_page(viewer=pending, user=private, first=10, after=None)
    page = account_selectors.followers_page(viewer=follower, user=private, first=10, after=None)
    assert [edge.follower_id for edge in page.items] == [follower.pk]
    requests = account_selectors.follow_requests_page(viewer=private, first=10, after=None)
    assert [edge.follower_id for edge in requests.items] == [pending.pk]
    assert account_selectors.follow_status(viewer=pending, user=private) == "PENDING"
    assert account_selectors.follow_status(viewer=anonymous(), user=private) is None


def test_video_lists_hide_videos_of_deactivated_owners() -> None:
    owner = make_user()
    video = make_video(owner)
    User.objects.filter(pk=owner.pk).update(is_active=False)

    assert not selectors.visible_videos(viewer=anonymous()).filter(pk=video.pk).exists()
    with pytest.raises(NotFound):
        account_selectors.user_get_by_username(viewer=anonymous(), username=owner.username)


def test_notification_keeps_its_place_but_hides_a_video_that_became_invisible() -> None:
    """A like notification about a video the recipient can no longer see must not carry it."""
    me, fan = make_user(), make_user()
    mine = make_video(me)
    services.like_add(actor=fan, video_id=mine.pk)
    theirs = make_video(fan)
    services.comment_create(actor=fan, video_id=theirs.pk, text=f"hi @{me.username}")  # a mention of me
    services.video_update(actor=fan, video_id=theirs.pk, visibility=Visibility.PRIVATE)

    page = selectors.notifications_page(viewer=me, first=10, after=None)

    shown = {n.kind: n.video_is_visible for n in page.items}  # type: ignore[attr-defined]
    assert shown == {"LIKE": True, "MENTION": False}


def test_notification_get_is_self_only() -> None:
    me, other = make_user(), make_user()
    services.like_add(actor=other, video_id=make_video(me).pk)
    mine = selectors.notifications_page(viewer=me, first=1, after=None).items[0]

    assert selectors.notification_get(viewer=me, notification_id=mine.pk).pk == mine.pk
    for viewer in (other, anonymous()):
        with pytest.raises(NotFound):
            selectors.notification_get(viewer=viewer, notification_id=mine.pk)


def test_comment_get_follows_the_videos_visibility() -> None:
    owner, friend = make_user(), make_user()
    make_friends(owner, friend)
    video = make_video(owner, visibility=Visibility.FRIENDS)
    comment = services.comment_create(actor=friend, video_id=video.pk, text="only friends read this")

    assert selectors.comment_get(viewer=friend, comment_id=comment.pk).pk == comment.pk
    with pytest.raises(NotFound) as hidden:
        selectors.comment_get(viewer=make_user(), comment_id=comment.pk)
    with pytest.raises(NotFound) as missing:
        selectors.comment_get(viewer=make_user(), comment_id=comment.pk + 1000)
    assert str(hidden.value) == str(missing.value)
