"""The service beyond the schema: every URL route with the credentials it declares
(``kernel.routes``), and every WebSocket route with its own, for ``privacy_audit --routes`` and
the route matrix test."""

import json
from dataclasses import dataclass

from kernel.routes import Credential, RouteAccess, access_of, declared_prefixes, walk_routes, websocket_access_of
from kernel.routes import websocket_routes as declared_websocket_routes

# What backend.websocket_access adds to every WebSocket route's declaration.
WEBSOCKET_RULE = (
    "a browser's Origin must be the host itself or a trusted origin; a bearer token only in connection_init"
)


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
    websocket_rows: list[RouteRow]  # each declared with its route (kernel.routes.websocket_route)

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
        rows.append(_row(route, access))
    unused = [prefix for prefix in declared_prefixes() if not any(route.startswith(prefix) for route in routes)]
    websocket_rows = []
    for route in declared_websocket_routes():
        access = websocket_access_of(f"/{route}")
        assert access is not None
        websocket_rows.append(_row(route, access))
    return RouteReport(rows=rows, undeclared=undeclared, unused=unused, websocket_rows=websocket_rows)


def _row(route: str, access: RouteAccess) -> RouteRow:
    accepts = tuple(credential.value for credential in Credential if access.accepts_credential(credential))
    return RouteRow(route, accepts, access.staff, access.throttled, access.csrf_by_preflight, access.purpose)


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
    lines += ["", f"WebSocket routes ({len(report.websocket_rows)}): {WEBSOCKET_RULE}"]
    lines += [f"/{row.route:<{width}}  {', '.join(row.accepts)}" for row in report.websocket_rows]
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
    lines += ["", f"WebSocket routes: {WEBSOCKET_RULE}", "", *lines[:2]]
    lines += [
        f"| `/{row.route}` | {', '.join(row.accepts)} |  |  |  | {row.purpose} |" for row in report.websocket_rows
    ]
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
        "websocketRoutes": [
            {"route": f"/{row.route}", "accepts": list(row.accepts), "purpose": row.purpose}
            for row in report.websocket_rows
        ],
    }
    return json.dumps(body, indent=2) + "\n"


ROUTE_RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}
