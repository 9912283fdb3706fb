"""``manage.py privacy_audit``: the static privacy proof over an SDL file (api/audit)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from graphql import GraphQLError

from api.audit.analysis import audit_schema
from api.audit.report import RENDERERS
from api.audit.routes import ROUTE_RENDERERS, route_report
from kernel.commands import ProjectCommand


class Command(ProjectCommand):
    help = (
        "Audit a GraphQL SDL file for privacy: list every field with its audience and the personal-data "
        "types, walk every path from Query and Mutation, and report any path to personal data without a "
        "SELF edge bound to the viewer, any OWNER_AGGREGATE field that is not numbers, and any missing or "
        "unknown audience. With --routes, audit the service beyond the schema instead: every URL route with the "
        "credentials it accepts, and any route that declares none. Exits 1 on any finding, 2 when the file "
        "cannot be read. Needs no database."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schema",
            default=str(Path(settings.BASE_DIR) / "schema.graphql"),
            help="The SDL file to audit (default: the committed schema.graphql).",
        )
        parser.add_argument("--format", choices=sorted(RENDERERS), default="text", help="Report format.")
        parser.add_argument(
            "--routes",
            action="store_true",
            help="Print every URL route with the credentials it accepts (anonymous, session, bearer, link, "
            "client; staff permissions) instead of auditing the schema.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["routes"]:
            self._audit_routes(options["format"])
            return
        path = Path(options["schema"])
        try:
            sdl = path.read_text(encoding="utf-8")
            report = audit_schema(sdl)
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {path}: {error}", returncode=2) from error
        except GraphQLError as error:
            raise CommandError(f"{path} is not valid SDL: {error.message}", returncode=2) from error
        source = path.relative_to(settings.BASE_DIR) if path.is_relative_to(settings.BASE_DIR) else path
        self.stdout.write(RENDERERS[options["format"]](report, source=str(source)), ending="")
        if not report.clean:
            raise CommandError(f"privacy audit: {len(report.findings)} finding(s) in {path}", returncode=1)

    def _audit_routes(self, output_format: str) -> None:
        report = route_report()
        self.stdout.write(ROUTE_RENDERERS[output_format](report), ending="")
        if not report.clean:
            problems = len(report.undeclared) + len(report.unused)
            raise CommandError(f"route audit: {problems} finding(s)", returncode=1)
