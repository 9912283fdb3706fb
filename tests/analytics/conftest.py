"""Fixtures of the analytics tests: the API client and roles of ``tests/api`` (both engines), and
builders of audiences large enough to cross the privacy thresholds, written straight into the
interaction tables (the rollups read those tables, so no service needs to run per viewer)."""

import math
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from io import StringIO
from itertools import count
from typing import Any

import pytest
from django.core.management import call_command
from oauth2_provider.models import Application
from pytest_django import Settings

from accounts.models import Follow, FollowStatus, User
from accounts.tokens import access_token_create
from engagement import services
from engagement.models import DeviceType, Share, ShareChannel, TrafficSource, Video, View
from tests.api.conftest import (  # noqa: F401  (fixtures)
    ENDPOINTS,
    GraphQLClient,
    _world_of_the_module,
    client_maker,
    engine,
    gql,
    world,
)

_people = count(1)
OAUTH_REDIRECT = "https://tool.example/callback"


@pytest.fixture
def application(db: None) -> Application:
    """A third-party analytics tool registered for the authorization-code flow."""
    return Application.objects.create(
        name="Analytics Tool",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=OAUTH_REDIRECT,
        skip_authorization=False,
    )


@pytest.fixture(autouse=True)
def exact_thresholds(settings: Settings) -> None:
    """The documented thresholds, whatever the environment says, without noise and with one-day
    periods, so a test reads exact counts of the days it wrote; tests of the noise and of the
    periods set their own (tests/analytics/attacks/ runs the defaults)."""
    settings.PRIVACY_MIN_AUDIENCE = 100
    settings.PRIVACY_MIN_BUCKET = 10
    settings.PRIVACY_EPSILON = math.inf
    settings.PRIVACY_GEO_EPSILON = math.inf  # a country's slices too
    settings.PRIVACY_PERIOD_DAYS = 1
    settings.PRIVACY_VIDEOS_PER_PERSON = 1
    settings.INSIGHTS_FINALIZE_AFTER_SECONDS = 3600


def days_ago(n: int) -> date:
    return datetime.now(UTC).date() - timedelta(days=n)


def last_ten_days() -> dict[str, str]:
    """The range most insight tests ask for, computed as the test runs: a module constant goes
    stale when a run crosses midnight UTC, and the server's "today" does not."""
    return {"from": days_ago(10).isoformat(), "to": days_ago(1).isoformat()}


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def people(n: int, **attributes: Any) -> list[User]:
    """``n`` new accounts with the same declared attributes (no usable password: never signed in)."""
    users = [User(username=f"person{next(_people)}", email="", **attributes) for _ in range(n)]
    for user in users:
        user.set_unusable_password()
    return User.objects.bulk_create(users)


def watch(
    video: Video,
    viewers: Iterable[User | None],
    day: date,
    *,
    hour: int = 12,
    seconds: int = 10,
    source: str = TrafficSource.FOR_YOU,
    position: int | None = None,
    replayed: bool = False,
    device: str = DeviceType.UNKNOWN,
) -> int:
    """One view per viewer (None: anonymous) of ``video`` on ``day``, reaching ``position``
    (default: as far as ``seconds`` go, as ``recordView`` says); returns how many."""
    reached = min(seconds, video.duration_seconds) if position is None else position
    rows = [
        View(
            video=video,
            viewer=viewer,
            watched_seconds=seconds,
            position_seconds=reached,
            completed=reached >= video.duration_seconds,
            replayed=replayed,
            traffic_source=source,
            device=device,
            created_at=at(day, hour),
        )
        for viewer in viewers
    ]
    View.objects.bulk_create(rows)
    return len(rows)


def share(
    video: Video, sharers: Iterable[User], day: date, *, hour: int = 12, channel: str = ShareChannel.COPY_LINK
) -> None:
    """One share of ``video`` per sharer on ``day``, through ``channel``."""
    Share.objects.bulk_create(
        Share(user=user, video=video, channel=channel, created_at=at(day, hour)) for user in sharers
    )


def follow_all(followers: Iterable[User], followee: User, day: date) -> None:
    Follow.objects.bulk_create(
        Follow(follower=user, followee=followee, status=FollowStatus.ACCEPTED, created_at=at(day, 8))
        for user in followers
    )


def token_for(user: User, *scopes: str, name: str = "test token") -> str:
    """A personal access token of ``user`` with ``scopes``, made by the service the API calls."""
    _, token = access_token_create(actor=user, name=name, scopes=list(scopes))
    return token


# Token scopes that are not INSIGHTS_READ: none of them reads insights.
NOT_INSIGHTS_SCOPES = ("PROFILE_READ", "FAVORITES_READ", "INTERACTIONS_WRITE")


def video_insight_readers(
    make_client: Any, the_world: Any, video: Video
) -> tuple[dict[str, tuple[Any, str]], dict[str, Any]]:
    """Clients of who is refused ``video``'s insights, with the code each gets, and of who reads
    them. Refused: anonymous, another viewer, a delegate of another video (the world's locked
    one) and the owner's or the delegate's token without INSIGHTS_READ. Reading: the owner and a
    delegate of ``video`` (the world's other creator), each on a session and with an
    INSIGHTS_READ token. The grants are made here."""
    services.insights_access_grant(actor=the_world.creator, username="other_viewer", video_id=the_world.locked_video.pk)
    services.insights_access_grant(actor=the_world.creator, username="other_creator", video_id=video.pk)
    denied = {
        "anonymous": (make_client(None), "UNAUTHENTICATED"),
        "another viewer": (make_client(the_world.viewer), "FORBIDDEN"),
        "delegate of another video": (make_client(the_world.other_viewer), "FORBIDDEN"),
        "the owner's token without INSIGHTS_READ": (
            make_client(token=token_for(the_world.creator, *NOT_INSIGHTS_SCOPES)),
            "FORBIDDEN",
        ),
        "the delegate's token without INSIGHTS_READ": (
            make_client(token=token_for(the_world.other_creator, *NOT_INSIGHTS_SCOPES)),
            "FORBIDDEN",
        ),
    }
    allowed = {
        "owner": make_client(the_world.creator),
        "owner's INSIGHTS_READ token": make_client(token=token_for(the_world.creator, "INSIGHTS_READ")),
        "delegate": make_client(the_world.other_creator),
        "delegate's INSIGHTS_READ token": make_client(token=token_for(the_world.other_creator, "INSIGHTS_READ")),
    }
    return denied, allowed


def both_engines(user: User | None = None, *, token: str | None = None) -> dict[str, GraphQLClient]:
    """A client per engine, to check that both give the very same answer."""
    return {name: client_maker(path)(user, token=token) for name, path in ENDPOINTS.items()}


COUNTRY_MIX = {"FR": 60, "DE": 40, "US": 30, "IT": 8, "ES": 7, "JP": 5}


def roll_up(since: date) -> None:
    call_command("rollup_insights", "--since", since.isoformat(), "--no-progress", stdout=StringIO())


def crowd_watches(video: Video, day: date, mix: dict[str, int] = COUNTRY_MIX) -> list[User]:
    """New viewers by declared country watch ``video`` on ``day``; 150 people by default."""
    viewers = [viewer for country, n in mix.items() for viewer in people(n, country=country)]
    watch(video, viewers, day)
    return viewers


def backdate(video: Video, days: int) -> Video:
    """Pretend ``video`` was posted ``days`` ago (its series starts on the day it was posted)."""
    video.created_at = at(days_ago(days), 0)
    video.save(update_fields=["created_at"])
    return video
