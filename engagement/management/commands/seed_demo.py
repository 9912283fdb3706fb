"""``manage.py seed_demo``: a thin shell over ``engagement.seeding``."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.db import transaction

from accounts.models import User
from engagement import seeding
from kernel.commands import ProjectCommand, progress_bar


class Command(ProjectCommand):
    help = (
        "Fill the database with deterministic demo data (Faker, fixed seed): creators, viewers, private "
        "accounts, videos of every visibility, accepted and pending follows, and thousands of favorites, "
        "collections, likes, comments, shares, downloads, views and notifications over the past 30 days, "
        f"with counters that equal the rows. Log in as {seeding.DEMO_CREATOR} or {seeding.DEMO_VIEWER} "
        f"with password {seeding.DEMO_PASSWORD}. "
        "Idempotent: every seeded account has an email at "
        f"@{seeding.DEMO_EMAIL_DOMAIN}; if such an account exists the command changes nothing and says so "
        "(use --reset to delete only the demo data and seed it again)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            metavar="N",
            help=(
                f"Integer multiplier (default 1: {seeding.CREATORS_PER_SCALE + 1} creators, "
                f"{seeding.VIEWERS_PER_SCALE + 1} viewers, about 35,000 rows)."
            ),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and say so) when the database has any user at all; `make run` uses this.",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help=(
                f"Delete the existing demo data first (accounts at @{seeding.DEMO_EMAIL_DOMAIN} and everything "
                "that cascades from them, then repair the counters they touched), in the same transaction."
            ),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=seeding.DEFAULT_SEED,
            help=f"Random seed (default {seeding.DEFAULT_SEED}); the same seed and scale give the same data.",
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar on stderr.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] < 1:
            raise CommandError("--scale must be a positive integer.")
        if options["if_empty"] and User.objects.exists():
            self.stdout.write("The database already has users: skipping the demo data (--if-empty).")
            return
        with transaction.atomic():
            if options["reset"]:
                deleted = seeding.demo_data_delete()
                self.stdout.write(f"Deleted the previous demo data ({deleted} rows).")
            elif seeding.demo_data_present():
                self.stdout.write(
                    "Demo data is already present: nothing to do. Use --reset to delete and recreate it. "
                    f"Log in as {seeding.DEMO_CREATOR} or {seeding.DEMO_VIEWER} with password "
                    f"{seeding.DEMO_PASSWORD}."
                )
                return
            if User.objects.filter(username__in=[seeding.DEMO_CREATOR, seeding.DEMO_VIEWER]).exists():
                raise CommandError(
                    f"An account named {seeding.DEMO_CREATOR} or {seeding.DEMO_VIEWER} exists and is not demo "
                    "data; rename it before seeding."
                )
            result = seeding.seed_demo(
                scale=options["scale"],
                seed=options["seed"],
                progress_factory=lambda total: progress_bar(
                    self.stderr, enabled=not options["no_progress"], total=total, desc="Seeding", unit="row"
                ),
            )
        rows = " ".join(f"{table}={count}" for table, count in result.rows.items())
        self.stdout.write(
            self.style.SUCCESS(f"Seeded {sum(result.rows.values())} rows in {result.seconds:.1f}s: {rows}")
        )
        self.stdout.write(
            f"Log in as {seeding.DEMO_CREATOR} (creator) or {seeding.DEMO_VIEWER} (viewer), "
            f"password {seeding.DEMO_PASSWORD}."
        )
