"""Small read-only helpers shared by the domain tests: snapshots of the database to prove that
a refused call changed nothing, and the counters of a video as plain numbers.

A video's counter is its ``VideoCounters`` row plus any steps spilled into ``VideoCounterSlot``
rows under contention (``engagement.counters``); every helper here reads that sum, recounted
independently of the domain's own reconciliation code.
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Sum

from accounts.models import Block, Follow, FollowStatus, Mute, User
from engagement.models import (
    COUNTER_FIELDS,
    Comment,
    Download,
    Favorite,
    FavoriteCollection,
    InsightsExport,
    Like,
    Notification,
    Share,
    Video,
    VideoCounters,
    VideoCounterSlot,
    View,
)

ROW_MODELS: tuple[Any, ...] = (
    User,
    Follow,
    Block,
    Mute,
    Video,
    VideoCounters,
    VideoCounterSlot,
    FavoriteCollection,
    Favorite,
    Like,
    Comment,
    Share,
    Download,
    View,
    Notification,
    InsightsExport,
)


def anonymous() -> AnonymousUser:
    return AnonymousUser()


def counters_of(video: Video | int) -> dict[str, int]:
    """The video's counters as stored now (never a cached instance): the totals row plus slots."""
    video_id = video if isinstance(video, int) else video.pk
    row = VideoCounters.objects.filter(video_id=video_id).values(*COUNTER_FIELDS).get()
    spilled = VideoCounterSlot.objects.filter(video_id=video_id).aggregate(
        **{name: Sum(name) for name in COUNTER_FIELDS}
    )
    return {name: int(row[name]) + int(spilled[name] or 0) for name in COUNTER_FIELDS}


def db_state() -> dict[str, Any]:
    """Everything a refused call could have touched: row counts, every counter, follow counters
    and each user's editable fields."""
    return {
        "rows": {model.__name__: model._default_manager.count() for model in ROW_MODELS},
        "counters": sorted(
            (video_id, counters_of(video_id)) for video_id in Video.objects.values_list("pk", flat=True)
        ),
        "users": sorted(
            User.objects.values_list(
                "pk",
                "username",
                "display_name",
                "bio",
                "country",
                "birth_year",
                "gender",
                "time_zone",
                "is_private",
                "liked_videos_visibility",
                "default_allow_download",
                "default_allow_comments",
                "follower_count",
                "following_count",
            )
        ),
        "videos": sorted(
            Video.objects.values_list("pk", "caption", "visibility", "allow_download", "allow_comments", "allow_duet")
        ),
        "follows": sorted(Follow.objects.values_list("follower_id", "followee_id", "status")),
        "favorites": sorted(Favorite.objects.values_list("user_id", "video_id", "collection_id")),
        "collections": sorted(FavoriteCollection.objects.values_list("pk", "name")),
        "notifications": sorted(Notification.objects.values_list("pk", "is_read")),
    }


def counter_drift() -> list[str]:
    """Every stored counter that disagrees with the rows it counts; empty when all agree."""
    problems: list[str] = []
    for video_id in Video.objects.order_by("pk").values_list("pk", flat=True):
        stored = counters_of(video_id)
        views = View.objects.filter(video_id=video_id)
        expected = {
            "save_count": Favorite.objects.filter(video_id=video_id).count(),
            "like_count": Like.objects.filter(video_id=video_id).count(),
            "comment_count": Comment.objects.filter(video_id=video_id).count(),
            "share_count": Share.objects.filter(video_id=video_id).count(),
            "download_count": Download.objects.filter(video_id=video_id).count(),
            "view_count": views.count(),
            "total_watch_seconds": views.aggregate(total=Sum("watched_seconds"))["total"] or 0,
            "completion_count": views.filter(completed=True).count(),
            "reached_seconds": views.aggregate(total=Sum("position_seconds"))["total"] or 0,
            "replay_count": views.filter(replayed=True).count(),
        }
        for name, value in expected.items():
            if stored[name] != value:
                problems.append(f"video {video_id}: {name}={stored[name]}, rows say {value}")
    for user in User.objects.all():
        followers = Follow.objects.filter(followee=user, status=FollowStatus.ACCEPTED).count()
        following = Follow.objects.filter(follower=user, status=FollowStatus.ACCEPTED).count()
        if user.follower_count != followers:
            problems.append(f"user {user.username}: follower_count={user.follower_count}, rows say {followers}")
        if user.following_count != following:
            problems.append(f"user {user.username}: following_count={user.following_count}, rows say {following}")
    return problems
