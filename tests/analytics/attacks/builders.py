"""World builders, one per kind of attack: the attacker's accounts, the target (a fresh account
holding the candidate value) and what each does on which day."""

from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any, TypedDict

from accounts.models import Follow, User
from engagement.analytics import keys
from engagement.analytics.privacy import Period, days_in, gate, noise_scale
from engagement.analytics.rollups import designated_weekday
from tests.analytics.attacks.worlds import DEFAULTS, Build, World
from tests.analytics.conftest import follow_all, people, share, watch

PADDING = DEFAULTS["PRIVACY_MIN_BUCKET"] - 1  # one short of a shown bucket
FILLERS = DEFAULTS["PRIVACY_MIN_AUDIENCE"]  # enough to pass the audience floor on their own
# A country slice's floor reads the country's noisy count (scale 30): this many people of the
# country keep it above the floor whatever the noise (eleven scales), so every trial reads.
GEO_FILLERS = 4 * DEFAULTS["PRIVACY_MIN_AUDIENCE"]
SLICE = "FR"  # the country whose slice the geographic attacks read; the target lives there
VIDEOS = 8
MIDDLE_AGE = {"AGE_13_17": 15, "AGE_18_24": 21, "AGE_25_34": 30, "AGE_35_44": 40, "AGE_45_54": 50, "AGE_55_PLUS": 60}


class Watching(TypedDict, total=False):
    """How an account's views are made (``watch``'s keywords); empty when a key is an attribute."""

    source: str
    device: str


# How an account lands in a key on a day: the attributes it declares, and how it watches.
Placement = Callable[[str, date], tuple[dict[str, Any], Watching]]


def by_country(key: str, on: date) -> tuple[dict[str, Any], Watching]:
    return {"country": key}, {}


def by_gender(key: str, on: date) -> tuple[dict[str, Any], Watching]:
    return {"gender": "" if key == keys.UNKNOWN else key}, {}


def by_age(key: str, on: date) -> tuple[dict[str, Any], Watching]:
    return {"birth_year": on.year - MIDDLE_AGE[key] if key in MIDDLE_AGE else None}, {}


def by_source(key: str, on: date) -> tuple[dict[str, Any], Watching]:
    return {}, {"source": key}


def by_device(key: str, on: date) -> tuple[dict[str, Any], Watching]:
    return {}, {"device": key}


def by_region(key: str, on: date) -> tuple[dict[str, Any], Watching]:
    """A region key as the API names it (``FR_IDF``), declared as its code (``FR-IDF``)."""
    return {"region": "" if key == keys.UNKNOWN else key.replace("_", "-")}, {}


def in_slice(place: Placement) -> Placement:
    """``place``, by someone who declared ``SLICE`` as their country."""

    def placed(key: str, on: date) -> tuple[dict[str, Any], Watching]:
        attributes, view = place(key, on)
        return {"country": SLICE, **attributes}, view

    return placed


def visible(dimension: str) -> int:
    """A bucket size that passes the gate of a one-period release unless its noise is two scales
    below zero (about one time in fifteen): the attacker then reads noisy counts, not the gate's
    silence."""
    scale = noise_scale()
    return gate(scale, 1, len(keys.vocabulary(dimension)), DEFAULTS["PRIVACY_MIN_BUCKET"]) + int(2 * scale)


def _target(place: Placement, value: str, on: date) -> User:
    return people(1, **place(value, on)[0])[0]


# Sybil padding -------------------------------------------------------------------------------------


def follower_padding(candidates: Sequence[str], filler: str, place: Placement, build: Build, value: str) -> World:
    """``PADDING`` followers of the attacker in every candidate, ``FILLERS`` in a value that is
    not one, then the target follows; all in the second period (read at its last day). Where a
    key is how one watches (a device), each of them also watches someone else's video so."""
    day, on = build.layout.day(1, 3), build.layout.periods[1].last
    creator = build.creator()
    padding = dict.fromkeys(candidates, PADDING) | {filler: FILLERS}
    joining = [(key, build.accounts(f"padding:{key}", n, **place(key, on)[0]), day) for key, n in padding.items()]
    joining.append((value, [_target(place, value, on)], day + timedelta(days=1)))
    elsewhere = build.videos(build.creator(), 1)[0] if place(value, on)[1] else None
    for key, followers, when in joining:
        follow_all(followers, creator, when)
        if elsewhere is not None:
            watch(elsewhere, followers, when, **place(key, on)[1])
    return World(build.layout, creator, padding)


def audience_padding(
    candidates: Sequence[str], filler: str, place: Placement, build: Build, value: str, *, fillers: int = FILLERS
) -> World:
    """The same with the viewers of one video: the attacker's accounts watch, then the target."""
    day = build.layout.day(1, 3)
    creator = build.creator()
    videos = build.videos(creator, 1)
    padding = dict.fromkeys(candidates, PADDING) | {filler: fillers}
    for key, n in padding.items():
        attributes, view = place(key, day)
        watch(videos[0], build.accounts(f"padding:{key}", n, **attributes), day, **view)
    attributes, view = place(value, day + timedelta(days=1))
    watch(videos[0], people(1, **attributes), day + timedelta(days=1), **view)
    return World(build.layout, creator, padding, videos)


def sharer_padding(candidates: Sequence[str], filler: str, build: Build, value: str) -> World:
    """The same with the sharers of one video, by channel: the attacker's accounts share it,
    then the target (the floor of share channels counts sharers, so nobody needs to watch)."""
    day = build.layout.day(1, 3)
    creator = build.creator()
    videos = build.videos(creator, 1)
    padding = dict.fromkeys(candidates, PADDING) | {filler: FILLERS}
    for key, n in padding.items():
        share(videos[0], build.accounts(f"padding:{key}", n), day, channel=key)
    share(videos[0], people(1), day + timedelta(days=1), channel=value)
    return World(build.layout, creator, padding, videos)


def following_split(build: Build, value: str) -> World:
    """Viewer types, FOLLOWER or not: ``PADDING`` viewers who follow the creator, ``FILLERS`` who
    do not; the target follows (in the first period) only in the FOLLOWER world."""
    before, day = build.layout.day(0, 3), build.layout.day(1, 3)
    creator = build.creator()
    videos = build.videos(creator, 1)
    thin, thick = build.accounts("thin:FOLLOWER", PADDING), build.accounts("thick:NON_FOLLOWER", FILLERS)
    follow_all(thin, creator, before)
    watch(videos[0], [*thin, *thick], day)
    target = people(1)
    if value == keys.FOLLOWER:
        follow_all(target, creator, before)
    watch(videos[0], target, day + timedelta(days=1))
    return World(build.layout, creator, {keys.FOLLOWER: PADDING, keys.NON_FOLLOWER: FILLERS}, videos)


def returning_split(build: Build, value: str) -> World:
    """Viewer types, NEW or RETURNING: ``PADDING`` viewers who watched the video in the first
    period too, ``FILLERS`` who did not; the target did only in the RETURNING world."""
    before, day = build.layout.day(0, 3), build.layout.day(1, 3)
    creator = build.creator()
    videos = build.videos(creator, 1)
    thin, thick = build.accounts("thin:RETURNING", PADDING), build.accounts("thick:NEW", FILLERS)
    watch(videos[0], thin, before)
    watch(videos[0], [*thin, *thick], day)
    target = people(1)
    if value == keys.RETURNING:
        watch(videos[0], target, before)
    watch(videos[0], target, day + timedelta(days=1))
    return World(build.layout, creator, {keys.RETURNING: PADDING, keys.NEW: FILLERS}, videos)


def depth_padding(
    candidates: Sequence[str],
    filler: str,
    build: Build,
    value: str,
    *,
    fillers: int = FILLERS,
    attributes: Mapping[str, Any] | None = None,
) -> World:
    """Watch depth: the attacker's accounts watch a 100-second video as far as each candidate
    depth (``PADDING`` each) and a depth that is not one (``fillers``), then the target as far as
    theirs; everyone declaring ``attributes`` (a country, for its slice). A retention curve has
    no gate: the attacker reads every depth's share."""
    day = build.layout.day(1, 3)
    creator = build.creator()
    [video] = build.videos(creator, 1, duration_seconds=100)
    padding = dict.fromkeys(candidates, PADDING) | {filler: fillers}
    declared = dict(attributes or {})
    for key, n in padding.items():
        position = depth_percent(key)
        watch(video, build.accounts(f"depth:{key}", n, **declared), day, seconds=position, position=position)
    position = depth_percent(value)
    watch(video, people(1, **declared), day + timedelta(days=1), seconds=position, position=position)
    return World(build.layout, creator, padding, (video,))


PADDED_DAY = 4  # the day of the second period on which the target first watches (countryViewers)


def country_day_padding(candidates: Sequence[str], build: Build, value: str) -> World:
    """A country's viewers per day: ``GEO_FILLERS`` of the attacker's accounts of every candidate
    country watch the video early in the second period (its countries pass the floor), then
    ``PADDING`` more of each on ``PADDED_DAY``, with the target, of its own country. Every day
    of the grid shows: the attacker reads that day's noisy count in each country."""
    day = build.layout.day(1, PADDED_DAY)
    creator = build.creator()
    [video] = build.videos(creator, 1)
    for country in candidates:
        watch(video, build.accounts(f"days:fillers:{country}", GEO_FILLERS, country=country), day - timedelta(days=1))
        watch(video, build.accounts(f"days:{country}", PADDING, country=country), day)
    watch(video, people(1, country=value), day)
    return World(build.layout, creator, dict.fromkeys(candidates, PADDING), (video,))


def depth_percent(key: str) -> int:
    """``DEPTH_050`` → 50: a position reaching exactly that step of a 100-second video."""
    return int(key.removeprefix("DEPTH_"))


def _drawn_on(accounts: Callable[[str, int], list[User]], tag: str, n: int, weekday: int, period: Period) -> list[User]:
    """``n`` accounts whose weekday drawn for ``period`` is ``weekday``: the draw is a public hash
    of the period and the account, so an attacker picks their accounts, and a world its target."""
    chosen: list[User] = []
    rounds = 0
    while len(chosen) < n:
        drawn = accounts(f"{tag}:{rounds}", 7 * n)  # a new pool each round, the same one in every world
        chosen += [user for user in drawn if designated_weekday(period, user.pk) == weekday]
        rounds += 1
    return chosen[:n]


def _cell(key: str) -> tuple[int, int]:
    """``(weekday, hour)`` of a weekday-hour key (``WED_13``)."""
    weekday, hour = key.split("_")
    return keys.WEEKDAYS.index(weekday), int(hour)


def active_followers(candidates: Sequence[str], build: Build, value: str) -> World:
    """Followers' weekday-hours: ``PADDING`` followers of the attacker's in every candidate cell
    (active on the cell's weekday at its hour, the weekday drawn for each of them), ``FILLERS``
    who follow and never watch (the audience floor counts followers); then the target, whose drawn
    weekday is the candidate's, follows and watches every day of the second period at its hour."""
    period = build.layout.periods[1]
    before = build.layout.day(0, 20)
    creator = build.creator()
    video = build.videos(creator, 1)[0]
    follow_all(build.accounts("weekly:fillers", FILLERS), creator, before)
    for key in candidates:
        weekday, hour = _cell(key)
        sybils = _drawn_on(build.accounts, f"weekly:{key}", PADDING, weekday, period)
        follow_all(sybils, creator, before)
        for day in days_in(period.first, period.last):
            if day.weekday() == weekday:
                watch(video, sybils, day, hour=hour)
    weekday, hour = _cell(value)
    [target] = _drawn_on(lambda tag, n: people(n), "target", 1, weekday, period)
    follow_all([target], creator, before)
    for day in days_in(period.first, period.last):
        watch(video, [target], day, hour=hour)
    return World(build.layout, creator, dict.fromkeys(candidates, PADDING), (video,))


# Slices of one country -----------------------------------------------------------------------------

CROWD = 4 * FILLERS  # the country's noisy count never falls under the floor a slice reads it for


def country_follower_padding(
    candidates: Sequence[str], filler: str, place: Placement, build: Build, value: str
) -> World:
    """``follower_padding`` among the followers of ``SLICE``, and ``CROWD`` more of them who
    declare nothing else: a slice is shown only while the country's noisy count of followers
    passes the floor, and a suppressed slice would fail the trial run, not defend."""
    world = follower_padding(candidates, filler, in_slice(place), build, value)
    follow_all(build.accounts(f"crowd:{SLICE}", CROWD, country=SLICE), world.creator, build.layout.day(1, 3))
    return world


# Differencing --------------------------------------------------------------------------------------

FOLLOW_OFFSET = 13  # the target follows mid-period


def visible_followers(
    candidates: Sequence[str], place: Placement, build: Build, value: str, *, unfollow: bool = False
) -> World:
    """``visible`` followers of the attacker in every candidate from the first day of the first
    period; the target follows mid-way through the second. With ``unfollow`` the target leaves
    mid-way through the third and follows again mid-way through the fourth."""
    creator = build.creator()
    first, n = build.layout.day(0, 0), visible("FOLLOWER_COUNTRY")
    for key in candidates:
        follow_all(build.accounts(f"visible:{key}", n, **place(key, first)[0]), creator, first)
    target = _target(place, value, build.layout.day(1, FOLLOW_OFFSET))
    follow_all([target], creator, build.layout.day(1, FOLLOW_OFFSET))
    if unfollow:
        again = build.layout.day(3, FOLLOW_OFFSET)

        def leave() -> None:
            Follow.objects.filter(follower=target, followee=creator).delete()

        build.on(build.layout.day(2, FOLLOW_OFFSET), leave)
        build.on(again, lambda: follow_all([target], creator, again))
    return World(build.layout, creator, dict.fromkeys(candidates, n))


def several_videos(candidates: Sequence[str], place: Placement, build: Build, value: str) -> World:
    """``VIDEOS`` videos, each with ``visible`` viewers of the attacker in every candidate (other
    accounts for each video: one counts in one of a creator's videos per period); the target
    watches all of them, on successive days of the second period."""
    day = build.layout.day(1, 3)
    creator = build.creator()
    videos = build.videos(creator, VIDEOS)
    n = visible("COUNTRY")
    for index, video in enumerate(videos):
        for key in candidates:
            watch(video, build.accounts(f"video{index}:{key}", n, **place(key, day)[0]), day)
    target = _target(place, value, day)
    for index, video in enumerate(videos):
        watch(video, [target], day + timedelta(days=1 + index))
    return World(build.layout, creator, dict.fromkeys(candidates, n), videos)
