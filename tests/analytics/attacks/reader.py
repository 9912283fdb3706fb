"""The attacker's reads: breakdowns through the API, as shown counts by key, many ranges or videos
per request (as many as the alias limit lets one operation ask)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings

from engagement.analytics import keys
from engagement.analytics.weekly import WEEKDAYS
from engagement.models import Video
from tests.api.cases import assert_data
from tests.api.conftest import GraphQLClient, gid

Shown = dict[str, int]
Curve = dict[int, float]  # a retention curve: the share of viewers at each percent
SELECTION = "{ suppressed buckets { key count } }"
CURVE = "{ suppressed points { percent viewers } }"
WEEK_SELECTION = "{ suppressed slots { weekday hour count } }"


def _chunks(items: Sequence[Any]) -> list[Sequence[Any]]:
    size = int(settings.GRAPHQL_LIMITS["max_aliases"])
    return [items[start : start + size] for start in range(0, len(items), size)]


def _shown(breakdown: dict[str, Any]) -> Shown:
    """A suppressed answer means the world was built wrong (too few people, or periods not
    released), not that the defense won: it fails the trial run."""
    assert breakdown["suppressed"] is False, breakdown
    return {bucket["key"]: bucket["count"] for bucket in breakdown["buckets"]}


def _curve(retention: dict[str, Any]) -> Curve:
    assert retention["suppressed"] is False, retention
    return {point["percent"]: point["viewers"] for point in retention["points"]}


def _slots(week: dict[str, Any]) -> Shown:
    """Every slot, keyed as the rollup keys its cells (``MON_09``): the creator's zone is UTC."""
    assert week["suppressed"] is False, week
    return {keys.weekhour_key(WEEKDAYS.index(slot["weekday"]), slot["hour"]): slot["count"] for slot in week["slots"]}


def _range(first: date, last: date, country: str | None = None) -> str:
    """The arguments of a read over ``first`` … ``last``; ``country``: of that country's slice."""
    sliced = "" if country is None else f', country: "{country}"'
    return f'from: "{first.isoformat()}", to: "{last.isoformat()}"{sliced}'


def _days(viewers: dict[str, Any]) -> Shown:
    """A country's viewers by day (ISO date); none when suppressed. Unlike a breakdown's, its
    floor reads a noisy count (the country's), which its world keeps hundreds above the floor:
    below it only by noise of ten scales and more, once in thousands of trials, and then this
    answer tells nothing, which is what the attacker sees."""
    return {} if viewers["suppressed"] else {day["date"]: day["viewers"] for day in viewers["days"]}


@dataclass(frozen=True)
class Reader:
    client: GraphQLClient

    def followers(self, field: str, ranges: Sequence[tuple[date, date]], *, country: str | None = None) -> list[Shown]:
        """``Me.insights.<field>`` over each range; ``country``: the slice of its followers."""
        return self._account(field, ranges, SELECTION, _shown, country)

    def weekly(self, field: str, ranges: Sequence[tuple[date, date]]) -> list[Shown]:
        """``Me.insights.<field>``, a week of slots, over each range: counts by weekday-hour key."""
        return self._account(field, ranges, WEEK_SELECTION, _slots)

    def _account(
        self,
        field: str,
        ranges: Sequence[tuple[date, date]],
        selection: str,
        read: Callable[[dict[str, Any]], Shown],
        country: str | None = None,
    ) -> list[Shown]:
        answers: list[Shown] = []
        for chunk in _chunks(ranges):
            fields = " ".join(
                f"r{i}: {field}({_range(first, last, country)}) {selection}" for i, (first, last) in enumerate(chunk)
            )
            insights = assert_data(self.client(f"{{ me {{ insights {{ {fields} }} }} }}"), ("me", "insights"))
            answers += [read(insights[f"r{i}"]) for i in range(len(chunk))]
        return answers

    def videos(
        self, field: str, videos: Sequence[Video], bounds: tuple[date, date], country: str | None = None
    ) -> list[Shown]:
        """``video(id:).insights.<field>`` of each video over one range (``country``: its slice)."""
        answers: list[Shown] = []
        for chunk in _chunks(videos):
            fields = " ".join(
                f'v{i}: video(id: "{gid(video)}") {{ insights {{ {field}({_range(*bounds, country)}) {SELECTION} }} }}'
                for i, video in enumerate(chunk)
            )
            response = self.client(f"{{ {fields} }}")
            answers += [_shown(assert_data(response, (f"v{i}", "insights", field))) for i in range(len(chunk))]
        return answers

    def curves(self, videos: Sequence[Video], bounds: tuple[date, date], country: str | None = None) -> list[Curve]:
        """``video(id:).insights.retention`` of each video over one range (``country``: its slice)."""
        answers: list[Curve] = []
        for chunk in _chunks(videos):
            fields = " ".join(
                f'v{i}: video(id: "{gid(video)}") {{ insights {{ retention({_range(*bounds, country)}) {CURVE} }} }}'
                for i, video in enumerate(chunk)
            )
            response = self.client(f"{{ {fields} }}")
            answers += [_curve(assert_data(response, (f"v{i}", "insights", "retention"))) for i in range(len(chunk))]
        return answers

    def country_viewers(self, video: Video, bounds: tuple[date, date], countries: Sequence[str]) -> dict[str, Shown]:
        """``video(id:).insights.countryViewers`` of each country over one range: viewers by day."""
        answers: dict[str, Shown] = {}
        for chunk in _chunks(countries):
            fields = " ".join(
                f"c{i}: countryViewers({_range(*bounds, country)}) {{ suppressed days {{ date viewers }} }}"
                for i, country in enumerate(chunk)
            )
            response = self.client(f'{{ video(id: "{gid(video)}") {{ insights {{ {fields} }} }} }}')
            insights = assert_data(response, ("video", "insights"))
            answers |= {country: _days(insights[f"c{i}"]) for i, country in enumerate(chunk)}
        return answers
