"""A smoke run of ``python -m bench`` at tiny sizes: every read workload runs end to end on both
engines, the API and its hand-written baseline answer with the same JSON, and the query counts
hold. Timings are printed by the bench, never asserted here: a test machine's speed proves
nothing about the design.
"""

import importlib
from collections.abc import Iterator

import pytest
from django.conf import settings
from pytest_django import Settings

from bench import data, report, split, workloads
from bench.cli import parse_args
from bench.harness import WsgiClient, persistent_connections
from engagement import selectors
from kernel import routes

pytestmark = pytest.mark.urls("bench.urls")

TINY = data.SIZES["tiny"]
PLAN = workloads.PLANS["tiny"]


@pytest.fixture(scope="module", autouse=True)
def _bench_declarations_stay_here() -> Iterator[None]:
    """``bench.urls`` declares ``bench/`` when first resolved, into the one registry of
    declarations; the project's URLconf has no such route, so the route audit run by a later test
    would report a declaration covering nothing. The declarations made here go with this module
    (the project's own are made first, by importing its URLconf, and stay)."""
    importlib.import_module(settings.ROOT_URLCONF)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(routes, "_declared", dict(routes._declared))
        yield


@pytest.fixture
def world(db: None, settings: Settings) -> Iterator[data.World]:
    settings.GRAPHQL_HOURLY_BUDGET_USER = 10**9
    settings.GRAPHQL_HOURLY_BUDGET_IP = 10**9
    with persistent_connections():
        yield data.seed(TINY, flush=False)


@pytest.fixture
def client(world: data.World) -> WsgiClient:
    return WsgiClient()


def _by_engine(results: list[workloads.Result]) -> dict[str, dict[str, object]]:
    return {str(result.values["engine"]): result.values for result in results}


def test_w1_favorites_page_costs_three_queries_on_both_engines(client: WsgiClient, world: data.World) -> None:
    """Session, user, page: the favorites page is one query whatever its size."""
    results = _by_engine(workloads.w1(client, world, PLAN))

    assert set(results) == {"strawberry", "graphene"}
    for values in results.values():
        assert values["queries"] == 3
        assert values["baseline_queries"] == 3
        assert float(values["ratio"]) > 0  # type: ignore[arg-type]


def test_w2_insights_of_a_page_of_videos_cost_three_queries(client: WsgiClient, world: data.World) -> None:
    """Insight totals read the counters (and any spilled slots) in the page's own query."""
    for values in _by_engine(workloads.w2(client, world, PLAN, first=TINY.creator_videos)).values():
        assert values["queries"] == 3


def test_w2_times_each_engines_execution_alone_beside_the_request(client: WsgiClient, world: data.World) -> None:
    """The split (``bench.split``) answers with the request's own data, or W2 raises ``Mismatch``
    before timing; it runs no SQL, and the selector is the real one again afterwards."""
    results = _by_engine(workloads.w2(client, world, PLAN, first=TINY.creator_videos))

    for values in results.values():
        assert float(values["execution_ms"]) > 0  # type: ignore[arg-type]
        assert "ratio_if_execution_free" in values
    for engine in workloads.ENGINES:
        execution = split.execution_alone(engine, world.creator, workloads.W2_QUERY, {"first": TINY.creator_videos})
        assert workloads.count_queries(execution) == 0
    assert selectors.user_videos_page.__module__ == "engagement.selectors"


def test_w3_and_w5_run_and_answer_like_their_baselines(client: WsgiClient, world: data.World) -> None:
    """Both check JSON equality with their baseline before timing; W5 is session and user only."""
    assert len(workloads.w3(client, world, PLAN)) == 2
    for values in _by_engine(workloads.w5(client, world, PLAN)).values():
        assert values["queries"] == 2
        assert "overhead_ms" in values


def test_w7_deep_page_costs_what_the_first_page_costs_in_queries(client: WsgiClient, world: data.World) -> None:
    results = _by_engine(workloads.w7(client, world, PLAN, depth=TINY.deep))

    assert set(results) == {"strawberry", "graphene", "baseline"}
    assert {values["deep_queries"] for values in results.values()} == {3}


@pytest.mark.parametrize(
    ("workload", "path", "connection"),
    [("w8", "/bench/following-feed/", ("me", "followingFeed")), ("w9", "/bench/for-you/", ("forYou",))],
)
def test_w8_and_w9_feed_pages_cost_three_queries_and_answer_like_their_baselines(
    client: WsgiClient, world: data.World, workload: str, path: str, connection: tuple[str, ...]
) -> None:
    """Session, user, page: a feed page is one query with its owners, counts and the viewer's
    flags; the pages compared are not empty, so their equality means something."""
    results = _by_engine(getattr(workloads, workload)(client, world, PLAN))

    assert set(results) == {"strawberry", "graphene"}
    for values in results.values():
        assert values["queries"] == 3
        assert values["baseline_queries"] == 3
    page = client.sign_in(world.viewer).get(path, first=50).json()["data"]
    for key in connection:
        page = page[key]
    assert len(page["edges"]) > 1


def test_result_lines_and_table_are_plain_key_value(client: WsgiClient, world: data.World) -> None:
    results = workloads.w5(client, world, PLAN)
    line = results[0].line()

    assert line.startswith("RESULT W5 engine=strawberry overhead_ms=")
    assert all("=" in pair and " " not in pair for pair in line.split()[2:])
    record = {"mode": "tiny", "date": "today", "machine": {"cpu": "cpu", "cores": 1, "python": "3", "database": "db"}}
    assert "W5" in report.table(results, record)


def test_the_api_and_the_baseline_disagreeing_is_caught() -> None:
    """The equality check is what makes a ratio meaningful; it must be able to fail."""
    with pytest.raises(workloads.Mismatch):
        workloads._same({"data": {"me": {"id": "1"}}}, {"data": {"me": {"id": "2"}}}, "W5")


def test_help_names_every_workload(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        parse_args(["--help"])

    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for option in ("--quick", "--scale", "--json", "--only"):
        assert option in text
    for workload in ("W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9"):
        assert workload in text
