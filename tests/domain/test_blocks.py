"""Blocks and mutes in the domain ("Blocks and mutes", docs/ARCHITECTURE.md): the policy scopes
each read goes through, and the services that write them.

A block hides the two people from each other whichever of them blocked; a mute hides from the
muter only; the lookups of the viewer's own blocks and mutes treat someone who blocked the viewer
as missing."""

import pytest

from accounts import policies, selectors, services
from accounts.models import Block, Follow, FollowStatus, Mute, User
from engagement import policies as engagement_policies
from engagement import services as engagement_services
from engagement.counters import counter_drift
from engagement.models import Comment, Notification, NotificationKind, Video
from kernel.errors import InvalidInput, NotFound, Unauthenticated
from tests.domain.helpers import anonymous, db_state
from tests.factories import make_follow, make_friends, make_user, make_video

pytestmark = pytest.mark.django_db


def ids(rows: object) -> set[int]:
    return {row.pk for row in rows}  # type: ignore[attr-defined]


# Policies ------------------------------------------------------------------------------------------


def test_a_block_is_seen_from_both_sides_and_by_no_one_else() -> None:
    blocker, blocked, third = make_user(), make_user(), make_user()
    Block.objects.create(blocker=blocker, blocked=blocked)

    assert policies.is_blocked_between(blocker, blocked)
    assert policies.is_blocked_between(blocked, blocker)
    assert not policies.is_blocked_between(third, blocker)
    assert not policies.is_blocked_between(anonymous(), blocker)
    everyone = User.objects.filter(pk__in=[blocker.pk, blocked.pk, third.pk])
    assert ids(policies.visible_users(blocker, everyone)) == {blocker.pk, third.pk}
    assert ids(policies.visible_users(blocked, everyone)) == {blocked.pk, third.pk}
    assert ids(policies.visible_users(third, everyone)) == ids(everyone)
    assert ids(policies.visible_users(anonymous(), everyone)) == ids(everyone)


def test_blockable_users_keep_the_viewers_own_blocks_and_lose_who_blocked_the_viewer() -> None:
    """The viewer's own lookups (block, unblock, mute, unmute, the lists of them): someone they
    blocked stays findable, someone who blocked them is missing, as a deactivated account is."""
    me, mine, theirs, gone, stranger = make_user(), make_user(), make_user(), make_user(is_active=False), make_user()
    Block.objects.create(blocker=me, blocked=mine)
    Block.objects.create(blocker=theirs, blocked=me)
    everyone = User.objects.filter(pk__in=[me.pk, mine.pk, theirs.pk, gone.pk, stranger.pk])

    assert ids(policies.blockable_users(me, everyone)) == {me.pk, mine.pk, stranger.pk}


def test_both_videos_are_invisible_to_the_other_only() -> None:
    a, b, third = make_user(), make_user(), make_user()
    videos = {make_video(a).pk, make_video(b).pk}
    Block.objects.create(blocker=a, blocked=b)

    def seen_by(viewer: User) -> set[int]:
        return ids(engagement_policies.visible_videos(viewer, Video.objects.filter(pk__in=videos)))

    assert seen_by(a) == {video for video in videos if Video.objects.get(pk=video).owner_id == a.pk}
    assert seen_by(b) == {video for video in videos if Video.objects.get(pk=video).owner_id == b.pk}
    assert seen_by(third) == videos


def test_comments_scope_hides_each_others_comments() -> None:
    a, b, third, host = make_user(), make_user(), make_user(), make_user()
    video = make_video(host)
    by_a = engagement_services.comment_create(actor=a, video_id=video.pk, text="a")
    by_b = engagement_services.comment_create(actor=b, video_id=video.pk, text="b")
    Block.objects.create(blocker=b, blocked=a)
    comments = Comment.objects.filter(video=video)

    assert ids(engagement_policies.visible_comments(a, comments)) == {by_a.pk}
    assert ids(engagement_policies.visible_comments(b, comments)) == {by_b.pk}
    assert ids(engagement_policies.visible_comments(third, comments)) == {by_a.pk, by_b.pk}
    assert ids(engagement_policies.visible_comments(anonymous(), comments)) == {by_a.pk, by_b.pk}


def test_follow_edges_scope_hides_the_other_person_either_way() -> None:
    me, blocked_by_me, blocking_me, friend = make_user(), make_user(), make_user(), make_user()
    for other in (blocked_by_me, blocking_me, friend):
        make_follow(other, me)
    Block.objects.create(blocker=me, blocked=blocked_by_me)
    Block.objects.create(blocker=blocking_me, blocked=me)

    shown = policies.visible_follow_edges(me, Follow.objects.filter(followee=me), person="follower")

    assert {edge.follower_id for edge in shown} == {friend.pk}


def test_notifications_are_shown_but_from_blocks_mutes_and_deactivated_actors() -> None:
    """The recipient's inbox leaves out actors across a block (either way), actors they muted and
    deactivated ones; the mute is the muter's alone: another recipient still sees that actor."""
    me, other_recipient = make_user(), make_user()
    actors = {name: make_user() for name in ("plain", "blocked_by_me", "blocking_me", "muted", "gone")}
    for actor in actors.values():
        for recipient in (me, other_recipient):
            Notification.objects.create(recipient=recipient, actor=actor, kind=NotificationKind.FOLLOW)
    Block.objects.create(blocker=me, blocked=actors["blocked_by_me"])
    Block.objects.create(blocker=actors["blocking_me"], blocked=me)
    Mute.objects.create(muter=me, muted=actors["muted"])
    User.objects.filter(pk=actors["gone"].pk).update(is_active=False)

    def actors_shown_to(recipient: User) -> set[int]:
        return {n.actor_id for n in engagement_policies.own_notifications(recipient, Notification.objects.all())}

    assert actors_shown_to(me) == {actors["plain"].pk}
    assert actors_shown_to(other_recipient) == {
        actors[name].pk for name in ("plain", "blocked_by_me", "blocking_me", "muted")
    }
    assert not engagement_policies.own_notifications(anonymous(), Notification.objects.all()).exists()


def test_a_mute_hides_from_the_muter_only() -> None:
    muter, muted, third = make_user(), make_user(), make_user()
    Mute.objects.create(muter=muter, muted=muted)
    both = User.objects.filter(pk__in=[muted.pk, third.pk])

    assert ids(both.filter(policies.unmuted_q(muter, field="pk"))) == {third.pk}
    assert ids(both.filter(policies.unmuted_q(third, field="pk"))) == {muted.pk, third.pk}
    assert ids(both.filter(policies.unmuted_q(muted, field="pk"))) == {muted.pk, third.pk}
    assert ids(both.filter(policies.unmuted_q(anonymous(), field="pk"))) == {muted.pk, third.pk}
    assert ids(policies.visible_users(muter, both)) == {muted.pk, third.pk}  # a mute hides no profile


def test_a_delegation_lapses_across_a_block_and_comes_back_after_it() -> None:
    owner, delegate = make_user(), make_user()
    video = make_video(owner)
    engagement_services.insights_access_grant(actor=owner, username=delegate.username, video_id=video.pk)
    block = Block.objects.create(blocker=owner, blocked=delegate)

    assert not engagement_policies.can_view_insights(delegate, video)
    assert engagement_policies.can_view_insights(owner, video)
    block.delete()
    assert engagement_policies.can_view_insights(delegate, video)


# Services ------------------------------------------------------------------------------------------


def test_a_block_ends_every_follow_between_the_two_and_nothing_else() -> None:
    """Given two friends, each with a pending request to a third account and one follower of
    their own, when one blocks the other, then both follows between them end, each counter moves
    once, the other edges stay, and no notification is written."""
    a, b, third, fan = make_user(), make_user(), make_user(is_private=True), make_user()
    make_friends(a, b)
    make_follow(a, third, accepted=False)
    make_follow(fan, a)
    notifications = Notification.objects.count()

    user, created = services.user_block(actor=a, username=b.username)

    assert (user.pk, created) == (b.pk, True)
    assert not Follow.objects.filter(follower__in=[a, b], followee__in=[a, b]).exists()
    assert {(edge.follower_id, edge.followee_id) for edge in Follow.objects.all()} == {(a.pk, third.pk), (fan.pk, a.pk)}
    assert counter_drift() == []
    a.refresh_from_db()
    assert (a.follower_count, a.following_count) == (1, 0)
    assert Notification.objects.count() == notifications


def test_a_block_ends_a_pending_request_without_moving_a_counter() -> None:
    private, requester = make_user(is_private=True), make_user()
    make_follow(requester, private, accepted=False)

    services.user_block(actor=private, username=requester.username)

    assert not Follow.objects.exists()
    assert counter_drift() == []
    assert list(User.objects.values_list("follower_count", "following_count")) == [(0, 0), (0, 0)]


def test_blocking_twice_is_one_block() -> None:
    a, b = make_user(), make_user()
    make_friends(a, b)

    services.user_block(actor=a, username=b.username)
    before = db_state()
    _, created = services.user_block(actor=a, username=b.username)

    assert created is False
    assert db_state() == before


def test_someone_who_blocked_the_actor_is_missing_to_every_one_of_these_services() -> None:
    a, b = make_user(), make_user()
    services.user_block(actor=a, username=b.username)
    before = db_state()

    for service in (services.user_block, services.user_unblock, services.user_mute, services.user_unmute):
        with pytest.raises(NotFound):
            service(actor=b, username=a.username)

    assert db_state() == before


def test_the_actors_own_block_outlives_the_others() -> None:
    """Blocks made both ways (the second by a service that found the first not yet committed) are
    each their blocker's row: lifting one leaves the other in force."""
    a, b = make_user(), make_user()
    services.user_block(actor=a, username=b.username)
    Block.objects.create(blocker=b, blocked=a)

    with pytest.raises(NotFound):  # b blocked a: a finds b missing, and cannot lift a's own row either
        services.user_unblock(actor=a, username=b.username)
    Block.objects.filter(blocker=b).delete()
    _, removed = services.user_unblock(actor=a, username=b.username)

    assert removed is True
    assert not Block.objects.exists()


def test_unblocking_gives_back_no_follow() -> None:
    a, b = make_user(), make_user()
    make_friends(a, b)
    services.user_block(actor=a, username=b.username)

    services.user_unblock(actor=a, username=b.username)

    assert not Follow.objects.exists()
    assert policies.visible_users(b, User.objects.filter(pk=a.pk)).exists()


def test_a_mute_ends_no_follow_and_is_one_row_however_often_it_is_made() -> None:
    a, b = make_user(), make_user()
    make_friends(a, b)

    results = [services.user_mute(actor=a, username=b.username)[1] for _ in range(2)]

    assert results == [True, False]
    assert Mute.objects.count() == 1
    assert Follow.objects.filter(status=FollowStatus.ACCEPTED).count() == 2
    assert services.user_unmute(actor=a, username=b.username)[1] is True
    assert services.user_unmute(actor=a, username=b.username)[1] is False


@pytest.mark.parametrize(
    "service", [services.user_block, services.user_unblock, services.user_mute, services.user_unmute]
)
def test_oneself_is_refused_and_anonymous_must_sign_in(service: object) -> None:
    me = make_user()
    before = db_state()

    with pytest.raises(InvalidInput) as caught:
        service(actor=me, username=me.username)  # type: ignore[operator]
    with pytest.raises(Unauthenticated):
        service(actor=anonymous(), username=me.username)  # type: ignore[operator]

    assert caught.value.field == "username"
    assert db_state() == before


# Reads of the viewer's own --------------------------------------------------------------------------


def test_own_blocks_and_mutes_are_the_viewers_doing_only() -> None:
    me, blocked, muted, blocker = make_user(), make_user(), make_user(), make_user()
    services.user_block(actor=me, username=blocked.username)
    services.user_mute(actor=me, username=muted.username)
    services.user_mute(actor=me, username=blocked.username)
    services.user_block(actor=blocker, username=me.username)

    own = selectors.own_blocks_and_mutes(viewer=me)

    assert own.blocked_ids == {blocked.pk}
    assert own.muted_ids == {muted.pk, blocked.pk}
    assert selectors.own_blocks_and_mutes(viewer=anonymous()).blocked_ids == frozenset()


def test_the_account_export_lists_own_blocks_and_mutes_only() -> None:
    me, blocked, muted, blocker = make_user(), make_user(), make_user(), make_user()
    services.user_block(actor=me, username=blocked.username)
    services.user_mute(actor=me, username=muted.username)
    services.user_block(actor=blocker, username=me.username)

    export = selectors.account_export(viewer=me)

    assert [entry["username"] for entry in export["blocked"]] == [blocked.username]
    assert [entry["username"] for entry in export["muted"]] == [muted.username]
    assert blocker.username not in str(export)


def test_erasing_an_account_takes_its_blocks_and_mutes_both_ways() -> None:
    me, blocked, muter = make_user(), make_user(), make_user()
    services.user_block(actor=me, username=blocked.username)
    services.user_mute(actor=me, username=muter.username)
    services.user_mute(actor=muter, username=me.username)

    engagement_services.user_delete_account(actor=me, password=f"pw-{me.username}-123!")

    assert not Block.objects.exists()
    assert not Mute.objects.exists()
