"""Policies of the engagement app, after the rules of docs/ARCHITECTURE.md ("The privacy contract"):
video visibility, creator settings, insights delegation and the SELF scopes (saves are private).

The predicates and the SQL scopes are checked against the same expectations, because the API
uses both: a predicate for one object, a scope for a list. If they ever disagree, a video hidden
from a list would still be reachable by id, or the other way round.
"""

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from guardian.shortcuts import assign_perm

from accounts.models import InteractionAudience, User
from engagement import policies, services
from engagement.models import Favorite, FavoriteCollection, Like, Notification, Video, Visibility
from tests.domain.helpers import anonymous
from tests.factories import make_follow, make_friends, make_user, make_video

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
STRANGER = "stranger"
FOLLOWER = "follower"  # follows the owner, accepted, one way
PENDING = "pending_follower"  # asked to follow, not approved
FRIEND = "friend"  # mutual accepted follows
FOLLOWED = "followed_by_owner"  # the owner follows them, not the other way round
OWNER = "owner"
VIEWER_KINDS = (ANONYMOUS, STRANGER, FOLLOWER, PENDING, FRIEND, FOLLOWED, OWNER)

# Who sees a video, by (visibility, owner account is private). Written out in full, not derived,
# so that the table itself is the specification a reviewer reads.
WHO_SEES: dict[tuple[str, bool], set[str]] = {
    (Visibility.PUBLIC, False): {ANONYMOUS, STRANGER, FOLLOWER, PENDING, FRIEND, FOLLOWED, OWNER},
    (Visibility.PUBLIC, True): {FOLLOWER, FRIEND, OWNER},
    (Visibility.FRIENDS, False): {FRIEND, OWNER},
    (Visibility.FRIENDS, True): {FRIEND, OWNER},
    (Visibility.PRIVATE, False): {OWNER},
    (Visibility.PRIVATE, True): {OWNER},
}

TRUTH_TABLE = [
    pytest.param(visibility, private, kind, kind in seen, id=f"{visibility}-{'private' if private else 'open'}-{kind}")
    for (visibility, private), seen in WHO_SEES.items()
    for kind in VIEWER_KINDS
]


def viewer_of_kind(kind: str, owner: User) -> Any:
    """A viewer standing in the given relation to ``owner``."""
    if kind == ANONYMOUS:
        return anonymous()
    if kind == OWNER:
        return owner
    viewer = make_user()
    if kind == FOLLOWER:
        make_follow(viewer, owner)
    elif kind == PENDING:
        make_follow(viewer, owner, accepted=False)
    elif kind == FRIEND:
        make_friends(viewer, owner)
    elif kind == FOLLOWED:
        make_follow(owner, viewer)
    return viewer


def fresh(video: Video) -> Video:
    """The video as a new request would load it (no annotations, current owner state)."""
    return Video.objects.select_related("owner").get(pk=video.pk)


def scope_ids(viewer: Any) -> set[int]:
    return set(policies.visible_videos(viewer, Video.objects.all()).values_list("pk", flat=True))


# Video visibility --------------------------------------------------------------------------


@pytest.mark.parametrize(("visibility", "owner_is_private", "viewer_kind", "expected"), TRUTH_TABLE)
def test_video_visibility_truth_table(
    visibility: str, owner_is_private: bool, viewer_kind: str, expected: bool
) -> None:
    """Given an owner, a video and a viewer in a known relation, when the viewer asks for the
    video by object and by SQL scope, then both answers equal the table."""
    owner = make_user(is_private=owner_is_private)
    video = make_video(owner, visibility=visibility)
    make_video(make_user())  # an unrelated public video, so the scope has something else to return
    viewer = viewer_of_kind(viewer_kind, owner)

    by_predicate = policies.can_view_video(viewer, fresh(video))
    by_scope = video.pk in scope_ids(viewer)

    assert by_predicate is expected
    assert by_scope is expected


def test_scope_and_predicate_agree_on_a_mixed_world() -> None:
    """Given every visibility from an open and a private owner, when each kind of viewer lists
    videos in one query, then the list is exactly the videos the predicate allows, and the table's."""
    open_owner, private_owner = make_user(), make_user(is_private=True)
    videos = {
        (visibility, owner.is_private): make_video(owner, visibility=visibility)
        for owner in (open_owner, private_owner)
        for visibility in Visibility.values
    }
    viewers = {
        FOLLOWER: make_user(),
        PENDING: make_user(),
        FRIEND: make_user(),
        FOLLOWED: make_user(),
        STRANGER: make_user(),
    }
    for owner in (open_owner, private_owner):
        make_follow(viewers[FOLLOWER], owner)
        make_follow(viewers[PENDING], owner, accepted=False)
        make_friends(viewers[FRIEND], owner)
        make_follow(owner, viewers[FOLLOWED])

    for kind, viewer in viewers.items():
        listed = scope_ids(viewer)
        allowed = {video.pk for video in videos.values() if policies.can_view_video(viewer, fresh(video))}
        from_table = {video.pk for key, video in videos.items() if kind in WHO_SEES[key]}
        assert listed == allowed == from_table, kind


def test_deactivated_owner_videos_are_invisible_to_everyone() -> None:
    """Given a deactivated owner, then none of their videos is visible, not even to a friend or
    to the owner's own (now inactive) account."""
    owner = make_user()
    friend, follower, stranger = make_user(), make_user(), make_user()
    make_friends(friend, owner)
    make_follow(follower, owner)
    videos = [make_video(owner, visibility=visibility) for visibility in Visibility.values]
    User.objects.filter(pk=owner.pk).update(is_active=False)
    owner.refresh_from_db()

    for viewer in (anonymous(), friend, follower, stranger, owner):
        assert scope_ids(viewer).isdisjoint(video.pk for video in videos)
        assert not any(policies.can_view_video(viewer, fresh(video)) for video in videos)


def test_deactivated_viewer_is_treated_as_anonymous() -> None:
    """A friend whose account was deactivated loses what friendship gave them."""
    owner, friend = make_user(), make_user()
    make_friends(friend, owner)
    video = make_video(owner, visibility=Visibility.FRIENDS)
    assert policies.can_view_video(friend, fresh(video))

    User.objects.filter(pk=friend.pk).update(is_active=False)
    friend.refresh_from_db()

    assert not policies.can_view_video(friend, fresh(video))
    assert video.pk not in scope_ids(friend)


# Creator settings: comments, duet, stitch, downloads ------------------------------------------

AUDIENCE_VIEWERS = (ANONYMOUS, STRANGER, FOLLOWER, FRIEND, OWNER)
WHO_MAY_INTERACT: dict[str, set[str]] = {
    InteractionAudience.EVERYONE: {STRANGER, FOLLOWER, FRIEND, OWNER},
    InteractionAudience.FRIENDS: {FRIEND, OWNER},
    InteractionAudience.NO_ONE: {OWNER},
}
AUDIENCE_POLICIES = [
    pytest.param(policies.can_comment, "allow_comments", id="comment"),
    pytest.param(policies.can_duet, "allow_duet", id="duet"),
    pytest.param(policies.can_stitch, "allow_stitch", id="stitch"),
]


@pytest.mark.parametrize(("policy", "field"), AUDIENCE_POLICIES)
@pytest.mark.parametrize("audience", InteractionAudience.values)
@pytest.mark.parametrize("viewer_kind", AUDIENCE_VIEWERS)
def test_interaction_audience(policy: Any, field: str, audience: str, viewer_kind: str) -> None:
    """Given a public video whose creator set an audience for comments/duets/stitches, then only
    that audience may act; the owner always may, an anonymous viewer never."""
    owner = make_user()
    video = make_video(owner, **{field: audience})
    viewer = viewer_of_kind(viewer_kind, owner)

    assert policy(viewer, fresh(video)) is (viewer_kind in WHO_MAY_INTERACT[audience])


@pytest.mark.parametrize("allow_download", [True, False])
@pytest.mark.parametrize("viewer_kind", AUDIENCE_VIEWERS)
def test_download_setting(allow_download: bool, viewer_kind: str) -> None:
    """Downloads off means no one but the owner downloads; on means any signed-in viewer."""
    owner = make_user()
    video = make_video(owner, allow_download=allow_download)
    viewer = viewer_of_kind(viewer_kind, owner)

    expected = viewer_kind == OWNER or (allow_download and viewer_kind != ANONYMOUS)
    assert policies.can_download(viewer, fresh(video)) is expected


def test_comment_deletion_is_for_author_and_video_owner() -> None:
    owner, author, other = make_user(), make_user(), make_user()
    video = make_video(owner)
    comment = services.comment_create(actor=author, video_id=video.pk, text="nice")

    assert policies.can_delete_comment(author, comment)
    assert policies.can_delete_comment(owner, comment)
    assert not policies.can_delete_comment(other, comment)
    assert not policies.can_delete_comment(anonymous(), comment)


def test_video_settings_are_the_owners_business() -> None:
    owner, friend = make_user(), make_user()
    make_friends(owner, friend)
    video = fresh(make_video(owner))

    assert policies.can_see_video_settings(owner, video)
    assert policies.can_manage_video(owner, video)
    assert not policies.can_see_video_settings(friend, video)
    assert not policies.can_manage_video(friend, video)
    assert not policies.can_manage_video(anonymous(), video)


# Insights (OWNER_AGGREGATE) and delegation ------------------------------------------------------


def insight_ids(viewer: Any) -> set[int]:
    return set(policies.insights_videos(viewer, Video.objects.all()).values_list("pk", flat=True))


def test_insights_owner_yes_stranger_and_anonymous_no() -> None:
    owner, stranger = make_user(), make_user()
    video = make_video(owner)

    assert policies.can_view_insights(owner, fresh(video))
    assert insight_ids(owner) == {video.pk}
    assert not policies.can_view_insights(stranger, fresh(video))
    assert insight_ids(stranger) == set()
    assert not policies.can_view_insights(anonymous(), fresh(video))
    assert insight_ids(anonymous()) == set()


def test_object_permission_on_one_video_grants_that_video_only() -> None:
    """Given the owner delegated one video to a manager (guardian object permission), then the
    manager reads that video's insights and no other video's, the owner's or anyone's."""
    owner, manager = make_user(), make_user()
    delegated, other = make_video(owner), make_video(owner)
    unrelated = make_video(make_user())
    assign_perm(policies.VIDEO_INSIGHTS_PERMISSION, manager, delegated)

    assert policies.can_view_insights(manager, fresh(delegated))
    assert not policies.can_view_insights(manager, fresh(other))
    assert not policies.can_view_insights(manager, fresh(unrelated))
    assert insight_ids(manager) == {delegated.pk}
    assert set(policies.delegated_insights_videos(manager, Video.objects.all())) == {fresh(delegated)}


def test_permission_on_owner_grants_all_their_videos_including_later_ones() -> None:
    """Given ``accounts.view_video_insights`` on the owner's user object, then the manager reads
    every video of that owner, also one posted after the grant, and none of anybody else's."""
    owner, manager, someone_else = make_user(), make_user(), make_user()
    before = make_video(owner, visibility=Visibility.PRIVATE)
    foreign = make_video(someone_else)
    assign_perm(policies.ALL_VIDEOS_INSIGHTS_PERMISSION, manager, owner)
    after = make_video(owner)

    assert policies.can_view_insights(manager, fresh(before))
    assert policies.can_view_insights(manager, fresh(after))
    assert not policies.can_view_insights(manager, fresh(foreign))
    assert insight_ids(manager) == {before.pk, after.pk}


@pytest.mark.parametrize(
    "permission", [policies.VIDEO_INSIGHTS_PERMISSION, policies.ALL_VIDEOS_INSIGHTS_PERMISSION], ids=["video", "owner"]
)
def test_global_permission_via_assign_perm_does_not_widen_insights(permission: str) -> None:
    """A model-level permission (no object) is real in Django terms, but delegation is an object
    permission: it must not open every creator's insights."""
    owner, holder = make_user(), make_user()
    video = make_video(owner)
    assign_perm(permission, holder)
    holder = User.objects.get(pk=holder.pk)  # a fresh instance: Django caches permissions
    assert holder.has_perm(permission)  # the grant really happened

    assert not policies.can_view_insights(holder, fresh(video))
    assert insight_ids(holder) == set()


def test_global_permission_via_user_permissions_does_not_widen_insights() -> None:
    owner, holder = make_user(), make_user()
    video = make_video(owner)
    holder.user_permissions.add(
        Permission.objects.get(codename="view_video_insights", content_type__app_label="engagement"),
        Permission.objects.get(codename="view_video_insights", content_type__app_label="accounts"),
    )
    holder = User.objects.get(pk=holder.pk)
    assert holder.has_perm(policies.VIDEO_INSIGHTS_PERMISSION)

    assert not policies.can_view_insights(holder, fresh(video))
    assert insight_ids(holder) == set()


def test_superuser_who_is_not_the_owner_gets_no_insights() -> None:
    owner = make_user()
    admin = make_user(is_superuser=True, is_staff=True)
    video = make_video(owner)
    assert admin.has_perm(policies.VIDEO_INSIGHTS_PERMISSION)  # Django itself would say yes

    assert not policies.can_view_insights(admin, fresh(video))
    assert insight_ids(admin) == set()


def test_delegation_to_a_deactivated_owner_s_videos_lapses() -> None:
    owner, manager = make_user(), make_user()
    video = make_video(owner)
    assign_perm(policies.ALL_VIDEOS_INSIGHTS_PERMISSION, manager, owner)
    User.objects.filter(pk=owner.pk).update(is_active=False)

    assert not policies.can_view_insights(manager, fresh(video))


def test_only_the_owner_delegates() -> None:
    owner, other = make_user(), make_user()
    assert policies.can_delegate_insights(owner, owner)
    assert not policies.can_delegate_insights(other, owner)
    assert not policies.can_delegate_insights(anonymous(), owner)


# SELF scopes ---------------------------------------------------------------------------------


def test_own_favorites_returns_only_the_viewers_rows() -> None:
    """Given two savers of the same videos, then each one's scope holds only their own rows,
    even when the queryset handed in was already narrowed to the other saver."""
    alice, bob = make_user(), make_user()
    videos = [make_video(make_user()) for _ in range(3)]
    for video in videos:
        services.favorite_add(actor=alice, video_id=video.pk)
    services.favorite_add(actor=bob, video_id=videos[0].pk)

    alice_rows = policies.own_favorites(alice, Favorite.objects.all())
    assert {favorite.user_id for favorite in alice_rows} == {alice.pk}
    assert alice_rows.count() == 3
    assert list(policies.own_favorites(bob, Favorite.objects.all()).values_list("user_id", flat=True)) == [bob.pk]
    assert not policies.own_favorites(alice, Favorite.objects.filter(user=bob)).exists()
    assert not policies.own_favorites(anonymous(), Favorite.objects.all()).exists()


def test_own_collections_and_notifications_are_self_only() -> None:
    alice, bob = make_user(), make_user()
    services.collection_create(actor=alice, name="mine")
    services.collection_create(actor=bob, name="theirs")
    services.like_add(actor=bob, video_id=make_video(alice).pk)  # notifies alice
    services.like_add(actor=alice, video_id=make_video(bob).pk)  # notifies bob

    assert list(policies.own_collections(alice, FavoriteCollection.objects.all()).values_list("name", flat=True)) == [
        "mine"
    ]
    assert not policies.own_collections(anonymous(), FavoriteCollection.objects.all()).exists()
    assert set(
        policies.own_notifications(alice, Notification.objects.all()).values_list("recipient_id", flat=True)
    ) == {alice.pk}
    assert not policies.own_notifications(anonymous(), Notification.objects.all()).exists()


def test_liked_videos_scope_hides_videos_the_viewer_cannot_see() -> None:
    """A user who shows their likes still never reveals a video the viewer may not see."""
    liker, creator, stranger = make_user(liked_videos_visibility="EVERYONE"), make_user(), make_user()
    make_friends(liker, creator)
    public = make_video(creator)
    friends_only = make_video(creator, visibility=Visibility.FRIENDS)
    services.like_add(actor=liker, video_id=public.pk)
    services.like_add(actor=liker, video_id=friends_only.pk)

    seen_by_stranger = policies.liked_videos_of(stranger, liker, Like.objects.all())
    seen_by_liker = policies.liked_videos_of(liker, liker, Like.objects.all())

    assert set(seen_by_stranger.values_list("video_id", flat=True)) == {public.pk}
    assert set(seen_by_liker.values_list("video_id", flat=True)) == {public.pk, friends_only.pk}
