"""The true value of every denormalized counter, computed in SQL, and the repair of drift.

Services move counters with ``F()`` as interactions happen (docs/ARCHITECTURE.md, "Data and counters");
this module is the independent check: it recounts the interaction rows and compares. The same SQL expressions
serve detection and repair, so "what the counter should be" is defined in exactly one place.
Callers: ``manage.py reconcile_counters``, ``seed_demo``, the admin (after deletes that bypass
the services) and tests.

It also owns the counter design itself: ``bump`` (the write path of the services), the totals a
read sees (``totals``/``with_totals``) and ``counters_fold``. One ``VideoCounters`` row per video
would make every save of a viral video queue on that row's lock until the saver's transaction
commits (a few hundred commits a second on one row). So on PostgreSQL a step that finds the row
locked by another transaction spills into one of ``VIDEO_COUNTER_SLOTS`` slot rows
(``VideoCounterSlot``) instead, still in the interaction's own transaction; reads add the slots
to the row in the same query, and ``counters_fold`` moves them back into the row. Without
contention (and always on SQLite, which has one writer at a time) everything stays in the row.
"""

import random
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    Count,
    Expression,
    F,
    Model,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
)
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
    VideoCounterSlot,
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


# The write path ------------------------------------------------------------------------------


def bump(video_id: int, **steps: int) -> None:
    """Move a video's counters by ``steps`` (``save_count=+1``) in SQL, in the caller's
    transaction, so the counters commit (or roll back) with the rows they count.

    On PostgreSQL the totals row is updated unless another transaction holds it (``FOR UPDATE
    SKIP LOCKED``) or a decrement would take it below zero; then the step goes to a random slot
    row with an upsert. Elsewhere, or with ``VIDEO_COUNTER_SPILL`` off, it is a plain
    ``n = n + step`` on the row, which waits for the lock.
    """
    steps = {name: step for name, step in steps.items() if step}
    if not steps:
        return
    if not _spill_enabled():
        VideoCounters.objects.filter(video_id=video_id).update(**{name: F(name) + step for name, step in steps.items()})
    elif not _bump_totals_unless_busy(video_id, steps):
        _bump_slot(video_id, steps, random.randrange(_slot_count()))


def _spill_enabled() -> bool:
    return bool(getattr(settings, "VIDEO_COUNTER_SPILL", True)) and bool(
        connection.features.has_select_for_update_skip_locked
    )


def _slot_count() -> int:
    return max(int(getattr(settings, "VIDEO_COUNTER_SLOTS", 16)), 1)


def _column(name: str) -> str:
    return connection.ops.quote_name(name)


def _bump_totals_unless_busy(video_id: int, steps: dict[str, int]) -> bool:
    """Step the totals row if no other transaction holds it; False when the step must spill."""
    table = _column(VideoCounters._meta.db_table)
    assignments = ", ".join(f"{_column(name)} = {_column(name)} + %s" for name in steps)
    floors = "".join(f" AND {_column(name)} >= %s" for name, step in steps.items() if step < 0)
    sql = (
        f"UPDATE {table} SET {assignments} WHERE {_column('video_id')} = ("
        f"SELECT {_column('video_id')} FROM {table} WHERE {_column('video_id')} = %s{floors} FOR UPDATE SKIP LOCKED)"
    )
    params = [*steps.values(), video_id, *(-step for step in steps.values() if step < 0)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return bool(cursor.rowcount)


def _bump_slot(video_id: int, steps: dict[str, int], slot: int) -> None:
    """Add ``steps`` to one slot row of the video, creating it if needed (one upsert)."""
    table = _column(VideoCounterSlot._meta.db_table)
    columns = ["video_id", "slot", *COUNTER_FIELDS]
    updates = ", ".join(f"{_column(name)} = {table}.{_column(name)} + EXCLUDED.{_column(name)}" for name in steps)
    sql = (
        f"INSERT INTO {table} ({', '.join(_column(name) for name in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({_column('video_id')}, {_column('slot')}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [video_id, slot, *(steps.get(name, 0) for name in COUNTER_FIELDS)])


# The read path ----------------------------------------------------------------------------------

TOTALS = "counter_totals_text"
_PARSED = "_counter_totals"


class CounterTotals(Expression):
    """One correlated subquery: the totals of the video whose id is ``ref`` in the outer query as
    reads show them (its ``VideoCounters`` row plus the slots spilled beside it), as
    ``"views,likes,..."`` text in ``COUNTER_FIELDS`` order, or NULL when it has no counters row.
    One text column per row instead of a joined ``VideoCounters`` instance: two index probes per
    row, which PostgreSQL plans faster than the join, and no model instance to build."""

    output_field = TextField()

    def __init__(self, ref: str | Expression = "pk") -> None:
        super().__init__()
        self.ref: Any = F(ref) if isinstance(ref, str) else ref

    def get_source_expressions(self) -> list[Any]:
        return [self.ref]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.ref,) = exprs

    def resolve_expression(self, *args: Any, **kwargs: Any) -> "CounterTotals":
        resolved = self.copy()
        resolved.ref = self.ref.resolve_expression(*args, **kwargs)
        return resolved

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.ref)
        quote = connection.ops.quote_name
        row, slot = quote("counter_row"), quote("counter_slot")
        video_id = quote("video_id")
        # One row joined with its slots: MAX reads the row's value once, SUM adds the slots.
        totals = " || ',' || ".join(
            f"CAST(MAX({row}.{name}) + COALESCE(SUM({slot}.{name}), 0) AS TEXT)" for name in map(quote, COUNTER_FIELDS)
        )
        sql = (
            f"(SELECT {totals} FROM {quote(VideoCounters._meta.db_table)} {row} "
            f"LEFT JOIN {quote(VideoCounterSlot._meta.db_table)} {slot} ON {slot}.{video_id} = {row}.{video_id} "
            f"WHERE {row}.{video_id} = {column})"
        )
        return sql, list(params)


def with_totals(qs: QuerySet[Any, Any], ref: str = "pk") -> QuerySet[Any, Any]:
    """``qs`` with the counter totals of each row's video (``ref``), for ``totals`` to read."""
    return qs.annotate(**{TOTALS: CounterTotals(ref)})


def copy_totals(row: Any, video: Video) -> None:
    """Hand the totals annotated on ``row`` (a favorite, a notification) to its video."""
    if TOTALS in row.__dict__:
        video.__dict__[TOTALS] = row.__dict__[TOTALS]


def parse_totals(text: str) -> dict[str, int]:
    """The ``CounterTotals`` text as ``{counter name: total}``."""
    return dict(zip(COUNTER_FIELDS, map(int, text.split(",")), strict=True))


def totals(video: Video) -> dict[str, int]:
    """The video's counters as a read must show them: the totals row plus the spilled slots.
    Uses the totals annotated by ``with_totals``; a video loaded without them costs one query."""
    parsed: dict[str, int] | None = video.__dict__.get(_PARSED)
    if parsed is not None:
        return parsed
    if TOTALS in video.__dict__:
        text = video.__dict__[TOTALS]
    else:
        text = Video.objects.filter(pk=video.pk).values_list(CounterTotals(), flat=True).first()
    if text is None:
        raise VideoCounters.DoesNotExist(f"Video {video.pk} has no counters row: reconcile_counters adds it.")
    parsed = video.__dict__[_PARSED] = parse_totals(text)
    return parsed


def _slot_sum(name: str, ref: str) -> Expression:
    return Coalesce(_sum(VideoCounterSlot, name, key="video_id", ref=ref), Value(0), output_field=BigIntegerField())


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
        "reached_seconds": _sum(View, "position_seconds", key="video_id", ref=ref),
        "replay_count": _count(View, key="video_id", ref=ref, replayed=True),
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
        stored={name: F(f"counters__{name}") + _slot_sum(name, "pk") for name in COUNTER_FIELDS},
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
    repaired = {name: truth - _slot_sum(name, "video_id") for name, truth in video_truth.items()}
    for ids in _batches(bad_videos):
        list(VideoCounters.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
        _fold(ids)
        # Spilled slots written after the fold are part of the truth of this same statement.
        VideoCounters.objects.filter(pk__in=ids).update(**repaired)
    user_truth = user_counter_truth()
    for ids in _batches(bad_users):
        list(User.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
        User.objects.filter(pk__in=ids).update(**user_truth)
    return list(drift)


# Folding ----------------------------------------------------------------------------------------


def _fold(video_ids: Iterable[int] | None) -> int:
    """Move the slots of these videos (all when None) into their totals rows; returns how many
    slot rows were folded. Runs inside the caller's transaction."""
    slots = VideoCounterSlot.objects.select_for_update().order_by("video_id", "slot")
    if video_ids is not None:
        slots = slots.filter(video_id__in=list(video_ids))
    rows = list(slots.values("pk", "video_id", *COUNTER_FIELDS))
    sums: dict[int, dict[str, int]] = {}
    for row in rows:
        video_sums = sums.setdefault(row["video_id"], dict.fromkeys(COUNTER_FIELDS, 0))
        for name in COUNTER_FIELDS:
            video_sums[name] += row[name]
    for video_id, video_sums in sums.items():
        steps = {name: F(name) + step for name, step in video_sums.items() if step}
        if steps:
            VideoCounters.objects.filter(video_id=video_id).update(**steps)
    for ids in _batches([row["pk"] for row in rows]):
        VideoCounterSlot.objects.filter(pk__in=ids).delete()
    return len(rows)


@transaction.atomic
def counters_fold(*, video_ids: Collection[int] | None = None) -> int:
    """Fold spilled slots back into the totals rows (``manage.py fold_counters``): the totals a
    read sees do not change, the rows a read adds up shrink to one. Safe while services write:
    slot rows are locked before they are read, and a step that arrives meanwhile waits or lands
    in a new slot that the next fold takes."""
    return _fold(video_ids)
