"""The counter design (``engagement.counters``): a step that finds a video's totals row locked
spills into a slot row, in the same transaction; every read adds the slots, the reconciliation
counts them, and folding moves them back without changing any total.

The spill needs row locks that another transaction really holds, so these tests run on
PostgreSQL with committed transactions; the read path is also checked on SQLite, where nothing
ever spills.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from pytest_django import Settings

from accounts.models import User
from engagement import counters, selectors, services
from engagement.models import COUNTER_FIELDS, Favorite, Video, VideoCounters, VideoCounterSlot
from tests.factories import make_user, make_video

TIMEOUT_SECONDS = 30


@contextmanager
def totals_row_held(video: Video) -> Iterator[None]:
    """Another transaction holds the video's totals row (as a concurrent saver would) until the
    block ends."""
    locked, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold() -> None:
        try:
            with transaction.atomic():
                VideoCounters.objects.select_for_update().get(pk=video.pk)
                locked.set()
                release.wait(TIMEOUT_SECONDS)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
            locked.set()
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert locked.wait(TIMEOUT_SECONDS), "the holder never locked the row"
    try:
        yield
    finally:
        release.set()
        holder.join(TIMEOUT_SECONDS)
    assert not errors, errors


def base(video: Video) -> int:
    return VideoCounters.objects.get(pk=video.pk).save_count


def shown(viewer: User, video: Video) -> int:
    """The save total as the creator's insights show it."""
    fresh = selectors.video_get(viewer=viewer, video_id=video.pk)
    return selectors.video_insights(viewer=viewer, video=fresh).save_count


@pytest.mark.parametrize("spill", [True, False])
@pytest.mark.django_db
def test_without_contention_every_step_lands_in_the_totals_row(settings: Settings, spill: bool) -> None:
    """Given no other writer, when users save and unsave, then the totals row moves and no slot
    row is ever written (on SQLite and on PostgreSQL, spill on or off)."""
    settings.VIDEO_COUNTER_SPILL = spill
    creator = make_user()
    video = make_video(creator)
    savers = [make_user() for _ in range(3)]
    for saver in savers:
        services.favorite_add(actor=saver, video_id=video.pk)
    services.favorite_remove(actor=savers[0], video_id=video.pk)

    assert base(video) == 2
    assert not VideoCounterSlot.objects.exists()
    assert shown(creator, video) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_step_on_a_locked_row_spills_and_reads_still_see_it() -> None:
    """Given another transaction holding the video's totals row, when a user saves the video,
    then the save does not wait: its +1 lands in a slot row, and the total shown, the video's
    counts and the reconciliation all include it."""
    creator, saver = make_user(), make_user()
    video = make_video(creator)

    with totals_row_held(video):
        services.favorite_add(actor=saver, video_id=video.pk)

    assert base(video) == 0
    assert list(VideoCounterSlot.objects.filter(video=video).values_list("save_count", flat=True)) == [1]
    assert shown(creator, video) == 1
    assert counters.video_counter_drift(video_ids=[video.pk]) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_decrement_never_takes_the_row_below_zero() -> None:
    """Given a save that spilled (row 0, slot +1), when it is undone with the row free, then the
    -1 spills too instead of breaking ``CHECK (save_count >= 0)``, and the total is 0."""
    creator, saver = make_user(), make_user()
    video = make_video(creator)
    with totals_row_held(video):
        favorite = services.favorite_add(actor=saver, video_id=video.pk)

    assert services.favorite_remove(actor=saver, video_id=video.pk) == favorite.pk

    assert base(video) == 0
    assert shown(creator, video) == 0
    assert counters.video_counter_drift(video_ids=[video.pk]) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_folding_moves_slots_into_the_row_and_changes_no_total() -> None:
    """Given spilled saves, when the slots are folded, then no slot row is left, the row holds
    the total and what reads show is unchanged."""
    creator = make_user()
    video = make_video(creator)
    savers = [make_user() for _ in range(3)]
    with totals_row_held(video):
        for saver in savers:
            services.favorite_add(actor=saver, video_id=video.pk)
    assert shown(creator, video) == 3

    assert counters.counters_fold() >= 1

    assert not VideoCounterSlot.objects.exists()
    assert base(video) == 3
    assert shown(creator, video) == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_repair_counts_the_slots() -> None:
    """Given a spilled save and a favorite deleted behind the services' back, when the counters
    are repaired, then the total equals the rows again (slots folded, nothing counted twice)."""
    creator, first, second = make_user(), make_user(), make_user()
    video = make_video(creator)
    services.favorite_add(actor=first, video_id=video.pk)
    with totals_row_held(video):
        services.favorite_add(actor=second, video_id=video.pk)
    Favorite.objects.filter(user=first).delete()  # drift: the total still says 2

    drift = counters.video_counter_drift(video_ids=[video.pk])
    assert [(d.field, d.counter, d.actual) for d in drift] == [("save_count", 2, 1)]
    counters.counters_repair(video_ids=[video.pk])

    assert counters.video_counter_drift(video_ids=[video.pk]) == []
    assert shown(creator, video) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_with_spill_off_a_step_waits_for_the_row(settings: Settings) -> None:
    """Given ``VIDEO_COUNTER_SPILL = False`` (the single hot row), a save waits for the holder
    and lands in the row."""
    settings.VIDEO_COUNTER_SPILL = False
    creator, saver = make_user(), make_user()
    video = make_video(creator)
    done = threading.Event()

    def save() -> None:
        try:
            services.favorite_add(actor=saver, video_id=video.pk)
        finally:
            done.set()
            connection.close()

    with totals_row_held(video):
        writer = threading.Thread(target=save)
        writer.start()
        assert not done.wait(0.5), "the save did not wait for the locked row"
    writer.join(TIMEOUT_SECONDS)

    assert base(video) == 1
    assert not VideoCounterSlot.objects.exists()


@pytest.mark.django_db
def test_every_read_adds_the_slots_to_the_row() -> None:
    """Given a totals row and two slot rows (written directly, so this runs on SQLite too), when
    the video is read alone, on its owner's page and on a saver's favorites page, then every
    read shows row + slots for every counter, and a page costs no query per video."""
    creator, saver = make_user(), make_user()
    video = make_video(creator)
    services.favorite_add(actor=saver, video_id=video.pk)
    steps = {name: index + 1 for index, name in enumerate(COUNTER_FIELDS)}
    VideoCounters.objects.filter(pk=video.pk).update(**{name: 10 * step for name, step in steps.items()})
    for slot in (0, 5):
        VideoCounterSlot.objects.create(video=video, slot=slot, **steps)
    expected = {name: 12 * step for name, step in steps.items()}

    alone = Video.objects.get(pk=video.pk)  # no annotation: one query
    with CaptureQueriesContext(connection) as queries:
        assert counters.totals(alone) == expected
    assert len(queries) == 1
    (owned,) = selectors.user_videos_page(viewer=creator, owner=creator, first=5, after=None).items
    (saved,) = selectors.favorites_page(viewer=saver, first=5, after=None).items
    with CaptureQueriesContext(connection) as queries:
        assert counters.totals(owned) == expected
        assert counters.totals(saved.video) == expected
    assert len(queries) == 0


@pytest.mark.django_db
def test_a_video_without_its_counters_row_is_an_error_not_zeros() -> None:
    """Every video has a totals row (``reconcile_counters`` adds a missing one): a read of a
    video without it raises rather than showing made-up zeros."""
    video = make_video(make_user())
    VideoCounters.objects.filter(pk=video.pk).delete()
    (page_video,) = selectors.user_videos_page(viewer=video.owner, owner=video.owner, first=5, after=None).items

    for read in (Video.objects.get(pk=video.pk), page_video):
        with pytest.raises(VideoCounters.DoesNotExist):
            counters.totals(read)
