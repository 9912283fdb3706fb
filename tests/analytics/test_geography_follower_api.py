"""The follower breakdowns of one country through the API, on both engines: ``country:`` on
``followerGenders``, ``followerAges``, ``followerDevices``, ``followerActivity``,
``followerActivityByWeekday`` and ``bestTimesToPost``, and ``followerRegions``. What each counts
(only that country's followers), the floor and ``OTHER`` read from the country's noisy count,
the geographic noise scale, who may read them and bad input (docs/PRIVACY.md §8)."""

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from pytest_django import Settings

from accounts.models import User
from engagement import services
from engagement.analytics import releases
from engagement.analytics.models import Dimension
from engagement.analytics.privacy import Period, days_in, geo_noise_scale, noise_scale
from engagement.analytics.rollups import designated_weekday, rollup_day
from engagement.analytics.selectors import account_insights, check_slice
from engagement.analytics.weekly import account_weekly_activity
from engagement.models import DeviceType, Video
from tests.analytics.conftest import days_ago, follow_all, people, roll_up, token_for, watch
from tests.api.cases import assert_data, assert_denied, assert_single_error
from tests.api.conftest import World
from tests.factories import make_user, make_video

pytestmark = pytest.mark.both_engines

SLICED = ("followerGenders", "followerAges", "followerDevices", "followerActivity")
SELECTION = "{ suppressed coveredFrom coveredTo buckets { key count share } }"
WEEK = "{ suppressed slots { weekday hour count } }"
WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


@pytest.fixture(autouse=True)
def final_yesterday(settings: Settings) -> None:
    """Yesterday final whatever the hour (slices are exact already: tests of the noise set their
    own budget)."""
    settings.INSIGHTS_FINALIZE_AFTER_SECONDS = 0


def ask(client: Any, field: str, selection: str = SELECTION, **variables: Any) -> Any:
    """``me.insights.<field>`` over the last ten days (``country`` given or not); the response."""
    required = "!" if field == "followerRegions" else ""  # regions are always one country's
    declared = ", ".join(f"${name}: String{required}" for name in variables)
    passed = ", ".join(f"{name}: ${name}" for name in variables)
    query = (
        f"query($from: Date!, $to: Date!{', ' if declared else ''}{declared}) "
        f"{{ me {{ insights {{ {field}(from: $from, to: $to{', ' if passed else ''}{passed}) {selection} }} }} }}"
    )
    range_ = {"from": days_ago(10).isoformat(), "to": days_ago(1).isoformat()}
    return client(query, {**range_, **variables})


def shown(client: Any, field: str, **variables: Any) -> dict[str, int] | None:
    """The shown counts by key; None when suppressed."""
    breakdown = assert_data(ask(client, field, **variables), ("me", "insights", field))
    return None if breakdown["suppressed"] else {bucket["key"]: bucket["count"] for bucket in breakdown["buckets"]}


def followers(
    creator: User, n: int, *, hour: int | None = None, device: str = DeviceType.PHONE, **attributes: Any
) -> list[User]:
    """``n`` new followers of ``creator`` (six days ago) with ``attributes``, who watch someone
    else's video five days ago at ``hour`` on ``device`` (None: never)."""
    crowd = people(n, **attributes)
    follow_all(crowd, creator, days_ago(6))
    if hour is not None:
        watch(elsewhere(), crowd, days_ago(5), hour=hour, device=device)
    return crowd


def elsewhere() -> Video:
    return make_video(make_user())


def born(age: int) -> int:
    return days_ago(0).year - age


@pytest.fixture
def geography(world: World) -> World:
    """The creator's followers: 120 of FR (70 women of Paris, 30 men of Bouches-du-Rhône, 20 who
    declared nothing more and never watched), 110 men of Bavaria, 15 women of no country (one
    who declared a French region all the same)."""
    creator = world.creator
    followers(creator, 70, hour=9, country="FR", region="FR-75C", gender="FEMALE", birth_year=born(30))
    followers(
        creator, 30, hour=21, device=DeviceType.TABLET, country="FR", region="FR-13", gender="MALE", birth_year=born(50)
    )
    followers(creator, 20, country="FR")
    followers(
        creator,
        110,
        hour=18,
        device=DeviceType.DESKTOP,
        country="DE",
        region="DE-BY",
        gender="MALE",
        birth_year=born(30),
    )
    followers(creator, 14, hour=9, gender="FEMALE")
    followers(creator, 1, hour=9, gender="FEMALE", region="FR-IDF")
    roll_up(days_ago(10))
    return world


# What each counts (noise off: exact counts) -----------------------------------------------------

EXPECTED = {
    "followerGenders": (
        {"FEMALE": 85, "MALE": 140, "UNKNOWN": 20},
        {"FEMALE": 70, "MALE": 30, "UNKNOWN": 20},
        {"MALE": 110},
    ),
    "followerAges": (
        {"AGE_25_34": 180, "AGE_45_54": 30, "UNKNOWN": 35},
        {"AGE_25_34": 70, "AGE_45_54": 30, "UNKNOWN": 20},
        {"AGE_25_34": 110},
    ),
    "followerDevices": (
        {"PHONE": 85, "TABLET": 30, "DESKTOP": 110, "UNKNOWN": 20},
        {"PHONE": 70, "TABLET": 30, "UNKNOWN": 20},
        {"DESKTOP": 110},
    ),
    "followerActivity": (
        {"HOUR_09": 85, "HOUR_18": 110, "HOUR_21": 30},
        {"HOUR_09": 70, "HOUR_21": 30},
        {"HOUR_18": 110},
    ),
}


@pytest.mark.parametrize("field", SLICED)
def test_a_country_filter_counts_only_that_countrys_followers(gql: Any, geography: World, field: str) -> None:
    """Given the followers of FR, DE and no country, then each breakdown of the whole counts all
    245, and with ``country:`` (in any case, padded) only that country's: the followers of no
    country are in no slice."""
    client = gql(geography.creator)
    whole, french, german = EXPECTED[field]

    assert shown(client, field) == whole
    assert shown(client, field, country=" fr ") == french
    assert shown(client, field, country="DE") == german


def test_regions_count_a_countrys_followers_by_top_level_subdivision(gql: Any, geography: World) -> None:
    """Given followers of Paris (FR-75C, in Île-de-France) and Bouches-du-Rhône (FR-13, in
    Provence-Alpes-Côte d'Azur), then ``followerRegions(country: "FR")`` counts them as FR_IDF
    and FR_PAC, those who declared none as UNKNOWN; Germany's as DE_BY. The one follower of no
    country with a French region counts in neither."""
    client = gql(geography.creator)

    french = assert_data(ask(client, "followerRegions", country="FR"), ("me", "insights", "followerRegions"))

    assert french["buckets"] == [
        {"key": "FR_IDF", "count": 70, "share": pytest.approx(70 / 120)},
        {"key": "FR_PAC", "count": 30, "share": pytest.approx(30 / 120)},
        {"key": "UNKNOWN", "count": 20, "share": pytest.approx(20 / 120)},
    ]
    assert (french["suppressed"], french["coveredTo"]) == (False, days_ago(1).isoformat())
    assert shown(client, "followerRegions", country="de") == {"DE_BY": 110}
    assert shown(client, "followerRegions", country="IT") is None  # nobody: below the floor


def test_a_slice_merges_other_from_the_countrys_count_except_activity(gql: Any, world: World) -> None:
    """Given 112 French followers: 100 women active at 09:00, 6 men active at 03:00 and 6 who
    declared nothing at 04:00. Then their genders show FEMALE and an OTHER of 12 (what is left of the
    country's count); their activity shows HOUR_09 alone, with no OTHER, since how many of a
    country's followers were active is no count anyone published, while the whole activity merges
    the two small hours into OTHER."""
    followers(world.creator, 100, hour=9, country="FR", gender="FEMALE")
    followers(world.creator, 6, hour=3, country="FR", gender="MALE")
    followers(world.creator, 6, hour=4, country="FR")
    roll_up(days_ago(10))
    client = gql(world.creator)

    assert shown(client, "followerGenders", country="FR") == {"FEMALE": 100, "OTHER": 12}
    assert shown(client, "followerActivity", country="FR") == {"HOUR_09": 100}
    assert shown(client, "followerActivity") == {"HOUR_09": 100, "OTHER": 12}


def test_a_slice_waits_for_the_countrys_audience_floor(gql: Any, world: World) -> None:
    """Given 99 French followers and 150 German ones, then every FR slice is suppressed while the
    whole breakdowns and DE's show; with a hundredth French follower the next day, FR shows."""
    followers(world.creator, 99, hour=9, country="FR")
    followers(world.creator, 150, hour=9, country="DE")
    late = people(1, country="FR")
    follow_all(late, world.creator, days_ago(4))
    roll_up(days_ago(10))
    client = gql(world.creator)
    before = {"to": days_ago(5).isoformat()}

    for field in (*SLICED, "followerRegions"):
        below = assert_data(
            client(
                f'query($from: Date!, $to: Date!) {{ me {{ insights {{ {field}(from: $from, to: $to, country: "FR") '
                "{ suppressed buckets { key } } } } }",
                {"from": days_ago(10).isoformat(), **before},
            ),
            ("me", "insights", field),
        )
        assert below == {"suppressed": True, "buckets": []}, field
    assert shown(client, "followerGenders", country="DE") == {"UNKNOWN": 150}
    assert shown(client, "followerGenders", country="FR") == {"UNKNOWN": 100}


def test_the_floor_and_other_read_the_countrys_noisy_count(gql: Any, world: World, settings: Settings) -> None:
    """Given 400 French women and 200 German followers, the whole breakdowns noised at the
    default budget and the slice exact, and a floor of 400: under a noise key that takes FR's
    bucket of followerCountries below 400, the French slice is suppressed although 400 follow;
    under one that lifts it by 10 or more, the slice shows FEMALE 400 and an OTHER of exactly the
    noise, so that the slice adds up to the FR bucket followerCountries publishes."""
    settings.PRIVACY_EPSILON, settings.PRIVACY_MIN_AUDIENCE = 1.0, 400
    followers(world.creator, 400, country="FR", gender="FEMALE")
    followers(world.creator, 200, country="DE")
    roll_up(days_ago(10))
    client = gql(world.creator)
    period = Period.of(days_ago(1))

    def noise_on_france(key: str) -> int:
        settings.PRIVACY_NOISE_KEY = key
        return releases.follower_release(world.creator, Dimension.FOLLOWER_COUNTRY, period).noise("FR")

    candidates = [f"noise key {n}" for n in range(200)]
    lowering = next(key for key in candidates if noise_on_france(key) < 0)
    lifting = next(key for key in candidates if noise_on_france(key) >= 10)

    settings.PRIVACY_NOISE_KEY = lowering
    assert shown(client, "followerGenders", country="FR") is None
    settings.PRIVACY_NOISE_KEY = lifting
    published = shown(client, "followerCountries")
    assert published is not None
    assert shown(client, "followerGenders", country="FR") == {"FEMALE": 400, "OTHER": published["FR"] - 400}
    assert published["FR"] - 400 == noise_on_france(lifting)


# The week and the best times of one country ------------------------------------------------------


def active_week(creator: User, period: Period, country: str, n: int, hour: int) -> Counter[tuple[str, int]]:
    """``n`` followers of ``country`` active every day of ``period`` at ``hour`` UTC; returns the
    cells they count in (each on the weekday drawn for them), by weekday name and hour."""
    crowd = people(n, country=country)
    follow_all(crowd, creator, period.first - timedelta(days=1))
    video = elsewhere()
    for day in days_in(period.first, period.last):
        watch(video, crowd, day, hour=hour)
    return Counter((WEEKDAYS[designated_weekday(period, fan.pk)], hour) for fan in crowd)


@pytest.fixture
def weekly(world: World, settings: Settings) -> tuple[World, Period, Counter[tuple[str, int]]]:
    """Week-long periods; in the last ended one, 150 French followers active at 09:00 UTC and 120
    German ones at 20:00, rolled up. Returns the French cells."""
    settings.PRIVACY_PERIOD_DAYS = 7
    period = Period.of(days_ago(14), 7)
    french = active_week(world.creator, period, "FR", 150, 9)
    active_week(world.creator, period, "DE", 120, 20)
    for day in days_in(period.first, period.last):
        rollup_day(day)
    return world, period, french


def week_query(period: Period, country: str | None) -> tuple[str, dict[str, str]]:
    argument = ", country: $country" if country else ""
    query = (
        f"query($from: Date!, $to: Date!{', $country: String' if country else ''}) {{ me {{ insights {{ "
        f"followerActivityByWeekday(from: $from, to: $to{argument}) {WEEK} "
        f"bestTimesToPost(from: $from, to: $to{argument}) {{ weekday hour }} }} }} }}"
    )
    variables = {"from": period.first.isoformat(), "to": period.last.isoformat()}
    return query, {**variables, "country": country} if country else variables


def test_the_week_of_a_country_counts_its_followers_alone(gql: Any, weekly: Any) -> None:
    """Given the week's French and German followers, then ``followerActivityByWeekday(country:
    "FR")`` shows the French ones alone, each in the cell of the weekday drawn for them at 09:00,
    and the best times to post are French mornings; Germany's are its evenings."""
    world, period, french = weekly
    client = gql(world.creator)

    query, variables = week_query(period, "FR")
    insights = assert_data(client(query, variables), ("me", "insights"))
    german = assert_data(client(*week_query(period, "DE")), ("me", "insights", "bestTimesToPost"))

    counted = {
        (slot["weekday"], slot["hour"]): slot["count"] for slot in insights["followerActivityByWeekday"]["slots"]
    }
    assert len(counted) == 168
    assert {cell: n for cell, n in counted.items() if n} == dict(french)
    assert {slot["hour"] for slot in insights["bestTimesToPost"]} == {9}
    busiest = sorted(french, key=lambda cell: (-french[cell], WEEKDAYS.index(cell[0])))[:3]  # earlier on a tie
    assert [slot["weekday"] for slot in insights["bestTimesToPost"]] == [weekday for weekday, _ in busiest]
    assert {slot["hour"] for slot in german} == {20}


def test_the_best_times_of_a_country_wait_for_the_geographic_noise_scale(
    gql: Any, weekly: Any, settings: Settings
) -> None:
    """Given the whole breakdowns' budget so loose that their scale is 0.1 and the geographic one
    at a scale of 4, then the whole week tells its best times apart (270 followers against a
    threshold of 168 · 0.1), while the French week, whose 150 followers and clamped noise stay far
    below 168 · 4, shows its noisy slots and no best time; the slice reports the geographic scale.
    With a geographic scale of 0.1 the French best times show."""
    world, period, _ = weekly
    settings.PRIVACY_EPSILON = 30 / 0.1
    settings.PRIVACY_GEO_EPSILON = 32 / 4
    client = gql(world.creator)
    assert (noise_scale(), geo_noise_scale()) == (pytest.approx(0.1), pytest.approx(4))

    whole = assert_data(client(*week_query(period, None)), ("me", "insights"))
    french = assert_data(client(*week_query(period, "FR")), ("me", "insights"))
    activity = account_weekly_activity(
        viewer=world.creator,
        insights=account_insights(viewer=world.creator),
        first=period.first,
        last=period.last,
        country="FR",
    )

    assert len(whole["bestTimesToPost"]) == 3
    assert french["followerActivityByWeekday"]["suppressed"] is False
    assert french["bestTimesToPost"] == []
    assert (activity.scale, activity.periods) == (pytest.approx(4), 1)
    settings.PRIVACY_GEO_EPSILON = 32 / 0.1
    assert len(assert_data(client(*week_query(period, "FR")), ("me", "insights", "bestTimesToPost"))) == 3


# Who may read them -------------------------------------------------------------------------------

COUNTRY_FIELDS = (*SLICED, "followerRegions", "followerActivityByWeekday", "bestTimesToPost")


def selection_of(field: str) -> str:
    return {"followerActivityByWeekday": "{ suppressed }", "bestTimesToPost": "{ hour }"}.get(field, "{ suppressed }")


@pytest.mark.parametrize("field", COUNTRY_FIELDS)
def test_a_countrys_followers_are_the_accounts_own(gql: Any, geography: World, field: str) -> None:
    """Every follower breakdown of one country is the signed-in account's own: the creator and its
    INSIGHTS_READ token read it; another creator, a delegate of all the creator's videos included,
    reads its own account; a PERSONAL account is FORBIDDEN, a token without INSIGHTS_READ is denied
    ``insights`` itself, and an anonymous caller has no ``me``."""
    world = geography
    services.insights_access_grant(actor=world.creator, username="other_creator")
    without = token_for(world.creator, "PROFILE_READ", "FAVORITES_READ", "INTERACTIONS_WRITE")
    selection = selection_of(field)

    def read(client: Any) -> Any:
        return ask(client, field, selection, country="FR")

    owner = assert_data(read(gql(world.creator)), ("me", "insights", field))
    token = assert_data(read(gql(token=token_for(world.creator, "INSIGHTS_READ"))), ("me", "insights", field))
    other = assert_data(read(gql(world.other_creator)), ("me", "insights", field))

    assert owner == token
    assert owner != other
    assert other in ({"suppressed": True}, [])
    assert_denied(read(gql(world.viewer)), ("me", "insights", field), "FORBIDDEN")
    assert_denied(read(gql(token=without)), ("me", "insights"), "FORBIDDEN")
    assert read(gql(None)).body == {"data": {"me": None}}


# Bad input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("country", ["XX", "FRA", "F", "", " ", "FR\x00", "EU"])
def test_a_country_that_is_no_iso_code_is_bad_input(gql: Any, world: World, country: str) -> None:
    """On every follower breakdown of one country, anything but an ISO 3166-1 alpha-2 code is
    BAD_USER_INPUT on field country, never a 500."""
    client = gql(world.creator)

    for field in COUNTRY_FIELDS:
        error = assert_single_error(ask(client, field, selection_of(field), country=country), "BAD_USER_INPUT")
        assert error["extensions"]["field"] == "country", field


def test_follower_countries_take_no_country_and_regions_need_one(gql: Any, world: World) -> None:
    """A breakdown by country sliced by a country, or regions of no country, are refused by the
    schema itself (BAD_USER_INPUT, naming the argument), whichever engine; the selectors behind
    it hold the same as their contract (a caller that breaks it is a bug, not a client's input)."""
    client = gql(world.creator)

    by_country = ask(client, "followerCountries", country="FR")
    no_country = ask(client, "followerRegions")

    assert "country" in assert_single_error(by_country, "BAD_USER_INPUT")["message"]
    assert "country" in assert_single_error(no_country, "BAD_USER_INPUT")["message"]
    for dimension, country in ((Dimension.FOLLOWER_COUNTRY, "FR"), (Dimension.FOLLOWER_REGION, None)):
        with pytest.raises(AssertionError):
            check_slice(dimension, country)


@pytest.mark.parametrize("field", COUNTRY_FIELDS)
def test_geographic_analytics_turned_off_are_forbidden(
    gql: Any, geography: World, settings: Settings, field: str
) -> None:
    """With PRIVACY_GEO_EPSILON=0, every follower breakdown of one country is FORBIDDEN, a bad
    code too (nothing is checked of what cannot be asked), while the whole breakdowns answer."""
    settings.PRIVACY_GEO_EPSILON = 0
    client = gql(geography.creator)

    for country in ("FR", "XX"):
        assert_denied(ask(client, field, selection_of(field), country=country), ("me", "insights", field), "FORBIDDEN")
    if field != "followerRegions":
        assert_data(ask(client, field, selection_of(field)), ("me", "insights", field))
