"""Keyset pagination shared by every list: the cursor encodes the sort key and the id, so a
page deep in a list costs what the first page costs (docs/ARCHITECTURE.md, "API conventions")."""

import base64
import binascii
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar, overload

from django.db.models import Model, Q, QuerySet

from kernel.errors import InvalidInput

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

T = TypeVar("T", bound=Model)


class Cursors(Sequence[str]):
    """A page's cursors, each encoded when first read: most clients ask for
    ``pageInfo.endCursor`` alone, and a page of 100 should not encode 100."""

    def __init__(self, rows: Sequence[Any], encode: Callable[[Any], str] | None = None) -> None:
        self._rows = rows
        self._encode = encode or encode_cursor
        self._encoded: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        index = range(len(self._rows))[index]  # normalizes negatives, raises IndexError
        cursor = self._encoded.get(index)
        if cursor is None:
            cursor = self._encoded[index] = self._encode(self._rows[index])
        return cursor


class Edge:
    """An item of a page with its cursor, encoded only if a client asks for it."""

    __slots__ = ("_cursors", "_index", "node")

    def __init__(self, node: Any, cursors: Sequence[str], index: int) -> None:
        self.node, self._cursors, self._index = node, cursors, index

    @property
    def cursor(self) -> str:
        return self._cursors[self._index]


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of rows, newest first, with a cursor per row."""

    items: list[T]
    cursors: Sequence[str]
    has_next_page: bool
    has_previous_page: bool

    @property
    def start_cursor(self) -> str | None:
        return self.cursors[0] if self.cursors else None

    @property
    def end_cursor(self) -> str | None:
        return self.cursors[-1] if self.cursors else None

    def edges(self) -> list[Edge]:
        """The items with their (lazy) cursors, for a connection's ``edges``."""
        cursors = self.cursors
        return [Edge(item, cursors, index) for index, item in enumerate(self.items)]


def encode_cursor(row: Any) -> str:
    raw = json.dumps([row.created_at.isoformat(), row.pk], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        created_at, pk = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        moment = datetime.fromisoformat(created_at)
        if moment.tzinfo is None:
            raise ValueError("cursor time without a UTC offset")
        # Normalize here so an out-of-range time fails as bad input, not later inside the query.
        return moment.astimezone(UTC), int(pk)
    except (ValueError, TypeError, OverflowError, binascii.Error, UnicodeError) as error:
        raise _bad_cursor() from error


def check_page_size(first: int | None) -> int:
    size = DEFAULT_PAGE_SIZE if first is None else first
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise InvalidInput(f"`first` must be between 1 and {MAX_PAGE_SIZE}.", field="first")
    return size


def keyset_page(qs: QuerySet[T], *, first: int | None, after: str | None) -> Page[T]:
    """Newest first by ``(created_at, id)``; reads one row more than asked to know if more follow."""
    size = check_page_size(first)
    if after:
        created_at, pk = decode_cursor(after)
        # The redundant ``created_at <= t`` is the range an index on ``(…, created_at, id)`` can seek
        # to; the OR alone would make the database walk every newer row first.
        older = Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk)
        qs = qs.filter(Q(created_at__lte=created_at), older)
    rows = list(qs.order_by("-created_at", "-pk")[: size + 1])
    items = rows[:size]
    return Page(
        items=items,
        cursors=Cursors(items),
        has_next_page=len(rows) > size,
        has_previous_page=bool(after),
    )


def _encode(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode()


def _bad_cursor() -> InvalidInput:
    return InvalidInput("The cursor given in `after` is not one this API produced.", field="after")


def ranked_page(qs: QuerySet[T], *, score: str, first: int | None, after: str | None) -> Page[T]:
    """Highest ``score`` first (an annotation or column the caller keeps stable between pages),
    ties broken by id descending; the cursor holds the score and the id, so a deep page costs
    what the first one does, as with ``keyset_page``."""
    size = check_page_size(first)
    if after:
        value, pk = decode_ranked_cursor(after)
        qs = qs.filter(Q(**{f"{score}__lt": value}) | Q(**{score: value, "pk__lt": pk}))
    rows = list(qs.order_by(f"-{score}", "-pk")[: size + 1])
    items = rows[:size]
    return Page(
        items=items,
        cursors=Cursors(items, lambda row: encode_ranked_cursor(getattr(row, score), row.pk)),
        has_next_page=len(rows) > size,
        has_previous_page=bool(after),
    )


def encode_ranked_cursor(value: float, pk: int) -> str:
    """The cursor after a row of a ranked page: its score and its id."""
    return _encode(["ranked", float(value), pk])


def decode_ranked_cursor(cursor: str) -> tuple[float, int]:
    try:
        kind, value, pk = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if kind != "ranked" or isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("not a ranked cursor")
        if not math.isfinite(value) or isinstance(pk, bool) or not isinstance(pk, int):
            raise ValueError("not a ranked cursor")
        return float(value), pk
    except (ValueError, TypeError, OverflowError, binascii.Error, UnicodeError) as error:
        raise _bad_cursor() from error


def page_map(page: Page[Any], node_of: Any) -> Page[Any]:
    """The same page with each row replaced by the node it stands for (a follow by its user)."""
    return Page(
        items=[node_of(row) for row in page.items],
        cursors=page.cursors,
        has_next_page=page.has_next_page,
        has_previous_page=page.has_previous_page,
    )
