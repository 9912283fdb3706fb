"""Insights exports (``exportInsights``): asking for one, reading the viewer's, and their end.

An export is a file of the account's exact daily totals over a range, built by the worker
(``export_files``) for its owner alone and kept ``INSIGHTS_EXPORT_TTL_SECONDS`` from when it was
asked for; then the scheduled clean-up deletes the row, and its file with it. Every read goes
through ``policies.own_insights_exports``: the viewer's own, never one that has expired.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.selectors import require_signed_in
from accounts.viewers import Viewer
from engagement import policies
from engagement.analytics import export_tasks
from engagement.analytics.models import ExportFormat, InsightsExport
from engagement.analytics.privacy import check_range
from engagement.analytics.selectors import AccountInsights
from kernel.errors import NotFound, PermissionDenied
from kernel.pagination import Page, keyset_page

NO_DAILY_SERIES = "An export holds daily series: it is for creator and business accounts."
NO_SUCH_EXPORT = "No such export."


@transaction.atomic
def export_request(*, actor: Viewer, first: date, last: date, format: str = ExportFormat.CSV) -> InsightsExport:
    """A new export of the actor's account, PENDING, built by the worker once this commits.
    Refused, with nothing kept, for an account without daily series or a range the insights
    refuse (``check_range``)."""
    me = require_signed_in(actor)
    if not policies.can_export_insights(me, me):
        raise PermissionDenied(NO_DAILY_SERIES)
    check_range(first, last)
    now = timezone.now()
    export = InsightsExport.objects.create(
        owner=me,
        first_day=first,
        last_day=last,
        format=format,
        created_at=now,
        expires_at=now + timedelta(seconds=settings.INSIGHTS_EXPORT_TTL_SECONDS),
    )
    export_tasks.enqueue_build(export.pk)
    return export


def exports_page(
    *, viewer: Viewer, insights: AccountInsights, first: int | None, after: str | None
) -> Page[InsightsExport]:
    """The account's exports that have not expired, newest first."""
    exports = InsightsExport.objects.filter(owner_id=insights.owner_id).select_related("owner")
    return keyset_page(policies.own_insights_exports(viewer, exports), first=first, after=after)


def export_get(*, viewer: Viewer, export_id: int) -> InsightsExport:
    """One of the viewer's exports; someone else's, an expired one and a missing one alike are
    ``NotFound``."""
    exports = InsightsExport.objects.filter(pk=export_id).select_related("owner")
    export = policies.own_insights_exports(viewer, exports).first()
    if export is None:
        raise NotFound(NO_SUCH_EXPORT)
    return export


@transaction.atomic
def delete_expired(*, now: datetime) -> int:
    """Delete the exports past their end; their files go once this commits
    (``export_files.delete_file``). Returns how many were deleted."""
    deleted, _ = InsightsExport.objects.filter(expires_at__lte=now).delete()
    return deleted
