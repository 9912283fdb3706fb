"""The data every workload reads, inserted in bulk and tallied so the counters equal the rows.

A run seeds a dedicated database once per size and reuses it while the marker account of that
size exists (``--reseed`` starts over). Besides the accounts the workloads sign in as, a
background population of users, videos, follows and interactions gives the indexes and the
visibility subqueries realistic work.
"""

import random
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from accounts.models import AccountType, Follow, FollowStatus, User
from engagement.models import (
    COUNTER_FIELDS,
    Comment,
    Download,
    Favorite,
    Like,
    Share,
    TrafficSource,
    Video,
    VideoCounters,
    View,
    Visibility,
)

DATA_VERSION = 1
BATCH = 5000
VIEWER = "bench_viewer"
CREATOR = "bench_creator"


@dataclass(frozen=True)
class Size:
    """How much data a run seeds. ``favorites`` is the viewer's list (W1 and W7); ``deep`` is how
    far into it W7's deep page starts; ``growth`` adds viewers and creators of other sizes whose
    figures show how cost grows with data (``--scale`` only)."""

    name: str
    favorites: int
    deep: int
    creator_videos: int
    owners: int
    users: int
    interactions_per_user: int
    writers: int
    growth_favorites: tuple[int, ...] = ()
    growth_videos: tuple[int, ...] = ()


SIZES = {
    "tiny": Size(
        "tiny", favorites=90, deep=40, creator_videos=30, owners=4, users=20, interactions_per_user=5, writers=4
    ),
    "quick": Size(
        "quick", favorites=10_100, deep=10_000, creator_videos=150, owners=50, users=1_000, interactions_per_user=20,
        writers=32,
    ),
    "full": Size(
        "full", favorites=20_000, deep=10_000, creator_videos=1_000, owners=200, users=5_000,
        interactions_per_user=40, writers=32,
    ),
    "scale": Size(
        "scale", favorites=50_000, deep=10_000, creator_videos=5_000, owners=1_000, users=25_000,
        interactions_per_user=48, writers=32, growth_favorites=(100, 1_000, 10_000), growth_videos=(100, 1_000),
    ),
    # W6's own small world, in a SQLite file of its own.
    "w6": Size("w6", favorites=10, deep=0, creator_videos=5, owners=2, users=5, interactions_per_user=3, writers=8),
}  # fmt: skip


@dataclass
class World:
    """Primary keys of what the workloads use."""

    viewer: int
    creator: int
    writers: list[int]
    hot_video: int
    writer_videos: list[int]  # the video each writer toggles: the hot one for the first half
    growth_viewers: dict[int, int] = field(default_factory=dict)  # favorites -> user id
    growth_creators: dict[int, int] = field(default_factory=dict)  # videos -> user id
    rows: int = 0


def marker(size: Size) -> str:
    return f"bench_meta_{size.name}_v{DATA_VERSION}"


class _Seeder:
    def __init__(self, size: Size, progress: Callable[[int], object] | None, seed: int = 8) -> None:
        self.size = size
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.progress = progress
        self.password = make_password(None)
        self.tally: defaultdict[int, Counter[str]] = defaultdict(Counter)
        self.rows = 0

    def insert(self, objs: Sequence[Model]) -> None:
        for start in range(0, len(objs), BATCH):
            batch = list(objs[start : start + BATCH])
            type(batch[0])._default_manager.bulk_create(batch, batch_size=BATCH)
            self.rows += len(batch)
            if self.progress is not None:
                self.progress(len(batch))

    def users(self, prefix: str, count: int, **fields: Any) -> list[User]:
        users = [
            User(
                username=f"{prefix}{index}" if count > 1 or prefix.endswith("_") else prefix,
                email=f"{prefix}{index}@bench.example.com",
                password=self.password,
                display_name=f"{prefix.strip('_').title()} {index}",
                **fields,
            )
            for index in range(count)
        ]
        self.insert(users)
        return users

    def videos(self, owners: Sequence[User], count: int, *, visibility: Callable[[], str] | None = None) -> list[Video]:
        videos = [
            Video(
                owner=owners[index % len(owners)],
                caption=f"Bench video {index}: one-pan lemon pasta in sixty seconds #recipes #bench",
                visibility=visibility() if visibility else Visibility.PUBLIC,
                duration_seconds=self.rng.randint(8, 90),
                created_at=self.now - timedelta(minutes=index, seconds=self.rng.random()),
            )
            for index in range(count)
        ]
        self.insert(videos)
        return videos

    def count(self, video_id: int, name: str, step: int = 1) -> None:
        self.tally[video_id][name] += step

    def saves(self, user: User, videos: Sequence[Video], *, start: datetime | None = None) -> None:
        start = start or self.now
        rows = []
        for index, video in enumerate(videos):
            rows.append(Favorite(user=user, video=video, created_at=start - timedelta(seconds=7 * index + 1)))
            self.count(video.pk, "save_count")
        self.insert(rows)


def _visibility(rng: random.Random) -> Callable[[], str]:
    def pick() -> str:
        roll = rng.random()
        return Visibility.PUBLIC if roll < 0.9 else Visibility.FRIENDS if roll < 0.96 else Visibility.PRIVATE

    return pick


def seed(size: Size, *, progress: Callable[[int], object] | None = None, flush: bool = True) -> World:
    """Delete everything in the (dedicated) bench database and seed ``size`` (``flush=False``:
    add to what is there, as the tests do in their own database)."""
    if flush:
        call_command("flush", interactive=False, verbosity=0)
    s = _Seeder(size, progress)
    rng = s.rng
    with transaction.atomic():
        viewer = s.users(VIEWER, 1)[0]
        creator = s.users(CREATOR, 1, account_type=AccountType.CREATOR)[0]
        s.users(marker(size), 1, is_active=False)
        owners = s.users("bench_owner_", size.owners, account_type=AccountType.CREATOR)
        for index, owner in enumerate(owners):
            if index % 9 == 4:
                owner.is_private = True
        User.objects.bulk_update([o for o in owners if o.is_private], ["is_private"])
        people = s.users("bench_user_", size.users)
        writers = s.users("bench_writer_", size.writers)

        # Videos: enough for the viewer's list and the population; a few are FRIENDS or PRIVATE.
        pool = s.videos(owners, max(size.favorites, 1) + size.users // 2 + 50, visibility=_visibility(rng))
        creator_videos = s.videos([creator], size.creator_videos)
        hot = s.videos([owners[0]], 1)[0]
        cold = s.videos([owners[1]], max(size.writers - size.writers // 2, 0))

        # Follows: the viewer follows a fifth of the owners; people follow a few owners.
        follows = [Follow(follower=viewer, followee=o, status=FollowStatus.ACCEPTED) for o in owners[::5]]
        follows += [Follow(follower=o, followee=viewer, status=FollowStatus.ACCEPTED) for o in owners[::10]]
        for person in people:
            for owner in rng.sample(owners, k=min(3, len(owners))):
                follows.append(Follow(follower=person, followee=owner, status=FollowStatus.ACCEPTED))
        s.insert(follows)

        # The viewer's favorites: newest first is the W1 page; the deep page of W7 lies further.
        visible_first = sorted(pool, key=lambda v: v.visibility != Visibility.PUBLIC)
        s.saves(viewer, rng.sample(visible_first[: max(size.favorites, len(pool) // 2)], k=size.favorites))

        # Growth viewers and creators (``--scale``): the same shapes at other sizes.
        world = World(
            viewer=viewer.pk,
            creator=creator.pk,
            writers=[w.pk for w in writers],
            hot_video=hot.pk,
            writer_videos=[hot.pk] * (size.writers // 2) + [v.pk for v in cold],
        )
        for count in size.growth_favorites:
            grower = s.users(f"bench_viewer_{count}", 1)[0]
            s.saves(grower, rng.sample(pool, k=min(count, len(pool))))
            world.growth_viewers[count] = grower.pk
        for count in size.growth_videos:
            grower = s.users(f"bench_creator_{count}", 1, account_type=AccountType.CREATOR)[0]
            s.videos([grower], count)
            world.growth_creators[count] = grower.pk

        # Background interactions: views, likes, saves, comments, shares and downloads.
        _population(s, people, pool + creator_videos)
        s.insert(
            [
                VideoCounters(video_id=video_id, **{name: tally[name] for name in COUNTER_FIELDS})
                for video_id, tally in s.tally.items()
            ]
        )
        missing = Video.objects.exclude(pk__in=VideoCounters.objects.values("video_id")).values_list("pk", flat=True)
        s.insert([VideoCounters(video_id=pk) for pk in missing])
        _refresh_follow_counts()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    world.rows = s.rows
    return world


def _population(s: _Seeder, people: Sequence[User], videos: Sequence[Video]) -> None:
    rng = s.rng
    kinds = ["view"] * 30 + ["like"] * 25 + ["save"] * 20 + ["comment"] * 10 + ["share"] * 10 + ["download"] * 5
    buffers: dict[type[Model], list[Model]] = defaultdict(list)

    def flush(force: bool = False) -> None:
        for model, rows in buffers.items():
            if rows and (force or len(rows) >= BATCH):
                s.insert(rows)
                buffers[model] = []

    for person in people:
        picks = rng.sample(videos, k=min(s.size.interactions_per_user, len(videos)))
        for video in picks:
            kind = rng.choice(kinds)
            at = s.now - timedelta(minutes=rng.randint(0, 60 * 24 * 60))
            if kind == "view":
                watched = rng.randint(0, video.duration_seconds)
                completed = watched >= video.duration_seconds
                buffers[View].append(
                    View(video=video, viewer=person, watched_seconds=watched, completed=completed,
                         traffic_source=TrafficSource.FOR_YOU, created_at=at)
                )  # fmt: skip
                s.count(video.pk, "view_count")
                s.count(video.pk, "total_watch_seconds", watched)
                s.count(video.pk, "completion_count", int(completed))
            elif kind == "like":
                buffers[Like].append(Like(user=person, video=video, created_at=at))
                s.count(video.pk, "like_count")
            elif kind == "save":
                buffers[Favorite].append(Favorite(user=person, video=video, created_at=at))
                s.count(video.pk, "save_count")
            elif kind == "comment":
                buffers[Comment].append(Comment(video=video, author=person, text="So good!", created_at=at))
                s.count(video.pk, "comment_count")
            elif kind == "share":
                buffers[Share].append(Share(user=person, video=video, channel="COPY_LINK", created_at=at))
                s.count(video.pk, "share_count")
            else:
                buffers[Download].append(Download(user=person, video=video, created_at=at))
                s.count(video.pk, "download_count")
        flush()
    flush(force=True)


def _refresh_follow_counts() -> None:
    from engagement import counters

    counters.counters_repair(user_ids=list(User.objects.values_list("pk", flat=True)))


def estimated_rows(size: Size) -> int:
    pool = size.favorites + size.users // 2 + 50
    videos = pool + size.creator_videos + size.writers + sum(size.growth_videos)
    users = 3 + size.owners + size.users + size.writers + len(size.growth_favorites) + len(size.growth_videos)
    interactions = size.favorites + size.users * size.interactions_per_user + sum(size.growth_favorites)
    return users + 2 * videos + interactions + size.users * 3 + size.owners // 5 + size.owners // 10


def load(size: Size) -> World | None:
    """The world a previous run seeded for ``size``, or None when it must be seeded."""
    if not User.objects.filter(username=marker(size)).exists():
        return None
    ids = dict(User.objects.filter(username__in=[VIEWER, CREATOR]).values_list("username", "pk"))
    writers = list(
        User.objects.filter(username__startswith="bench_writer_").order_by("pk").values_list("pk", flat=True)
    )
    owners = User.objects.filter(username__startswith="bench_owner_").order_by("pk").values_list("pk", flat=True)
    hot_owner, cold_owner = list(owners[:2])
    hot = Video.objects.filter(owner_id=hot_owner).order_by("-pk").values_list("pk", flat=True).first()
    cold = list(
        Video.objects.filter(owner_id=cold_owner)
        .order_by("-pk")
        .values_list("pk", flat=True)[: len(writers) - len(writers) // 2]
    )
    if None in (ids.get(VIEWER), ids.get(CREATOR), hot) or len(writers) != size.writers:
        return None
    world = World(
        viewer=ids[VIEWER],
        creator=ids[CREATOR],
        writers=writers,
        hot_video=int(hot),  # type: ignore[arg-type]
        writer_videos=[int(hot)] * (len(writers) // 2) + sorted(cold),  # type: ignore[arg-type]
    )
    for count in size.growth_favorites:
        world.growth_viewers[count] = User.objects.get(username=f"bench_viewer_{count}").pk
    for count in size.growth_videos:
        world.growth_creators[count] = User.objects.get(username=f"bench_creator_{count}").pk
    return world
