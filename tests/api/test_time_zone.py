"""The viewer's time zone (``Me.timeZone``, set with ``updateProfile``): an IANA name, checked on
the way in, the viewer's own alone; insights read it to show local hours
(tests/analytics/test_weekly_activity.py)."""

from typing import Any

import pytest

from tests.analytics.conftest import token_for
from tests.api.cases import assert_data, assert_denied, assert_single_error
from tests.api.conftest import World
from tests.api.test_mutations import run

pytestmark = pytest.mark.both_engines

READ = "{ me { timeZone } }"


def test_the_time_zone_is_utc_until_set_then_the_one_chosen(gql: Any, world: World) -> None:
    """Given a new account, then its time zone is UTC; set to Asia/Kolkata (padded with spaces),
    the payload and a later read show it, and the row holds it."""
    client = gql(world.creator)
    assert assert_data(client(READ), ("me", "timeZone")) == "UTC"

    response = run(client, "updateProfile", {"timeZone": " Asia/Kolkata "}, "me { timeZone bio }")

    assert assert_data(response, ("updateProfile", "me")) == {"timeZone": "Asia/Kolkata", "bio": world.creator.bio}
    assert assert_data(client(READ), ("me", "timeZone")) == "Asia/Kolkata"
    world.creator.refresh_from_db()
    assert world.creator.time_zone == "Asia/Kolkata"


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "europe/paris", "localtime", "+05:30", "", "Europe/Paris\x00"])
def test_an_unknown_time_zone_is_bad_input_and_changes_nothing(gql: Any, world: World, zone: str) -> None:
    """Given a name the time zone database does not hold (spelled in another case, the server's own
    ``localtime``, an offset, nothing), next to a valid bio, then the answer is BAD_USER_INPUT on
    field timeZone and neither the zone nor the bio changed."""
    response = run(gql(world.creator), "updateProfile", {"timeZone": zone, "bio": "changed"}, "me { timeZone }")

    error = assert_single_error(response, "BAD_USER_INPUT")
    assert error["extensions"]["field"] == "timeZone"
    world.creator.refresh_from_db()
    assert (world.creator.time_zone, world.creator.bio) == ("UTC", "")


def test_the_time_zone_is_the_viewers_own_alone(gql: Any, world: World) -> None:
    """Nobody reads another's time zone: a public profile has no such field, anonymous ``me`` is
    null, a token without PROFILE_READ is refused, and only a session sets it."""
    world.creator.time_zone = "Asia/Tokyo"
    world.creator.save(update_fields=["time_zone"])
    insights_only = token_for(world.creator, "INSIGHTS_READ")
    profile = token_for(world.creator, "PROFILE_READ")

    public = gql(world.viewer)('{ user(username: "creator") { timeZone } }')
    anonymous = gql(None)(READ)
    without_scope = gql(token=insights_only)(READ)
    with_scope = gql(token=profile)(READ)
    token_write = run(gql(token=profile), "updateProfile", {"timeZone": "UTC"}, "me { timeZone }")
    anonymous_write = run(gql(None), "updateProfile", {"timeZone": "UTC"}, "me { timeZone }")

    assert "Cannot query field 'timeZone' on type 'User'" in assert_single_error(public, "BAD_USER_INPUT")["message"]
    assert anonymous.body == {"data": {"me": None}}
    assert_denied(without_scope, ("me", "timeZone"), "FORBIDDEN")
    assert assert_data(with_scope, ("me", "timeZone")) == "Asia/Tokyo"
    assert_single_error(token_write, "FORBIDDEN")
    assert_single_error(anonymous_write, "UNAUTHENTICATED")
    world.creator.refresh_from_db()
    assert world.creator.time_zone == "Asia/Tokyo"
