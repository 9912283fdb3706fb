"""What the insights export tests share: rollups seeded row by row (so each file's content is
known exactly), the operations, and the expected CSV of the seeded account."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from accounts.models import User
from engagement.analytics.models import AccountDailyStats, InsightsDay, VideoDailyStats
from engagement.models import Video
from tests.analytics.conftest import days_ago
from tests.api.conftest import gid
from tests.factories import make_video

EXPORT = """
mutation Export($from: Date!, $to: Date!) {
  exportInsights(input: {from: $from, to: $to}) { export { id from to format state downloadUrl error } }
}
"""
EXPORTS = """
query { me { insights { exports(first: 10) {
  edges { node { id from to format state createdAt expiresAt downloadUrl error } }
} } } }
"""
NODE = "query($id: ID!) { node(id: $id) { ... on InsightsExport { id state downloadUrl } } }"
HEADER = (
    "date,scope,video_id,video_title,views,likes,comments,shares,saves,downloads,watch_seconds,completions,"
    "new_followers,followers,profile_views"
)
VIDEO_COUNTS = ("views", "likes", "comments", "shares", "saves", "downloads", "watch_seconds", "completions")


@dataclass(frozen=True)
class Seeded:
    """An account's rolled-up days: ``run`` active on both days, ``formula`` (a title a
    spreadsheet would run) on the first, ``saved`` only saved, on the second; the range asked
    for starts a day before the first rolled-up day (a day with no rows) and ends a day after
    the last one (not rolled up yet)."""

    owner: User
    run: Video
    formula: Video
    saved: Video
    first: date
    last: date

    @property
    def days(self) -> tuple[date, date, date]:
        """The quiet day, then the two rolled-up days with rows."""
        return self.first, self.first + timedelta(days=1), self.first + timedelta(days=2)

    @property
    def variables(self) -> dict[str, str]:
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}


def _video_day(video: Video, day: date, **counts: int) -> VideoDailyStats:
    return VideoDailyStats.objects.create(video=video, day=day, **counts)


def rolled_up(days: Iterable[date]) -> None:
    InsightsDay.objects.bulk_create(InsightsDay(day=day, finalized=True, rolled_up_at=timezone.now()) for day in days)


def seed(owner: User) -> Seeded:
    seeded = Seeded(
        owner=owner,
        run=make_video(owner, caption="Morning run, 5 km"),
        formula=make_video(owner, caption='=HYPERLINK("https://evil.example","open")'),
        saved=make_video(owner, caption="Only saved"),
        first=days_ago(5),
        last=days_ago(1),
    )
    quiet, one, two = seeded.days
    rolled_up([quiet, one, two])
    counts = dict(zip(VIDEO_COUNTS, (100, 7, 3, 2, 5, 1, 900, 40), strict=True))
    _video_day(seeded.run, one, **counts, new_followers=1, viewers=90, new_viewers=80)
    _video_day(seeded.formula, one, views=4, watch_seconds=20)
    _video_day(seeded.run, two, views=50, likes=2, saves=1, watch_seconds=400, completions=20)
    _video_day(seeded.saved, two, saves=4)
    AccountDailyStats.objects.create(owner=owner, day=one, followers=10, new_followers=2, profile_views=5)
    AccountDailyStats.objects.create(owner=owner, day=two, followers=11, new_followers=1, profile_views=0)
    return seeded


def expected_csv(seeded: Seeded, *, saves: bool) -> str:
    """The file of ``seeded`` as its owner's account type shows it: ``saves`` for a business one."""
    quiet, one, two = (day.isoformat() for day in seeded.days)
    run, formula, saved = gid(seeded.run), gid(seeded.formula), gid(seeded.saved)

    def s(count: int) -> str:
        return str(count) if saves else ""

    rows = [
        HEADER,
        f"{quiet},ACCOUNT,,,,,,,,,,,0,0,0",
        f"{one},ACCOUNT,,,,,,,,,,,2,10,5",
        f'{one},VIDEO,{run},"Morning run, 5 km",100,7,3,2,{s(5)},1,900,40,1,,',
        f'{one},VIDEO,{formula},"\'=HYPERLINK(""https://evil.example"",""open"")",4,0,0,0,{s(0)},0,20,0,0,,',
        f"{two},ACCOUNT,,,,,,,,,,,1,11,0",
        f'{two},VIDEO,{run},"Morning run, 5 km",50,2,0,0,{s(1)},0,400,20,0,,',
    ]
    if saves:  # a day whose only activity is saves is quiet where saves are not shown
        rows.append(f"{two},VIDEO,{saved},Only saved,0,0,0,0,4,0,0,0,0,,")
    return "\r\n".join(rows) + "\r\n"


def ask_for_export(client: Any, variables: dict[str, str], capture: Any) -> Any:
    """Ask for an export and let the worker build it once the request has committed (eager)."""
    with capture(execute=True):
        return client(EXPORT, variables)
