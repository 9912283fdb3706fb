"""An insights export's file, built in the worker: the owner's exact daily totals, read through
the insights selectors as the owner, so that their policies decide, at build time, what the file
may hold (daily series for creator and business accounts, saves per day for business accounts
alone), written as CSV to the media storage under a key nobody can guess.

The file holds totals only, the ones ``daily`` and ``followerGrowth`` show: no breakdown, and
nothing about any person. Its rows: one per day for the account (``ACCOUNT``) and one per day for
each video with activity that day (``VIDEO``), by day, the account first, then videos oldest first.
A cell that does not apply to its row is empty, as ``saves`` is below a business account. A text
cell a spreadsheet would read as a formula gets a leading apostrophe (OWASP, CSV injection).
"""

import csv
import io
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from accounts.models import User
from engagement.analytics import selectors as analytics
from engagement.analytics.models import ExportState, InsightsExport
from engagement.media import storage
from kernel.errors import DomainError
from kernel.ids import global_id

logger = logging.getLogger(__name__)

COLUMNS = (
    "date",
    "scope",
    "video_id",
    "video_title",
    "views",
    "likes",
    "comments",
    "shares",
    "saves",
    "downloads",
    "watch_seconds",
    "completions",
    "new_followers",
    "followers",
    "profile_views",
)
# What spreadsheets start a formula (or a command, through DDE) with.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ERROR_MAX_LENGTH = InsightsExport._meta.get_field("error").max_length or 300
FAILED_ON_OUR_SIDE = "The export could not be built because of an error on our side; ask for a new one."
NOT_STORED = "The file could not be stored; ask for a new export."


@dataclass(frozen=True)
class Rendered:
    content: bytes
    with_saves: bool  # whether any row shows saves per day


def escape_cell(value: Any) -> Any:
    """A text cell as a spreadsheet must read it: as text, never as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return f"'{value}"
    return value


def _account_row(day: analytics.AccountDay) -> dict[str, Any]:
    return {
        "date": day.date.isoformat(),
        "scope": "ACCOUNT",
        "new_followers": day.new_followers,
        "followers": day.followers,
        "profile_views": day.profile_views,
    }


def _video_row(activity: analytics.VideoActivity) -> dict[str, Any]:
    day = activity.day
    return {
        "date": day.date.isoformat(),
        "scope": "VIDEO",
        "video_id": global_id("Video", activity.video.pk),
        "video_title": activity.video.caption,
        "views": day.views,
        "likes": day.likes,
        "comments": day.comments,
        "shares": day.shares,
        "saves": "" if day.saves is None else day.saves,
        "downloads": day.downloads,
        "watch_seconds": day.watch_seconds,
        "completions": day.completions,
        "new_followers": day.new_followers,
    }


def render(owner: User, first: date, last: date) -> Rendered:
    """The CSV of ``owner``'s days ``first … last``, as the owner may see them now; a selector's
    refusal (``DomainError``: no daily series for this account any more) goes to the caller."""
    insights = analytics.account_insights(viewer=owner)
    account = analytics.account_daily_totals(viewer=owner, insights=insights, first=first, last=last)
    videos = analytics.account_video_days(viewer=owner, insights=insights, first=first, last=last)
    ordered: list[tuple[date, int, int, Mapping[str, Any]]] = [
        *((day.date, 0, 0, _account_row(day)) for day in account),
        *((entry.day.date, 1, entry.video.pk, _video_row(entry)) for entry in videos),
    ]
    ordered.sort(key=lambda entry: entry[:3])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, restval="")
    writer.writeheader()
    writer.writerows({name: escape_cell(value) for name, value in row.items()} for *_, row in ordered)
    with_saves = any(entry.day.saves is not None for entry in videos)
    return Rendered(content=out.getvalue().encode("utf-8"), with_saves=with_saves)


def build(export_id: int) -> None:
    """Build a PENDING export's file and make it READY; FAILED with the reason when the owner's
    policy refuses it now or the file cannot be stored. A job delivered twice builds once: the
    second finds the export no longer PENDING, and a file stored for an export deleted or built
    meanwhile is deleted again."""
    export = InsightsExport.objects.select_related("owner").filter(pk=export_id, state=ExportState.PENDING).first()
    if export is None:
        return
    try:
        rendered = render(export.owner, export.first_day, export.last_day)
    except DomainError as refusal:
        fail(export_id, refusal.message)
        return
    key = f"insights-exports/{secrets.token_urlsafe(24)}.csv"
    try:
        stored = storage.save_bytes(key, rendered.content)
    except OSError as error:
        logger.warning("storing insights export %s failed: %s", export_id, error)
        fail(export_id, NOT_STORED)
        return
    built = InsightsExport.objects.filter(pk=export_id, state=ExportState.PENDING).update(
        state=ExportState.READY, file_key=stored, with_saves=rendered.with_saves
    )
    if not built:
        storage.delete(stored)


def fail(export_id: int, reason: str) -> None:
    """Report a PENDING export FAILED with ``reason`` (a sentence for its owner)."""
    InsightsExport.objects.filter(pk=export_id, state=ExportState.PENDING).update(
        state=ExportState.FAILED, error=reason[:ERROR_MAX_LENGTH]
    )


def delete_file(sender: type[InsightsExport], instance: InsightsExport, **kwargs: Any) -> None:
    """An export's file goes with its row, however the row is deleted (expiry, an erased account,
    the admin), once the deletion commits."""
    if instance.file_key:
        key = instance.file_key
        transaction.on_commit(lambda: storage.delete(key))
