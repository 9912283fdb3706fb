"""Insights exports through the API, on both engines: asking for one, polling it, fetching its
file; what each account type's file holds; who may do what (sessions, token scopes, other
people); bad ranges and the throttle."""

import csv
import io
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from pytest_django import Settings

from accounts.models import AccountType
from engagement.analytics.models import ExportState, InsightsExport
from kernel import ratelimit
from tests.analytics.conftest import days_ago, token_for
from tests.analytics.exports import EXPORT, EXPORTS, NODE, ask_for_export, expected_csv, rolled_up, seed
from tests.api.cases import assert_data, assert_denied, assert_single_error
from tests.api.conftest import World, gid
from tests.api.test_readme_tools import FENCE, README
from tests.factories import make_user

pytestmark = pytest.mark.both_engines
OTHER_SCOPES = ("PROFILE_READ", "FAVORITES_READ", "FAVORITES_WRITE", "INTERACTIONS_WRITE")


def fetch(url: str, **headers: str) -> Any:
    """GET a link as a browser would follow it, with no cookie (the link is the credential)."""
    return Client().get(urlsplit(url).path, headers=headers)


# Asking, polling, fetching -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("account_type", "saves"), [(AccountType.CREATOR, False), (AccountType.BUSINESS, True)], ids=["creator", "business"]
)
def test_an_export_is_asked_for_polled_and_fetched(
    gql: Any, django_capture_on_commit_callbacks: Any, account_type: str, saves: bool
) -> None:
    """Given an account's seeded rollups, when it asks for an export, then the payload shows it
    PENDING without a link; once the worker has run, ``Me.insights.exports`` and ``node(id:)``
    show it READY with a link, and the link serves exactly the expected CSV as an attachment that
    no cache keeps: saves per day for a business account, empty cells for a creator account."""
    seeded = seed(make_user(account_type=account_type))
    client = gql(seeded.owner)

    asked = ask_for_export(client, seeded.variables, django_capture_on_commit_callbacks)

    pending = assert_data(asked, ("exportInsights", "export"))
    assert pending == {
        "id": pending["id"],
        "from": seeded.variables["from"],
        "to": seeded.variables["to"],
        "format": "CSV",
        "state": "PENDING",
        "downloadUrl": None,
        "error": None,
    }
    (listed,) = assert_data(client(EXPORTS), ("me", "insights", "exports", "edges"))
    export = listed["node"]
    assert (export["id"], export["state"], export["error"]) == (pending["id"], "READY", None)
    by_id = assert_data(client(NODE, {"id": export["id"]}), ("node",))
    assert by_id["state"] == "READY" and by_id["downloadUrl"].startswith("http://testserver/insights-exports/")

    answer = fetch(export["downloadUrl"])

    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    assert answer["Content-Disposition"] == f'attachment; filename="insights-{seeded.first}-{seeded.last}.csv"'
    assert answer["Cache-Control"] == "private, no-store"
    assert b"".join(answer.streaming_content).decode() == expected_csv(seeded, saves=saves)


def test_a_personal_account_gets_no_export(gql: Any, django_capture_on_commit_callbacks: Any) -> None:
    """Given a personal account (totals only: no daily series), when it asks for an export, then
    it is FORBIDDEN and nothing is kept or queued."""
    seeded = seed(make_user(account_type=AccountType.PERSONAL))

    response = ask_for_export(gql(seeded.owner), seeded.variables, django_capture_on_commit_callbacks)

    assert_denied(response, ("exportInsights",), "FORBIDDEN")
    assert not InsightsExport.objects.exists()


def test_the_file_holds_rows_a_csv_reader_reads_back(gql: Any, django_capture_on_commit_callbacks: Any) -> None:
    """The title a spreadsheet would run comes back as text, its quotes and comma intact."""
    seeded = seed(make_user(account_type=AccountType.CREATOR))
    ask_for_export(gql(seeded.owner), seeded.variables, django_capture_on_commit_callbacks)
    url = gql(seeded.owner)(EXPORTS).data["me"]["insights"]["exports"]["edges"][0]["node"]["downloadUrl"]

    rows = list(csv.DictReader(io.StringIO(b"".join(fetch(url).streaming_content).decode())))

    titles = [row["video_title"] for row in rows if row["scope"] == "VIDEO"]
    assert titles == ["Morning run, 5 km", '\'=HYPERLINK("https://evil.example","open")', "Morning run, 5 km"]
    assert {row["saves"] for row in rows} == {""}


# Bad input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "field"),
    [(1, 2, "from"), (400, 1, "to")],
    ids=["from after to", "over 366 days"],
)
def test_a_bad_range_is_refused_and_keeps_nothing(gql: Any, world: World, first: int, last: int, field: str) -> None:
    response = gql(world.creator)(EXPORT, {"from": days_ago(first).isoformat(), "to": days_ago(last).isoformat()})

    error = assert_single_error(response, "BAD_USER_INPUT")
    assert error["extensions"]["field"] == field
    assert response.data == {"exportInsights": None}
    assert not InsightsExport.objects.exists()


def test_exports_are_throttled(gql: Any, world: World, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten an hour (the shipped setting); the eleventh is RATE_LIMITED and keeps nothing. The
    clock is held in the middle of a window bucket (tests/api/test_throttles.py), so the counts
    are exact."""
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_800_001_800.0))
    limit, seconds = settings.GRAPHQL_MUTATION_THROTTLES["exportInsights"]
    assert (limit, seconds) == (10, 3600)
    client = gql(world.creator)
    variables = {"from": days_ago(3).isoformat(), "to": days_ago(1).isoformat()}

    answers = [client(EXPORT, variables) for _ in range(limit + 1)]

    assert [answer.codes for answer in answers[:limit]] == [[]] * limit
    assert answers[limit].codes == ["RATE_LIMITED"]
    assert InsightsExport.objects.filter(owner=world.creator).count() == limit


# Who may ------------------------------------------------------------------------------------------


def test_an_insights_token_exports_and_fetches(gql: Any, django_capture_on_commit_callbacks: Any) -> None:
    """Given the owner's INSIGHTS_READ token, then it asks for an export, lists it and gets a link
    that serves the file."""
    seeded = seed(make_user(account_type=AccountType.CREATOR))
    client = gql(token=token_for(seeded.owner, "INSIGHTS_READ"))

    assert_data(ask_for_export(client, seeded.variables, django_capture_on_commit_callbacks), ("exportInsights",))
    (listed,) = assert_data(client(EXPORTS), ("me", "insights", "exports", "edges"))

    assert fetch(listed["node"]["downloadUrl"]).status_code == 200


@pytest.mark.parametrize("scope", OTHER_SCOPES)
def test_other_scopes_can_neither_export_nor_see_exports(
    gql: Any, django_capture_on_commit_callbacks: Any, scope: str
) -> None:
    """Given a READY export, a token of the owner's without INSIGHTS_READ is FORBIDDEN the
    mutation (nothing kept) and ``Me.insights``, and finds nothing by the export's id."""
    seeded = seed(make_user(account_type=AccountType.CREATOR))
    ask_for_export(gql(seeded.owner), seeded.variables, django_capture_on_commit_callbacks)
    export = InsightsExport.objects.get()
    client = gql(token=token_for(seeded.owner, scope))

    assert_denied(client(EXPORT, seeded.variables), ("exportInsights",), "FORBIDDEN")
    assert InsightsExport.objects.count() == 1
    assert_denied(client("{ me { insights { exports { edges { node { id } } } } } }"), ("me", "insights"), "FORBIDDEN")
    found = client(NODE, {"id": gid(export)})
    assert (found.data, found.errors) == ({"node": None}, [])


def test_an_export_is_its_owners_alone(gql: Any, world: World, django_capture_on_commit_callbacks: Any) -> None:
    """Given the creator's READY export, then another signed-in account (a creator too) and an
    anonymous visitor find nothing by its id, and the other account's list holds only its own."""
    ask_for_export(
        gql(world.creator),
        {"from": days_ago(3).isoformat(), "to": days_ago(1).isoformat()},
        django_capture_on_commit_callbacks,
    )
    export = InsightsExport.objects.get(owner=world.creator)
    assert export.state == ExportState.READY

    for client in (gql(world.other_creator), gql(world.viewer), gql(None)):
        found = client(NODE, {"id": gid(export)})
        assert (found.data, found.errors) == ({"node": None}, [])
    assert assert_data(gql(world.other_creator)(EXPORTS), ("me", "insights", "exports", "edges")) == []
    assert gql(None)(EXPORTS).data == {"me": None}
    assert_single_error(
        gql(None)(EXPORT, {"from": days_ago(3).isoformat(), "to": days_ago(1).isoformat()}), "UNAUTHENTICATED"
    )


def test_an_expired_export_is_gone(gql: Any, world: World, django_capture_on_commit_callbacks: Any) -> None:
    """Past its ``expiresAt`` (before the clean-up runs), an export is neither listed nor found,
    and its link no longer works."""
    client = gql(world.creator)
    ask_for_export(
        client, {"from": days_ago(3).isoformat(), "to": days_ago(1).isoformat()}, django_capture_on_commit_callbacks
    )
    export = InsightsExport.objects.get()
    url = client(NODE, {"id": gid(export)}).data["node"]["downloadUrl"]
    assert fetch(url).status_code == 200

    InsightsExport.objects.filter(pk=export.pk).update(expires_at=export.created_at - timedelta(seconds=1))

    assert assert_data(client(EXPORTS), ("me", "insights", "exports", "edges")) == []
    assert client(NODE, {"id": gid(export)}).data == {"node": None}
    assert fetch(url).status_code == 404


# The README's example -------------------------------------------------------------------------------


def readme_operation(marker: str) -> str:
    (block,) = [
        fence["body"] for fence in FENCE.finditer(README) if fence["lang"] == "graphql" and marker in fence["body"]
    ]
    return block


def test_the_readme_example_runs_as_written(gql: Any, django_capture_on_commit_callbacks: Any) -> None:
    """The README's two operations as written: the export of May 2024 is asked for, then listed
    READY, and its link serves a row per day of May for the account (rolled up, nothing happened)."""
    client = gql(make_user(account_type=AccountType.CREATOR))
    rolled_up([date(2024, 6, 1)])

    with django_capture_on_commit_callbacks(execute=True):
        assert (
            assert_data(client(readme_operation("exportInsights")), ("exportInsights", "export", "state")) == "PENDING"
        )
    (edge,) = assert_data(client(readme_operation("exports(first")), ("me", "insights", "exports", "edges"))
    lines = b"".join(fetch(edge["node"]["downloadUrl"]).streaming_content).decode().splitlines()

    assert edge["node"]["state"] == "READY"
    assert lines[1:] == [f"2024-05-{day:02},ACCOUNT,,,,,,,,,,,0,0,0" for day in range(1, 32)]
