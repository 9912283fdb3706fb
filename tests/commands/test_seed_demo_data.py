"""``seed_demo`` at the default scale: data of every kind, counters equal to rows, the rules of
docs/ARCHITECTURE.md ("The privacy contract") respected and demo accounts ready for the README.

These tests only read, so they share one seeded database (seeding takes seconds), rolled back
when the module ends.
"""

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from accounts.models import AccountType, Follow, FollowStatus, User
from engagement.counters import counter_drift
from engagement.hashtags import parse_hashtags
from engagement.models import (
    Comment,
    Download,
    Favorite,
    Like,
    Notification,
    NotificationKind,
    Share,
    TrafficSource,
    Video,
    View,
    Visibility,
)
from engagement.seeding import DEMO_CREATOR, DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, DEMO_VIEWER
from tests.commands.helpers import row_counts, run

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[tuple[str, str]]:
    """The default scale, as ``make run`` seeds it (``--if-empty`` on an empty database)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield run("seed_demo", "--if-empty")
        transaction.set_rollback(True)


def test_seeds_every_kind_of_row_with_counters_equal_to_rows(seeded: tuple[str, str]) -> None:
    out, err = seeded
    counts = row_counts()
    assert all(counts.values()), counts
    assert counts["View"] + counts["Like"] + counts["Favorite"] + counts["Comment"] > 5000
    assert counter_drift() == []
    assert counts["VideoCounters"] == counts["Video"]
    assert f"users={counts['User']}" in out and f"views={counts['View']}" in out
    assert DEMO_PASSWORD in out
    assert err == ""  # no TTY: no progress bar


def test_covers_every_visibility_account_type_and_follow_status(seeded: tuple[str, str]) -> None:
    assert set(Video.objects.values_list("visibility", flat=True)) == set(Visibility.values)
    assert set(User.objects.values_list("account_type", flat=True)) == set(AccountType.values)
    assert User.objects.filter(is_private=True).exists()
    assert set(Follow.objects.values_list("status", flat=True)) == set(FollowStatus.values)
    assert Video.objects.filter(allow_download=False).exists()
    assert Video.objects.exclude(allow_comments="EVERYONE").exists()
    assert Video.objects.exclude(remix_kind="").exists()
    assert Favorite.objects.filter(collection__isnull=False).exists()
    assert Favorite.objects.filter(collection__isnull=True).exists()
    assert View.objects.filter(viewer__isnull=True).exists()
    assert set(View.objects.values_list("traffic_source", flat=True)) == set(TrafficSource.values)
    assert View.objects.filter(completed=True).exists() and View.objects.filter(completed=False).exists()
    assert not View.objects.filter(completed=True, watched_seconds__lt=F("video__duration_seconds")).exists()


def test_demo_videos_carry_the_hashtags_of_their_captions(seeded: tuple[str, str]) -> None:
    """Seeded as if posted: each video's hashtags are those its caption holds, so search and the
    hashtag pages have something to show."""
    out, _ = seeded
    videos = list(Video.objects.prefetch_related("hashtags"))
    assert [{tag.name for tag in video.hashtags.all()} for video in videos] == [
        set(parse_hashtags(video.caption)) for video in videos
    ]
    assert Video.objects.filter(owner__username=DEMO_CREATOR, hashtags__name="recipes").count() == 9
    assert f"video_hashtags={Video.hashtags.through.objects.count()}" in out


def test_profiles_have_demographics_for_analytics(seeded: tuple[str, str]) -> None:
    countries = set(User.objects.values_list("country", flat=True))
    assert all(code == "" or re.fullmatch(r"[A-Z]{2}", code) for code in countries)
    assert len(countries) > 10
    assert User.objects.filter(birth_year__isnull=False).count() > User.objects.count() // 2
    assert User.objects.exclude(gender="").values("gender").distinct().count() >= 3


def test_activity_spreads_over_the_past_month(seeded: tuple[str, str]) -> None:
    now = timezone.now()
    for model in (Video, Favorite, Like, Comment, Share, Download, View, Notification):
        stamps = list(model.objects.values_list("created_at", flat=True))
        assert min(stamps) >= now - timedelta(days=31), model
        assert max(stamps) <= now, model
        assert max(stamps) - min(stamps) > timedelta(days=14), model
    assert not Favorite.objects.filter(created_at__lt=F("video__created_at")).exists()
    assert not View.objects.filter(created_at__lt=F("video__created_at")).exists()


def test_only_likes_comments_mentions_follows_and_remixes_notify(seeded: tuple[str, str]) -> None:
    """Which interactions notify: every notification comes from one of those rows; saves, downloads, views and
    shares add none."""
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert kinds <= set(NotificationKind.values)
    likes_on_others = Like.objects.exclude(user=F("video__owner")).count()
    comments_on_others = Comment.objects.exclude(author=F("video__owner")).count()
    assert Notification.objects.filter(kind=NotificationKind.LIKE).count() == likes_on_others
    assert Notification.objects.filter(kind=NotificationKind.COMMENT).count() == comments_on_others
    follows = Notification.objects.filter(kind__in=[NotificationKind.FOLLOW, NotificationKind.FOLLOW_REQUEST])
    assert follows.count() == Follow.objects.count()
    assert not Notification.objects.filter(kind=NotificationKind.FOLLOW, recipient__is_private=True).exists()
    assert not Notification.objects.filter(recipient=F("actor")).exists()
    remixes = Video.objects.exclude(remix_kind="").exclude(owner=F("remix_of__owner")).count()
    assert Notification.objects.filter(kind__in=[NotificationKind.DUET, NotificationKind.STITCH]).count() == remixes


def test_interactions_respect_creator_settings(seeded: tuple[str, str]) -> None:
    """Creator settings are enforced: nothing the creator turned off happened anyway."""
    assert not Download.objects.filter(video__allow_download=False).exists()
    assert not Comment.objects.filter(video__allow_comments="NO_ONE").exclude(author=F("video__owner")).exists()


def test_demo_accounts_log_in_and_are_ready_for_the_readme(seeded: tuple[str, str]) -> None:
    creator = User.objects.get(username=DEMO_CREATOR)
    viewer = User.objects.get(username=DEMO_VIEWER)
    assert creator.check_password(DEMO_PASSWORD) and viewer.check_password(DEMO_PASSWORD)
    assert creator.account_type == AccountType.CREATOR
    # demo_viewer: follows demo_creator, saves (some in "Recipes") and likes.
    assert Follow.objects.filter(follower=viewer, followee=creator, status=FollowStatus.ACCEPTED).exists()
    favorites = Favorite.objects.filter(user=viewer)
    assert favorites.count() >= 5
    assert favorites.filter(collection__name="Recipes").count() >= 3
    assert favorites.filter(collection__isnull=True).exists()
    assert Like.objects.filter(user=viewer).count() >= 5
    # demo_creator: videos of every visibility, each saved by many distinct users; the top one
    # clears the analytics threshold (PRIVACY_MIN_AUDIENCE = 100).
    most_savers = dict(
        Video.objects.filter(owner=creator)
        .values("visibility")
        .annotate(most=Max("counters__save_count"))
        .values_list("visibility", "most")
    )
    assert set(most_savers) == set(Visibility.values)
    assert most_savers[Visibility.PUBLIC] >= 100
    assert most_savers[Visibility.FRIENDS] >= 10 and most_savers[Visibility.PRIVATE] >= 10
    # The PRIVATE one was saved while public: demo_viewer keeps it as an unavailable favorite.
    assert favorites.filter(video__visibility=Visibility.PRIVATE, video__owner=creator).exists()


def test_generated_accounts_cannot_log_in(seeded: tuple[str, str]) -> None:
    others = User.objects.exclude(username__in=[DEMO_CREATOR, DEMO_VIEWER])
    assert not any(user.has_usable_password() for user in others)
    assert not others.exclude(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").exists()
