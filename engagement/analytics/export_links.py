"""The link to an insights export's file (``InsightsExport.downloadUrl``), and what it grants
when used.

A link is signed (Django's signing, the secret key) and names the export and the viewer it was
made out to, with its time of issue; it works for ``LINK_SECONDS``. On every request it is decided
again (``policies.can_download_insights_export``): the viewer must still be the export's owner,
active, the export built and not expired, and the account still allowed what the file holds. A
forged, stale or refused link and a deleted export all answer alike."""

from dataclasses import dataclass

from django.core import signing
from django.urls import reverse

from accounts.models import User
from accounts.viewers import Viewer
from engagement import policies
from engagement.analytics.models import InsightsExport

_SALT = "engagement.analytics.export_links"
LINK_SECONDS = 15 * 60


@dataclass(frozen=True)
class ExportFile:
    """What a used link serves: the file's key and the name to save it under."""

    key: str
    filename: str


def download_url(viewer: Viewer, export: InsightsExport) -> str | None:
    """A link to the export's file for ``viewer``; None unless they may download it now."""
    if not policies.can_download_insights_export(viewer, export):
        return None
    token = signing.dumps([export.pk, viewer.pk], salt=_SALT)
    return reverse("insights-export-download", kwargs={"token": token})


def redeem(token: str) -> ExportFile | None:
    """The file a link grants now, or None."""
    try:
        export_id, viewer_id = signing.loads(token, salt=_SALT, max_age=LINK_SECONDS)
        export_id, viewer_id = int(export_id), int(viewer_id)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    viewer = User.objects.filter(pk=viewer_id, is_active=True).first()
    if viewer is None:
        return None
    exports = policies.own_insights_exports(viewer, InsightsExport.objects.filter(pk=export_id))
    export = exports.select_related("owner").first()
    if export is None or not policies.can_download_insights_export(viewer, export):
        return None
    return ExportFile(key=export.file_key, filename=f"insights-{export.first_day}-{export.last_day}.csv")
