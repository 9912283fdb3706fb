"""The table at the end of a run, and the growth figures of ``--scale``."""

from typing import Any

from bench.data import World
from bench.harness import WsgiClient
from bench.workloads import Plan, Result, w1, w2

KEY_FIGURE = {"W1": "ratio", "W2": "ratio", "W3": "ratio", "W4": "ratio", "W5": "overhead_ms", "W6": "locked"}
KEY_FIGURE |= {"W7": "ratio", "W8": "ratio", "W9": "ratio", "G1": "api_ms", "G2": "api_ms", "G7": "ratio"}


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}" if abs(value) < 100 else f"{value:.0f}"
    return str(value)


def _details(result: Result) -> str:
    skip = {"engine", KEY_FIGURE.get(result.workload, "")}
    return " ".join(f"{key}={_cell(value)}" for key, value in result.values.items() if key not in skip)


def table(results: list[Result], record: dict[str, Any]) -> str:
    m = record["machine"]
    lines = [
        "",
        f"{record['mode']} run, {record['date']}, {m['cpu']} x{m['cores']}, Python {m['python']}, {m['database']}",
        f"{'workload':<9}{'engine':<12}{'figure':<14}{'value':>9}  {'goal':<44}{'met':<5}details",
    ]
    for result in results:
        figure = KEY_FIGURE.get(result.workload, "")
        value = result.values.get(figure, "")
        met = "" if result.met is None else "yes" if result.met else "NO"
        lines.append(
            f"{result.workload:<9}{result.values.get('engine', ''):<12}{figure:<14}{_cell(value):>9}  "
            f"{result.goal:<44}{met:<5}{_details(result)}"
        )
    return "\n".join(lines)


def growth(client: WsgiClient, world: World, plan: Plan) -> list[Result]:
    """How cost grows with data: the same screens for viewers with more favorites and creators
    with more videos, and the deep page 10,000 items into the largest list."""
    results: list[Result] = []
    for count, user_id in sorted(world.growth_viewers.items()):
        for result in _w1_for(client, world, plan, user_id):
            result.workload = "G1"
            result.values = {"engine": result.values["engine"], "favorites": count, **_timing(result)}
            result.goal, result.met = "", None
            results.append(result)
    for count, user_id in sorted(world.growth_creators.items()):
        for result in w2(client, world, plan, creator=user_id, split_execution=False):
            result.workload = "G2"
            result.values = {"engine": result.values["engine"], "videos": count, **_timing(result)}
            result.goal, result.met = "", None
            results.append(result)
    return results


def _w1_for(client: WsgiClient, world: World, plan: Plan, user_id: int) -> list[Result]:
    from dataclasses import replace

    return w1(client, replace(world, viewer=user_id), plan)


def _timing(result: Result) -> dict[str, Any]:
    keys = ("api_ms", "baseline_ms", "ratio", "queries")
    return {key: result.values[key] for key in keys}
