"""Property: whatever users do, in whatever order, every denormalized counter equals the rows it
counts (docs/ARCHITECTURE.md, "Data and counters"). Double taps, refusals (hidden videos, pending follows),
removals of things never added and visibility changes between actions are all in the mix.

Users and videos are built once per test; each hypothesis example runs inside a transaction that
is rolled back, so every example starts from the same fresh state.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from accounts import services as account_services
from accounts.models import User
from engagement import services
from engagement.media import downloads
from engagement.models import Comment, Video, VideoCounters, Visibility
from kernel.errors import DomainError
from tests.domain.helpers import anonymous, counter_drift
from tests.factories import attach_files, make_follow, make_user, make_video

pytestmark = pytest.mark.django_db

ACTIONS = (
    "favorite_add",
    "favorite_remove",
    "like_add",
    "like_remove",
    "comment_create",
    "comment_delete",
    "share_create",
    "download_create",
    "view_record",
    "follow",
    "unfollow",
    "follow_request_approve",
    "video_visibility",
)


@dataclass(frozen=True)
class Cast:
    """Three users (the last one a private account) and four videos of mixed visibility."""

    users: list[User]
    videos: list[Video]


@pytest.fixture
def cast() -> Cast:
    alice, bob = make_user(), make_user()
    carol = make_user(is_private=True)
    make_follow(bob, alice)  # a starting graph, so unfollow and FRIENDS videos have something to act on
    videos = [
        make_video(alice, duration_seconds=20),
        make_video(bob, visibility=Visibility.FRIENDS, duration_seconds=15),
        make_video(carol, duration_seconds=10, allow_download=False),
        make_video(alice, visibility=Visibility.PRIVATE, duration_seconds=30),
    ]
    for video in videos:  # so that a permitted download goes through
        attach_files(video)
    return Cast(users=[alice, bob, carol], videos=videos)


ANONYMOUS_ACTOR = 3
action_strategy = st.tuples(
    st.sampled_from(ACTIONS),
    st.sampled_from([0, 1, 2, 0, 1, 2, ANONYMOUS_ACTOR]),  # actor: a user most of the time, sometimes anonymous
    st.sampled_from([0, 1, 2, 3, 0, 0]),  # target video, biased to one video so that actions collide
    st.integers(min_value=0, max_value=2),  # target user (to follow, unfollow, approve)
    st.integers(min_value=0, max_value=40),  # watched seconds, comment pick, visibility pick
)


def perform(cast: Cast, action: str, actor_index: int, video_index: int, user_index: int, extra: int) -> None:
    actor: Any = anonymous() if actor_index == ANONYMOUS_ACTOR else User.objects.get(pk=cast.users[actor_index].pk)
    video_id = cast.videos[video_index].pk
    other = cast.users[user_index]
    if action == "favorite_add":
        services.favorite_add(actor=actor, video_id=video_id)
    elif action == "favorite_remove":
        services.favorite_remove(actor=actor, video_id=video_id)
    elif action == "like_add":
        services.like_add(actor=actor, video_id=video_id)
    elif action == "like_remove":
        services.like_remove(actor=actor, video_id=video_id)
    elif action == "comment_create":
        services.comment_create(actor=actor, video_id=video_id, text=f"comment {extra}")
    elif action == "comment_delete":
        comment_ids = list(Comment.objects.order_by("pk").values_list("pk", flat=True))
        if comment_ids:
            services.comment_delete(actor=actor, comment_id=comment_ids[extra % len(comment_ids)])
    elif action == "share_create":
        services.share_create(actor=actor, video_id=video_id, channel="COPY_LINK")
    elif action == "download_create":
        downloads.download_create(actor=actor, video_id=video_id)
    elif action == "view_record":
        services.view_record(
            actor=actor,
            video_id=video_id,
            watched_seconds=extra,
            traffic_source="FOR_YOU",
            watch_position=extra // 2,
            replayed=extra % 2 == 1,
        )
    elif action == "follow":
        services.follow(actor=actor, username=other.username)
    elif action == "unfollow":
        account_services.unfollow(actor=actor, username=other.username)
    elif action == "follow_request_approve":
        # The target user approves the actor's request (only the private account ever has one).
        if actor_index != ANONYMOUS_ACTOR:
            account_services.follow_request_approve(actor=other, username=actor.username)
    elif action == "video_visibility":
        owner = User.objects.get(pk=Video.objects.get(pk=video_id).owner_id)
        visibility = Visibility.values[extra % len(Visibility.values)]
        services.video_update(actor=owner, video_id=video_id, visibility=visibility)


class _Rollback(Exception):
    """Raised to leave the example's transaction without keeping anything."""


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=st.lists(action_strategy, min_size=10, max_size=40))
def test_counters_equal_rows_after_any_sequence_of_actions(
    cast: Cast, actions: list[tuple[str, int, int, int, int]]
) -> None:
    """Given a small cast, when any sequence of actions runs (refusals included), then every
    VideoCounters field and every follow counter equals a count over the rows."""
    try:
        with transaction.atomic():
            # Start from the fixture's state, whatever an earlier example did.
            assert counter_drift() == []
            refused = 0
            for step in actions:
                try:
                    perform(cast, *step)
                except DomainError:
                    refused += 1  # a refusal is fine; its own savepoint undid it
            note(f"{len(actions)} actions, {refused} refused")
            assert counter_drift() == []
            raise _Rollback
    except _Rollback:
        pass


def test_counter_drift_detects_every_kind_of_mismatch(cast: Cast) -> None:
    """The checker the property relies on is not blind: each counter it watches, nudged by one,
    is reported."""
    video = cast.videos[0]
    services.favorite_add(actor=cast.users[1], video_id=video.pk)
    services.view_record(actor=cast.users[1], video_id=video.pk, watched_seconds=20, traffic_source="FOR_YOU")
    assert counter_drift() == []

    for field in (
        "view_count",
        "like_count",
        "comment_count",
        "share_count",
        "save_count",
        "download_count",
        "total_watch_seconds",
        "completion_count",
        "reached_seconds",
        "replay_count",
    ):
        with transaction.atomic():
            VideoCounters.objects.filter(video=video).update(**{field: 7})
            assert any(field in problem for problem in counter_drift()), field
            transaction.set_rollback(True)
    for field in ("follower_count", "following_count"):
        with transaction.atomic():
            User.objects.filter(pk=cast.users[2].pk).update(**{field: 3})
            assert any(field in problem for problem in counter_drift()), field
            transaction.set_rollback(True)
    assert counter_drift() == []
