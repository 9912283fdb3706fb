"""A video's geographic analytics through the API, on both engines: each breakdown sliced by
``country:``, ``audienceRegions`` and ``countryViewers``. What each slice counts (the people of
that country only), the floor and ``OTHER`` read from the country's noisy count, who may read
them, bad input, and what a slice costs in queries (docs/PRIVACY.md §8)."""

import json
import math
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django import Settings

from accounts.models import User
from engagement import services
from engagement.analytics import keys, releases
from engagement.analytics.models import Dimension
from engagement.analytics.privacy import Period
from engagement.models import DeviceType, ShareChannel, TrafficSource, Video
from tests.analytics.conftest import (
    both_engines,
    days_ago,
    follow_all,
    people,
    roll_up,
    share,
    video_insight_readers,
    watch,
)
from tests.api.cases import assert_data, assert_denied, assert_single_error
from tests.api.conftest import World, gid
from tests.factories import make_video

pytestmark = pytest.mark.both_engines

BREAKDOWN = "{ suppressed coveredFrom coveredTo buckets { key count share } }"
SLICED_BREAKDOWNS = (
    "trafficSources",
    "audienceGenders",
    "audienceAges",
    "viewerTypes",
    "audienceDevices",
    "shareChannels",
)
# Every field of a video's insights that reads a country's slice, and the least it selects.
GEOGRAPHIC_FIELDS = {
    **dict.fromkeys(SLICED_BREAKDOWNS, "{ suppressed }"),
    "retention": "{ suppressed }",
    "audienceRegions": "{ suppressed }",
    "countryViewers": "{ suppressed }",
}
SHOWN_NOTHING = {"suppressed": True, "buckets": []}


@pytest.fixture(autouse=True)
def exact_geographic_counts(exact_thresholds: None, settings: Settings) -> None:
    """No noise on the geographic releases either (tests/analytics/conftest.py turns the
    breakdowns' off): a test reads exact counts unless it sets the budgets itself."""
    settings.PRIVACY_GEO_EPSILON = math.inf


def insights_of(client: Any, video: Video, fields: str | list[str], **variables: Any) -> dict[str, Any]:
    """The video's insights with ``fields``; a list of aliased fields is asked in as many
    requests as the alias limit needs."""
    chunks = [fields] if isinstance(fields, str) else _chunks(fields)
    answer: dict[str, Any] = {}
    for chunk in chunks:
        query = f"query($id: ID!, $from: Date!, $to: Date!) {{ video(id: $id) {{ insights {{ {chunk} }} }} }}"
        answer |= assert_data(client(query, {"id": gid(video), **variables}), ("video", "insights"))
    return answer


def _chunks(fields: list[str]) -> list[str]:
    size = int(django_settings.GRAPHQL_LIMITS["max_aliases"])
    return [" ".join(fields[start : start + size]) for start in range(0, len(fields), size)]


def call(field: str, country: str | None, selection: str = BREAKDOWN) -> str:
    sliced = "" if country is None else f", country: {json.dumps(country)}"
    return f"{field}(from: $from, to: $to{sliced}) {selection}"


def shown(breakdown: dict[str, Any]) -> dict[str, int] | None:
    """The shown counts by key; None when suppressed."""
    return None if breakdown["suppressed"] else {bucket["key"]: bucket["count"] for bucket in breakdown["buckets"]}


def one_day(day: date) -> dict[str, str]:
    return {"from": day.isoformat(), "to": day.isoformat()}


# The audience: two countries, and people of no country ---------------------------------------------


class Audience:
    """The creator's 100-second video, watched on ``day`` by 180 signed-in people:

    - France, 120: 60 women born in 1990 from the For You feed on a phone to the end, following
      the creator (50 declared FR-75C, Paris, and 10 FR-IDF itself); 40 men born in 2000 from
      search on a tablet to half way, who had watched it before (30 in FR-69, 5 in FR-33, 5 in
      FR-35); 20 of no gender or age from a profile on a desktop to 10%, 15 without a region
      and 5 with a region outside France (DE-BY);
    - Germany, 40 non-binary people born in 1990 from the Following feed on a television to the end;
    - no country, 20 people who preferred not to say their gender, born in 1990, For You, phone, to the end.

    Sharers: the 60 French women by link, 20 of the French men by WhatsApp, 30 Germans by SMS."""

    def __init__(self, world: World) -> None:
        self.world, self.day = world, days_ago(5)
        self.video = make_video(world.creator, duration_seconds=100)
        before = days_ago(7)
        women = self._watch(
            {"FR-75C": 50, "FR-IDF": 10},
            {"country": "FR", "gender": "FEMALE", "birth_year": 1990},
            {"source": TrafficSource.FOR_YOU, "device": DeviceType.PHONE, "seconds": 100},
        )
        follow_all(women, world.creator, before)
        men = self._people(
            {"FR-69": 30, "FR-33": 5, "FR-35": 5}, {"country": "FR", "gender": "MALE", "birth_year": 2000}
        )
        watch(self.video, men, before)
        watch(self.video, men, self.day, source=TrafficSource.SEARCH, device=DeviceType.TABLET, seconds=50)
        self._watch(
            {"": 15, "DE-BY": 5},
            {"country": "FR"},
            {"source": TrafficSource.PROFILE, "device": DeviceType.DESKTOP, "seconds": 10},
        )
        germans = self._watch(
            {"DE-BY": 40},
            {"country": "DE", "gender": "NON_BINARY", "birth_year": 1990},
            {"source": TrafficSource.FOLLOWING, "device": DeviceType.SMART_TV, "seconds": 100},
        )
        self._watch(
            {"": 20},
            {"gender": "UNDISCLOSED", "birth_year": 1990},
            {"source": TrafficSource.FOR_YOU, "device": DeviceType.PHONE, "seconds": 100},
        )
        share(self.video, women, self.day, channel=ShareChannel.COPY_LINK)
        share(self.video, men[:20], self.day, channel=ShareChannel.WHATSAPP)
        share(self.video, germans[:30], self.day, channel=ShareChannel.SMS)
        roll_up(days_ago(10))

    def _people(self, regions: dict[str, int], attributes: dict[str, Any]) -> list[User]:
        return [person for region, n in regions.items() for person in people(n, region=region, **attributes)]

    def _watch(self, regions: dict[str, int], attributes: dict[str, Any], view: dict[str, Any]) -> list[User]:
        crowd = self._people(regions, attributes)
        watch(self.video, crowd, self.day, position=view["seconds"], **view)
        return crowd

    def read(self, client: Any, fields: str | list[str], **variables: Any) -> dict[str, Any]:
        return insights_of(client, self.video, fields, **{**one_day(self.day), **variables})


@pytest.fixture
def audience(world: World) -> Audience:
    return Audience(world)


def _ages(day: date) -> tuple[str, str]:
    return keys.age_key(1990, day), keys.age_key(2000, day)


def expected_breakdowns(day: date) -> dict[str | None, dict[str, dict[str, int]]]:
    """The exact counts of each breakdown: of France, and of everyone (no ``country``)."""
    born_1990, born_2000 = _ages(day)
    return {
        "FR": {
            "trafficSources": {"FOR_YOU": 60, "SEARCH": 40, "PROFILE": 20},
            "audienceGenders": {"FEMALE": 60, "MALE": 40, "UNKNOWN": 20},
            "audienceAges": {born_1990: 60, born_2000: 40, "UNKNOWN": 20},
            "viewerTypes": {"NEW": 80, "RETURNING": 40, "FOLLOWER": 60, "NON_FOLLOWER": 60},
            "audienceDevices": {"PHONE": 60, "TABLET": 40, "DESKTOP": 20},
            "shareChannels": {"COPY_LINK": 60, "WHATSAPP": 20},
        },
        None: {
            "trafficSources": {"FOR_YOU": 80, "SEARCH": 40, "FOLLOWING": 40, "PROFILE": 20},
            "audienceGenders": {"FEMALE": 60, "MALE": 40, "NON_BINARY": 40, "UNDISCLOSED": 20, "UNKNOWN": 20},
            "audienceAges": {born_1990: 120, born_2000: 40, "UNKNOWN": 20},
            "viewerTypes": {"NEW": 140, "RETURNING": 40, "FOLLOWER": 60, "NON_FOLLOWER": 120},
            "audienceDevices": {"PHONE": 80, "TABLET": 40, "SMART_TV": 40, "DESKTOP": 20},
            "shareChannels": {"COPY_LINK": 60, "SMS": 30, "WHATSAPP": 20},
        },
    }


def curve(shares: dict[int, float]) -> list[dict[str, Any]]:
    """The 21 points of a curve, ``shares`` giving the share from each listed percent on."""
    points, current = [], 0.0
    for percent in keys.DEPTH_PERCENTS:
        current = shares.get(percent, current)
        points.append({"percent": percent, "viewers": pytest.approx(current)})
    return points


# What each slice counts (noise off: exact counts) ---------------------------------------------------


def test_each_breakdown_of_a_country_counts_its_people_only(gql: Any, audience: Audience) -> None:
    """Given the audience, then each breakdown with ``country: "FR"`` counts the 120 French
    people only, by their own attributes and views (the sharers: the French ones); without
    ``country``, or with ``country: null``, it counts all 180 as before."""
    expected = expected_breakdowns(audience.day)
    fields = [
        f"{alias}: {call(field, country)}"
        for field in SLICED_BREAKDOWNS
        for alias, country in ((f"{field}FR", "FR"), (field, None))
    ]
    null_country = [
        f"{field}Null: {field}(from: $from, to: $to, country: null) {BREAKDOWN}" for field in SLICED_BREAKDOWNS
    ]

    insights = audience.read(gql(audience.world.creator), [*fields, *null_country])

    for field in SLICED_BREAKDOWNS:
        assert shown(insights[f"{field}FR"]) == expected["FR"][field], field
        assert shown(insights[field]) == expected[None][field], field
        assert insights[f"{field}Null"] == insights[field], field
        assert insights[f"{field}FR"]["coveredFrom"] == audience.day.isoformat()


def test_a_countrys_retention_curve_is_of_its_viewers(gql: Any, audience: Audience) -> None:
    """Given the audience, then the French curve is that of the 120 French viewers (everyone to
    10%, 100 to half way, 60 to the end) and the whole curve that of all 180."""
    fields = (
        f"fr: {call('retention', 'FR', '{ suppressed points { percent viewers } }')} "
        f"all: {call('retention', None, '{ suppressed points { percent viewers } }')}"
    )

    insights = audience.read(gql(audience.world.creator), fields)

    assert insights["fr"] == {"suppressed": False, "points": curve({0: 1.0, 15: 100 / 120, 55: 60 / 120})}
    assert insights["all"] == {"suppressed": False, "points": curve({0: 1.0, 15: 160 / 180, 55: 120 / 180})}


def test_regions_count_by_top_level_subdivision(gql: Any, audience: Audience) -> None:
    """Given the audience, then the French viewers show by top-level region: Paris (FR-75C) and
    FR-IDF itself in FR_IDF, FR-69 in FR_ARA, nothing declared or a region outside France in
    UNKNOWN, and the two regions of five people merged into OTHER (the rest of the country's
    count); the countries themselves are unchanged."""
    fields = f"regions: {call('audienceRegions', 'FR')} countries: {call('audienceCountries', None)}"

    insights = audience.read(gql(audience.world.creator), fields)

    assert shown(insights["regions"]) == {"FR_IDF": 60, "FR_ARA": 30, "UNKNOWN": 20, "OTHER": 10}
    assert insights["regions"]["buckets"][-1] == {"key": "OTHER", "count": 10, "share": pytest.approx(10 / 120)}
    assert shown(insights["countries"]) == {"FR": 120, "DE": 40, "UNKNOWN": 20}


def test_a_small_country_shows_nothing_however_many_watch(gql: Any, audience: Audience) -> None:
    """Given the audience, then Germany's 40 viewers are below the floor of 100: every German
    slice, its regions and its viewers by day are suppressed, though the video has 180 viewers
    and the whole breakdowns show."""
    slices = " ".join(f"{field}: {call(field, 'DE')}" for field in SLICED_BREAKDOWNS)
    fields = (
        f"{slices} audienceRegions: {call('audienceRegions', 'DE')} "
        f"retention: {call('retention', 'DE', '{ suppressed points { percent } }')} "
        f"countryViewers: {call('countryViewers', 'DE', '{ suppressed days { date } }')} "
        f"whole: {call('audienceGenders', None)}"
    )

    insights = audience.read(gql(audience.world.creator), fields)

    for field in (*SLICED_BREAKDOWNS, "audienceRegions"):
        assert {key: insights[field][key] for key in SHOWN_NOTHING} == SHOWN_NOTHING, field
    assert insights["retention"] == {"suppressed": True, "points": []}
    assert insights["countryViewers"] == {"suppressed": True, "days": []}
    assert insights["whole"]["suppressed"] is False


# Viewers of a country by day --------------------------------------------------------------------------


def test_country_viewers_count_each_person_on_their_first_view_of_the_period(
    gql: Any, world: World, settings: Settings
) -> None:
    """Given weeks as periods: 100 French people watch on the first day of a week, 30 of them
    again on its third day with 20 new ones, 10 more on its fifth, 50 Germans on its second,
    and 30 of the first French ones again in the next week. Then France shows one entry per day
    of the first week (100, 0, 20, 0, 10, 0, 0), each person on their first view of the week; the
    next week, whose 30 French viewers are below the floor, shows no day; a range starting
    mid-week shows its days with the same counts; Germany (50) is suppressed."""
    settings.PRIVACY_PERIOD_DAYS = 7
    week = Period.of(days_ago(40))
    video = make_video(world.creator)
    first = people(100, country="FR")
    watch(video, first, week.first)
    watch(video, people(50, country="DE"), week.first + timedelta(days=1))
    watch(video, [*first[:30], *people(20, country="FR")], week.first + timedelta(days=2))
    watch(video, people(10, country="FR"), week.first + timedelta(days=4))
    watch(video, first[:30], week.last + timedelta(days=1))
    roll_up(week.first)
    viewers = "{ suppressed coveredFrom coveredTo days { date viewers } }"
    fields = f"fr: {call('countryViewers', 'FR', viewers)} de: {call('countryViewers', 'DE', viewers)}"
    client = gql(world.creator)
    two_weeks = {"from": week.first.isoformat(), "to": (week.last + timedelta(days=7)).isoformat()}
    mid_week = {"from": (week.first + timedelta(days=2)).isoformat(), "to": week.last.isoformat()}

    both = insights_of(client, video, fields, **two_weeks)
    later = insights_of(client, video, f"fr: {call('countryViewers', 'FR', viewers)}", **mid_week)

    counts = (100, 0, 20, 0, 10, 0, 0)
    days = [{"date": (week.first + timedelta(days=n)).isoformat(), "viewers": c} for n, c in enumerate(counts)]
    assert both["fr"] == {
        "suppressed": False,
        "coveredFrom": week.first.isoformat(),
        "coveredTo": week.last.isoformat(),
        "days": days,
    }
    assert later["fr"]["days"] == days[2:]
    assert (later["fr"]["coveredFrom"], later["fr"]["coveredTo"]) == (mid_week["from"], mid_week["to"])
    assert both["de"] == {"suppressed": True, "coveredFrom": None, "coveredTo": None, "days": []}


# The floor and OTHER read the country's noisy count ----------------------------------------------------


def noise_key_where(settings: Settings, holds: Callable[[], bool]) -> None:
    """Set the first test noise key under which ``holds()``: a noise draw the test needs, so that
    what it shows cannot pass by the noise happening to be 0 (the key is the test's own)."""
    for n in range(1000):
        settings.PRIVACY_NOISE_KEY = f"geography-test-key-{n}-{'x' * 16}"
        if holds():
            return
    raise AssertionError("no test key gives the noise the test needs")


@pytest.fixture
def documented_budgets(settings: Settings) -> Period:
    """The default budgets and 28-day periods; the period holding the day 40 days ago."""
    settings.PRIVACY_EPSILON, settings.PRIVACY_GEO_EPSILON, settings.PRIVACY_PERIOD_DAYS = 1.0, 1.0, 28
    return Period.of(days_ago(40))


def country_noise(video: Video, period: Period) -> Callable[[str], int]:
    """The noise on a country's bucket of the video's whole country breakdown of ``period``,
    under the noise key set when it is asked."""
    return lambda country: releases.video_release(video, Dimension.COUNTRY, [period]).noise(country)


def test_the_floor_reads_the_countrys_noisy_count(world: World, documented_budgets: Period, settings: Settings) -> None:
    """Given 110 German and 95 French viewers, under a noise key that takes Germany's noisy count
    below 100 and France's to 100 or more, then every German slice is suppressed and the French
    ones are not: the floor never reads an exact count of a country."""
    period = documented_budgets
    video = make_video(world.creator)
    day = period.first + timedelta(days=3)
    watch(video, people(110, country="DE"), day)
    watch(video, people(95, country="FR", region="FR-75C"), day)
    roll_up(period.first)
    noise = country_noise(video, period)
    noise_key_where(settings, lambda: 110 + noise("DE") < 100 <= 95 + noise("FR"))
    whole_period = {"from": period.first.isoformat(), "to": period.last.isoformat()}
    fields = [
        f"{field}{country}: {call(field, country, selection)}"
        for field, selection in GEOGRAPHIC_FIELDS.items()
        for country in ("DE", "FR")
    ]

    for client in both_engines(world.creator).values():
        insights = insights_of(client, video, fields, **whole_period)

        assert {field: insights[f"{field}DE"]["suppressed"] for field in GEOGRAPHIC_FIELDS} == dict.fromkeys(
            GEOGRAPHIC_FIELDS, True
        )
        assert {field: insights[f"{field}FR"]["suppressed"] for field in GEOGRAPHIC_FIELDS} == dict.fromkeys(
            GEOGRAPHIC_FIELDS, False
        )


def test_other_regions_are_the_rest_of_the_noisy_country_count(
    world: World, documented_budgets: Period, settings: Settings
) -> None:
    """Given 900 French viewers (400 in Paris, 50 in each of ten other regions, each far below
    the gate, together far above it) and a noise key that moves France's count, then the regions,
    OTHER included, add up to the noisy France of the country breakdown, not to 900; the answer
    is the same asked again, from the other engine, or over a range inside the same period."""
    period = documented_budgets
    video = make_video(world.creator)
    others = ("FR-ARA", "FR-BFC", "FR-BRE", "FR-CVL", "FR-GES", "FR-HDF", "FR-NAQ", "FR-NOR", "FR-OCC", "FR-PAC")
    crowd = people(400, country="FR", region="FR-75C")
    crowd += [person for region in others for person in people(50, country="FR", region=region)]
    watch(video, crowd, period.first + timedelta(days=3))
    roll_up(period.first)
    noise = country_noise(video, period)
    noise_key_where(settings, lambda: noise("FR") != 0)
    whole_period = {"from": period.first.isoformat(), "to": period.last.isoformat()}
    inside = {**whole_period, "from": (period.first + timedelta(days=5)).isoformat()}
    fields = f"regions: {call('audienceRegions', 'FR')} countries: {call('audienceCountries', None)}"
    clients = both_engines(world.creator)

    answers = [insights_of(client, video, fields, **whole_period) for client in clients.values()]
    again = insights_of(clients["graphene"], video, fields, **inside)

    assert answers[0] == answers[1] == again
    regions, countries = shown(answers[0]["regions"]), shown(answers[0]["countries"])
    assert regions is not None and countries is not None
    assert {"FR_IDF", "OTHER"} <= set(regions)
    assert sum(regions.values()) == countries["FR"] == 900 + noise("FR")


# Who may read them ---------------------------------------------------------------------------------

ALL_GEOGRAPHIC = " ".join(f"{field}: {call(field, 'FR', selection)}" for field, selection in GEOGRAPHIC_FIELDS.items())
QUERY = (
    f"query($id: ID!, $from: Date!, $to: Date!) {{ video(id: $id) {{ id insights {{ saveCount {ALL_GEOGRAPHIC} }} }} }}"
)


def test_geographic_insights_for_the_owner_and_delegates_only(
    gql: Any, audience: Audience, subtests: pytest.Subtests
) -> None:
    """Given the video, which every role may see, then every slice of a country is denied with the
    documented code to anonymous, another viewer, a delegate of another video and the owner's or
    the delegate's token without INSIGHTS_READ (``insights`` itself); the owner and a delegate of
    the video, on a session or with an INSIGHTS_READ token, read the same answers."""
    world, video = audience.world, audience.video
    denied, allowed = video_insight_readers(gql, world, video)
    variables = {"id": gid(video), **one_day(audience.day)}
    for role, (client, code) in denied.items():
        with subtests.test(role=role):
            response = client(QUERY, variables)

            assert_denied(response, ("video", "insights"), code)
            assert response.data["video"]["id"] == gid(video)
    answers = {}
    for role, client in allowed.items():
        with subtests.test(role=role):
            answers[role] = assert_data(client(QUERY, variables), ("video", "insights"))
            assert all(answers[role][field] == {"suppressed": False} for field in GEOGRAPHIC_FIELDS), answers[role]
    assert all(answer == answers["owner"] for answer in answers.values())
    stranger = gql(world.other_creator)(QUERY, {**variables, "id": gid(world.locked_video)})
    assert_denied(stranger, ("video", "insights"), "FORBIDDEN")


def test_a_personal_accounts_video_has_no_geographic_insights(gql: Any, world: World) -> None:
    """Given a PERSONAL account's video, then its owner and its delegate read the totals and
    every slice of a country is FORBIDDEN (creator and business accounts only), each on its own
    path."""
    video = make_video(world.viewer)
    services.insights_access_grant(actor=world.viewer, username="other_viewer", video_id=video.pk)

    for user in (world.viewer, world.other_viewer):
        response = gql(user)(QUERY, {"id": gid(video), **one_day(days_ago(5))})

        assert response.status == 200
        refused = {tuple(error["path"]): error["extensions"]["code"] for error in response.errors}
        assert refused == {("video", "insights", field): "FORBIDDEN" for field in GEOGRAPHIC_FIELDS}
        assert response.data["video"]["insights"]["saveCount"] == 0


# Bad input --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("country", ["XX", "", "FRA", "F\u0000R", "\uff26\uff32", "1"])
def test_a_country_that_is_not_a_code_is_bad_user_input(gql: Any, world: World, country: str) -> None:
    """An unknown code, an empty one, a three-letter one, a NUL, full-width letters or a digit:
    on every field that takes a country, BAD_USER_INPUT naming ``country`` on that field's path."""
    fields = " ".join(
        f"{field}(from: $from, to: $to, country: $country) {selection}"
        for field, selection in GEOGRAPHIC_FIELDS.items()
    )
    query = (
        "query($id: ID!, $from: Date!, $to: Date!, $country: String!) "
        f"{{ video(id: $id) {{ id insights {{ saveCount {fields} }} }} }}"
    )

    response = gql(world.creator)(query, {"id": gid(world.public_video), "country": country, **one_day(days_ago(5))})

    assert response.status == 200
    refused = {
        tuple(error["path"]): (error["extensions"]["code"], error["extensions"].get("field"))
        for error in response.errors
    }
    assert refused == {("video", "insights", field): ("BAD_USER_INPUT", "country") for field in GEOGRAPHIC_FIELDS}
    assert response.data["video"]["id"] == gid(world.public_video)


def test_a_code_is_read_without_case_or_surrounding_spaces(gql: Any, audience: Audience) -> None:
    """``fr``, ``" fr "`` and ``Fr`` are France: the same answers as ``FR``."""
    fields = [
        f"{field}{n}: {call(field, country, selection)}"
        for field, selection in {**GEOGRAPHIC_FIELDS, "audienceGenders": BREAKDOWN}.items()
        for n, country in enumerate(("FR", "fr", " fr ", "Fr"))
    ]

    insights = audience.read(gql(audience.world.creator), fields)

    for field in GEOGRAPHIC_FIELDS:
        assert insights[f"{field}0"]["suppressed"] is False, field
        assert insights[f"{field}1"] == insights[f"{field}2"] == insights[f"{field}3"] == insights[f"{field}0"], field
    assert shown(insights["audienceGenders1"]) == {"FEMALE": 60, "MALE": 40, "UNKNOWN": 20}


@pytest.mark.parametrize(
    "fields",
    [
        'audienceCountries(from: $from, to: $to, country: "FR") { suppressed }',
        "audienceRegions(from: $from, to: $to) { suppressed }",
        "audienceRegions(from: $from, to: $to, country: null) { suppressed }",
        "countryViewers(from: $from, to: $to) { suppressed }",
    ],
    ids=["country on countries", "regions without country", "regions with a null country", "days without country"],
)
def test_a_country_where_none_is_taken_or_none_where_one_is_needed_is_refused(
    gql: Any, audience: Audience, fields: str
) -> None:
    """The schema says which breakdowns take a country (not the one by country) and which need one
    (regions, viewers by day): anything else is refused before anything runs, with no data."""
    query = f"query($id: ID!, $from: Date!, $to: Date!) {{ video(id: $id) {{ insights {{ {fields} }} }} }}"

    response = gql(audience.world.creator)(query, {"id": gid(audience.video), **one_day(audience.day)})

    assert_single_error(response, "BAD_USER_INPUT")
    assert response.data is None


def test_with_the_geographic_budget_at_zero_every_slice_is_forbidden(
    gql: Any, audience: Audience, settings: Settings
) -> None:
    """With PRIVACY_GEO_EPSILON=0 the geographic analytics are off: every slice is FORBIDDEN on
    its own path, and the same breakdowns without ``country`` still show."""
    settings.PRIVACY_GEO_EPSILON = 0
    client = gql(audience.world.creator)
    sliced = " ".join(f"{field}: {call(field, 'FR', selection)}" for field, selection in GEOGRAPHIC_FIELDS.items())
    variables = {"id": gid(audience.video), **one_day(audience.day)}

    response = client(
        f"query($id: ID!, $from: Date!, $to: Date!) {{ video(id: $id) {{ insights {{ {sliced} }} }} }}", variables
    )
    whole = audience.read(
        client, [f"{field}: {call(field, None, '{ suppressed }')}" for field in (*SLICED_BREAKDOWNS, "retention")]
    )

    assert response.status == 200
    refused = {tuple(error["path"]): error["extensions"]["code"] for error in response.errors}
    assert refused == {("video", "insights", field): "FORBIDDEN" for field in GEOGRAPHIC_FIELDS}
    assert response.data["video"]["insights"] == dict.fromkeys(GEOGRAPHIC_FIELDS)
    assert whole == {field: {"suppressed": False} for field in (*SLICED_BREAKDOWNS, "retention")}


# What a slice costs ----------------------------------------------------------------------------------


def test_a_slice_costs_the_same_queries_over_one_period_or_ten(gql: Any, audience: Audience) -> None:
    """Each sliced breakdown and regions cost a fixed few queries, whether the range holds one
    period or ten (one-day periods here): the periods' rows are summed in SQL."""
    client = gql(audience.world.creator)
    ten_days = {"from": days_ago(10).isoformat(), "to": days_ago(1).isoformat()}

    def queries(field: str, selection: str, variables: dict[str, str]) -> int:
        client("{ __typename }")
        with CaptureQueriesContext(connection) as captured:
            insights_of(client, audience.video, call(field, "FR", selection), **variables)
        return len(captured)

    costs = {
        field: (queries(field, selection, one_day(audience.day)), queries(field, selection, ten_days))
        for field, selection in GEOGRAPHIC_FIELDS.items()
        if field != "countryViewers"
    }

    assert all(one == ten for one, ten in costs.values()), costs
    assert max(ten for _, ten in costs.values()) <= 12, costs
