"""``manage.py reconcile_counters``: a thin shell over ``engagement.counters``."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError

from engagement import counters
from kernel.commands import ProjectCommand, progress_bar


class Command(ProjectCommand):
    help = (
        "Compare every denormalized counter with the rows it counts: per video view_count, like_count, "
        "comment_count, share_count, save_count, download_count, total_watch_seconds, completion_count, "
        "reached_seconds and replay_count (and a missing VideoCounters row); per user follower_count and "
        "following_count (accepted follows only). Prints each drift as "
        "'video|user <id> <field>: counter <n>, actual <m>'. Exit status 0 when nothing drifted or --fix "
        "repaired it, 1 when drift was found without --fix, so it can run from monitoring."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--fix",
            action="store_true",
            help="Repair the drift in one transaction: set each drifted counter to the true value computed in SQL.",
        )
        parser.add_argument(
            "--show",
            type=int,
            default=100,
            metavar="N",
            help="Print at most N drift lines (default 100; the summary always counts all of them).",
        )
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=counters.DEFAULT_CHUNK_SIZE,
            metavar="N",
            help=f"Rows checked per query (default {counters.DEFAULT_CHUNK_SIZE}).",
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar on stderr.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["chunk_size"] < 1:
            raise CommandError("--chunk-size must be at least 1.")
        with progress_bar(
            self.stderr,
            enabled=not options["no_progress"],
            total=counters.counter_rows_total(),
            desc="Checking counters",
            unit="row",
        ) as bar:
            drift = counters.counter_drift(chunk_size=options["chunk_size"], progress=bar.update)
        if not drift:
            self.stdout.write(self.style.SUCCESS("No drift: every counter equals its rows."))
            return
        for line in drift[: max(options["show"], 0)]:
            self.stdout.write(str(line))
        if len(drift) > options["show"] >= 0:
            self.stdout.write(f"... and {len(drift) - options['show']} more.")
        summary = _summary(drift)
        if not options["fix"]:
            raise CommandError(f"Drift found: {summary}. Run with --fix to repair it.")
        counters.counters_repair(drift=drift)
        self.stdout.write(self.style.SUCCESS(f"Repaired: {summary}."))


def _summary(drift: list[counters.CounterDrift]) -> str:
    videos = len({d.object_id for d in drift if d.kind == "video"})
    users = len({d.object_id for d in drift if d.kind == "user"})
    return f"{len(drift)} counter(s) on {videos} video(s) and {users} user(s)"
