"""``manage.py rank_videos``: a thin shell over ``engagement.analytics.ranking_refresh``."""

from argparse import ArgumentParser
from typing import Any

from engagement import ranking
from engagement.analytics import ranking_refresh
from kernel.commands import ProjectCommand, progress_bar


class Command(ProjectCommand):
    help = (
        "Score every video for the For You feed and store the scores it pages by. The score reads aggregates "
        "only: public likes, comments and shares, the video's age, and the saves and completions of the last "
        f"{ranking.WINDOW_DAYS} settled days from the daily rollups, each day released once with keyed noise "
        "(docs/PRIVACY.md). Run it hourly after rollup_insights. Idempotent: ages count at the hour, so running "
        "it again within the hour on the same rollups writes the same scores."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar on stderr.")

    def handle(self, *args: Any, **options: Any) -> None:
        with progress_bar(
            self.stderr,
            enabled=not options["no_progress"],
            total=ranking_refresh.videos_to_rank(),
            desc="Ranking",
            unit="video",
        ) as bar:
            result = ranking_refresh.rank_videos(progress=bar.update)
        days = f"{result.days[0]} to {result.days[-1]}" if result.days else "none rolled up yet"
        self.stdout.write(
            self.style.SUCCESS(
                f"Ranked {result.videos} video(s) as of {result.ranked_at:%Y-%m-%d %H:00} UTC "
                f"(saves and completions of {len(result.days)} settled day(s): {days})."
            )
        )
