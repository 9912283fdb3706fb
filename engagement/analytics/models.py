"""Daily rollups: what insights read, so no read scans the interaction tables.

Rows hold counts per video or account per UTC day, never a person. ``manage.py rollup_insights``
writes them (``engagement.analytics.rollups``); the insights selectors read them. An
``InsightsExport`` is a file of those exact daily totals that the worker builds for its owner.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Dimension(models.TextChoices):
    TRAFFIC_SOURCE = "TRAFFIC_SOURCE", "Views by traffic source"
    COUNTRY = "COUNTRY", "New viewers by self-declared country"
    GENDER = "GENDER", "New viewers by self-declared gender"
    AGE = "AGE", "New viewers by age band"
    VIEWER_TYPE = "VIEWER_TYPE", "Daily viewers: new or returning, follower or not"
    DEVICE = "DEVICE", "Viewers by the device of their first view"
    WATCH_DEPTH = "WATCH_DEPTH", "Viewers by how far their first view went, in steps of 5%"
    SHARE_CHANNEL = "SHARE_CHANNEL", "Sharers by the channel of their first share"
    REGION = "REGION", "Viewers by the top-level subdivision of their declared region (country slices only)"
    FOLLOWER_COUNTRY = "FOLLOWER_COUNTRY", "Followers at the end of the day by country"
    FOLLOWER_GENDER = "FOLLOWER_GENDER", "Followers at the end of the day by gender"
    FOLLOWER_AGE = "FOLLOWER_AGE", "Followers at the end of the day by age band"
    FOLLOWER_ACTIVITY = "FOLLOWER_ACTIVITY", "Followers active in each UTC hour"
    FOLLOWER_DEVICE = "FOLLOWER_DEVICE", "Followers at the end of the day by the device of their latest view"
    FOLLOWER_WEEKHOUR = "FOLLOWER_WEEKHOUR", "Followers active in each UTC weekday and hour (one sampled weekday each)"
    FOLLOWER_REGION = "FOLLOWER_REGION", "Followers at the end of the day by region (country slices only)"


class InsightsDay(models.Model):
    """One rolled-up UTC day. ``finalized`` once it was rolled up after it ended: from then on
    its breakdown rows never change, which the differencing defense relies on."""

    day = models.DateField(primary_key=True)
    finalized = models.BooleanField(default=False)
    rolled_up_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.day} ({'final' if self.finalized else 'in progress'})"


class VideoDailyStats(models.Model):
    """One video's totals of one day; ``viewers``/``new_viewers`` count signed-in people other
    than the owner (new: their first view of the video ever)."""

    video = models.ForeignKey("engagement.Video", on_delete=models.CASCADE, related_name="daily_stats")
    day = models.DateField()
    views = models.PositiveBigIntegerField(default=0)
    likes = models.PositiveBigIntegerField(default=0)
    saves = models.PositiveBigIntegerField(default=0)
    shares = models.PositiveBigIntegerField(default=0)
    comments = models.PositiveBigIntegerField(default=0)
    downloads = models.PositiveBigIntegerField(default=0)
    watch_seconds = models.PositiveBigIntegerField(default=0)
    completions = models.PositiveBigIntegerField(default=0)
    new_followers = models.PositiveBigIntegerField(default=0)
    viewers = models.PositiveBigIntegerField(default=0)
    new_viewers = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["video", "day"], name="video_daily_stats_unique")]
        indexes = [models.Index(fields=["day"], name="video_daily_stats_day_idx")]

    def __str__(self) -> str:
        return f"Video {self.video_id} on {self.day}"


class VideoDailyBucket(models.Model):
    """One bucket of one video's breakdown on one day (exact; noise is added when read)."""

    video = models.ForeignKey("engagement.Video", on_delete=models.CASCADE, related_name="daily_buckets")
    day = models.DateField()
    dimension = models.CharField(max_length=24, choices=Dimension.choices)
    # The slice by country: the row counts only the people of this country (a country filter,
    # or regions); blank in the whole breakdown.
    country = models.CharField(max_length=2, blank=True, default="")
    key = models.CharField(max_length=32)
    count = models.PositiveBigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["video", "dimension", "country", "day", "key"], name="video_daily_bucket_unique"
            )
        ]
        indexes = [models.Index(fields=["day"], name="video_daily_bucket_day_idx")]

    def __str__(self) -> str:
        return f"Video {self.video_id} {self.dimension}{self.country and '@' + self.country}={self.key} on {self.day}"


class AccountDailyStats(models.Model):
    """One account's totals of one day: followers at the end of it, follows gained, profile views."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="daily_stats")
    day = models.DateField()
    followers = models.PositiveBigIntegerField(default=0)
    new_followers = models.PositiveBigIntegerField(default=0)
    profile_views = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "day"], name="account_daily_stats_unique")]
        indexes = [models.Index(fields=["day"], name="account_daily_stats_day_idx")]

    def __str__(self) -> str:
        return f"Account {self.owner_id} on {self.day}"


class AccountDailyBucket(models.Model):
    """One bucket of an account's follower breakdown on one day (exact; noise is added when read)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="daily_buckets")
    day = models.DateField()
    dimension = models.CharField(max_length=24, choices=Dimension.choices)
    # The slice by country: the row counts only the people of this country (a country filter,
    # or regions); blank in the whole breakdown.
    country = models.CharField(max_length=2, blank=True, default="")
    key = models.CharField(max_length=32)
    count = models.PositiveBigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "dimension", "country", "day", "key"], name="account_daily_bucket_unique"
            )
        ]
        indexes = [models.Index(fields=["day"], name="account_daily_bucket_day_idx")]

    def __str__(self) -> str:
        return f"Account {self.owner_id} {self.dimension}{self.country and '@' + self.country}={self.key} on {self.day}"


class ExportFormat(models.TextChoices):
    CSV = "CSV", "Comma-separated values, one row per day for the account and per day for each video with activity"


class ExportState(models.TextChoices):
    PENDING = "PENDING", "Asked for: the worker has not built the file yet"
    READY = "READY", "Built: the file can be downloaded until the export expires"
    FAILED = "FAILED", "Not built: the error says why"


class InsightsExport(models.Model):
    """One file of an account's exact daily totals over ``first_day … last_day``, built by the
    worker for its owner alone (``engagement.analytics.export_files``) and kept until
    ``expires_at``, when the scheduled clean-up deletes the file and the row. ``with_saves``
    records that the file holds saves per day (built for a business account), so that a link
    stops working once the owner no longer may see them."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="insights_exports")
    first_day = models.DateField()
    last_day = models.DateField()
    format = models.CharField(max_length=8, choices=ExportFormat.choices, default=ExportFormat.CSV)
    state = models.CharField(max_length=8, choices=ExportState.choices, default=ExportState.PENDING)
    file_key = models.CharField(max_length=255, blank=True, help_text="In the media storage; empty until READY.")
    with_saves = models.BooleanField(default=False)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["owner", "-created_at", "-id"], name="insights_export_owner_idx"),
            models.Index(fields=["expires_at"], name="insights_export_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"Insights export {self.pk} of account {self.owner_id} ({self.state})"
