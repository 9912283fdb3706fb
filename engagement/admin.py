"""Staff screens for videos, comments, notifications and follows, and, behind an explicit permission,
for people's private rows.

Favorites, collections, likes, views, shares and downloads (docs/PRIVACY.md §7) are shown only to staff
holding ``accesslog.view_personal_data`` themselves (superuser status is not enough), read-only,
and every listing or opened row is written to the access log (``accesslog.screens``). For the same
reason the notification screen hides LIKE notifications, which would otherwise list who liked
what. No other screen reaches these rows, or notifications, through a relation either
(``?favorites__video=`` on the video list): every screen here is a ``StaffModelAdmin``, which
refuses that without the permission and logs it with. Deleting through the admin bypasses the
services, so each delete here recounts the affected counters.
"""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from accesslog.screens import PersonalDataAdmin, StaffModelAdmin, declare_personal_data
from accounts.models import Follow
from engagement import counters
from engagement.models import (
    COUNTER_FIELDS,
    Comment,
    Download,
    Favorite,
    FavoriteCollection,
    InsightsExport,
    Like,
    Notification,
    NotificationKind,
    Share,
    Video,
    VideoCounters,
    View,
)


class VideoCountersInline(admin.StackedInline):
    """Totals, read-only: they move only with the interactions they count."""

    model = VideoCounters
    fields = readonly_fields = COUNTER_FIELDS
    can_delete = False
    max_num = 1

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Video)
class VideoAdmin(StaffModelAdmin):
    """Moderation: change the caption, visibility or allow-flags, or delete. Videos are posted
    through ``services.video_post`` (which creates the counters row), never from here."""

    deletes_private_rows_unseen = True  # removing a video takes its saves along, unlisted

    list_display = ("id", "owner", "short_caption", "visibility", "remix_kind", "created_at")
    list_filter = ("visibility", "allow_download", "allow_comments", "remix_kind")
    list_select_related = ("owner",)
    search_fields = ("caption", "owner__username")
    raw_id_fields = ("owner", "remix_of")
    readonly_fields = ("owner", "remix_of", "remix_kind", "duration_seconds", "created_at")
    date_hierarchy = "created_at"
    inlines = (VideoCountersInline,)

    @admin.display(description="caption")
    def short_caption(self, obj: Video) -> str:
        return obj.caption if len(obj.caption) <= 60 else f"{obj.caption[:59]}…"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(StaffModelAdmin):
    """View and delete (moderation); comments are written by their authors only."""

    deletes_private_rows_unseen = True  # removing a comment takes its notifications along, unlisted

    list_display = ("id", "video", "author", "short_text", "created_at")
    list_select_related = ("video", "author")
    search_fields = ("text", "author__username")
    raw_id_fields = ("video", "author")
    date_hierarchy = "created_at"

    @admin.display(description="text")
    def short_text(self, obj: Comment) -> str:
        return obj.text if len(obj.text) <= 60 else f"{obj.text[:59]}…"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Comment) -> None:
        video_id = obj.video_id
        super().delete_model(request, obj)
        counters.counters_repair(video_ids=[video_id])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        video_ids = set(queryset.values_list("video_id", flat=True))
        super().delete_queryset(request, queryset)
        counters.counters_repair(video_ids=video_ids)


# A notification says who did what to whom (a LIKE one, who liked what): no other screen reaches
# them through a relation (``?notifications__actor=``) without the permission.
declare_personal_data(Notification, "recipient", "actor")

# An insights export says when its owner asked for which days: it has no screen (no staff task
# needs one; the files are the owner's alone), and no screen reaches it through a relation
# (``?insights_exports__created_at__gte=``) without the permission.
declare_personal_data(InsightsExport, "owner")


@admin.register(Notification)
class NotificationAdmin(StaffModelAdmin):
    """Read-only. LIKE notifications are left out entirely: listing them would show staff who
    liked which video, which the privacy contract keeps from staff."""

    list_display = ("id", "recipient", "kind", "actor", "video", "is_read", "created_at")
    list_filter = ("kind", "is_read")
    list_select_related = ("recipient", "actor", "video")
    search_fields = ("recipient__username",)
    raw_id_fields = ("recipient", "actor", "video", "comment")
    date_hierarchy = "created_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Notification]:
        return super().get_queryset(request).exclude(kind=NotificationKind.LIKE)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# People's private rows: explicit permission, read-only, every access logged ----------------------


@admin.register(Favorite)
class FavoriteAdmin(PersonalDataAdmin):
    list_display = ("id", "user", "video", "collection", "created_at")
    list_select_related = ("user", "video", "collection")
    search_fields = ("user__username",)
    date_hierarchy = "created_at"


@admin.register(FavoriteCollection)
class FavoriteCollectionAdmin(PersonalDataAdmin):
    subject_field = "owner"
    list_display = ("id", "owner", "name", "created_at")
    list_select_related = ("owner",)
    search_fields = ("owner__username",)


@admin.register(Like)
class LikeAdmin(PersonalDataAdmin):
    list_display = ("id", "user", "video", "created_at")
    list_select_related = ("user", "video")
    search_fields = ("user__username",)
    date_hierarchy = "created_at"


@admin.register(View)
class ViewAdmin(PersonalDataAdmin):
    subject_field = "viewer"
    list_display = ("id", "viewer", "video", "watched_seconds", "completed", "traffic_source", "created_at")
    list_select_related = ("viewer", "video")
    list_filter = ("traffic_source", "completed")
    search_fields = ("viewer__username",)
    date_hierarchy = "created_at"


@admin.register(Share)
class ShareAdmin(PersonalDataAdmin):
    list_display = ("id", "user", "video", "channel", "created_at")
    list_select_related = ("user", "video")
    search_fields = ("user__username",)
    date_hierarchy = "created_at"


@admin.register(Download)
class DownloadAdmin(PersonalDataAdmin):
    list_display = ("id", "user", "video", "created_at")
    list_select_related = ("user", "video")
    search_fields = ("user__username",)
    date_hierarchy = "created_at"


@admin.register(Follow)
class FollowAdmin(StaffModelAdmin):
    """View and delete only: a follow is made, approved or declined by the people involved,
    through the services that also move the counters and notify. A follow deleted here has its
    users' counters recounted, so the admin never leaves drift behind."""

    list_display = ("id", "follower", "followee", "status", "created_at")
    list_filter = ("status",)
    list_select_related = ("follower", "followee")
    search_fields = ("follower__username", "followee__username")
    raw_id_fields = ("follower", "followee", "source_video")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Follow) -> None:
        users = [obj.follower_id, obj.followee_id]
        super().delete_model(request, obj)
        counters.counters_repair(user_ids=users)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Follow]) -> None:
        users = {user for pair in queryset.values_list("follower_id", "followee_id") for user in pair}
        super().delete_queryset(request, queryset)
        counters.counters_repair(user_ids=users)
