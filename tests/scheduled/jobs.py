"""The worker's scheduled jobs, the work they find, and what each leaves behind as plain values,
so that a run can be compared with another."""

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

from celery.app.task import Task
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db.models import Model
from oauth2_provider.models import AccessToken, Application, Grant, RefreshToken, set_token_value

from accounts import scheduled as account_jobs
from accounts.models import AccountType, User
from accounts.tokens import access_token_create
from engagement import scheduled as engagement_jobs
from engagement import services
from engagement.analytics.models import (
    AccountDailyBucket,
    AccountDailyStats,
    ExportState,
    InsightsDay,
    InsightsExport,
    VideoDailyBucket,
    VideoDailyStats,
)
from engagement.media import storage
from engagement.models import VideoCounters, VideoCounterSlot, VideoRank, View
from tests.factories import make_follow, make_user, make_video

JOBS: dict[str, Task] = {
    "rollup_insights": engagement_jobs.rollup_insights,
    "rank_videos": engagement_jobs.rank_videos,
    "fold_counters": engagement_jobs.fold_counters,
    "clear_expired_credentials": account_jobs.clear_expired_credentials,
    "delete_expired_insights_exports": engagement_jobs.delete_expired_insights_exports,
}


def build_work(now: datetime) -> None:
    """Views yesterday and today, likes and a follow today, for the rollup and the ranking; counter
    steps spilled into slot rows to fold, and credentials and insights exports on either side of
    their expiry."""
    creator = make_user(account_type=AccountType.CREATOR)
    viewers = [make_user(country=country) for country in ("FR", "DE", "FR")]
    videos = [make_video(creator) for _ in range(2)]
    today = datetime.combine(now.date(), time.min, tzinfo=UTC)
    for when in (today - timedelta(hours=12), today + (now - today) / 2):
        View.objects.bulk_create(
            View(video=video, viewer=viewer, watched_seconds=30, completed=True, created_at=when)
            for video in videos
            for viewer in viewers
        )
    for viewer in viewers[:2]:
        services.like_add(actor=viewer, video_id=videos[0].pk)
    make_follow(viewers[0], creator)
    for slot, video in enumerate(videos):
        VideoCounterSlot.objects.create(video=video, slot=slot, view_count=5, like_count=2, total_watch_seconds=40)
    _credentials(viewers[0], now)
    _exports(creator, now)


def _credentials(user: User, now: datetime) -> None:
    """A personal token in date and one expired; an application's expired token whose refresh
    token is still young (kept) and one idle past the refresh lifetime (removed); a grant in date
    and one expired; a session in date and one expired."""
    access_token_create(actor=user, name="fresh", scopes=["PROFILE_READ"])
    stale, _ = access_token_create(actor=user, name="stale", scopes=["PROFILE_READ"])
    AccessToken.objects.filter(pk=stale.pk).update(expires=now - timedelta(days=1))
    app = Application.objects.create(
        name="tool",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://tool.example/callback",
    )
    for expired_days_ago in (1, 60):
        access = AccessToken(
            user=user, application=app, expires=now - timedelta(days=expired_days_ago), scope="PROFILE_READ"
        )
        set_token_value(access, secrets.token_urlsafe(16))
        access.save()
        refresh = RefreshToken(user=user, application=app, access_token=access)
        set_token_value(refresh, secrets.token_urlsafe(16))
        refresh.save()
    for code, expires in (("in-date", now + timedelta(minutes=5)), ("expired", now - timedelta(minutes=5))):
        Grant.objects.create(
            user=user, application=app, code=code, expires=expires, redirect_uri="https://tool.example/callback"
        )
    for expires in (now + timedelta(days=1), now - timedelta(days=1)):
        session = SessionStore()
        session.create()
        Session.objects.filter(session_key=session.session_key).update(expire_date=expires)


def _exports(owner: User, now: datetime) -> None:
    """A built export past its end, one that ends in a second, and a failed one past its end."""
    for name, expires, state in (
        ("expired", now - timedelta(seconds=1), ExportState.READY),
        ("fresh", now + timedelta(seconds=1), ExportState.READY),
        ("", now - timedelta(hours=1), ExportState.FAILED),
    ):
        key = storage.save_bytes(f"insights-exports/{name}.csv", b"date\r\n") if name else ""
        InsightsExport.objects.create(
            owner=owner, first_day=now.date(), last_day=now.date(), state=state, file_key=key, expires_at=expires
        )


def _rows(model: type[Model], *left_out: str) -> list[tuple[Any, ...]]:
    names = [field.attname for field in model._meta.concrete_fields if field.attname not in ("id", *left_out)]
    return sorted(model._default_manager.values_list(*names))


def _rollups() -> dict[str, list[tuple[Any, ...]]]:
    """Every rollup row, and the day markers without the time of their rollup."""
    tables = (VideoDailyStats, AccountDailyStats, VideoDailyBucket, AccountDailyBucket)
    rows = {model.__name__: _rows(model) for model in tables}
    return rows | {"InsightsDay": _rows(InsightsDay, "rolled_up_at"), "VideoRank": _rows(VideoRank)}


def _counters() -> dict[str, list[tuple[Any, ...]]]:
    return {"VideoCounters": _rows(VideoCounters), "VideoCounterSlot": _rows(VideoCounterSlot)}


def _credentials_left() -> dict[str, list[tuple[Any, ...]]]:
    return {
        model.__name__: sorted(model._default_manager.values_list("pk")) for model in (AccessToken, RefreshToken, Grant)
    } | {"Session": sorted(Session.objects.values_list("pk"))}


def _exports_left() -> dict[str, list[tuple[Any, ...]]]:
    return {"InsightsExport": sorted(InsightsExport.objects.values_list("file_key", "state"))}


OUTCOMES: dict[str, Callable[[], dict[str, list[tuple[Any, ...]]]]] = {
    "rollup_insights": _rollups,  # the rollup queues the ranking
    "rank_videos": lambda: {"VideoRank": _rows(VideoRank)},
    "fold_counters": _counters,
    "clear_expired_credentials": _credentials_left,
    "delete_expired_insights_exports": _exports_left,
}
