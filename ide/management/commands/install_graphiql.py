"""``manage.py install_graphiql``: a thin shell over ``ide.assets.install``."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from ide import assets
from kernel.commands import ProjectCommand


class Command(ProjectCommand):
    help = (
        "Download GraphiQL's and React's files for the GraphiQL page from the npm registry (NPM_CONFIG_REGISTRY, "
        f"by default {assets.DEFAULT_REGISTRY}), check each tarball against its pinned integrity and write the "
        "pinned files (ide/assets.py). Files already there with their pinned checksum are kept: a second run "
        "downloads nothing."
    )
    # No database, no secret keys: it runs before the service is configured.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dest", type=Path, default=assets.VENDOR, help=f"Install into this folder (default: {assets.VENDOR})."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dest: Path = options["dest"]
        try:
            outcomes = assets.install(dest)
        except (assets.AssetError, OSError) as error:
            raise CommandError(f"GraphiQL's files are not installed: {error}") from error
        for outcome in outcomes:
            package = f"{outcome.package.name} {outcome.package.version}"
            if outcome.url is None:
                self.stdout.write(f"{package}: already installed")
            else:
                self.stdout.write(f"{package}: wrote {', '.join(outcome.written)} from {outcome.url}")
        self.stdout.write(self.style.SUCCESS(f"GraphiQL's files are in {dest}."))
