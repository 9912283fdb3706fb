"""Building an export's file in the worker: what it holds for each account type (the policy as
the owner's at build time), formula cells escaped, a failure reported on the export, a job
delivered twice, and the file going with its row."""

import csv
import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountType, User
from engagement import services
from engagement.analytics import export_files, export_tasks, exports
from engagement.analytics.models import ExportState, InsightsExport
from engagement.media import storage
from kernel.errors import PermissionDenied
from kernel.ids import global_id
from tests.analytics.conftest import days_ago
from tests.analytics.exports import expected_csv, seed
from tests.factories import make_user, make_video, password_of

pytestmark = pytest.mark.django_db


def asked(owner: User, capture: Any) -> InsightsExport:
    """An export asked for by ``owner`` over the seeded range, built once the request commits."""
    seeded = seed(owner)
    with capture(execute=True):
        export = exports.export_request(actor=owner, first=seeded.first, last=seeded.last)
    export.refresh_from_db()
    return export


def pending(owner: User, first: date, last: date) -> InsightsExport:
    """An export as ``exportInsights`` leaves it, its job not run."""
    return InsightsExport.objects.create(
        owner=owner, first_day=first, last_day=last, expires_at=timezone.now() + timedelta(days=1)
    )


def content(export: InsightsExport) -> str:
    with storage.media_storage().open(export.file_key, "rb") as handle:
        return bytes(handle.read()).decode()


@pytest.mark.parametrize(
    ("account_type", "saves"), [(AccountType.CREATOR, False), (AccountType.BUSINESS, True)], ids=["creator", "business"]
)
def test_the_file_holds_the_exact_daily_totals(
    django_capture_on_commit_callbacks: Any, account_type: str, saves: bool
) -> None:
    owner = make_user(account_type=account_type)
    seeded = seed(owner)
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.export_request(actor=owner, first=seeded.first, last=seeded.last)
    export.refresh_from_db()

    assert export.state == ExportState.READY and export.error == ""
    assert export.with_saves is saves
    assert export.file_key.startswith("insights-exports/") and str(owner.pk) not in export.file_key.split("/")
    assert content(export) == expected_csv(seeded, saves=saves)


def test_a_personal_account_has_no_daily_series_to_export() -> None:
    owner = make_user(account_type=AccountType.PERSONAL)
    seeded = seed(owner)

    with pytest.raises(PermissionDenied):
        exports.export_request(actor=owner, first=seeded.first, last=seeded.last)
    with pytest.raises(PermissionDenied):
        export_files.render(owner, seeded.first, seeded.last)
    assert not InsightsExport.objects.exists()


def test_an_account_with_nothing_rolled_up_gets_the_header_alone() -> None:
    owner = make_user(account_type=AccountType.CREATOR)
    make_video(owner)

    rendered = export_files.render(owner, days_ago(3), days_ago(1))

    assert rendered.content.decode() == ",".join(export_files.COLUMNS) + "\r\n"
    assert not rendered.with_saves


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_a_spreadsheet_would_run_is_text(start: str) -> None:
    """OWASP's list of formula starts; the apostrophe makes spreadsheets show the text as it is."""
    title = f"{start}cmd|' /C calc'!A0"

    assert export_files.escape_cell(title) == f"'{title}"
    assert export_files.escape_cell(f"x{title}") == f"x{title}"
    assert export_files.escape_cell(-1) == -1  # numbers are no text


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_titles_are_escaped_in_the_file(start: str) -> None:
    owner = make_user(account_type=AccountType.CREATOR)
    seeded = seed(owner)
    seeded.formula.caption = f"{start}2+3"
    seeded.formula.save(update_fields=["caption"])

    rows = csv.DictReader(io.StringIO(export_files.render(owner, seeded.first, seeded.last).content.decode()))

    assert [row["video_title"] for row in rows if row["video_id"] == global_id("Video", seeded.formula.pk)] == [
        f"'{start}2+3"
    ]


# Failures -----------------------------------------------------------------------------------------


def test_an_account_that_lost_its_series_before_the_build_fails_with_the_reason(
    django_capture_on_commit_callbacks: Any, media_root: Path
) -> None:
    """The owner switched to a personal account between asking and the worker's run: the policy
    at build time refuses, and the export is FAILED with a sentence saying why; no file."""
    owner = make_user(account_type=AccountType.CREATOR)
    seeded = seed(owner)
    with django_capture_on_commit_callbacks() as queued:
        export = exports.export_request(actor=owner, first=seeded.first, last=seeded.last)
    User.objects.filter(pk=owner.pk).update(account_type=AccountType.PERSONAL)

    for job in queued:
        job()

    export.refresh_from_db()
    assert export.state == ExportState.FAILED and export.file_key == ""
    assert export.error == "Follower series and breakdowns are for creator and business accounts."
    assert not (media_root / "insights-exports").exists()


def test_a_file_that_cannot_be_stored_fails_the_export(monkeypatch: pytest.MonkeyPatch, media_root: Path) -> None:
    owner = make_user(account_type=AccountType.CREATOR)
    seeded = seed(owner)
    export = pending(owner, seeded.first, seeded.last)

    def full_disk(key: str, content: bytes) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage, "save_bytes", full_disk)
    export_tasks.build_insights_export(export.pk)

    export.refresh_from_db()
    assert (export.state, export.error) == (ExportState.FAILED, export_files.NOT_STORED)


def test_an_unexpected_error_fails_the_export_and_is_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug is not the owner's to read: a general sentence on the export, the error in the log."""
    owner = make_user(account_type=AccountType.CREATOR)
    export = pending(owner, days_ago(3), days_ago(1))

    def broken(*args: Any) -> Any:
        raise ZeroDivisionError

    monkeypatch.setattr(export_files, "render", broken)
    with pytest.raises(ZeroDivisionError):
        export_tasks.build_insights_export(export.pk)

    export.refresh_from_db()
    assert (export.state, export.error) == (ExportState.FAILED, export_files.FAILED_ON_OUR_SIDE)


def test_a_job_delivered_twice_builds_once(django_capture_on_commit_callbacks: Any, media_root: Path) -> None:
    export = asked(make_user(account_type=AccountType.CREATOR), django_capture_on_commit_callbacks)
    files = sorted((media_root / "insights-exports").iterdir())

    export_tasks.build_insights_export(export.pk)

    export.refresh_from_db()
    assert export.state == ExportState.READY
    assert sorted((media_root / "insights-exports").iterdir()) == files == [media_root / export.file_key]


def test_a_file_built_for_an_export_deleted_meanwhile_is_deleted(
    monkeypatch: pytest.MonkeyPatch, media_root: Path
) -> None:
    owner = make_user(account_type=AccountType.CREATOR)
    seeded = seed(owner)
    export = pending(owner, seeded.first, seeded.last)
    render = export_files.render

    def render_then_expire(*args: Any) -> Any:
        rendered = render(*args)
        InsightsExport.objects.filter(pk=export.pk).delete()  # the clean-up ran meanwhile
        return rendered

    monkeypatch.setattr(export_files, "render", render_then_expire)
    export_tasks.build_insights_export(export.pk)

    assert list((media_root / "insights-exports").iterdir()) == []


def test_an_erased_account_takes_its_exports_and_their_files(
    django_capture_on_commit_callbacks: Any, media_root: Path
) -> None:
    owner = make_user(account_type=AccountType.BUSINESS)
    export = asked(owner, django_capture_on_commit_callbacks)
    assert (media_root / export.file_key).exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.user_delete_account(actor=owner, password=password_of(owner.username))

    assert not InsightsExport.objects.exists()
    assert not (media_root / export.file_key).exists()


def test_no_admin_screen_tells_who_asked_for_an_export(django_capture_on_commit_callbacks: Any) -> None:
    """Staff without the personal-data permission cannot list accounts by their exports (an
    export has no screen of its own): Django's refusal of a lookup, naming no one."""
    owner = make_user("exporter", account_type=AccountType.CREATOR)
    asked(owner, django_capture_on_commit_callbacks)
    staff = Client()
    staff.force_login(make_user("mod", is_staff=True, is_superuser=True))

    response = staff.get(reverse("admin:accounts_user_changelist"), {"insights_exports__state": "READY"})

    assert response.status_code == 400
    assert "exporter" not in response.content.decode()
