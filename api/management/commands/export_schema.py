"""Print the GraphQL schema (SDL) of the primary engine; ``schema.graphql`` is this output."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from api.strawberry_schema import schema


class Command(BaseCommand):
    help = "Print the GraphQL schema as SDL (the committed schema.graphql is this output)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", help="Write to this file instead of standard output.")

    def handle(self, *args: Any, **options: Any) -> None:
        sdl = schema.as_str() + "\n"
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(sdl)
        else:
            self.stdout.write(sdl, ending="")
