"""Users, their privacy settings and the follow graph."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from oauth2_provider.settings import oauth2_settings

from accounts.places import REGION_MAX_LENGTH, validate_region
from accounts.time_zones import DEFAULT_TIME_ZONE, TIME_ZONE_MAX_LENGTH, validate_time_zone
from kernel.loading import FastLoading


class AccountType(models.TextChoices):
    PERSONAL = "PERSONAL", "Personal"
    CREATOR = "CREATOR", "Creator"
    BUSINESS = "BUSINESS", "Business"


class Gender(models.TextChoices):
    """Self-declared; only ever used in thresholded aggregates."""

    FEMALE = "FEMALE", "Female"
    MALE = "MALE", "Male"
    NON_BINARY = "NON_BINARY", "Non-binary"
    UNDISCLOSED = "UNDISCLOSED", "Prefer not to say"


class LikedVideosVisibility(models.TextChoices):
    ONLY_ME = "ONLY_ME", "Only me"
    EVERYONE = "EVERYONE", "Everyone"


class InteractionAudience(models.TextChoices):
    """Who may comment on, duet or stitch a video."""

    EVERYONE = "EVERYONE", "Everyone"
    FRIENDS = "FRIENDS", "Friends"
    NO_ONE = "NO_ONE", "No one"


class User(FastLoading, AbstractUser):
    """A person on the platform; profile fields are public, the rest is theirs alone."""

    account_type = models.CharField(max_length=16, choices=AccountType.choices, default=AccountType.PERSONAL)
    display_name = models.CharField(max_length=64, blank=True)
    bio = models.CharField(max_length=160, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2, optional.")
    region = models.CharField(
        max_length=REGION_MAX_LENGTH,
        blank=True,
        validators=[validate_region],
        help_text="ISO 3166-2 subdivision of the country (accounts.places), optional.",
    )
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    gender = models.CharField(max_length=16, choices=Gender.choices, blank=True)
    is_private = models.BooleanField(default=False, help_text="Only approved followers see public videos.")
    time_zone = models.CharField(
        max_length=TIME_ZONE_MAX_LENGTH,
        default=DEFAULT_TIME_ZONE,
        validators=[validate_time_zone],
        help_text="IANA time zone name (accounts.time_zones); insights show local hours in it.",
    )
    liked_videos_visibility = models.CharField(
        max_length=8, choices=LikedVideosVisibility.choices, default=LikedVideosVisibility.ONLY_ME
    )
    default_allow_download = models.BooleanField(default=True)
    default_allow_comments = models.CharField(
        max_length=8, choices=InteractionAudience.choices, default=InteractionAudience.EVERYONE
    )
    default_allow_duet = models.CharField(
        max_length=8, choices=InteractionAudience.choices, default=InteractionAudience.EVERYONE
    )
    default_allow_stitch = models.CharField(
        max_length=8, choices=InteractionAudience.choices, default=InteractionAudience.EVERYONE
    )
    follower_count = models.PositiveIntegerField(default=0)
    following_count = models.PositiveIntegerField(default=0)
    # Which kinds of notification the user receives; the services check these before writing one.
    notify_likes = models.BooleanField(default=True)
    notify_comments = models.BooleanField(default=True, help_text="Comments on their videos and replies to theirs.")
    notify_follows = models.BooleanField(default=True, help_text="New followers and follow requests.")
    notify_mentions = models.BooleanField(default=True)
    notify_duets = models.BooleanField(default=True)
    notify_stitches = models.BooleanField(default=True)

    class Meta:
        permissions = [
            ("view_video_insights", "Can view aggregate insights of all of this creator's videos"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(follower_count__gte=0), name="user_follower_count_gte_0"),
            models.CheckConstraint(condition=Q(following_count__gte=0), name="user_following_count_gte_0"),
            models.CheckConstraint(
                condition=Q(country="") | Q(country__regex=r"^[A-Z]{2}$"), name="user_country_iso_alpha2"
            ),
        ]

    def __str__(self) -> str:
        return self.username


class FollowStatus(models.TextChoices):
    PENDING = "PENDING", "Pending"
    ACCEPTED = "ACCEPTED", "Accepted"


class Follow(FastLoading, models.Model):
    """A follow edge; to a private account it starts PENDING until approved."""

    follower = models.ForeignKey(User, on_delete=models.CASCADE, related_name="following_edges")
    followee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="follower_edges")
    status = models.CharField(max_length=8, choices=FollowStatus.choices, default=FollowStatus.ACCEPTED)
    source_video = models.ForeignKey(
        "engagement.Video",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The video the follow came from, for new-follower analytics.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="follow_unique_pair"),
            models.CheckConstraint(condition=~Q(follower=F("followee")), name="follow_not_self"),
        ]
        indexes = [
            models.Index(fields=["followee", "status", "-created_at"], name="follow_followee_idx"),
            models.Index(fields=["follower", "status", "-created_at"], name="follow_follower_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} -> {self.followee_id} ({self.status})"


class Block(models.Model):
    """``blocker`` blocked ``blocked``: the two are hidden from each other everywhere and follows
    between them end. The row is the blocker's alone; the blocked person is never told."""

    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_received")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique_pair"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="block_not_self"),
        ]
        indexes = [models.Index(fields=["blocker", "-created_at", "-id"], name="block_blocker_recent_idx")]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocked {self.blocked_id}"


class Mute(models.Model):
    """``muter`` muted ``muted``: hidden from the muter only, and the muted person is never told."""

    muter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mutes_made")
    muted = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["muter", "muted"], name="mute_unique_pair"),
            models.CheckConstraint(condition=~Q(muter=F("muted")), name="mute_not_self"),
        ]
        indexes = [models.Index(fields=["muter", "-created_at", "-id"], name="mute_muter_recent_idx")]

    def __str__(self) -> str:
        return f"{self.muter_id} muted {self.muted_id}"


class ProfileView(models.Model):
    """One view of a profile, for the owner's profile-view totals. Who viewed is not stored: the
    count is all that is ever shown, so nothing more is kept."""

    profile = models.ForeignKey(User, on_delete=models.CASCADE, related_name="profile_views")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="profile_view_time_idx")]

    def __str__(self) -> str:
        return f"View of {self.profile_id}"


class AccessTokenInfo(models.Model):
    """What django-oauth-toolkit's access token lacks for ``Me.accessTokens``: the name its owner
    gave it and when it last authenticated a request."""

    access_token = models.OneToOneField(
        oauth2_settings.ACCESS_TOKEN_MODEL, on_delete=models.CASCADE, related_name="info"
    )
    name = models.CharField(max_length=64)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
