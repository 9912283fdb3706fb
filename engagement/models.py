"""Videos, interactions, per-video counters and notifications.

The database holds the invariants: one favorite and one like per user and video, counters
never below zero, and the indexes that the reads in ``selectors.py`` need.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import InteractionAudience
from kernel.loading import FastLoading

CAPTION_MAX_LENGTH = 2200
COMMENT_MAX_LENGTH = 1000
COLLECTION_NAME_MAX_LENGTH = 64
MAX_DURATION_SECONDS = 60 * 60
HASHTAG_MAX_LENGTH = 100


class Visibility(models.TextChoices):
    PUBLIC = "PUBLIC", "Everyone (approved followers only, for a private account)"
    FRIENDS = "FRIENDS", "Mutual followers"
    PRIVATE = "PRIVATE", "Only the owner"


class ProcessingState(models.TextChoices):
    """Where a video's file is on its way to being watchable. Only READY videos are shown to
    anyone but their owner (``engagement.policies.visible_videos``); a video posted without a file
    is READY from the start."""

    AWAITING_UPLOAD = "AWAITING_UPLOAD", "Draft: its file has not been uploaded yet"
    UPLOADED = "UPLOADED", "Uploaded and checked, waiting for the worker"
    PROCESSING = "PROCESSING", "The worker is making the poster and the playable copy"
    READY = "READY", "Published"
    FAILED = "FAILED", "Processing failed after its retries; the reason is in processing_error"


class RemixKind(models.TextChoices):
    DUET = "DUET", "Duet"
    STITCH = "STITCH", "Stitch"


def random_hashtag_id() -> int:
    """A tag's id, drawn at random (below 2**53, so JavaScript reads it exactly): a sequential id,
    shown in the tag's global ID, would tell whether a tag existed before the caller first used
    it, so whether hidden videos carry it."""
    return secrets.randbelow(2**53 - 1) + 1


class Hashtag(models.Model):
    """A #tag found in captions, stored lower-case without the ``#``."""

    id = models.BigIntegerField(primary_key=True, default=random_hashtag_id, editable=False)
    name = models.CharField(max_length=HASHTAG_MAX_LENGTH, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"#{self.name}"


class Video(FastLoading, models.Model):
    """A short video; who sees it is decided by ``engagement.policies.visible_videos``."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="videos")
    caption = models.CharField(max_length=CAPTION_MAX_LENGTH, blank=True)
    visibility = models.CharField(max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC)
    allow_download = models.BooleanField(default=True)
    allow_comments = models.CharField(
        max_length=8, choices=InteractionAudience.choices, default=InteractionAudience.EVERYONE
    )
    allow_duet = models.CharField(
        max_length=8, choices=InteractionAudience.choices, default=InteractionAudience.EVERYONE
    )
    allow_stitch = models.CharField(
        max_length=8, choices=InteractionAudience.choices, default=InteractionAudience.EVERYONE
    )
    duration_seconds = models.PositiveIntegerField()
    remix_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="remixes",
        help_text="Duet/stitch source.",
    )
    remix_kind = models.CharField(max_length=8, choices=RemixKind.choices, blank=True)
    hashtags = models.ManyToManyField(Hashtag, blank=True, related_name="videos", help_text="Parsed from the caption.")
    processing_state = models.CharField(max_length=16, choices=ProcessingState.choices, default=ProcessingState.READY)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            # A draft's length is unknown (0) until its file is probed.
            models.CheckConstraint(
                condition=Q(duration_seconds__lte=MAX_DURATION_SECONDS)
                & (Q(duration_seconds__gte=1) | ~Q(processing_state=ProcessingState.READY)),
                name="video_duration_range",
            ),
            # A duet or stitch names its kind; the kind outlives a deleted source.
            models.CheckConstraint(
                condition=Q(remix_of__isnull=True) | ~Q(remix_kind=""),
                name="video_remix_source_has_kind",
            ),
        ]
        indexes = [models.Index(fields=["owner", "-created_at", "-id"], name="video_owner_recent_idx")]
        permissions = [("view_video_insights", "Can view aggregate insights of this video")]

    def __str__(self) -> str:
        return f"Video {self.pk} by {self.owner_id}"


class VideoMedia(models.Model):
    """An uploaded video's files in the media storage, by key (``engagement.media.storage``): the
    upload as received, the web-playable copy, the poster frame and the watermarked download copy.
    A video posted without a file has none. Every key holds a random part and each new file a new
    key, so no key follows from another and links to a replaced file stop working."""

    video = models.OneToOneField(Video, on_delete=models.CASCADE, primary_key=True, related_name="media")
    # Upload tickets name it: a new ticket for the same draft ends the old one.
    upload_nonce = models.CharField(max_length=32, blank=True, editable=False)
    original = models.CharField(max_length=255, blank=True)
    original_bytes = models.PositiveBigIntegerField(default=0)
    content_type = models.CharField(max_length=64, blank=True)
    playback = models.CharField(max_length=255, blank=True)
    poster = models.CharField(max_length=255, blank=True)
    download = models.CharField(max_length=255, blank=True)
    download_watermark = models.CharField(
        max_length=150, blank=True, help_text="The @username the download copy carries."
    )
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True, help_text="Why processing failed, for the owner.")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Media of video {self.video_id}"


COUNTER_FIELDS = (
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
)


class VideoCounters(FastLoading, models.Model):
    """Denormalized totals, moved with F() in the interaction's own transaction."""

    video = models.OneToOneField(Video, on_delete=models.CASCADE, primary_key=True, related_name="counters")
    view_count = models.PositiveBigIntegerField(default=0)
    like_count = models.PositiveBigIntegerField(default=0)
    comment_count = models.PositiveBigIntegerField(default=0)
    share_count = models.PositiveBigIntegerField(default=0)
    save_count = models.PositiveBigIntegerField(default=0)
    download_count = models.PositiveBigIntegerField(default=0)
    total_watch_seconds = models.PositiveBigIntegerField(default=0)
    completion_count = models.PositiveBigIntegerField(default=0)
    # The furthest second each view reached (``View.position_seconds``), summed; and the views
    # that started the video again from the start.
    reached_seconds = models.PositiveBigIntegerField(default=0)
    replay_count = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(**{f"{name}__gte": 0}), name=f"counters_{name}_gte_0")
            for name in COUNTER_FIELDS
        ]

    def __str__(self) -> str:
        return f"Counters of video {self.video_id}"


class VideoCounterSlot(models.Model):
    """Counter steps that found the video's ``VideoCounters`` row busy (PostgreSQL): signed deltas
    of the same counters in one of a few slots per video. Every read adds them to the totals row
    and ``engagement.counters.counters_fold`` moves them into it later, so a video that many
    people save at once spreads its writers over several rows instead of queueing on one."""

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="counter_slots", db_index=False)
    slot = models.PositiveSmallIntegerField()
    view_count = models.BigIntegerField(default=0)
    like_count = models.BigIntegerField(default=0)
    comment_count = models.BigIntegerField(default=0)
    share_count = models.BigIntegerField(default=0)
    save_count = models.BigIntegerField(default=0)
    download_count = models.BigIntegerField(default=0)
    total_watch_seconds = models.BigIntegerField(default=0)
    completion_count = models.BigIntegerField(default=0)
    reached_seconds = models.BigIntegerField(default=0)
    replay_count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["video", "slot"], name="counter_slot_unique")]

    def __str__(self) -> str:
        return f"Counter slot {self.slot} of video {self.video_id}"


class FavoriteCollection(FastLoading, models.Model):
    """A named, private folder of favorites."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collections")
    name = models.CharField(max_length=COLLECTION_NAME_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="collection_unique_name")]
        indexes = [models.Index(fields=["owner", "-created_at", "-id"], name="collection_owner_recent_idx")]

    def __str__(self) -> str:
        return f"Collection {self.pk}"


class Favorite(FastLoading, models.Model):
    """A save: visible to the saver alone, counted in the video's ``save_count``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favorites")
    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="favorites")
    collection = models.ForeignKey(
        FavoriteCollection, null=True, blank=True, on_delete=models.SET_NULL, related_name="favorites"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "video"], name="favorite_unique_pair")]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="favorite_user_recent_idx"),
            models.Index(fields=["collection", "-created_at", "-id"], name="favorite_collection_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"Favorite {self.pk}"


class Like(FastLoading, models.Model):
    """A like: the total is public, the row is the liker's (see liked-videos visibility)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="likes")
    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "video"], name="like_unique_pair")]
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="like_user_recent_idx")]

    def __str__(self) -> str:
        return f"Like {self.pk}"


class Comment(FastLoading, models.Model):
    """A comment on a video, or a reply to one (``reply_to``); the video's owner may pin one."""

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments")
    text = models.CharField(max_length=COMMENT_MAX_LENGTH)
    reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    pinned_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["video"], condition=Q(pinned_at__isnull=False), name="comment_one_pinned_per_video"
            ),
        ]
        indexes = [
            models.Index(fields=["video", "-created_at", "-id"], name="comment_video_recent_idx"),
            models.Index(fields=["reply_to", "-created_at", "-id"], name="comment_replies_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk}"


class ShareChannel(models.TextChoices):
    COPY_LINK = "COPY_LINK", "Copy link"
    DIRECT_MESSAGE = "DIRECT_MESSAGE", "Direct message"
    WHATSAPP = "WHATSAPP", "WhatsApp"
    SMS = "SMS", "SMS"
    EMAIL = "EMAIL", "Email"
    OTHER = "OTHER", "Other"


class Share(models.Model):
    """A share; counted, never notified."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shares")
    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="shares")
    channel = models.CharField(max_length=16, choices=ShareChannel.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["video", "created_at"], name="share_video_time_idx")]

    def __str__(self) -> str:
        return f"Share {self.pk}"


class Download(models.Model):
    """A download; counted, never notified. While its link is live the row also holds the link's
    SHA-256 digest and expiry (never the link itself); using the link clears both, so a used or
    expired row is a plain record again, erased and exported with its downloader's other rows."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="downloads")
    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="downloads")
    created_at = models.DateTimeField(default=timezone.now)
    link_digest = models.CharField(max_length=64, null=True, blank=True, editable=False)
    link_expires_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            # Partial: the index holds live links only, and a digest names one row.
            models.UniqueConstraint(
                fields=["link_digest"], condition=Q(link_digest__isnull=False), name="download_live_link_unique"
            ),
            models.CheckConstraint(
                condition=Q(link_digest__isnull=True, link_expires_at__isnull=True)
                | Q(link_digest__isnull=False, link_expires_at__isnull=False),
                name="download_link_digest_with_expiry",
            ),
        ]
        indexes = [models.Index(fields=["video", "created_at"], name="download_video_time_idx")]

    def __str__(self) -> str:
        return f"Download {self.pk}"


class TrafficSource(models.TextChoices):
    FOR_YOU = "FOR_YOU", "For You feed"
    FOLLOWING = "FOLLOWING", "Following feed"
    PROFILE = "PROFILE", "Profile"
    SEARCH = "SEARCH", "Search"
    SOUND = "SOUND", "Sound"
    DIRECT_MESSAGE = "DIRECT_MESSAGE", "Direct message"
    OTHER = "OTHER", "Other"


class DeviceType(models.TextChoices):
    """The kind of device a playback ran on, as the client reports it: a closed vocabulary, never
    a model name or a user agent."""

    PHONE = "PHONE", "Phone"
    TABLET = "TABLET", "Tablet"
    DESKTOP = "DESKTOP", "Desktop or laptop"
    SMART_TV = "SMART_TV", "Television"
    UNKNOWN = "UNKNOWN", "Not reported"


class View(models.Model):
    """One playback; the viewer may be anonymous. Rows feed rollups, never a list of viewers.
    ``position_seconds`` is the furthest point of the video it reached (retention reads it),
    ``replayed`` whether it played the video again from the start within the same playback."""

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="views")
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="views"
    )
    watched_seconds = models.PositiveIntegerField()
    completed = models.BooleanField(default=False)
    traffic_source = models.CharField(max_length=16, choices=TrafficSource.choices, default=TrafficSource.OTHER)
    position_seconds = models.PositiveIntegerField(default=0)
    replayed = models.BooleanField(default=False)
    device = models.CharField(max_length=8, choices=DeviceType.choices, default=DeviceType.UNKNOWN)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(watched_seconds__gte=0), name="view_watched_gte_0")]
        indexes = [
            models.Index(fields=["video", "created_at"], name="view_video_time_idx"),
            # The insights rollup asks, per viewer of a day, whether they had watched the video before.
            models.Index(fields=["video", "viewer", "created_at"], name="view_video_viewer_time_idx"),
        ]

    def __str__(self) -> str:
        return f"View {self.pk}"


class NotificationKind(models.TextChoices):
    LIKE = "LIKE", "Like"
    COMMENT = "COMMENT", "Comment"
    FOLLOW = "FOLLOW", "Follow"
    FOLLOW_REQUEST = "FOLLOW_REQUEST", "Follow request"
    MENTION = "MENTION", "Mention"
    REPLY = "REPLY", "Reply to a comment"
    DUET = "DUET", "Duet"
    STITCH = "STITCH", "Stitch"


class Notification(FastLoading, models.Model):
    """Only the kinds "Which interactions notify" allows (docs/ARCHITECTURE.md) exist: saves, downloads,
    views and shares have none."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    video = models.ForeignKey(Video, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    is_read = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_recipient_idx"),
            models.Index(fields=["recipient", "is_read"], name="notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return f"Notification {self.pk}"


class VideoRank(models.Model):
    """A video's For You score, computed from aggregates only and refreshed on a schedule
    (``engagement.ranking``), so the order of a feed follows no single person's action."""

    video = models.OneToOneField(Video, on_delete=models.CASCADE, primary_key=True, related_name="rank")
    score = models.FloatField()
    ranked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["-score", "-video"], name="video_rank_score_idx")]

    def __str__(self) -> str:
        return f"Rank of video {self.video_id}"


# The daily rollups live with the analytics code; importing them here registers them with the app.
from engagement.analytics.models import (  # noqa: E402, F401
    AccountDailyBucket,
    AccountDailyStats,
    ExportFormat,
    ExportState,
    InsightsDay,
    InsightsExport,
    VideoDailyBucket,
    VideoDailyStats,
)
