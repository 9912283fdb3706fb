"""The viewer's region (``Me.region``, set with ``updateProfile``): an ISO 3166-2 subdivision of
their declared country, checked on the way in and dropped when the country changes under it; and
``Query.subdivisions``, the reference list clients pick it from. Insights count regions by their
top-level subdivision (tests/analytics/test_geography_follower_api.py)."""

from typing import Any

import pytest

from tests.analytics.conftest import token_for
from tests.api.cases import assert_data, assert_denied, assert_single_error
from tests.api.conftest import World
from tests.api.test_mutations import run

pytestmark = pytest.mark.both_engines

READ = "{ me { country region } }"
SUBDIVISIONS = "query($country: String!) { subdivisions(country: $country) { code name kind parent } }"


def declare(world: World, country: str, region: str = "") -> None:
    world.creator.country, world.creator.region = country, region
    world.creator.save(update_fields=["country", "region"])


def stored(world: World) -> tuple[str, str, str]:
    world.creator.refresh_from_db()
    return world.creator.country, world.creator.region, world.creator.bio


def test_a_region_of_the_country_is_set_normalised_and_read_back(gql: Any, world: World) -> None:
    """Given a creator of FR without a region, then ``me.region`` is null; " fr-75c " (Paris, a
    collectivity of Île-de-France, in lower case and padded) is stored as FR-75C, as given and not
    as its top level, and a later read shows it."""
    declare(world, "FR")
    client = gql(world.creator)
    assert assert_data(client(READ), ("me",)) == {"country": "FR", "region": None}

    response = run(client, "updateProfile", {"region": " fr-75c "}, "me { country region }")

    assert assert_data(response, ("updateProfile", "me")) == {"country": "FR", "region": "FR-75C"}
    assert assert_data(client(READ), ("me", "region")) == "FR-75C"
    assert stored(world) == ("FR", "FR-75C", "")


@pytest.mark.parametrize(
    "region",
    [
        pytest.param("DE-BY", id="a region of another country"),
        pytest.param("FR-75", id="a code ISO does not hold"),
        pytest.param("FR", id="the country itself"),
        pytest.param("FRIDF", id="no hyphen"),
        pytest.param("FR-IDF\x00", id="a NUL byte"),
        pytest.param("FR-\ud800", id="a lone surrogate"),
    ],
)
def test_a_region_outside_the_country_is_bad_input_and_changes_nothing(gql: Any, world: World, region: str) -> None:
    """Given a creator of FR in Île-de-France, when a region that is no subdivision of FR comes
    next to a valid bio, then the answer is BAD_USER_INPUT on field region and neither the region
    nor the bio changed."""
    declare(world, "FR", "FR-IDF")

    response = run(gql(world.creator), "updateProfile", {"region": region, "bio": "changed"}, "me { region }")

    assert assert_single_error(response, "BAD_USER_INPUT")["extensions"]["field"] == "region"
    assert stored(world) == ("FR", "FR-IDF", "")


def test_a_region_without_a_country_is_bad_input(gql: Any, world: World) -> None:
    """Given a creator who declared no country, then any region is BAD_USER_INPUT on field region
    (declare the country first, or in the same call), and nothing changed."""
    declare(world, "")
    client = gql(world.creator)

    alone = run(client, "updateProfile", {"region": "FR-IDF", "bio": "changed"}, "me { region }")
    together = run(client, "updateProfile", {"country": "FR", "region": "FR-IDF"}, "me { country region }")

    assert assert_single_error(alone, "BAD_USER_INPUT")["extensions"]["field"] == "region"
    assert assert_data(together, ("updateProfile", "me")) == {"country": "FR", "region": "FR-IDF"}
    assert stored(world) == ("FR", "FR-IDF", "")


def test_an_empty_region_clears_it(gql: Any, world: World) -> None:
    """Given a creator of FR in Île-de-France, then region "" (or blanks) clears it and keeps the
    country."""
    declare(world, "FR", "FR-IDF")

    response = run(gql(world.creator), "updateProfile", {"region": "  "}, "me { country region }")

    assert assert_data(response, ("updateProfile", "me")) == {"country": "FR", "region": None}
    assert stored(world) == ("FR", "", "")


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        pytest.param("DE", ("DE", ""), id="a new country clears a region outside it"),
        pytest.param("fr", ("FR", "FR-IDF"), id="the same country keeps it"),
        pytest.param("", ("", ""), id="no country clears it"),
    ],
)
def test_changing_the_country_keeps_the_region_only_inside_it(
    gql: Any, world: World, country: str, expected: tuple[str, str]
) -> None:
    """Given a creator of FR in Île-de-France, when only the country changes, then the region
    stays if it lies in the new country and is cleared otherwise."""
    declare(world, "FR", "FR-IDF")

    response = run(gql(world.creator), "updateProfile", {"country": country}, "me { country region }")

    assert assert_data(response, ("updateProfile", "me")) == {
        "country": expected[0] or None,
        "region": expected[1] or None,
    }
    assert stored(world)[:2] == expected


def test_a_new_country_and_a_region_of_it_go_together(gql: Any, world: World) -> None:
    """Given a creator of FR in Île-de-France, then moving to DE with a region of FR is refused
    and changes nothing; with a region of DE both change."""
    declare(world, "FR", "FR-IDF")
    client = gql(world.creator)

    refused = run(client, "updateProfile", {"country": "DE", "region": "FR-IDF"}, "me { region }")
    assert assert_single_error(refused, "BAD_USER_INPUT")["extensions"]["field"] == "region"
    assert stored(world) == ("FR", "FR-IDF", "")

    moved = run(client, "updateProfile", {"country": "DE", "region": "de-by"}, "me { country region }")
    assert assert_data(moved, ("updateProfile", "me")) == {"country": "DE", "region": "DE-BY"}


def test_the_export_holds_the_region(gql: Any, world: World) -> None:
    """The right of access: ``me.export`` holds the declared region (null when none)."""
    declare(world, "FR", "FR-75C")
    client = gql(world.creator)

    assert assert_data(client("{ me { export } }"), ("me", "export"))["account"]["region"] == "FR-75C"
    declare(world, "FR")
    assert assert_data(client("{ me { export } }"), ("me", "export"))["account"]["region"] is None


def test_subdivisions_name_every_level_of_a_country(gql: Any, world: World) -> None:
    """``subdivisions(country:)`` is public reference data, sorted by code: for " fr " it holds
    Île-de-France at the top level and Paris within it, and only French codes."""
    response = gql(None)(SUBDIVISIONS, {"country": " fr "})

    listed = assert_data(response, ("subdivisions",))
    by_code = {entry["code"]: entry for entry in listed}
    assert by_code["FR-IDF"] == {
        "code": "FR-IDF",
        "name": "Île-de-France",
        "kind": "Metropolitan region",
        "parent": None,
    }
    assert by_code["FR-75C"]["parent"] == "FR-IDF"
    assert [entry["code"] for entry in listed] == sorted(by_code)
    assert all(code.startswith("FR-") for code in by_code)


@pytest.mark.parametrize(
    "country",
    [
        pytest.param("", id="empty"),
        pytest.param("F", id="one letter"),
        pytest.param("FRA", id="alpha-3"),
        pytest.param("XX", id="unassigned"),
        pytest.param("UK", id="reserved, not assigned"),
        pytest.param("\x00", id="a NUL byte"),
        pytest.param("FR\x00", id="a code then NUL"),
    ],
)
def test_subdivisions_of_no_country_are_bad_input(gql: Any, world: World, country: str) -> None:
    """Anything but an ISO 3166-1 alpha-2 code is BAD_USER_INPUT on field country, never a 500."""
    response = gql(world.viewer)(SUBDIVISIONS, {"country": country})

    assert assert_single_error(response, "BAD_USER_INPUT")["extensions"]["field"] == "country"


def test_the_region_is_the_viewers_own_alone(gql: Any, world: World) -> None:
    """Nobody reads another's region: a public profile has no such field, anonymous ``me`` is
    null, a token without PROFILE_READ is refused, only a session sets it, and nothing changed."""
    declare(world, "FR", "FR-IDF")
    insights_only = token_for(world.creator, "INSIGHTS_READ")
    profile = token_for(world.creator, "PROFILE_READ")

    public = gql(world.viewer)('{ user(username: "creator") { region } }')
    anonymous = gql(None)(READ)
    without_scope = gql(token=insights_only)("{ me { region } }")
    with_scope = gql(token=profile)("{ me { region } }")
    token_write = run(gql(token=profile), "updateProfile", {"region": "FR-PAC"}, "me { region }")
    anonymous_write = run(gql(None), "updateProfile", {"region": "FR-PAC"}, "me { region }")

    assert "Cannot query field 'region' on type 'User'" in assert_single_error(public, "BAD_USER_INPUT")["message"]
    assert anonymous.body == {"data": {"me": None}}
    assert_denied(without_scope, ("me", "region"), "FORBIDDEN")
    assert assert_data(with_scope, ("me", "region")) == "FR-IDF"
    assert_single_error(token_write, "FORBIDDEN")
    assert_single_error(anonymous_write, "UNAUTHENTICATED")
    assert stored(world) == ("FR", "FR-IDF", "")
