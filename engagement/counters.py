"""The true value of every denormalized counter, computed in SQL, and the repair of drift.

Services move counters with ``F()`` as interactions happen (DESIGN.md §5); this module is the
independent check: it recounts the interaction rows and compares. The same SQL expressions
serve detection and repair, so "what the counter should be" is defined in exactly one place.
Callers: ``manage.py reconcile_counters``, ``seed_demo``, the admin (after deletes that bypass
the services) and tests.
"""

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from django.db import transaction
from django.db.models import BigIntegerField, Count, Expression, F, Model, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from accounts.models import Follow, FollowStatus, User
from engagement.models import (
    COUNTER_FIELDS,
    Comment,
    Download,
    Favorite,
    Like,
    Share,
    Video,
    VideoCounters,
    View,
)

USER_COUNTER_FIELDS = ("follower_count", "following_count")
DEFAULT_CHUNK_SIZE = 1000
# Ids per UPDATE ... WHERE pk IN (...): well under SQLite's bound-parameter limit.
_REPAIR_BATCH = 500

Progress = Callable[[int], object]


@dataclass(frozen=True)
class CounterDrift:
    """One counter that disagrees with the rows. ``counter`` is ``None`` when the video has no
    ``VideoCounters`` row at all (every video must have one)."""

    kind: Literal["video", "user"]
    object_id: int
    field: str
    counter: int | None
    actual: int

    def __str__(self) -> str:
        stored = "missing" if self.counter is None else self.counter
        return f"{self.kind} {self.object_id} {self.field}: counter {stored}, actual {self.actual}"


# The truth, as SQL expressions ---------------------------------------------------------------


def _rows_of(model: type[Model], key: str, ref: str, **filters: Any) -> QuerySet[Any, Any]:
    return model._default_manager.filter(**{key: OuterRef(ref)}, **filters).order_by().values(key)


def _count(model: type[Model], *, key: str, ref: str, **filters: Any) -> Expression:
    rows = _rows_of(model, key, ref, **filters).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows), Value(0), output_field=BigIntegerField())


def _sum(model: type[Model], field: str, *, key: str, ref: str) -> Expression:
    rows = _rows_of(model, key, ref).annotate(n=Sum(field)).values("n")
    return Coalesce(Subquery(rows), Value(0), output_field=BigIntegerField())


def video_counter_truth(ref: str = "pk") -> dict[str, Expression]:
    """Per counter field, a correlated subquery giving its true value for the video whose id is
    the outer query's ``ref`` column."""
    return {
        "view_count": _count(View, key="video_id", ref=ref),
        "like_count": _count(Like, key="video_id", ref=ref),
        "comment_count": _count(Comment, key="video_id", ref=ref),
        "share_count": _count(Share, key="video_id", ref=ref),
        "save_count": _count(Favorite, key="video_id", ref=ref),
        "download_count": _count(Download, key="video_id", ref=ref),
        "total_watch_seconds": _sum(View, "watched_seconds", key="video_id", ref=ref),
        "completion_count": _count(View, key="video_id", ref=ref, completed=True),
    }


def user_counter_truth(ref: str = "pk") -> dict[str, Expression]:
    """Follower and following counts count ACCEPTED follows only; pending requests are not
    followers yet."""
    accepted = {"status": FollowStatus.ACCEPTED}
    return {
        "follower_count": _count(Follow, key="followee_id", ref=ref, **accepted),
        "following_count": _count(Follow, key="follower_id", ref=ref, **accepted),
    }


# Detection -----------------------------------------------------------------------------------


def _chunks(model: type[Model], ids: Collection[int] | None, size: int) -> Iterator[QuerySet[Any, Any]]:
    """The rows to check, a chunk at a time so memory and query size stay flat however large the
    table: a keyset walk over primary keys, or slices of the given ids."""
    if ids is not None:
        wanted = sorted(ids)
        for start in range(0, len(wanted), size):
            yield model._default_manager.filter(pk__in=wanted[start : start + size])
        return
    last = None
    while True:
        page = model._default_manager.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        keys = list(page.values_list("pk", flat=True)[:size])
        if not keys:
            return
        yield model._default_manager.filter(pk__gte=keys[0], pk__lte=keys[-1])
        last = keys[-1]


def _drift(
    *,
    kind: Literal["video", "user"],
    chunks: Iterator[QuerySet[Any, Any]],
    truth: dict[str, Expression],
    stored: dict[str, Any],
    progress: Progress | None,
) -> list[CounterDrift]:
    """One query per chunk returns stored and true values side by side; comparing them in Python
    avoids repeating every subquery in the WHERE clause."""
    found: list[CounterDrift] = []
    annotations = {f"actual_{name}": expr for name, expr in truth.items()}
    annotations |= {f"stored_{name}": expr for name, expr in stored.items()}
    for chunk in chunks:
        rows = list(chunk.annotate(**annotations).values("pk", *annotations))
        for row in rows:
            for name in truth:
                counter, actual = row[f"stored_{name}"], row[f"actual_{name}"]
                if counter != actual:
                    found.append(CounterDrift(kind, row["pk"], name, counter, actual))
        if progress is not None:
            progress(len(rows))
    return found


def video_counter_drift(
    *,
    video_ids: Collection[int] | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: Progress | None = None,
) -> list[CounterDrift]:
    """Every video counter that differs from its rows, including videos with no counters row."""
    return _drift(
        kind="video",
        chunks=_chunks(Video, video_ids, chunk_size),
        truth=video_counter_truth(),
        stored={name: F(f"counters__{name}") for name in COUNTER_FIELDS},
        progress=progress,
    )


def user_counter_drift(
    *,
    user_ids: Collection[int] | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: Progress | None = None,
) -> list[CounterDrift]:
    """Every follower/following count that differs from the accepted follow rows."""
    return _drift(
        kind="user",
        chunks=_chunks(User, user_ids, chunk_size),
        truth=user_counter_truth(),
        stored={name: F(name) for name in USER_COUNTER_FIELDS},
        progress=progress,
    )


def counter_drift(*, chunk_size: int = DEFAULT_CHUNK_SIZE, progress: Progress | None = None) -> list[CounterDrift]:
    """All drift, videos first; empty means every counter equals its rows."""
    return video_counter_drift(chunk_size=chunk_size, progress=progress) + user_counter_drift(
        chunk_size=chunk_size, progress=progress
    )


def counter_rows_total() -> int:
    """How many rows ``counter_drift`` walks, for a progress bar's total."""
    return Video.objects.count() + User.objects.count()


# Repair --------------------------------------------------------------------------------------


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _REPAIR_BATCH):
        yield ids[start : start + _REPAIR_BATCH]


@transaction.atomic
def counters_repair(
    *,
    drift: Collection[CounterDrift] | None = None,
    video_ids: Collection[int] | None = None,
    user_ids: Collection[int] | None = None,
) -> list[CounterDrift]:
    """Set drifted counters to their true value and return the drift that was repaired.

    With no arguments, everything is checked; ``video_ids``/``user_ids`` limit the check to
    those objects (the admin uses this after a delete). A ``drift`` list from an earlier check
    repairs those objects without checking again.

    Rows are locked (``SELECT ... FOR UPDATE``) before the recount, and each UPDATE computes the
    true value in its own statement: under READ COMMITTED that statement sees every interaction
    committed before the lock was granted, and a service that inserts a row later waits for the
    lock and then adds its ``+1`` to the repaired value, so nothing is lost or counted twice.
    """
    if drift is None and video_ids is None and user_ids is None:
        drift = counter_drift()
    elif drift is None:
        drift = video_counter_drift(video_ids=video_ids) if video_ids is not None else []
        drift += user_counter_drift(user_ids=user_ids) if user_ids is not None else []
    bad_videos = sorted({d.object_id for d in drift if d.kind == "video"})
    bad_users = sorted({d.object_id for d in drift if d.kind == "user"})
    missing = sorted({d.object_id for d in drift if d.kind == "video" and d.counter is None})
    if missing:
        VideoCounters.objects.bulk_create([VideoCounters(video_id=pk) for pk in missing], ignore_conflicts=True)
    video_truth = video_counter_truth(ref="video_id")
    for ids in _batches(bad_videos):
        list(VideoCounters.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
        VideoCounters.objects.filter(pk__in=ids).update(**video_truth)
    user_truth = user_counter_truth()
    for ids in _batches(bad_users):
        list(User.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
        User.objects.filter(pk__in=ids).update(**user_truth)
    return list(drift)
