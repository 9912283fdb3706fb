"""The attacks and the breakdowns they are mounted on: a new breakdown plugs in as one entry."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from random import Random

from engagement.analytics import keys
from engagement.analytics.privacy import geo_noise_scale, noise_scale
from tests.analytics.attacks import builders, guesses
from tests.analytics.attacks.builders import Placement
from tests.analytics.attacks.reader import Reader
from tests.analytics.attacks.worlds import DEFAULTS, Build, World

COUNTRIES, NOT_A_COUNTRY = ("FR", "DE", "US", "BR", "JP"), "CA"
GENDERS = ("FEMALE", "MALE", "NON_BINARY", "UNDISCLOSED")
AGES = tuple(builders.MIDDLE_AGE)
SOURCES = ("FOR_YOU", "FOLLOWING", "PROFILE", "SEARCH", "SOUND", "DIRECT_MESSAGE")
DEPTHS, NOT_A_DEPTH = tuple(keys.depth_key(percent) for percent in (0, 25, 50, 75, 100)), keys.depth_key(10)
WEEKHOURS = tuple(keys.weekhour_key(weekday, hour) for weekday, hour in ((0, 9), (2, 13), (4, 18), (6, 21)))
DEVICES = ("PHONE", "TABLET", "DESKTOP", "SMART_TV")
CHANNELS = ("COPY_LINK", "DIRECT_MESSAGE", "WHATSAPP", "SMS", "EMAIL")
REGIONS = ("FR_IDF", "FR_ARA", "FR_OCC", "FR_BRE", "FR_NOR")  # of builders.SLICE, the sliced country
SLICED = f"country: {builders.SLICE}"


@dataclass(frozen=True)
class Attack:
    """``build`` makes the world where the target holds a value; ``guess`` reads the API and
    names one candidate. ``releases``: the (histogram, period) releases holding the target that
    the guess reads, which the model's bound is computed from. ``undefended``: the success it
    must reach without the defense."""

    name: str
    field: str
    candidates: tuple[str, ...]
    build: Callable[[Build, str], World]
    guess: Callable[[Reader, World, Random], str]
    releases: int = 1
    undefended: float = 0.95
    variant: str = ""  # told apart from another attack on the same breakdown
    geographic: bool = False  # reads releases of the geographic budget (a country's slice)

    def noise_scale(self) -> float:
        """The scale of the noise on the releases it reads: their budget's."""
        return geo_noise_scale() if self.geographic else noise_scale()

    @property
    def blind(self) -> float:
        """The success of a guess that reads nothing: the secret is uniform over the candidates."""
        return 1 / len(self.candidates)

    @property
    def breakdown(self) -> str:
        return f"{self.field} {self.variant}".strip()

    @property
    def id(self) -> str:
        return f"{self.name}: {self.breakdown}"


def _follower_padding(field: str, candidates: Sequence[str], filler: str, place: Placement) -> Attack:
    return Attack(
        "sybil padding, followers",
        field,
        tuple(candidates),
        build=partial(builders.follower_padding, candidates, filler, place),
        guess=partial(guesses.padded_followers, field, candidates),
    )


def _audience_padding(field: str, candidates: Sequence[str], filler: str, place: Placement) -> Attack:
    return Attack(
        "sybil padding, video audience",
        field,
        tuple(candidates),
        build=partial(builders.audience_padding, candidates, filler, place),
        guess=partial(guesses.padded_audience, field, candidates),
    )


def _sharer_padding(field: str, candidates: Sequence[str], filler: str) -> Attack:
    return Attack(
        "sybil padding, sharers",
        field,
        tuple(candidates),
        build=partial(builders.sharer_padding, candidates, filler),
        guess=partial(guesses.padded_audience, field, candidates),
    )


def _split(candidates: tuple[str, str], build: Callable[[Build, str], World]) -> Attack:
    return Attack(
        "sybil padding, video audience",
        "viewerTypes",
        candidates,
        build=build,
        guess=partial(guesses.thin_side, "viewerTypes", candidates),
        variant="/".join(candidates),
    )


def _country_follower_padding(field: str, candidates: Sequence[str], filler: str, place: Placement) -> Attack:
    """Sybil padding of a follower breakdown's slice of one country (``country:``, regions)."""
    return Attack(
        "sybil padding, followers",
        field,
        tuple(candidates),
        build=partial(builders.country_follower_padding, candidates, filler, place),
        guess=partial(guesses.padded_followers, field, candidates, country=builders.SLICE),
        variant=SLICED,
        geographic=True,
    )


FOLLOWER_SLICE_ATTACKS = (
    _country_follower_padding("followerGenders", GENDERS, keys.UNKNOWN, builders.by_gender),
    _country_follower_padding("followerRegions", REGIONS, keys.UNKNOWN, builders.by_region),
)
WEEKLY_PADDING = Attack(
    "sybil padding, followers",
    "followerActivityByWeekday",
    WEEKHOURS,
    build=partial(builders.active_followers, WEEKHOURS),
    guess=partial(guesses.padded_weekly, "followerActivityByWeekday", WEEKHOURS),
)
RANGE_DIFFERENCING = Attack(
    "range differencing, followers",
    "followerCountries",
    COUNTRIES,
    build=partial(builders.visible_followers, COUNTRIES, builders.by_country),
    guess=partial(guesses.range_differencing, "followerCountries", COUNTRIES),
    releases=guesses.differencing_releases(DEFAULTS["PRIVACY_PERIOD_DAYS"]),
    undefended=0.6,
)
FOLLOW_UNFOLLOW = Attack(
    "follow, unfollow, follow again",
    "followerCountries",
    COUNTRIES,
    build=partial(builders.visible_followers, COUNTRIES, builders.by_country, unfollow=True),
    guess=partial(guesses.follow_unfollow, "followerCountries", COUNTRIES),
    releases=2,  # the snapshots of the second and the fourth period
    undefended=0.6,
)
DEPTH_PADDING = Attack(
    "sybil padding, video audience",
    "retention",
    DEPTHS,
    build=partial(builders.depth_padding, DEPTHS, NOT_A_DEPTH),
    guess=partial(guesses.depth_curve, DEPTHS),
)
SEVERAL_VIDEOS = Attack(
    f"one viewer on {builders.VIDEOS} videos",
    "audienceCountries",
    COUNTRIES,
    build=partial(builders.several_videos, COUNTRIES, builders.by_country),
    guess=partial(guesses.summed_videos, "audienceCountries", COUNTRIES),
    releases=1,  # counted in one of the creator's videos per period
)


def _slice_padding(field: str, candidates: Sequence[str], filler: str, place: Placement) -> Attack:
    """Sybil padding of one country's slice: the attacker's accounts and the target all declare
    ``builders.SLICE``, and the attacker reads that slice (regions are always of one country)."""
    return Attack(
        "sybil padding, video audience",
        field,
        tuple(candidates),
        build=partial(
            builders.audience_padding, candidates, filler, builders.in_slice(place), fillers=builders.GEO_FILLERS
        ),
        guess=partial(guesses.padded_audience, field, candidates, country=builders.SLICE),
        variant=SLICED,
        geographic=True,
    )


SLICE_DEPTH_PADDING = Attack(
    "sybil padding, video audience",
    "retention",
    DEPTHS,
    build=partial(
        builders.depth_padding,
        DEPTHS,
        NOT_A_DEPTH,
        fillers=builders.GEO_FILLERS,
        attributes={"country": builders.SLICE},
    ),
    guess=partial(guesses.depth_curve, DEPTHS, country=builders.SLICE),
    variant=SLICED,
    geographic=True,
)
COUNTRY_DAY_PADDING = Attack(
    "sybil padding, video audience",
    "countryViewers",
    COUNTRIES,
    build=partial(builders.country_day_padding, COUNTRIES),
    guess=partial(guesses.padded_country_day, COUNTRIES),
    variant="one day",
    geographic=True,
)
GEOGRAPHIC_ATTACKS = (
    _slice_padding("audienceGenders", GENDERS, keys.UNKNOWN, builders.by_gender),
    _slice_padding("audienceRegions", REGIONS, keys.UNKNOWN, builders.by_region),
    SLICE_DEPTH_PADDING,
    COUNTRY_DAY_PADDING,
)
ATTACKS = (
    _follower_padding("followerCountries", COUNTRIES, NOT_A_COUNTRY, builders.by_country),
    _follower_padding("followerGenders", GENDERS, keys.UNKNOWN, builders.by_gender),
    _follower_padding("followerAges", AGES, keys.UNKNOWN, builders.by_age),
    WEEKLY_PADDING,
    _follower_padding("followerDevices", DEVICES, keys.UNKNOWN, builders.by_device),
    _audience_padding("audienceCountries", COUNTRIES, NOT_A_COUNTRY, builders.by_country),
    _audience_padding("audienceGenders", GENDERS, keys.UNKNOWN, builders.by_gender),
    _audience_padding("audienceAges", AGES, keys.UNKNOWN, builders.by_age),
    _audience_padding("trafficSources", SOURCES, "OTHER", builders.by_source),
    _audience_padding("audienceDevices", DEVICES, keys.UNKNOWN, builders.by_device),
    _sharer_padding("shareChannels", CHANNELS, keys.OTHER),
    _split((keys.FOLLOWER, keys.NON_FOLLOWER), builders.following_split),
    _split((keys.RETURNING, keys.NEW), builders.returning_split),
    DEPTH_PADDING,
    RANGE_DIFFERENCING,
    FOLLOW_UNFOLLOW,
    SEVERAL_VIDEOS,
    *FOLLOWER_SLICE_ATTACKS,
    *GEOGRAPHIC_ATTACKS,
)
