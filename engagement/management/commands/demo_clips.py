"""``manage.py demo_clips``: playable files for the demo's videos (``engagement.media.demo``)."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError

from engagement import seeding
from engagement.media import demo, ffmpeg
from kernel.commands import ProjectCommand, progress_bar


class Command(ProjectCommand):
    help = (
        f"Make sure --count of {seeding.DEMO_CREATOR}'s videos play: their most viewed public videos without a file "
        "get a generated clip each "
        "(a moving test pattern with a tone, made by ffmpeg), processed as an upload would be: a playable copy, "
        "a poster and a download copy marked with @username, in this process (no worker needed). Idempotent: "
        "once --count videos have a file, it does nothing. Needs ffmpeg (apt-get install ffmpeg); `make run` runs it "
        "after seed_demo."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--count", type=int, default=4, metavar="N", help="How many videos should play (default 4)."
        )
        parser.add_argument(
            "--seconds", type=int, default=6, metavar="S", help="Length of each clip in seconds (default 6)."
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar on stderr.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["count"] < 0 or not 1 <= options["seconds"] <= 60:
            raise CommandError("--count must be 0 or more and --seconds 1 to 60.")
        if not ffmpeg.available():
            raise CommandError(ffmpeg.FFMPEG_MISSING)
        videos = demo.demo_videos(seeding.DEMO_CREATOR, options["count"])
        if not videos:
            self.stdout.write(
                f"{options['count']} demo videos play already (or there are none to give a file): nothing to do."
            )
            return
        bar = progress_bar(
            self.stderr, enabled=not options["no_progress"], total=len(videos), desc="Demo clips", unit="video"
        )
        with bar:
            demo.attach_clips(videos, seconds=options["seconds"], advance=lambda: bar.update(1))
        self.stdout.write(self.style.SUCCESS(f"{len(videos)} demo videos now play."))
