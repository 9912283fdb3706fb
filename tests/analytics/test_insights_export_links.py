"""An export's link (``InsightsExport.downloadUrl``) is decided again on every request: it opens
the file for the owner it was made out to, while the export is theirs, built, unexpired and of
what their account may still see, for 15 minutes; every other link answers the same 404."""

import base64
import json
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.test import Client

from accounts.models import AccountType, User
from engagement.analytics import export_links
from engagement.analytics.models import ExportState, InsightsExport
from kernel.errors import ErrorCode
from tests.analytics.conftest import token_for
from tests.analytics.exports import NODE, ask_for_export, seed
from tests.api.conftest import gid
from tests.factories import make_user

GONE = "This export link is invalid or has expired."


@pytest.fixture
def signing_clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[float], None]:
    """``move(seconds)``: links are checked as if that many seconds had passed (Django's signing
    alone sees the moved clock)."""
    now = time.time()

    def move(seconds: float) -> None:
        monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: now + seconds))

    return move


@pytest.fixture
def ready(gql: Any, django_capture_on_commit_callbacks: Any) -> tuple[InsightsExport, str]:
    """A creator's READY export and the link the API gave them (its path)."""
    seeded = seed(make_user(account_type=AccountType.CREATOR))
    ask_for_export(gql(seeded.owner), seeded.variables, django_capture_on_commit_callbacks)
    export = InsightsExport.objects.select_related("owner").get()
    assert export.state == ExportState.READY
    url = gql(seeded.owner)(NODE, {"id": gid(export)}).data["node"]["downloadUrl"]
    return export, urlsplit(url).path


def status(path: str, client: Client | None = None, **headers: str) -> int:
    return (client or Client()).get(path, headers=headers).status_code


def assert_gone(path: str, client: Client | None = None) -> None:
    answer = (client or Client()).get(path)
    assert answer.status_code == 404, path
    assert json.loads(answer.content)["errors"][0] == {
        "message": GONE,
        "extensions": {"code": ErrorCode.NOT_FOUND, "requestId": answer["X-Request-ID"]},
    }


def _token(path: str) -> str:
    return path.removeprefix("/insights-exports/").removesuffix("/")


def with_payload(path: str, payload: Any) -> str:
    """The link with its payload replaced and its time and signature kept, as a holder could."""
    _, stamp, signature = _token(path).rsplit(":", 2)
    data = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).rstrip(b"=").decode()
    return f"/insights-exports/{data}:{stamp}:{signature}/"


def link_for(export: InsightsExport, viewer: User) -> str:
    """A link signed with the real key, made out to ``viewer`` (what a bug in deciding who may
    have one would hand out)."""
    return f"/insights-exports/{signing.dumps([export.pk, viewer.pk], salt='engagement.analytics.export_links')}/"


def test_the_link_opens_the_file_for_its_holder_alone_to_decide(ready: tuple[InsightsExport, str]) -> None:
    """The link is the credential: the route reads no session, so the same link answers the same
    with the owner's session, another account's session, or none."""
    export, path = ready
    owner, other = Client(), Client()
    owner.force_login(export.owner)
    other.force_login(make_user(account_type=AccountType.CREATOR))

    assert [status(path), status(path, owner), status(path, other)] == [200, 200, 200]


def test_a_link_made_out_to_another_account_is_refused(ready: tuple[InsightsExport, str]) -> None:
    """Another signed-in account, even holding a genuinely signed link naming the export, is
    refused: the link is decided for the export's owner only."""
    export, _ = ready
    other = make_user(account_type=AccountType.CREATOR)
    session = Client()
    session.force_login(other)

    assert_gone(link_for(export, other))
    assert_gone(link_for(export, other), session)
    assert export_links.download_url(other, export) is None


def test_a_tampered_link_is_refused(ready: tuple[InsightsExport, str]) -> None:
    """The payload rewritten to name another export of the same owner, or another account, breaks
    the signature; unchanged, the rewriting itself is faithful."""
    export, path = ready
    other = InsightsExport.objects.create(
        owner=export.owner, first_day=export.first_day, last_day=export.last_day, expires_at=export.expires_at
    )
    assert status(with_payload(path, [export.pk, export.owner.pk])) == 200

    for payload in ([other.pk, export.owner.pk], [export.pk, make_user().pk], [export.pk], "x"):
        assert_gone(with_payload(path, payload))


@pytest.mark.parametrize("token", ["nonsense", "a:b:c", "W10:1xZel3:forged"])
def test_a_forged_link_is_refused(db: None, token: str) -> None:
    assert_gone(f"/insights-exports/{token}/")


def test_a_link_lasts_fifteen_minutes(ready: tuple[InsightsExport, str], signing_clock: Any) -> None:
    _, path = ready

    signing_clock(15 * 60 - 2)
    assert status(path) == 200
    signing_clock(15 * 60 + 2)
    assert_gone(path)


def test_a_link_ends_with_its_export(
    ready: tuple[InsightsExport, str], media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """Expired (before the clean-up), or deleted (its file with it, once the deletion commits)."""
    export, path = ready
    expires_at = export.expires_at
    InsightsExport.objects.filter(pk=export.pk).update(expires_at=export.created_at)
    assert_gone(path)
    InsightsExport.objects.filter(pk=export.pk).update(expires_at=expires_at)
    assert status(path) == 200 and (media_root / export.file_key).exists()

    with django_capture_on_commit_callbacks(execute=True):
        export.delete()

    assert_gone(path)
    assert not (media_root / export.file_key).exists()


def test_a_link_ends_when_its_file_is_gone(ready: tuple[InsightsExport, str], media_root: Path) -> None:
    export, path = ready
    (media_root / export.file_key).unlink()

    assert_gone(path)


def test_a_link_ends_with_its_owners_account(ready: tuple[InsightsExport, str]) -> None:
    export, path = ready
    User.objects.filter(pk=export.owner.pk).update(is_active=False)

    assert_gone(path)


@pytest.mark.parametrize(
    ("built_as", "now", "opens"),
    [
        (AccountType.CREATOR, AccountType.PERSONAL, False),
        (AccountType.BUSINESS, AccountType.CREATOR, False),
        (AccountType.BUSINESS, AccountType.PERSONAL, False),
        (AccountType.CREATOR, AccountType.BUSINESS, True),
        (AccountType.BUSINESS, AccountType.BUSINESS, True),
    ],
)
def test_a_link_narrows_with_the_account_type_at_once(
    gql: Any, django_capture_on_commit_callbacks: Any, built_as: str, now: str, opens: bool
) -> None:
    """Switching deletes nothing, and what insights show narrows at once: a file of daily series
    stops opening for a personal account, one with saves per day for an account that is no
    longer a business account; ``downloadUrl`` is null then too."""
    seeded = seed(make_user(account_type=built_as))
    client = gql(seeded.owner)
    ask_for_export(client, seeded.variables, django_capture_on_commit_callbacks)
    export = InsightsExport.objects.get()
    path = urlsplit(client(NODE, {"id": gid(export)}).data["node"]["downloadUrl"]).path

    User.objects.filter(pk=seeded.owner.pk).update(account_type=now)

    assert status(path) == (200 if opens else 404)
    assert (client(NODE, {"id": gid(export)}).data["node"]["downloadUrl"] is not None) == opens


def test_a_link_answers_get_and_head_only(ready: tuple[InsightsExport, str]) -> None:
    _, path = ready

    assert Client().head(path).status_code == 200
    refused = Client().post(path)
    assert refused.status_code == 405 and refused["Allow"] == "GET, HEAD"


def test_a_bearer_token_is_no_credential_here(ready: tuple[InsightsExport, str]) -> None:
    """Like every route off GraphQL: a bearer header is refused (401), link or not."""
    export, path = ready
    token = token_for(export.owner, "INSIGHTS_READ")

    assert status(path, Authorization=f"Bearer {token}") == 401
