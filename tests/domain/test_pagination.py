"""Keyset pagination (docs/ARCHITECTURE.md, "API conventions"): ``first`` in 1..100, cursors the API
produced and nothing else, and a walk through the pages that yields every row once, newest first, ties broken by id."""

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import F, QuerySet

from accounts.models import User
from engagement.models import FavoriteCollection, Video, VideoRank
from kernel.errors import InvalidInput
from kernel.pagination import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    decode_cursor,
    encode_cursor,
    keyset_page,
    ranked_page,
)
from tests.factories import make_user, make_video

pytestmark = pytest.mark.django_db

BASE_TIME = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def cursor_of(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()


def make_rows(owner: User, offsets: list[int]) -> list[FavoriteCollection]:
    """One collection per offset (seconds after BASE_TIME); equal offsets make ties in created_at."""
    return [
        FavoriteCollection.objects.create(owner=owner, name=f"c{index}", created_at=BASE_TIME + timedelta(seconds=s))
        for index, s in enumerate(offsets)
    ]


@pytest.mark.parametrize("first", [0, -1, MAX_PAGE_SIZE + 1, 10_000])
def test_first_outside_1_to_100_is_invalid(first: int) -> None:
    make_rows(make_user(), [0, 1])
    with pytest.raises(InvalidInput) as caught:
        keyset_page(FavoriteCollection.objects.all(), first=first, after=None)
    assert caught.value.field == "first"


def test_first_bounds_and_default_are_accepted() -> None:
    make_rows(make_user(), list(range(MAX_PAGE_SIZE + 5)))
    qs = FavoriteCollection.objects.all()

    assert len(keyset_page(qs, first=1, after=None).items) == 1
    assert len(keyset_page(qs, first=MAX_PAGE_SIZE, after=None).items) == MAX_PAGE_SIZE
    assert len(keyset_page(qs, first=None, after=None).items) == DEFAULT_PAGE_SIZE


GARBAGE_CURSORS = {
    "not-base64": "not a cursor!",
    "bad-padding": "abc",
    "not-json": base64.urlsafe_b64encode(b"hello").decode(),
    "not-utf8": base64.urlsafe_b64encode(b"\xff\xfe\xfd\xfc").decode(),
    "json-number": cursor_of(42),
    "json-empty-list": cursor_of([]),
    "one-element": cursor_of([BASE_TIME.isoformat()]),
    "three-elements": cursor_of([BASE_TIME.isoformat(), 1, 2]),
    "bad-date": cursor_of(["yesterday", 3]),
    "null-date": cursor_of([None, 3]),
    "non-numeric-id": cursor_of([BASE_TIME.isoformat(), "abc"]),
    "null-id": cursor_of([BASE_TIME.isoformat(), None]),
    "object": cursor_of({"created_at": BASE_TIME.isoformat(), "pk": 1}),
    "naive-date": cursor_of(["2024-05-01T12:00:00", 1]),
    "date-out-of-range-in-utc": cursor_of(["0001-01-01T00:00:00+05:00", 1]),
}


@pytest.mark.parametrize("cursor", list(GARBAGE_CURSORS.values()), ids=list(GARBAGE_CURSORS))
def test_garbage_cursor_is_invalid_input(cursor: str) -> None:
    """Any cursor this API did not produce is a BAD_USER_INPUT, never an internal error."""
    make_rows(make_user(), [0, 1, 2])

    with pytest.raises(InvalidInput) as caught:
        keyset_page(FavoriteCollection.objects.all(), first=2, after=cursor)

    assert caught.value.field == "after"


def test_cursor_round_trip() -> None:
    (row,) = make_rows(make_user(), [7])
    assert decode_cursor(encode_cursor(row)) == (row.created_at, row.pk)


def expected_order(rows: list[FavoriteCollection]) -> list[int]:
    return [row.pk for row in sorted(rows, key=lambda row: (row.created_at, row.pk), reverse=True)]


def walk(first: int) -> tuple[list[int], int]:
    """Follow ``after`` from the first page to the last; return the ids seen and the page count."""
    seen: list[int] = []
    after: str | None = None
    pages = 0
    while True:
        page = keyset_page(FavoriteCollection.objects.all(), first=first, after=after)
        pages += 1
        assert page.has_previous_page is (after is not None)
        assert len(page.items) <= first
        seen.extend(row.pk for row in page.items)
        if not page.has_next_page:
            return seen, pages
        assert len(page.items) == first
        after = page.end_cursor
        assert pages < 1000, "pagination does not terminate"


@pytest.mark.parametrize("first", [1, 2, 3, 5, 8, 100])
def test_walking_pages_returns_every_row_once_in_order_with_ties_broken_by_id(first: int) -> None:
    """Given rows that share created_at in runs of several (inserted out of time order), when
    the pages are walked with ``after``, then every row appears exactly once, newest first, and
    within a tie the higher id first."""
    offsets = [5, 0, 5, 5, 3, 0, 0, 9, 3, 5, 1, 9, 9, 0, 7, 5, 5, 2, 0, 3]
    rows = make_rows(make_user(), offsets)

    seen, pages = walk(first)

    assert seen == expected_order(rows)
    assert len(seen) == len(set(seen)) == len(rows)
    assert pages == -(-len(rows) // first)


def test_walk_where_every_row_has_the_same_created_at() -> None:
    """The worst tie: only the id orders the rows, so a page boundary inside the tie must not
    skip or repeat anything."""
    rows = make_rows(make_user(), [0] * 11)

    seen, _ = walk(3)

    assert seen == sorted((row.pk for row in rows), reverse=True)


def test_cursor_from_a_deleted_row_still_continues() -> None:
    """Keyset pagination does not need the cursor's row to exist any more."""
    rows = make_rows(make_user(), [0, 1, 2, 3, 4])
    first_page = keyset_page(FavoriteCollection.objects.all(), first=2, after=None)
    FavoriteCollection.objects.filter(pk=first_page.items[-1].pk).delete()

    rest = keyset_page(FavoriteCollection.objects.all(), first=10, after=first_page.end_cursor)

    assert [row.pk for row in rest.items] == [rows[2].pk, rows[1].pk, rows[0].pk]
    assert not rest.has_next_page


def test_empty_list() -> None:
    page = keyset_page(FavoriteCollection.objects.all(), first=5, after=None)
    assert (page.items, page.has_next_page, page.start_cursor, page.end_cursor) == ([], False, None, None)


# Ranked pages: highest score first, ties by id, the cursor holding both -----------------------


def _scored_videos(scores: list[float]) -> QuerySet[Video]:
    owner = make_user("ranked")
    for index, score in enumerate(scores):
        VideoRank.objects.create(video=make_video(owner, caption=f"v{index}"), score=score)
    return Video.objects.annotate(score=F("rank__score"))


@pytest.mark.parametrize("first", [1, 2, 3, 7])
def test_a_walk_through_ranked_pages_yields_every_row_once_best_first(first: int) -> None:
    qs = _scored_videos([0.5, 2.0, 0.5, 1.0, 0.5, 3.0])
    walked, after = [], None
    while True:
        page = ranked_page(qs, score="score", first=first, after=after)
        walked += [video.pk for video in page.items]
        if not page.has_next_page:
            break
        after = page.end_cursor
    best_first = VideoRank.objects.order_by("-score", "-video_id").values_list("video_id", flat=True)
    assert walked == list(best_first)
    assert len(walked) == 6


@pytest.mark.parametrize(
    "payload",
    [
        ["2024-05-01T12:00:00+00:00", 1],  # a time-ordered cursor is not a ranked one
        ["ranked", "1.0", 1],
        ["ranked", True, 1],
        ["ranked", 1.0, "1"],
        ["ranked", 1.0],
        ["ranked", 10**400, 1],  # no float holds it
        {"ranked": 1},
    ],
)
def test_a_ranked_page_takes_only_ranked_cursors_it_produced(payload: object) -> None:
    with pytest.raises(InvalidInput) as raised:
        ranked_page(_scored_videos([1.0]), score="score", first=2, after=cursor_of(payload))
    assert raised.value.field == "after"
