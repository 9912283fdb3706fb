"""The For You score (``engagement.ranking``) and its hourly refresh
(``engagement.analytics.ranking_refresh``): the formula rises with every engagement signal and
falls with age; saves and completions enter only from settled, finalized days, each released
once with noise keyed by the noise key, the day and its rollup; ranking again repeats the same
scores; the personal boosts read the viewer's own rows alone."""

import math
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from pytest_django import Settings

from accounts.models import User
from engagement import ranking, services
from engagement.analytics import ranking_refresh
from engagement.analytics.models import InsightsDay, VideoDailyStats
from engagement.models import Video, VideoRank
from engagement.ranking import Signals, completion_level, save_level, score
from tests.factories import make_follow, make_user, make_video

NOW = datetime(2026, 6, 10, 12, 30, tzinfo=UTC)
HOUR = ranking_refresh.ranking_hour(NOW)
SETTLED_FIRST, SETTLED_LAST = ranking_refresh.settled_days(HOUR)
KEY_A, KEY_B = b"a" * 32, b"b" * 32


# The formula ----------------------------------------------------------------------------------

BASE = Signals(likes=10, comments=3, shares=2, saves=5, completions=40, views=100)


@pytest.mark.parametrize("signal", ["likes", "comments", "shares"])
def test_the_score_rises_with_every_public_total(signal: str) -> None:
    """Each doubling of a public total is worth points, whatever the rest."""
    scores = [score(Signals(**{**BASE.__dict__, signal: value}), age_hours=30) for value in (0, 1, 5, 50, 5000)]
    assert scores == sorted(scores) and len(set(scores)) == len(scores)


@pytest.mark.parametrize("signal", ["saves", "completions"])
def test_the_score_never_falls_as_saves_or_completions_grow_and_rises_by_steps(signal: str) -> None:
    """Coarsened signals: never lower for more, and higher once a level is crossed."""
    scores = [score(Signals(**{**BASE.__dict__, signal: value}), age_hours=30) for value in range(120)]
    assert scores == sorted(scores)
    assert scores[-1] > scores[0]


def test_the_score_falls_with_age_and_a_new_video_starts_ahead() -> None:
    ages = [0, 1, 6, 12, 24, 72, 24 * 30]
    scores = [score(BASE, age_hours=age) for age in ages]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == len(scores)
    assert score(Signals(), age_hours=0) - score(Signals(), age_hours=ranking.AGE_UNIT_HOURS) == pytest.approx(
        ranking.NEW_VIDEO_POINTS / 2 + 1
    )


def test_saves_are_read_in_log_buckets_and_noise_below_zero_counts_as_none() -> None:
    assert [save_level(saves) for saves in (-7, 0, 1, 2, 3, 6, 7, 14, 15, 1000)] == [0, 0, 1, 1, 2, 2, 3, 3, 4, 9]


def test_completion_rate_is_read_in_tenths_over_at_least_twenty_views() -> None:
    assert completion_level(10, 100) == 1
    assert completion_level(99, 100) == 9
    assert completion_level(150, 100) == 10  # noise may push completions past the views
    assert completion_level(5, 2) == 2  # 5 over 20 views, not 5 over 2
    assert completion_level(-3, 50) == 0


def test_a_video_ranked_not_yet_scores_as_a_new_video_with_nothing() -> None:
    assert ranking.FRESH_SCORE == score(Signals(), age_hours=0) == ranking.NEW_VIDEO_POINTS


# The noise ------------------------------------------------------------------------------------

ROLLED_UP = datetime(2026, 6, 5, 0, 30, tzinfo=UTC)


def _noise(secret: bytes, video_id: int, *, rolled_up_at: datetime = ROLLED_UP, signal: str = "saves") -> int:
    return ranking_refresh.released_count(
        secret, 1.0, signal=signal, video_id=video_id, day=date(2026, 6, 4), rolled_up_at=rolled_up_at, count=0
    )


def test_the_noise_is_fixed_by_the_key_and_the_release() -> None:
    """The same key and release draw the same noise; another key, signal or rollup of the day
    draws other noise: a backfill is a new release, never the old noise on a new count."""
    first = [_noise(KEY_A, video) for video in range(200)]

    assert first == [_noise(KEY_A, video) for video in range(200)]
    assert any(first), "noise of scale 1 is zero for 200 draws"
    assert first != [_noise(KEY_B, video) for video in range(200)]
    assert first != [_noise(KEY_A, video, signal="completions") for video in range(200)]
    assert first != [_noise(KEY_A, video, rolled_up_at=ROLLED_UP + timedelta(hours=1)) for video in range(200)]


def test_the_noise_has_the_scale_epsilon_asks_for(settings: Settings) -> None:
    """``P(x) ∝ e^(-|x|/b)`` with ``b = 1/ε``: two-sided geometric, so the mean absolute noise
    is ``2a/(1-a²)`` with ``a = e^(-1/b)``."""
    settings.RANKING_EPSILON = 0.5
    scale = ranking_refresh.noise_scale()
    draws = [
        ranking_refresh.released_count(
            KEY_A, scale, signal="saves", video_id=video, day=date(2026, 6, 4), rolled_up_at=ROLLED_UP, count=0
        )
        for video in range(4000)
    ]
    alpha = math.exp(-1 / scale)
    assert scale == 2.0
    assert sum(map(abs, draws)) / len(draws) == pytest.approx(2 * alpha / (1 - alpha**2), rel=0.1)
    assert abs(sum(draws) / len(draws)) < 0.2


# The refresh ----------------------------------------------------------------------------------


def _posted(owner: User, *, days_ago: float, **fields: Any) -> Video:
    video = make_video(owner, **fields)
    Video.objects.filter(pk=video.pk).update(created_at=NOW - timedelta(days=days_ago))
    return Video.objects.get(pk=video.pk)


def _rolled_up(day: date, counts: dict[int, tuple[int, int, int]] | None = None, *, finalized: bool = True) -> None:
    """A rolled-up day with ``{video id: (saves, completions, views)}``, as rollup_insights leaves it."""
    InsightsDay.objects.update_or_create(
        day=day, defaults={"finalized": finalized, "rolled_up_at": datetime.combine(day, datetime.min.time(), UTC)}
    )
    for video_id, (saves, completions, views) in (counts or {}).items():
        VideoDailyStats.objects.update_or_create(
            video_id=video_id, day=day, defaults={"saves": saves, "completions": completions, "views": views}
        )


def _scores() -> dict[int, float]:
    return dict(VideoRank.objects.values_list("video_id", "score"))


@pytest.fixture
def without_noise(settings: Settings) -> None:
    settings.RANKING_EPSILON = math.inf


@pytest.mark.django_db
@pytest.mark.usefixtures("without_noise")
def test_saves_count_only_from_settled_finalized_days() -> None:
    """Given the same saves on a video on yesterday, on an unfinished settled day and on a final
    settled day, then only the final settled day raises its score."""
    video = _posted(make_user(), days_ago=9)
    ranking_refresh.rank_videos(now=NOW)
    before = _scores()[video.pk]

    _rolled_up(HOUR.date() - timedelta(days=1), {video.pk: (50, 0, 60)})
    _rolled_up(SETTLED_LAST, {video.pk: (50, 0, 60)}, finalized=False)
    ranking_refresh.rank_videos(now=NOW)
    assert _scores()[video.pk] == before

    _rolled_up(SETTLED_FIRST, {video.pk: (50, 0, 60)})
    result = ranking_refresh.rank_videos(now=NOW)
    assert _scores()[video.pk] == pytest.approx(before + ranking.SAVE_WEIGHT * save_level(50))
    assert result.days == (SETTLED_FIRST,)


@pytest.mark.django_db
@pytest.mark.usefixtures("without_noise")
def test_the_stored_score_is_the_formula_of_the_public_totals_and_the_window() -> None:
    fan, owner = make_user("fan"), make_user("owner")
    video = _posted(owner, days_ago=3)
    services.like_add(actor=fan, video_id=video.pk)
    services.comment_create(actor=fan, video_id=video.pk, text="nice")
    _rolled_up(SETTLED_LAST, {video.pk: (3, 12, 30)})

    ranking_refresh.rank_videos(now=NOW)

    expected = Signals(likes=1, comments=1, saves=3, completions=12, views=30)
    assert _scores()[video.pk] == pytest.approx(score(expected, age_hours=3 * 24 - 0.5))
    assert VideoRank.objects.get(video=video).ranked_at == HOUR


@pytest.mark.django_db
def test_ranking_again_within_the_hour_writes_the_same_scores() -> None:
    """Keyed noise and ages counted at the hour: the refresh is idempotent."""
    owner = make_user()
    videos = [_posted(owner, days_ago=days) for days in (1, 4, 8)]
    _rolled_up(SETTLED_LAST, {video.pk: (index, index, 10) for index, video in enumerate(videos)})

    ranking_refresh.rank_videos(now=HOUR + timedelta(minutes=1))
    first = _scores()
    ranking_refresh.rank_videos(now=HOUR + timedelta(minutes=59))

    assert _scores() == first and len(first) == 3


@pytest.mark.django_db
def test_every_settled_day_since_a_video_was_posted_is_noised_with_or_without_a_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Which days had a save is not told by which days carry noise: each final settled day since
    the video was posted gets its draw, for saves and completions, with the same label on every
    refresh."""
    video = _posted(make_user(), days_ago=5)  # posted on the window's fourth day
    for offset in range(ranking.WINDOW_DAYS):
        _rolled_up(SETTLED_FIRST + timedelta(days=offset))
    labels: list[str] = []

    def no_noise_but_its_label(secret: bytes, scale: float, label: str) -> int:
        labels.append(label)
        return 0

    monkeypatch.setattr(ranking_refresh, "keyed_noise", no_noise_but_its_label)

    ranking_refresh.rank_videos(now=NOW)

    posted = (NOW - timedelta(days=5)).date()
    days = {label.split(":")[3] for label in labels if label.split(":")[2] == str(video.pk)}
    assert days == {(posted + timedelta(days=n)).isoformat() for n in range((SETTLED_LAST - posted).days + 1)}
    assert {label.split(":")[1] for label in labels} == {"saves", "completions"}


@pytest.mark.django_db
def test_a_video_deleted_before_the_scores_are_stored_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    owner = make_user()
    kept, deleted = _posted(owner, days_ago=1), _posted(owner, days_ago=1)
    score_of = ranking_refresh.score

    def delete_then_score(signals: Signals, *, age_hours: float) -> float:
        Video.objects.filter(pk=deleted.pk).delete()
        return score_of(signals, age_hours=age_hours)

    monkeypatch.setattr(ranking_refresh, "score", delete_then_score)
    ranking_refresh.rank_videos(now=NOW)

    assert set(_scores()) == {kept.pk}


# The order of a page ---------------------------------------------------------------------------


def _ordered(viewer: User, *, personal: bool) -> dict[int, float]:
    videos = ranking.for_you(viewer, Video.objects.all(), personal=personal)
    return dict(videos.values_list("pk", ranking.SCORE))


@pytest.mark.django_db
def test_personal_boosts_come_from_the_viewers_own_follows_saves_and_likes() -> None:
    """Given ranked videos of four creators, when the viewer follows one, liked a video of
    another and saved one of a third, then their other videos gain the boosts, the saved video
    itself is left out, and nobody else's follows or saves count."""
    viewer, other = make_user("viewer"), make_user("other")
    followed, liked, saved, stranger = (make_user(name) for name in ("followed", "liked", "saved", "stranger"))
    videos = {creator.username: make_video(creator) for creator in (followed, liked, saved, stranger)}
    liked_video, saved_video = make_video(liked), make_video(saved)
    for video in Video.objects.all():
        VideoRank.objects.create(video=video, score=1.0)
    make_follow(viewer, followed)
    services.like_add(actor=viewer, video_id=liked_video.pk)
    services.favorite_add(actor=viewer, video_id=saved_video.pk)
    make_follow(other, stranger)
    services.favorite_add(actor=other, video_id=videos["stranger"].pk)

    scores = _ordered(viewer, personal=True)

    assert saved_video.pk not in scores
    assert scores[videos["followed"].pk] == 1.0 + ranking.FOLLOWED_BOOST
    assert scores[videos["liked"].pk] == scores[liked_video.pk] == 1.0 + ranking.AFFINITY_BOOST
    assert scores[videos["saved"].pk] == 1.0 + ranking.AFFINITY_BOOST
    assert scores[videos["stranger"].pk] == 1.0
    assert set(_ordered(viewer, personal=False).values()) == {1.0}


@pytest.mark.django_db
def test_videos_the_viewer_watched_to_the_end_are_left_out_of_their_own_order_only() -> None:
    viewer, owner = make_user("viewer"), make_user("owner")
    watched, half_watched = make_video(owner, duration_seconds=10), make_video(owner, duration_seconds=10)
    services.view_record(actor=viewer, video_id=watched.pk, watched_seconds=10, traffic_source="FOR_YOU")
    services.view_record(actor=viewer, video_id=half_watched.pk, watched_seconds=5, traffic_source="FOR_YOU")

    assert set(_ordered(viewer, personal=True)) == {half_watched.pk}
    assert set(_ordered(make_user("someone"), personal=True)) == {watched.pk, half_watched.pk}


@pytest.mark.django_db
def test_a_video_without_a_rank_row_orders_at_the_fresh_score() -> None:
    video = make_video(make_user())
    assert _ordered(make_user("viewer"), personal=False) == {video.pk: ranking.FRESH_SCORE}
