"""The closed vocabulary of breakdown bucket keys.

A bucket key is an enum value, never free text: the schema itself then proves that a breakdown
can name a country, a band or an hour, and never a person (the privacy audit's rule for
owner-aggregate fields). Self-declared values outside the vocabulary count as ``UNKNOWN``.
"""

from datetime import date

from django.db import models

from accounts import places
from accounts.models import Gender
from engagement.models import DeviceType, ShareChannel, TrafficSource

OTHER = "OTHER"
UNKNOWN = "UNKNOWN"

COUNTRY_CODES = places.COUNTRY_CODES
_COUNTRIES = frozenset(COUNTRY_CODES)

AGE_BANDS = (
    (17, "AGE_13_17", "Aged 17 or younger"),
    (24, "AGE_18_24", "Aged 18 to 24"),
    (34, "AGE_25_34", "Aged 25 to 34"),
    (44, "AGE_35_44", "Aged 35 to 44"),
    (54, "AGE_45_54", "Aged 45 to 54"),
)
AGE_55_PLUS = "AGE_55_PLUS"
NEW, RETURNING, FOLLOWER, NON_FOLLOWER = "NEW", "RETURNING", "FOLLOWER", "NON_FOLLOWER"
VIEWER_TYPE_PAIRS = ((NEW, RETURNING), (FOLLOWER, NON_FOLLOWER))
DEPTH_STEP = 5  # percent of the duration
DEPTH_PERCENTS = tuple(range(0, 101, DEPTH_STEP))
WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")  # date.weekday() order
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def depth_key(percent: int) -> str:
    return f"DEPTH_{percent:03d}"


def weekhour_key(weekday: int, hour: int) -> str:
    """``MON_00`` … ``SUN_23``: ``weekday`` as ``date.weekday()`` counts it."""
    return f"{WEEKDAYS[weekday]}_{hour:02d}"


def _source_kind(source: str) -> str:
    """DIRECT_MESSAGE is a key of traffic sources and of share channels alike: its label says both."""
    return "Traffic source or share channel" if source in ShareChannel.values else "Traffic source"


_LABELS: list[tuple[str, str]] = [
    (OTHER, "Every bucket too small to show on its own, merged (with the traffic source or share channel Other)"),
    (UNKNOWN, "Not declared or not reported (or not a known value); a follower's device: no view yet"),
    *((code, f"Country {code} (ISO 3166-1 alpha-2)") for code in COUNTRY_CODES),
    *((str(gender.value), f"Gender: {gender.label}") for gender in Gender),
    *((key, label) for _, key, label in AGE_BANDS),
    (AGE_55_PLUS, "Aged 55 or older"),
    *((str(source.value), f"{_source_kind(source)}: {source.label}") for source in TrafficSource if source != OTHER),
    (NEW, "Viewers watching the video for the first time"),
    (RETURNING, "Viewers who had watched the video before"),
    (FOLLOWER, "Viewers following the owner"),
    (NON_FOLLOWER, "Viewers not following the owner"),
    *((f"HOUR_{hour:02d}", f"{hour:02d}:00 to {hour:02d}:59 UTC") for hour in range(24)),
    *((str(device.value), f"Device: {device.label}") for device in DeviceType if device != UNKNOWN),
    *(
        (str(channel.value), f"Share channel: {channel.label}")
        for channel in ShareChannel
        if channel not in TrafficSource.values  # DIRECT_MESSAGE is both, OTHER the merged rest
    ),
    *(
        (depth_key(percent), f"Watched {percent}% of the video or more, less than the next step")
        for percent in DEPTH_PERCENTS
    ),
    *(
        (weekhour_key(weekday, hour), f"{name} {hour:02d}:00 to {hour:02d}:59")
        for weekday, name in enumerate(_WEEKDAY_NAMES)
        for hour in range(24)
    ),
]
InsightKey = models.TextChoices("InsightKey", [(key, (key, label)) for key, label in _LABELS])  # type: ignore[call-overload]


RegionKey = models.TextChoices(  # type: ignore[call-overload]
    "RegionKey",
    [
        (OTHER, (OTHER, "Every region too small to show on its own, merged")),
        (UNKNOWN, (UNKNOWN, "No region declared, or one outside the declared country")),
        *((code.replace("-", "_"), (code, places.describe(code))) for code in places.top_level_codes()),
    ],
)


def vocabulary(dimension: str) -> tuple[str, ...]:
    """Every key a breakdown of ``dimension`` can hold: each gets noise, counted or not, so which
    keys a breakdown shows never depends on which ones someone is in."""
    demographic = {
        "COUNTRY": (*COUNTRY_CODES, UNKNOWN),
        "GENDER": (*(str(gender.value) for gender in Gender), UNKNOWN),
        "AGE": (*(key for _, key, _ in AGE_BANDS), AGE_55_PLUS, UNKNOWN),
    }
    other = {
        "TRAFFIC_SOURCE": tuple(str(source.value) for source in TrafficSource),
        "VIEWER_TYPE": tuple(key for pair in VIEWER_TYPE_PAIRS for key in pair),
        "FOLLOWER_ACTIVITY": tuple(hour_key(hour) for hour in range(24)),
        "FOLLOWER_WEEKHOUR": tuple(weekhour_key(weekday, hour) for weekday in range(7) for hour in range(24)),
        "DEVICE": tuple(str(device.value) for device in DeviceType),
        "WATCH_DEPTH": tuple(depth_key(percent) for percent in DEPTH_PERCENTS),
        "SHARE_CHANNEL": tuple(str(channel.value) for channel in ShareChannel),
    }
    name = dimension.removeprefix("FOLLOWER_")
    return demographic.get(name) or other.get(dimension) or other[name]


def country_key(country: str) -> str:
    return country if country in _COUNTRIES else UNKNOWN


def region_key(region: str, country: str) -> str:
    """The top-level subdivision of a declared region, if it lies in the declared country."""
    top = places.top_level(region) if region.startswith(f"{country}-") else None
    return top or UNKNOWN


def region_vocabulary(country: str) -> tuple[str, ...]:
    """Every key of a breakdown by region of ``country``'s people: its top-level subdivisions."""
    return (*places.top_level_of(country), UNKNOWN)


def gender_key(gender: str) -> str:
    return gender or UNKNOWN


def age_key(birth_year: int | None, on: date) -> str:
    """The age band a self-declared birth year falls in on ``on``."""
    if not birth_year:
        return UNKNOWN
    age = on.year - birth_year
    return next((key for upper, key, _ in AGE_BANDS if age <= upper), AGE_55_PLUS)


def hour_key(hour: int) -> str:
    return f"HOUR_{hour:02d}"


def watch_depth_key(position_seconds: int, duration_seconds: int) -> str:
    """The last 5% step of the duration a playback reached: ``DEPTH_100`` at the end."""
    if duration_seconds <= 0:
        return depth_key(100)
    percent = min(100, 100 * position_seconds // duration_seconds)
    return depth_key(percent - percent % DEPTH_STEP)
