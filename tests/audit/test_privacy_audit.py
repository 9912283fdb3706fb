"""The privacy audit (``manage.py privacy_audit``): clean on the committed schema, and every kind
of leak planted in a copy of it is caught, with its path. No test here touches the database:
pytest-django would fail any that tried, which is the proof that the audit needs none."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from graphql import parse

from api.audit.analysis import FindingKind, audit_schema
from api.audit.schema import read_schema
from api.type_system import PERSONAL_DATA_TYPES

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "schema.graphql"
SDL = SCHEMA_PATH.read_text(encoding="utf-8")


def plant(sdl: str, type_name: str, field_sdl: str) -> str:
    """``sdl`` with one more field in ``type_name``, right after the type's opening brace."""
    lines = sdl.splitlines()
    for index, line in enumerate(lines):
        if line.startswith(f"type {type_name} ") and line.endswith("{"):
            return "\n".join([*lines[: index + 1], f"  {field_sdl}", *lines[index + 1 :]]) + "\n"
    raise AssertionError(f"type {type_name} not found in the SDL")


def replace_once(sdl: str, old: str, new: str) -> str:
    assert sdl.count(old) == 1, old
    return sdl.replace(old, new)


def kinds(sdl: str) -> list[tuple[str, str, str]]:
    """(kind, where, path) of every finding."""
    return [(finding.kind.value, finding.where, finding.path_text) for finding in audit_schema(sdl).findings]


# The committed schema ----------------------------------------------------------------------------


def test_the_committed_schema_is_clean() -> None:
    """Given schema.graphql, when the command audits it, then it reports no finding and exits 0,
    having listed every field with its audience and checked hundreds of paths."""
    out = StringIO()

    call_command("privacy_audit", stdout=out)

    text = out.getvalue()
    assert "Findings: none." in text
    assert "Query.me → Me" in text
    report = audit_schema(SDL)
    assert report.clean
    assert report.paths_checked > 300
    assert set(report.audience_counts) >= {"PUBLIC", "AUTHENTICATED", "SELF", "OWNER_AGGREGATE", "STAFF"}
    assert sum(report.audience_counts.values()) == len(report.fields) > 150


def test_the_personal_data_marks_are_the_contracts() -> None:
    """The audit trusts the ``@personalData`` marks: they must be exactly the contract's list, so
    a type cannot lose its mark without a reviewed change to the contract."""
    marked = {name for name, object_type in read_schema(SDL).objects.items() if object_type.personal_data}

    assert marked == set(PERSONAL_DATA_TYPES)
    assert "User" not in marked  # A public profile (docs/PRIVACY.md), not personal data.


def test_the_only_ways_into_personal_data_are_me_the_actors_payloads_the_live_feed_and_guarded_lookups() -> None:
    entries = {(entry.how, entry.path_text) for entry in audit_schema(SDL).entries}

    assert ("bound", "Query.me → Me") in entries
    assert ("bound", "Mutation.favoriteVideo → FavoriteVideoPayload.favorite → Favorite") in entries
    assert ("bound", "Subscription.notifications → NotificationEvent") in entries
    assert ("guarded", "Query.node → Favorite") in entries
    bound_roots = ("Mutation.", "Query.me ", "Subscription.notifications ")
    assert all(path.startswith(bound_roots) for how, path in entries if how == "bound")
    assert {path for how, path in entries if how == "guarded"} == {
        "Query.node → Favorite",
        "Query.node → FavoriteCollection",
        "Query.node → InsightsExport",
        "Query.node → Notification",
    }


@pytest.mark.parametrize("output_format", ["text", "json", "markdown"])
def test_every_format_reports_the_same_audit(output_format: str) -> None:
    out = StringIO()

    call_command("privacy_audit", "--format", output_format, stdout=out)

    report = audit_schema(SDL)
    if output_format == "json":
        data = json.loads(out.getvalue())
        assert data["clean"] is True
        assert data["pathsChecked"] == report.paths_checked
        assert len(data["fields"]) == len(report.fields)
        assert {
            "field": "Me.favorites",
            "audience": "SELF",
            "returns": "FavoriteConnection!",
            "personalData": True,
        } in (data["fields"])
    else:
        assert "Me.favorites" in out.getvalue()
        assert str(report.paths_checked) in out.getvalue()


# Planted leaks: one of each kind -----------------------------------------------------------------


def test_a_public_edge_from_a_video_to_favorites_is_caught_with_its_path() -> None:
    leaky = plant(SDL, "Video", "savedBy: FavoriteConnection! @privacy(audience: PUBLIC)")

    assert ("PERSONAL_DATA_PATH", "Video.savedBy", "Query.video → Video.savedBy → Favorite") in kinds(leaky)


def test_a_public_subscription_to_notifications_is_caught_with_its_path() -> None:
    """The Subscription root is walked like Query and Mutation: a live feed of personal data must
    be a SELF edge too."""
    leaky = plant(SDL, "Subscription", "anyonesNotifications: NotificationEvent! @privacy(audience: PUBLIC)")

    assert (
        "PERSONAL_DATA_PATH",
        "Subscription.anyonesNotifications",
        "Subscription.anyonesNotifications → NotificationEvent",
    ) in kinds(leaky)


def test_a_self_edge_on_someone_elses_object_is_not_bound_to_the_viewer() -> None:
    """SELF on ``Video`` means the video's owner: a creator would read other people's favorites
    through it. Only an edge from a root, a payload or the viewer's own data binds to the viewer."""
    leaky = plant(SDL, "Video", "savers: FavoriteConnection @privacy(audience: SELF)")

    assert ("PERSONAL_DATA_PATH", "Video.savers", "Query.video → Video.savers → Favorite") in kinds(leaky)


def test_a_personal_field_on_the_public_profile_is_caught_from_every_root() -> None:
    leaky = plant(SDL, "User", "collections: FavoriteCollectionConnection @privacy(audience: SELF)")

    found = [finding for finding in audit_schema(leaky).findings if finding.where == "User.collections"]

    assert [finding.path_text for finding in found] == ["Query.user → User.collections → FavoriteCollection"]


def test_a_payload_handing_out_personal_data_under_authenticated_is_caught() -> None:
    """The audit's first run found eight of these; they became SELF, checked on their value."""
    leaky = replace_once(
        SDL,
        'one). Audience: SELF."""\n  favorite: Favorite! @privacy(audience: SELF)',
        'one). Audience: SELF."""\n  favorite: Favorite! @privacy(audience: AUTHENTICATED)',
    )

    assert (
        "PERSONAL_DATA_PATH",
        "FavoriteVideoPayload.favorite",
        "Mutation.favoriteVideo → FavoriteVideoPayload.favorite → Favorite",
    ) in kinds(leaky)


def test_a_list_of_savers_is_caught_even_though_a_profile_is_public() -> None:
    """``User`` is a public profile; a list of them on a video says who saved it."""
    leaky = plant(SDL, "Video", "savedBy: [User!]! @privacy(audience: PUBLIC)")

    assert kinds(leaky) == [("IDENTITY_LIST", "Video.savedBy", "Query.video → Video.savedBy → User")]


def test_the_viewers_own_follow_lists_are_not_identity_leaks() -> None:
    """``Me.followers`` lists people too, but inside the viewer's own world (bound by ``me``)."""
    schema = read_schema(SDL)

    assert schema.objects["Me"].fields["followers"].returns.printed == "UserConnection!"
    assert not [kind for kind, _, _ in kinds(SDL) if kind == "IDENTITY_LIST"]


def test_the_account_search_is_the_one_list_of_people_outside_the_viewers_world() -> None:
    """Accounts matched by the viewer's own query on their public profile say who is called so,
    not who did something: the one profile lookup, reviewed by name and listed in the report."""
    report = audit_schema(SDL)

    assert [entry.path_text for entry in report.profile_lookups] == ["Query.search → SearchResults.users → User"]


@pytest.mark.parametrize(
    ("type_name", "field_sdl"),
    [
        ("SearchResults", "savedBy: [User!]! @privacy(audience: PUBLIC)"),
        ("Video", "users: UserConnection! @privacy(audience: PUBLIC)"),
    ],
)
def test_a_list_of_people_beside_the_lookup_or_named_like_it_is_caught(type_name: str, field_sdl: str) -> None:
    """The exemption is one reviewed field: another list on the search results, or a list of the
    same name elsewhere, is an identity list."""
    leaky = plant(SDL, type_name, field_sdl)

    field_name = field_sdl.split(":")[0]
    assert ("IDENTITY_LIST", f"{type_name}.{field_name}") in {(kind, where) for kind, where, _ in kinds(leaky)}


@pytest.mark.parametrize(
    ("field_sdl", "reason"),
    [
        ("topSavers: [User!]! @privacy(audience: OWNER_AGGREGATE)", "names a person"),
        ("lastSaverName: String @privacy(audience: OWNER_AGGREGATE)", "could name someone"),
        ("saverIds: [ID!]! @privacy(audience: OWNER_AGGREGATE)", "could name someone"),
        ("saves: FavoriteConnection! @privacy(audience: OWNER_AGGREGATE)", "personal data"),
    ],
)
def test_an_owner_aggregate_that_is_not_a_number_is_caught(field_sdl: str, reason: str) -> None:
    leaky = plant(SDL, "VideoInsights", field_sdl)

    found = [f for f in audit_schema(leaky).findings if f.kind is FindingKind.AGGREGATE_NOT_NUMERIC]

    assert [f.where for f in found] == [f"VideoInsights.{field_sdl.split(':')[0]}"]
    assert reason in found[0].detail


def test_an_aggregate_type_hiding_a_name_is_caught_through_the_field_returning_it() -> None:
    leaky = plant(SDL, "VideoInsights", "topCountry: CountryBucket @privacy(audience: OWNER_AGGREGATE)")
    leaky += "\ntype CountryBucket {\n  count: Int! @privacy(audience: OWNER_AGGREGATE)\n"
    leaky += "  exampleViewer: String @privacy(audience: PUBLIC)\n}\n"

    found = [f for f in audit_schema(leaky).findings if f.kind is FindingKind.AGGREGATE_NOT_NUMERIC]

    assert [f.where for f in found] == ["VideoInsights.topCountry"]
    assert "CountryBucket.exampleViewer: String" in found[0].detail


def test_numbers_dates_enums_and_buckets_of_them_are_aggregates() -> None:
    fine = plant(SDL, "VideoInsights", "byDay: [DayTotal!]! @privacy(audience: OWNER_AGGREGATE)")
    fine += "\ntype DayTotal {\n  day: DateTime! @privacy(audience: OWNER_AGGREGATE)\n"
    fine += "  source: TrafficSource! @privacy(audience: OWNER_AGGREGATE)\n"
    fine += "  views: Int! @privacy(audience: OWNER_AGGREGATE)\n}\n"

    assert kinds(fine) == []


def test_a_field_without_an_audience_is_caught() -> None:
    leaky = plant(SDL, "Video", "internalNote: String")

    assert kinds(leaky) == [("MISSING_AUDIENCE", "Video.internalNote", "")]


def test_data_smuggled_into_relay_plumbing_needs_an_audience() -> None:
    leaky = plant(SDL, "FavoriteEdge", "savedBy: String")

    assert ("MISSING_AUDIENCE", "FavoriteEdge.savedBy", "") in kinds(leaky)


@pytest.mark.parametrize(
    "directive",
    [
        "@privacy(audience: FRIENDS)",
        '@privacy(audience: "PUBLIC")',
        "@privacy",
        "@privacy(audience: PUBLIC) @privacy(audience: SELF)",
    ],
)
def test_an_unknown_or_malformed_audience_is_caught(directive: str) -> None:
    leaky = plant(SDL, "Video", f"moodScore: Int {directive}")

    assert [(kind, where) for kind, where, _ in kinds(leaky)] == [("UNKNOWN_AUDIENCE", "Video.moodScore")]


def test_an_audience_added_to_the_sdl_enum_is_still_unknown() -> None:
    leaky = replace_once(SDL, "enum Audience {\n", 'enum Audience {\n  """Friends."""\n  FRIENDS\n\n')

    assert ("UNKNOWN_AUDIENCE", "enum Audience", "") in kinds(leaky)


def test_a_personal_type_with_a_public_field_is_unsealed_and_loses_its_guarded_lookup() -> None:
    """``node(id:)`` may return a Favorite only because every Favorite field is SELF-checked."""
    start = SDL.index("type Favorite implements Node @personalData {")
    end = SDL.index("\n}\n", start)
    block = replace_once(
        SDL[start:end],
        "createdAt: DateTime! @privacy(audience: SELF)",
        "createdAt: DateTime! @privacy(audience: PUBLIC)",
    )
    leaky = SDL[:start] + block + SDL[end:]

    found = kinds(leaky)

    assert ("UNSEALED_PERSONAL_TYPE", "Favorite.createdAt", "") in found
    assert ("PERSONAL_DATA_PATH", "Query.node", "Query.node → Favorite") in found


def test_a_schema_with_no_personal_data_marked_proves_nothing() -> None:
    unmarked = SDL.replace(" @personalData {", " {")

    assert ("NO_PERSONAL_DATA_MARKED", "schema", "") in kinds(unmarked)


# The command's exit status ---------------------------------------------------------------------


def test_the_command_fails_with_status_1_on_a_planted_leak(tmp_path: Path) -> None:
    leaky = tmp_path / "leaky.graphql"
    leaky.write_text(plant(SDL, "Video", "savedBy: [User!]! @privacy(audience: PUBLIC)"), encoding="utf-8")
    out = StringIO()

    with pytest.raises(CommandError) as failure:
        call_command("privacy_audit", "--schema", str(leaky), stdout=out)

    assert failure.value.returncode == 1
    assert "Query.video → Video.savedBy → User" in out.getvalue()


def test_an_unreadable_or_invalid_file_fails_with_status_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.graphql"
    broken.write_text("type Query {", encoding="utf-8")

    for path in (broken, tmp_path / "missing.graphql"):
        with pytest.raises(CommandError) as failure:
            call_command("privacy_audit", "--schema", str(path), stdout=StringIO())
        assert failure.value.returncode == 2


def test_the_command_runs_as_a_process_without_any_database(tmp_path: Path) -> None:
    """Given a DATABASE_URL that points nowhere, the audit still runs: exit 0 on the committed
    schema, exit 1 with the path on stdout for a leaky copy."""
    leaky = tmp_path / "leaky.graphql"
    leaky.write_text(plant(SDL, "Video", "savedBy: FavoriteConnection! @privacy(audience: PUBLIC)"), encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none"}
    command = [sys.executable, str(ROOT / "manage.py"), "privacy_audit", "--format", "json"]

    clean = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    leak = subprocess.run(
        [*command, "--schema", str(leaky)], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )

    assert clean.returncode == 0, clean.stderr
    assert json.loads(clean.stdout)["clean"] is True
    assert leak.returncode == 1
    assert json.loads(leak.stdout)["findings"][0]["path"] == "Query.video → Video.savedBy → Favorite"


def test_the_sdl_walk_sees_applied_directives() -> None:
    """graphql-core's ``build_schema`` drops applied directives; the audit reads the AST."""
    schema = read_schema(parse(SDL))

    assert schema.objects["Me"].personal_data
    assert schema.objects["Video"].fields["insights"].audience == "OWNER_AGGREGATE"


# The route matrix (``--routes``) -----------------------------------------------------------------

GRAPHQL_ROUTES = {"/graphql/", "/graphql/graphene/"}


def routes_command(output_format: str) -> str:
    out = StringIO()
    call_command("privacy_audit", "--routes", "--format", output_format, stdout=out)
    return out.getvalue()


def test_the_route_matrix_flags_csrf_by_preflight_on_the_graphql_routes_alone() -> None:
    """The JSON matrix marks ``csrfByPreflight`` as ``RouteAccess`` declares it: on both GraphQL
    endpoints, and on no HTML form or any other route."""
    data = json.loads(routes_command("json"))

    flagged = {row["route"] for row in data["routes"] if row["csrfByPreflight"]}
    assert data["clean"] is True
    assert flagged == GRAPHQL_ROUTES
    assert all(isinstance(row["csrfByPreflight"], bool) for row in data["routes"])


@pytest.mark.parametrize("output_format", ["text", "markdown"])
def test_every_route_format_shows_the_csrf_by_preflight_flag(output_format: str) -> None:
    lines = routes_command(output_format).splitlines()

    flagged = {line.split()[0] for line in lines if line.endswith("; CSRF by preflight")}
    if output_format == "markdown":
        assert lines[0] == "| route | accepts | staff | throttled | CSRF by preflight | purpose |"
        flagged = {line.split("`")[1] for line in lines if line.startswith("| `") and line.split(" | ")[4] == "yes"}
    assert flagged == GRAPHQL_ROUTES
