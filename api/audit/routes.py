"""The service beyond the schema: every URL route with the credentials it declares
(``kernel.routes``), for ``privacy_audit --routes`` and the route matrix test."""

import json
from dataclasses import dataclass

from kernel.routes import Credential, access_of, declared_prefixes, walk_routes


@dataclass(frozen=True)
class RouteRow:
    route: str
    accepts: tuple[str, ...]  # empty: undeclared, hence refused
    staff: str
    throttled: bool
    csrf_by_preflight: bool  # a session request only a CORS-preflighted browser sends needs no CSRF token
    purpose: str


@dataclass(frozen=True)
class RouteReport:
    rows: list[RouteRow]
    undeclared: list[str]  # routes no declaration covers
    unused: list[str]  # declarations that cover no route: a renamed route left behind

    @property
    def clean(self) -> bool:
        return not self.undeclared and not self.unused


def route_report() -> RouteReport:
    rows, undeclared = [], []
    routes = list(walk_routes())
    for route in routes:
        access = access_of(route)
        if access is None:
            undeclared.append(route)
            rows.append(RouteRow(route, (), "", False, False, "UNDECLARED: refused"))
            continue
        accepts = tuple(credential.value for credential in Credential if access.accepts_credential(credential))
        rows.append(RouteRow(route, accepts, access.staff, access.throttled, access.csrf_by_preflight, access.purpose))
    unused = [prefix for prefix in declared_prefixes() if not any(route.startswith(prefix) for route in routes)]
    return RouteReport(rows=rows, undeclared=undeclared, unused=unused)


def _problems(report: RouteReport) -> list[str]:
    return [f"undeclared route: {route}" for route in report.undeclared] + [
        f"declaration covering no route: {prefix}" for prefix in report.unused
    ]


def render_text(report: RouteReport) -> str:
    width = max(len(row.route) for row in report.rows)
    lines = [f"Routes and the credentials they accept ({len(report.rows)} routes)", ""]
    for row in report.rows:
        extra = (f"; staff: {row.staff}" if row.staff else "") + ("; throttled" if row.throttled else "")
        extra += "; CSRF by preflight" if row.csrf_by_preflight else ""
        lines.append(f"/{row.route:<{width}}  {', '.join(row.accepts) or '-'}{extra}")
    return "\n".join([*lines, "", *(_problems(report) or ["Every route declares its credentials."])]) + "\n"


def render_markdown(report: RouteReport) -> str:
    lines = [
        "| route | accepts | staff | throttled | CSRF by preflight | purpose |",
        "|---|---|---|---|---|---|",
    ]
    for row in report.rows:
        route = row.route.replace("|", "\\|")
        throttled = "yes" if row.throttled else ""
        preflight = "yes" if row.csrf_by_preflight else ""
        accepts = ", ".join(row.accepts) or "—"
        lines.append(f"| `/{route}` | {accepts} | {row.staff} | {throttled} | {preflight} | {row.purpose} |")
    return "\n".join([*lines, "", *(f"- {problem}" for problem in _problems(report))]) + "\n"


def render_json(report: RouteReport) -> str:
    body = {
        "clean": report.clean,
        "routes": [
            {
                "route": f"/{row.route}",
                "accepts": list(row.accepts),
                "staff": row.staff or None,
                "throttled": row.throttled,
                "csrfByPreflight": row.csrf_by_preflight,
                "purpose": row.purpose,
            }
            for row in report.rows
        ],
        "undeclared": report.undeclared,
        "unusedDeclarations": report.unused,
    }
    return json.dumps(body, indent=2) + "\n"


ROUTE_RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}
