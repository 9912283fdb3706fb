"""``manage.py rollup_insights``: a thin shell over ``engagement.analytics.rollups``."""

from argparse import ArgumentParser
from datetime import UTC, date
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from engagement.analytics.privacy import days_in
from engagement.analytics.rollups import recent_days, rollup_days
from kernel.commands import ProjectCommand, progress_bar


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date in the form YYYY-MM-DD.") from error


class Command(ProjectCommand):
    help = (
        "Roll the interaction tables up into the daily counts that insights read (series, breakdowns, "
        "follower and profile statistics), per UTC day. Idempotent: rolling a day up again replaces its rows. "
        "Without options it rolls up yesterday and today, so running it hourly keeps today fresh and "
        "finalizes yesterday (the worker's beat does so: CELERY_BEAT_SCHEDULE). A day rolled up after it ended "
        "is final: its breakdowns never change again (docs/PRIVACY.md), only its totals are recomputed. "
        "One rollup runs at a time: while another runs, this one does nothing and exits with status 1."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--date", metavar="YYYY-MM-DD", help="Roll up this one day (today is allowed).")
        parser.add_argument(
            "--since", metavar="YYYY-MM-DD", help="Roll up every day from this one through today (a backfill)."
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar on stderr.")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        today = now.astimezone(UTC).date()
        days = self._days(options, today)
        with progress_bar(
            self.stderr, enabled=not options["no_progress"], total=len(days), desc="Rolling up", unit="day"
        ) as bar:
            results = rollup_days(days, now=now, progress=bar.update)
        if results is None:
            raise CommandError("Another rollup is running (the worker's or a command's); try again when it ends.")
        for result in results:
            state = "final" if result.finalized else "in progress"
            kept = ", breakdowns kept" if result.breakdowns_kept else ""
            self.stdout.write(f"{result.day}: {result.videos} video(s), {result.accounts} account(s), {state}{kept}")
        self.stdout.write(self.style.SUCCESS(f"Rolled up {len(results)} day(s)."))

    def _days(self, options: dict[str, Any], today: date) -> list[date]:
        if options["date"] and options["since"]:
            raise CommandError("Give --date or --since, not both.")
        if options["date"]:
            first = last = _day(options["date"])
        elif options["since"]:
            first, last = _day(options["since"]), today
        else:
            return recent_days(today)
        if last > today or first > today:
            raise CommandError(f"{max(first, last)} is in the future (today is {today} UTC).")
        return days_in(first, last)
