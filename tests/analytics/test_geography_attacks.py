"""Attacks on the geographic analytics through the API (docs/PRIVACY.md §8.2-§8.3): the
``country:`` filter, ``audienceRegions``, ``followerRegions`` and ``countryViewers``.

Each test mounts one attack at the default privacy settings (ε = 1 and ε_geo = 1, 28-day periods,
a fixed noise key so that a run is repeatable) and fails if it succeeds: an exact count of a
country's people, a fresh sample of keyed noise, a floor a single person flips, a slice someone
else reads, an answer that is a server error."""

import math
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from pytest_django import Settings

from accounts.models import AccountType, Follow, FollowStatus, User
from engagement.analytics.models import Dimension
from engagement.analytics.privacy import Noise, Period, days_in
from engagement.analytics.rollups import rollup_day
from engagement.models import DeviceType, TrafficSource, Video
from tests.analytics.conftest import at, people, token_for, watch
from tests.api.conftest import World, gid
from tests.factories import make_video

BUCKETS = "{ suppressed coveredFrom coveredTo buckets { key count share } }"
SLICES = f"""
query($id: ID!, $from: Date!, $to: Date!, $country: String!) {{
  video(id: $id) {{
    insights {{
      viewCount
      audienceCountries(from: $from, to: $to) {BUCKETS}
      audienceGenders(from: $from, to: $to, country: $country) {BUCKETS}
      audienceAges(from: $from, to: $to, country: $country) {BUCKETS}
      audienceDevices(from: $from, to: $to, country: $country) {BUCKETS}
      trafficSources(from: $from, to: $to, country: $country) {BUCKETS}
      audienceRegions(from: $from, to: $to, country: $country) {BUCKETS}
      countryViewers(from: $from, to: $to, country: $country) {{ suppressed days {{ date viewers }} }}
      retention(from: $from, to: $to, country: $country) {{ suppressed points {{ percent viewers }} }}
    }}
  }}
}}
"""
GATED_SLICES = ("audienceGenders", "audienceAges", "audienceDevices", "trafficSources", "audienceRegions")
NOISE_KEY = "a-fixed-noise-key-for-the-geography-attacks"
BIRTH_YEARS = (2012, 2004, 1995, 1986, 1976, 1966, 1950)  # one per age band in 2026
FR_REGIONS = ("FR-IDF", "FR-BRE", "FR-ARA", "FR-NAQ", "FR-OCC", "FR-PAC", "FR-HDF")


@pytest.fixture(autouse=True)
def default_privacy(settings: Settings) -> None:
    """The documented defaults (the analytics conftest turns the noise off) and one fixed key."""
    settings.PRIVACY_EPSILON = 1.0
    settings.PRIVACY_GEO_EPSILON = 1.0
    settings.PRIVACY_PERIOD_DAYS = 28
    settings.PRIVACY_NOISE_KEY = NOISE_KEY


def ended_period() -> Period:
    """A whole period that ended weeks ago: rolled up, it is final and released."""
    return Period.of(datetime.now(UTC).date() - timedelta(days=60))


def roll_up_period(period: Period) -> None:
    for day in days_in(period.first, period.last + timedelta(days=1)):
        rollup_day(day)


def whole(period: Period, **variables: Any) -> dict[str, Any]:
    return {"from": period.first.isoformat(), "to": period.last.isoformat(), **variables}


def country_noise(video: Video, country: str, period: Period) -> int:
    """The noise the whole country breakdown adds to ``country`` (the attacker cannot compute it:
    the test can, holding the key)."""
    return Noise.for_periods(f"video:{video.pk}:{Dimension.COUNTRY}", [period])(country)


def noisy_video(owner: User, period: Period, country: str = "FR") -> Video:
    """A video of ``owner`` whose country noise on ``country`` is not 0, so that an exact count and
    the noisy one differ and a test can tell which one an answer used."""
    while True:
        video = make_video(owner)
        if country_noise(video, country, period):
            return video


def spread_viewers(video: Video, day: date, n: int, country: str, **attributes: Any) -> list[User]:
    """``n`` viewers of ``country`` spread over the age bands, regions, devices and traffic
    sources, so that no bucket of a slice passes the gate and the slice shows its ``OTHER`` only."""
    devices = (DeviceType.PHONE, DeviceType.TABLET, DeviceType.DESKTOP, DeviceType.SMART_TV)
    sources = (TrafficSource.FOR_YOU, TrafficSource.FOLLOWING, TrafficSource.SEARCH, TrafficSource.PROFILE)
    viewers = []
    for index in range(n):
        region = FR_REGIONS[index % len(FR_REGIONS)] if country == "FR" else ""
        birth_year = BIRTH_YEARS[index % len(BIRTH_YEARS)]
        gender = ("FEMALE", "MALE", "NON_BINARY", "")[index % 4]
        (viewer,) = people(1, country=country, region=region, birth_year=birth_year, gender=gender, **attributes)
        watch(video, [viewer], day, device=devices[index % 4], source=sources[(index // 4) % 4])
        viewers.append(viewer)
    return viewers


def totals(breakdown: dict[str, Any]) -> int | None:
    """What an attacker adds up: the shown buckets and OTHER, when OTHER is shown (else None)."""
    keys = [bucket["key"] for bucket in breakdown["buckets"]]
    if breakdown["suppressed"] or "OTHER" not in keys:
        return None
    return sum(bucket["count"] for bucket in breakdown["buckets"])


def slices(client: Any, video: Video, period: Period, country: str = "FR") -> dict[str, Any]:
    response = client(SLICES, {"id": gid(video), **whole(period, country=country)})
    assert response.status == 200 and response.errors == [], response.body
    return response.data["video"]["insights"]


# An exact count of a country's people ------------------------------------------------------------


@pytest.mark.both_engines
@pytest.mark.parametrize("target", ["FR", "DE"])
def test_slices_add_up_to_the_noisy_country_count_never_the_exact_one(gql: Any, world: World, target: str) -> None:
    """Attack: the creator's sybils are 420 French and 150 German viewers and one target watches;
    the viewer total is exact (571), so the exact French count (420 or 421) would say the target's
    country. The attacker adds up each French slice's buckets and OTHER. Defense: every such sum is
    the French bucket of the whole country breakdown, noised (the figure audienceCountries
    noises), never the exact count; a test with the exact count in ``releases._noisy_people``
    fails here."""
    period = ended_period()
    video = noisy_video(world.creator, period)
    day = period.first + timedelta(days=3)
    spread_viewers(video, day, 420, "FR")
    watch(video, people(150, country="DE"), day)
    watch(video, people(1, country=target), day)
    roll_up_period(period)

    insights = slices(gql(world.creator), video, period)

    exact = 421 if target == "FR" else 420
    noisy = exact + country_noise(video, "FR", period)
    sums = {name: totals(insights[name]) for name in GATED_SLICES}
    assert sums["audienceAges"] is not None, insights  # every age band under the gate: OTHER alone
    assert {name: total for name, total in sums.items() if total is not None} == dict.fromkeys(
        (name for name, total in sums.items() if total is not None), noisy
    )
    assert noisy != exact


@pytest.mark.both_engines
def test_country_viewers_days_are_noised_and_repeat(gql: Any, world: World) -> None:
    """Attack: sum a country's viewers day by day and compare with the exact viewer total of a
    video only French people watch; ask again, and ask with the country written otherwise, for a
    fresh sample to average. Defense: every day of the period is noised (quiet days too), the sum
    is not the exact count, and every way of asking gives the same days."""
    period = ended_period()
    video = noisy_video(world.creator, period)
    day = period.first + timedelta(days=5)
    spread_viewers(video, day, 300, "FR")
    roll_up_period(period)
    client = gql(world.creator)

    answers = [slices(client, video, period, country)["countryViewers"] for country in ("FR", "fr", " Fr\t", "FR")]

    days = answers[0]["days"]
    assert not answers[0]["suppressed"] and len(days) == period.length
    assert sum(entry["viewers"] for entry in days) != 300
    assert any(entry["viewers"] for entry in days if entry["date"] != day.isoformat())
    assert all(answer == answers[0] for answer in answers)


@pytest.mark.both_engines
def test_a_slice_answers_the_same_however_the_country_is_written(gql: Any, world: World) -> None:
    """Attack: ask a slice again with the code in lower case, padded or behind a non-breaking
    space, hoping each spelling draws noise of its own (averaging them would recover the exact
    counts). Defense: the code is normalised before it labels the noise: the same answer."""
    period = ended_period()
    video = noisy_video(world.creator, period)
    spread_viewers(video, period.first + timedelta(days=2), 400, "FR")
    roll_up_period(period)
    client = gql(world.creator)

    answers = [slices(client, video, period, country) for country in ("FR", "fr", "  fR ", "\u00a0fr\n")]

    assert all(answer == answers[0] for answer in answers[1:])


# The audience floor ------------------------------------------------------------------------------


@pytest.mark.both_engines
def test_one_person_does_not_flip_a_slice_over_the_floor(gql: Any, world: World) -> None:
    """Attack: the creator puts exactly as many French sybils beside a target as leave the French
    slice one person short of (or right at) the audience floor of 100, so that whether the slice
    shows would say whether the target is French. Defense: the floor reads the noisy French count,
    so the slice shows exactly when that noisy count reaches 100, whatever the exact one says.
    Chosen so the two disagree: with the exact count in the floor this test fails."""
    period = ended_period()
    video = noisy_video(world.creator, period)
    noise = country_noise(video, "FR", period)
    french = 100 if noise < 0 else 99  # exact count and noisy count fall on opposite sides of 100
    day = period.first + timedelta(days=1)
    watch(video, people(french, country="FR", gender="FEMALE"), day)
    watch(video, people(150, country="DE"), day)
    roll_up_period(period)

    genders = slices(gql(world.creator), video, period)["audienceGenders"]

    assert genders["suppressed"] is (french + noise < 100)
    assert genders["suppressed"] is not (french < 100)


# Changing one's country within a period ----------------------------------------------------------


@pytest.mark.both_engines
def test_viewers_who_move_country_within_a_period_count_in_one_slice(
    gql: Any, world: World, settings: Settings
) -> None:
    """Attack: 120 people watch as French, then declare Germany and watch again in the same
    period, to be counted in both countries' slices (twice the memberships the budget counts).
    Defense: a person counts once per video and period, on their first view: in the French slice
    only. Read without noise, so the counts are exact."""
    settings.PRIVACY_EPSILON = math.inf
    settings.PRIVACY_GEO_EPSILON = math.inf
    period = ended_period()
    video = make_video(world.creator)
    movers = people(120, country="FR", gender="FEMALE")
    watch(video, movers, period.first + timedelta(days=1))
    watch(video, people(150, country="IT"), period.first + timedelta(days=1))
    for day in days_in(period.first, period.first + timedelta(days=2)):
        rollup_day(day)
    User.objects.filter(pk__in=[mover.pk for mover in movers]).update(country="DE", region="DE-BE")
    watch(video, movers, period.first + timedelta(days=4))
    roll_up_period(period)
    client = gql(world.creator)

    french, german = (slices(client, video, period, country)["audienceGenders"] for country in ("FR", "DE"))

    assert french == {
        "suppressed": False,
        "coveredFrom": period.first.isoformat(),
        "coveredTo": period.last.isoformat(),
        "buckets": [{"key": "FEMALE", "count": 120, "share": 1.0}],
    }
    assert german["suppressed"] is True and german["buckets"] == []


# Odd input: an answer or BAD_USER_INPUT, never a server error -------------------------------------

VIDEO_FIELD = """
query($id: ID!, $from: Date!, $to: Date!, $country: String!) {{
  video(id: $id) {{ insights {{ {field}(from: $from, to: $to, country: $country) {{ __typename }} }} }}
}}
"""
ACCOUNT_FIELD = """
query($from: Date!, $to: Date!, $country: String!) {{
  me {{ insights {{ {field}(from: $from, to: $to, country: $country) {{ __typename }} }} }}
}}
"""
VIDEO_FIELDS = ("audienceGenders", "audienceRegions", "countryViewers", "retention", "shareChannels", "viewerTypes")
ACCOUNT_FIELDS = (
    "followerGenders",
    "followerRegions",
    "followerActivity",
    "followerActivityByWeekday",
    "bestTimesToPost",
)
ODD_COUNTRIES = {
    "empty": "",
    "blank": "   ",
    "three letters": "FRA",
    "NUL": "\u0000",
    "NUL then code": "\u0000FR",
    "lone surrogate": "\ud800",
    "ten thousand characters": "F" * 10_000,
    "fullwidth": "\uff26\uff32",
    "cyrillic lookalike": "\u0421\u041d",  # Cyrillic ES and EN, which look like CH
    "UNKNOWN": "UNKNOWN",
    "OTHER": "OTHER",
    "a region code": "FR-IDF",
    "user-assigned code": "XK",
    "SQL": "FR' OR '1'='1",
}


def field_path(field: str) -> tuple[str, ...]:
    return ("me", "insights", field) if field in ACCOUNT_FIELDS else ("video", "insights", field)


def ask_field(client: Any, field: str, video: Video, **variables: Any) -> Any:
    if field in ACCOUNT_FIELDS:
        return client(ACCOUNT_FIELD.format(field=field), variables)
    return client(VIDEO_FIELD.format(field=field), {"id": gid(video), **variables})


@pytest.mark.both_engines
@pytest.mark.parametrize("country", ODD_COUNTRIES.values(), ids=ODD_COUNTRIES.keys())
def test_odd_countries_are_bad_user_input(gql: Any, world: World, country: str) -> None:
    """Attack: every geographic field with a country no vocabulary holds (empty, NUL, a lone
    surrogate, 10,000 characters, look-alike letters, the OTHER and UNKNOWN keys, a region code)
    hoping for a server error or a slice of unknown people. Defense: BAD_USER_INPUT on `country`."""
    client = gql(world.creator)
    period = ended_period()
    for field in (*VIDEO_FIELDS, *ACCOUNT_FIELDS):
        response = ask_field(client, field, world.public_video, **whole(period, country=country))
        assert response.status == 200, (field, response.body)
        assert [
            (error["path"], error["extensions"]["code"], error["extensions"].get("field")) for error in response.errors
        ] == [(list(field_path(field)), "BAD_USER_INPUT", "country")], field


@pytest.mark.both_engines
@pytest.mark.parametrize("country", ["SS", "\u00df", "\u0131\u017f"], ids=["SS", "sharp s", "dotless i, long s"])
def test_letters_that_upper_case_into_a_code_read_that_code_s_release(gql: Any, world: World, country: str) -> None:
    """Attack: a sharp s upper-cases to SS (South Sudan), a dotless i and a long s to IS: spellings
    the check accepts but the noise label might not share. Defense: each is answered as the code
    it becomes, the same answer as that code's (no fresh noise)."""
    period = ended_period()
    video = make_video(world.creator)
    spread_viewers(video, period.first + timedelta(days=1), 120, "SS")
    spread_viewers(video, period.first + timedelta(days=1), 120, "IS")
    roll_up_period(period)
    client = gql(world.creator)
    code = country.upper()

    assert slices(client, video, period, country) == slices(client, video, period, code)


SUBDIVISIONS = "query($country: String!) { subdivisions(country: $country) { code } }"


@pytest.mark.both_engines
@pytest.mark.parametrize("country", ODD_COUNTRIES.values(), ids=ODD_COUNTRIES.keys())
def test_subdivisions_refuse_odd_countries(gql: Any, country: str) -> None:
    """Attack: ``subdivisions(country:)`` with the same odd values, anonymously. Defense:
    BAD_USER_INPUT on `country`."""
    response = gql(None)(SUBDIVISIONS, {"country": country})

    assert response.status == 200, response.body
    assert [(error["extensions"]["code"], error["extensions"].get("field")) for error in response.errors] == [
        ("BAD_USER_INPUT", "country")
    ]


UPDATE_PROFILE = """
mutation($country: String, $region: String) {
  updateProfile(input: {country: $country, region: $region}) { me { country region } }
}
"""
ODD_REGIONS = {
    "NUL": "FR-\u0000IDF",
    "lone surrogate": "\ud800",
    "ten thousand characters": "FR-" + "I" * 10_000,
    "another country's": "DE-BE",
    "a country code": "FR",
    "bare hyphen": "FR-",
    "fullwidth": "\uff26\uff32-\uff29\uff24\uff26",
    "SQL": "FR-IDF' --",
}


@pytest.mark.both_engines
@pytest.mark.parametrize("region", ODD_REGIONS.values(), ids=ODD_REGIONS.keys())
def test_update_profile_refuses_odd_regions_and_changes_nothing(gql: Any, world: World, region: str) -> None:
    """Attack: declare a region that is no subdivision of one's country, or text no database takes.
    Defense: BAD_USER_INPUT on `region`, and neither the country nor the region changes."""
    User.objects.filter(pk=world.viewer.pk).update(country="FR", region="FR-BRE")

    response = gql(world.viewer)(UPDATE_PROFILE, {"country": "FR", "region": region})

    assert response.status == 200, response.body
    assert [(error["extensions"]["code"], error["extensions"].get("field")) for error in response.errors] == [
        ("BAD_USER_INPUT", "region")
    ]
    assert User.objects.values_list("country", "region").get(pk=world.viewer.pk) == ("FR", "FR-BRE")


# Cost: many slices in one request ---------------------------------------------------------------


def aliased_regions(countries: list[str]) -> str:
    fields = "\n".join(
        f'r{index}: audienceRegions(from: $from, to: $to, country: "{code}") {{ suppressed buckets {{ key count }} }}'
        for index, code in enumerate(countries)
    )
    return f"query($id: ID!, $from: Date!, $to: Date!) {{ video(id: $id) {{ insights {{ {fields} }} }} }}"


@pytest.mark.both_engines
def test_many_region_slices_over_a_year_stay_within_the_limits(gql: Any, world: World) -> None:
    """Attack: the most aliases a request may hold, each a region breakdown of a country with many
    regions over the longest range (fourteen periods), then one alias more. Defense: the first
    answers quickly (well under the request deadline), the second is refused before it runs."""
    period = ended_period()
    video = make_video(world.creator)
    spread_viewers(video, period.first, 150, "FR")
    roll_up_period(period)
    client = gql(world.creator)
    year = {"from": (period.last - timedelta(days=365)).isoformat(), "to": period.last.isoformat()}
    many = ["SI", "US", "FR", "GB", "DE", "IT", "ES", "PL", "RU", "CN", "IN", "BR", "MX", "JP", "NG"]

    started = time.monotonic()
    answered = client(aliased_regions(many[:14]), {"id": gid(video), **year})
    elapsed = time.monotonic() - started
    refused = client(aliased_regions([*many, "CA"]), {"id": gid(video), **year})

    assert answered.status == 200 and answered.errors == [], answered.body
    assert elapsed < 10, elapsed
    assert refused.data is None and len(refused.errors) == 1, refused.body


# Whose slices: the owner's alone (and their delegates', on the videos delegated) ------------------

REGIONS_OF_VIDEO = """
query($id: ID!, $from: Date!, $to: Date!) {
  video(id: $id) {
    insights {
      audienceRegions(from: $from, to: $to, country: "FR") { suppressed buckets { key count } }
      audienceGenders(from: $from, to: $to, country: "FR") { suppressed buckets { key count } }
      countryViewers(from: $from, to: $to, country: "FR") { suppressed days { date viewers } }
    }
  }
}
"""
REGIONS_OF_FOLLOWERS = """
query($from: Date!, $to: Date!) {
  me {
    insights {
      followerRegions(from: $from, to: $to, country: "FR") { suppressed buckets { key count } }
      followerGenders(from: $from, to: $to, country: "FR") { suppressed buckets { key count } }
      followerActivity(from: $from, to: $to, country: "FR") { suppressed buckets { key count } }
    }
  }
}
"""
GRANT = """
mutation($name: String!, $video: ID) {
  grantInsightsAccess(input: {username: $name, videoId: $video}) { video { id } }
}
"""


def value_at(data: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        if not isinstance(data, dict):
            return None
        data = data.get(name)
    return data


def reads_video_slices(client: Any, video: Video) -> bool:
    """Whether ``client`` reads the video's French slices; otherwise no slice came back and each
    error is a denial (never a server error)."""
    response = client(REGIONS_OF_VIDEO, {"id": gid(video), **whole(ended_period())})
    assert response.status == 200, response.body
    return _read(response, ("video", "insights"), ("audienceRegions", "audienceGenders", "countryViewers"))


def reads_follower_slices(client: Any) -> bool:
    response = client(REGIONS_OF_FOLLOWERS, whole(ended_period()))
    assert response.status == 200, response.body
    return _read(response, ("me", "insights"), ("followerRegions", "followerGenders", "followerActivity"))


def _read(response: Any, path: tuple[str, ...], names: tuple[str, ...]) -> bool:
    """Every slice came back, without an error; or none did, and each error is a denial (a
    parent left null, such as ``me`` for the anonymous, refuses without one)."""
    insights = value_at(response.data, path)
    slices = [value_at(insights, (name,)) for name in names]
    if all(value is not None for value in slices):
        assert response.errors == [], response.body
        return True
    assert all(value is None for value in slices), response.body
    assert set(response.codes) <= {"FORBIDDEN", "UNAUTHENTICATED"}, response.body
    return False


@pytest.mark.both_engines
def test_only_the_owner_and_delegates_of_that_video_read_its_slices(gql: Any, world: World) -> None:
    """Attack: read the creator's French slices as anyone else: anonymous, a viewer, another
    creator, a delegate of the creator's other video, a token without INSIGHTS_READ. Defense:
    the owner and their token with INSIGHTS_READ read them, and a delegate reads the video
    delegated, nothing else."""
    video, other_video = world.public_video, make_video(world.creator)
    assert gql(world.creator)(GRANT, {"name": "other_viewer", "video": gid(video)}).errors == []

    readers = {
        "owner": gql(world.creator),
        "owner's INSIGHTS_READ token": gql(token=token_for(world.creator, "INSIGHTS_READ")),
        "delegate of this video": gql(world.other_viewer),
    }
    strangers = {
        "anonymous": gql(None),
        "viewer": gql(world.viewer),
        "other creator": gql(world.other_creator),
        "owner's PROFILE_READ token": gql(token=token_for(world.creator, "PROFILE_READ")),
        "owner's write token": gql(token=token_for(world.creator, "INTERACTIONS_WRITE", "FAVORITES_WRITE")),
    }

    assert {name: reads_video_slices(client, video) for name, client in readers.items()} == dict.fromkeys(readers, True)
    assert {name: reads_video_slices(client, video) for name, client in strangers.items()} == dict.fromkeys(
        strangers, False
    )
    assert reads_video_slices(gql(world.other_viewer), other_video) is False


@pytest.mark.both_engines
def test_a_personal_account_reads_no_slice_of_its_own(gql: Any, world: World) -> None:
    """Attack: a personal account (totals only) asks its own video's and followers' slices.
    Defense: refused, like every other breakdown of a personal account."""
    video = make_video(world.viewer)

    assert reads_video_slices(gql(world.viewer), video) is False
    assert reads_follower_slices(gql(world.viewer)) is False


@pytest.mark.both_engines
def test_follower_slices_are_the_account_s_own(gql: Any, world: World) -> None:
    """Attack: read the follower slices anonymously or with a token lacking INSIGHTS_READ.
    Defense: refused; the creator and their INSIGHTS_READ token read them."""
    assert reads_follower_slices(gql(world.creator)) is True
    assert reads_follower_slices(gql(token=token_for(world.creator, "INSIGHTS_READ"))) is True
    assert reads_follower_slices(gql(None)) is False
    assert reads_follower_slices(gql(token=token_for(world.creator, "PROFILE_READ", "FAVORITES_READ"))) is False


# Another person's region, anywhere ---------------------------------------------------------------

FIELDS_OF_TYPES = "{ __schema { types { name fields { name } inputFields { name } } } }"


@pytest.mark.both_engines
def test_no_type_but_me_names_a_region(gql: Any) -> None:
    """Attack: look through the schema for anywhere a person's region (or country) is readable:
    the public User, search results, notifications, subscriptions. Defense: only ``Me`` (the
    viewer's own) has such a field, and the inputs that set one take it."""
    response = gql(None)(FIELDS_OF_TYPES)
    types = response.data["__schema"]["types"]

    holders = {
        kind["name"]
        for kind in types
        for field in (kind["fields"] or []) + (kind["inputFields"] or [])
        if field["name"] in ("region", "country")
    }

    assert holders == {"Me", "UpdateProfileInput", "SignUpInput"}


@pytest.mark.both_engines
def test_me_region_needs_profile_read(gql: Any, world: World) -> None:
    """Attack: an analytics tool holding only INSIGHTS_READ reads its user's region. Defense:
    ``Me.region`` is refused to it, and given to PROFILE_READ."""
    User.objects.filter(pk=world.creator.pk).update(country="FR", region="FR-IDF")
    query = "{ me { region } }"

    insights_only = gql(token=token_for(world.creator, "INSIGHTS_READ"))(query)
    profile = gql(token=token_for(world.creator, "PROFILE_READ"))(query)

    assert insights_only.data in (None, {"me": None}, {"me": {"region": None}}), insights_only.body
    assert insights_only.codes == ["FORBIDDEN"], insights_only.body
    assert profile.errors == [] and profile.data == {"me": {"region": "FR-IDF"}}


# Sybils beside one target ------------------------------------------------------------------------

CANDIDATE_REGIONS = ("FR-IDF", "FR-BRE", "FR-OCC")
REGIONS_QUERY = """
query($id: ID!, $from: Date!, $to: Date!) {
  video(id: $id) {
    insights { audienceRegions(from: $from, to: $to, country: "FR") { suppressed buckets { key count } } }
  }
  me { insights { followerRegions(from: $from, to: $to, country: "FR") { suppressed buckets { key count } } } }
}
"""


@pytest.mark.both_engines
@pytest.mark.parametrize("region", CANDIDATE_REGIONS)
def test_sybils_beside_a_target_do_not_reveal_their_region(gql: Any, world: World, region: str) -> None:
    """Attack: the creator's French sybils fill the floor (150 of no region) and hold nine seats
    in each candidate region; one target, French, of one of them, follows the creator and watches
    the video. The region that reaches ten would name the target's. Defense: a region shows only
    when its noisy count reaches the gate (232 for France at the defaults), so none of the
    candidates shows, whichever the target's is. Without the defense (noise off, the gate at
    PRIVACY_MIN_BUCKET) the target's region shows alone at 10, and this test fails."""
    period = ended_period()
    video = make_video(world.creator)
    day = period.first + timedelta(days=2)
    sybils = people(150, country="FR")
    for candidate in CANDIDATE_REGIONS:
        sybils += people(9, country="FR", region=candidate)
    target = people(1, country="FR", region=region)
    for crowd in (sybils, target):
        watch(video, crowd, day)
        Follow.objects.bulk_create(
            Follow(follower=person, followee=world.creator, status=FollowStatus.ACCEPTED, created_at=at(day, 8))
            for person in crowd
        )
    roll_up_period(period)

    response = gql(world.creator)(REGIONS_QUERY, {"id": gid(video), **whole(period)})

    assert response.errors == [], response.body
    audience = response.data["video"]["insights"]["audienceRegions"]
    followers = response.data["me"]["insights"]["followerRegions"]
    shown = {bucket["key"] for breakdown in (audience, followers) for bucket in breakdown["buckets"]}
    assert not audience["suppressed"] and not followers["suppressed"], response.body
    assert shown.isdisjoint(candidate.replace("-", "_") for candidate in CANDIDATE_REGIONS), response.body


FOLLOWER_SLICES = f"""
query($from: Date!, $to: Date!, $country: String!) {{
  me {{
    insights {{
      followerAges(from: $from, to: $to, country: $country) {BUCKETS}
      followerGenders(from: $from, to: $to, country: $country) {BUCKETS}
      followerRegions(from: $from, to: $to, country: $country) {BUCKETS}
      followerActivity(from: $from, to: $to, country: $country) {BUCKETS}
    }}
  }}
}}
"""


def noisy_creator(period: Period, country: str = "FR") -> tuple[User, int]:
    """A creator account whose follower-country noise on ``country`` is not 0, and that noise."""
    while True:
        (creator,) = people(1, account_type=AccountType.CREATOR)
        noise = Noise.for_periods(f"account:{creator.pk}:{Dimension.FOLLOWER_COUNTRY}", [period])(country)
        if noise:
            return creator, noise


@pytest.mark.both_engines
@pytest.mark.parametrize("target", ["FR", "DE"])
def test_follower_slices_add_up_to_the_noisy_country_count(gql: Any, target: str) -> None:
    """Attack: the follower count is exact; the creator's sybils are 420 French followers of
    every age band and region and 150 German ones, and a target follows. Adding up a French
    follower slice's buckets and OTHER would give 420 or 421: the target's country. Defense: each
    such sum is the noisy French bucket of followerCountries; the activity slice, which no
    released count describes, shows no OTHER."""
    period = ended_period()
    creator, noise = noisy_creator(period)
    day = period.first + timedelta(days=2)
    french = [
        people(1, country="FR", region=FR_REGIONS[index % 7], birth_year=BIRTH_YEARS[index % 7])[0]
        for index in range(420)
    ]
    crowd = [*french, *people(150, country="DE"), *people(1, country=target)]
    Follow.objects.bulk_create(
        Follow(follower=person, followee=creator, status=FollowStatus.ACCEPTED, created_at=at(day, 8))
        for person in crowd
    )
    roll_up_period(period)

    response = gql(creator)(FOLLOWER_SLICES, whole(period, country="FR"))

    assert response.errors == [], response.body
    insights = response.data["me"]["insights"]
    exact = 421 if target == "FR" else 420
    sums = [totals(insights[name]) for name in ("followerAges", "followerGenders", "followerRegions")]
    assert sums[0] is not None, insights  # every age band under the gate: OTHER alone
    assert {total for total in sums if total is not None} == {exact + noise}
    assert all(bucket["key"] != "OTHER" for bucket in insights["followerActivity"]["buckets"])


@pytest.mark.both_engines
def test_a_slice_answers_the_same_for_any_range_touching_its_period(gql: Any, world: World) -> None:
    """Attack: ask a slice over ranges that cut its period (a week inside it, its last day, one
    running into the period not yet released), hoping each aligns its own release. Defense: each
    range is answered from the whole period holding its days, the same release."""
    period = ended_period()
    video = noisy_video(world.creator, period)
    spread_viewers(video, period.first + timedelta(days=4), 400, "FR")
    roll_up_period(period)
    client = gql(world.creator)
    ranges = [
        (period.first, period.last),
        (period.first + timedelta(days=3), period.first + timedelta(days=9)),
        (period.last, period.last),
        (period.last - timedelta(days=2), period.last + timedelta(days=5)),
    ]

    answers = []
    for first, last in ranges:
        response = client(
            SLICES, {"id": gid(video), "from": first.isoformat(), "to": last.isoformat(), "country": "FR"}
        )
        assert response.errors == [], response.body
        insights = response.data["video"]["insights"]
        answers.append({name: insights[name] for name in (*GATED_SLICES, "retention")})

    assert all(answer == answers[0] for answer in answers[1:])


# Ranges at the edges of the calendar --------------------------------------------------------------

EDGE_RANGES = {
    "year one": ("0001-01-01", "0001-01-31"),
    "year 9999": ("9999-12-01", "9999-12-31"),
    "one day too many": ("2025-01-01", "2026-01-02"),
}


@pytest.mark.both_engines
@pytest.mark.parametrize(("first", "last"), EDGE_RANGES.values(), ids=EDGE_RANGES.keys())
def test_ranges_at_the_edges_of_the_calendar_are_answered_or_refused(
    gql: Any, world: World, first: str, last: str
) -> None:
    """Attack: slices (and the whole breakdown beside them) over ranges at the ends of the
    calendar, where a period's first or last day falls outside the dates Python can hold, once
    some day is final. Defense: an answer (nothing is released there) or BAD_USER_INPUT, never a
    server error."""
    period = ended_period()
    video = make_video(world.creator)
    watch(video, people(3, country="FR"), period.first)
    roll_up_period(period)
    query = f"""
    query($id: ID!, $from: Date!, $to: Date!) {{
      video(id: $id) {{
        insights {{
          audienceGenders(from: $from, to: $to) {BUCKETS}
          slice: audienceGenders(from: $from, to: $to, country: "FR") {BUCKETS}
          audienceRegions(from: $from, to: $to, country: "FR") {BUCKETS}
          countryViewers(from: $from, to: $to, country: "FR") {{ suppressed }}
          retention(from: $from, to: $to, country: "FR") {{ suppressed }}
        }}
      }}
    }}
    """

    response = gql(world.creator)(query, {"id": gid(video), "from": first, "to": last})

    assert response.status == 200, response.body
    assert set(response.codes) <= {"BAD_USER_INPUT"}, response.body


REGION_KEY_DOCUMENTS = {
    "unused RegionKey variable": ("query($key: RegionKey) { __typename }", {"key": "FR_IDF"}),
    "RegionKey variable, a code": ("query($key: RegionKey) { __typename }", {"key": "FR-IDF"}),
    "RegionKey variable, long": ("query($key: RegionKey) { __typename }", {"key": "R" * 10_000}),
    "RegionKey variable as a country": (
        "query($key: RegionKey!) { subdivisions(country: $key) { code } }",
        {"key": "FR_IDF"},
    ),
    "enum literal as a country": ("{ subdivisions(country: FR_IDF) { code } }", {}),
}


@pytest.mark.both_engines
@pytest.mark.parametrize(("document", "variables"), REGION_KEY_DOCUMENTS.values(), ids=REGION_KEY_DOCUMENTS.keys())
def test_region_keys_in_variables_are_refused_as_requests(gql: Any, document: str, variables: dict[str, Any]) -> None:
    """Attack: the RegionKey enum where no argument takes it (an unused variable, a code with its
    hyphen, 10,000 characters, a country argument). Defense: the request is refused with one
    request error, before anything runs; never a server error."""
    response = gql(None)(document, variables)

    assert response.status in (200, 400), response.body
    assert response.data is None and len(response.errors) == 1, response.body
    assert response.codes[0] not in ("INTERNAL", "INTERNAL_SERVER_ERROR"), response.body


@pytest.mark.both_engines
@pytest.mark.parametrize("target", ["FR", "DE"])
def test_a_slice_minus_the_whole_breakdown_is_no_exact_count(gql: Any, world: World, target: str) -> None:
    """Attack: 400 French women watch, and one target woman, French or German. Were a slice noised
    like the whole breakdown (the same draw), ``audienceGenders`` less ``audienceGenders(country:
    "FR")`` would be the exact number of women from elsewhere: 0 or 1, the target's country.
    Defense: the slice draws noise of its own label (``GENDER@FR``, at the geographic scale), so
    the difference is noise, not the exact count."""
    period = ended_period()
    video = make_video(world.creator)
    day = period.first + timedelta(days=2)
    watch(video, people(400, country="FR", gender="FEMALE"), day)
    watch(video, people(1, country=target, gender="FEMALE"), day)
    roll_up_period(period)

    insights = slices(gql(world.creator), video, period)
    response = gql(world.creator)(
        f"query($id: ID!, $from: Date!, $to: Date!) {{ video(id: $id) {{ insights {{ "
        f"audienceGenders(from: $from, to: $to) {BUCKETS} }} }} }}",
        {"id": gid(video), **whole(period)},
    )
    everyone = {
        bucket["key"]: bucket["count"] for bucket in response.data["video"]["insights"]["audienceGenders"]["buckets"]
    }
    french = {bucket["key"]: bucket["count"] for bucket in insights["audienceGenders"]["buckets"]}

    assert "FEMALE" in everyone and "FEMALE" in french, (everyone, french)
    assert everyone["FEMALE"] - french["FEMALE"] != (1 if target == "DE" else 0)
