"""The workloads W1-W9, each measured against its hand-written baseline in the same run.

Every workload first checks that the API and the baseline return the same JSON (a baseline that
does less work would flatter nobody), then times them in interleaved rounds.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.test.utils import override_settings
from graphql_relay import to_global_id

from accounts.models import User
from bench import split
from bench.data import World
from bench.harness import (
    ENDPOINTS,
    ClientOutcome,
    WsgiClient,
    count_queries,
    interleaved,
    median,
    run_concurrently,
)
from engagement import counters, services
from engagement.analytics import ranking_refresh
from engagement.models import Favorite, VideoCounters, View
from kernel.pagination import encode_cursor

ENGINES = tuple(ENDPOINTS)
EXECUTION = "-execution"  # the variant of an engine that times its execution alone


@dataclass(frozen=True)
class Plan:
    """How long to measure: rounds of ``requests`` calls per variant; W4/W6 ops per client."""

    rounds: int
    requests: int
    fast_requests: int  # W5: requests that take well under a millisecond
    write_ops: int
    write_rounds: int


PLANS = {
    "tiny": Plan(rounds=1, requests=2, fast_requests=3, write_ops=2, write_rounds=1),
    "quick": Plan(rounds=5, requests=12, fast_requests=150, write_ops=3, write_rounds=2),
    "full": Plan(rounds=9, requests=30, fast_requests=400, write_ops=6, write_rounds=3),
}


@dataclass
class Result:
    workload: str
    values: dict[str, Any]
    goal: str = ""
    met: bool | None = None
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        return f"RESULT {self.workload} " + " ".join(f"{key}={_plain(value)}" for key, value in self.values.items())


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 1000 else f"{value:.0f}"
    return str(value)


W1_QUERY = """query W1($first: Int!, $after: String) {
  me {
    favorites(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { id createdAt video { id caption likeCount commentCount shareCount viewCount
        owner { username displayName } } } }
    }
  }
}"""

W2_QUERY = """query W2($first: Int!) {
  me { videos(first: $first) { edges { node { id insights { saveCount likeCount commentCount shareCount
    viewCount downloadCount totalWatchSeconds averageWatchSeconds completionRate } } } } }
}"""

W3_QUERY = """query W3($first: Int!) {
  me { videos(first: $first) { edges { node { id caption durationSeconds createdAt likeCount commentCount
    shareCount viewCount allowDownload visibility allowComments allowDuet allowStitch viewerHasSaved } } } }
}"""

W5_QUERY = "{ me { id } }"

_FEED_NODE = """pageInfo { hasNextPage endCursor }
    edges { node { id caption createdAt likeCount commentCount shareCount viewCount viewerHasSaved viewerHasLiked
      owner { username displayName } } }"""
W8_QUERY = f"query W8($first: Int!) {{ me {{ followingFeed(first: $first) {{ {_FEED_NODE} }} }} }}"
W9_QUERY = f"query W9($first: Int!) {{ forYou(first: $first) {{ {_FEED_NODE} }} }}"

FAVORITE = "mutation F($id: ID!) { favoriteVideo(input: {videoId: $id}) { favorite { id createdAt } } }"
UNFAVORITE = "mutation U($id: ID!) { unfavoriteVideo(input: {videoId: $id}) { removed } }"


class Mismatch(AssertionError):
    """The API and the baseline disagree: timing them would compare different work."""


def _same(api: Any, baseline: Any, what: str) -> None:
    if api != baseline:
        raise Mismatch(f"{what}: the API answered {str(api)[:400]} but the baseline {str(baseline)[:400]}")


def _read_variants(
    client: WsgiClient, query: str, variables: dict[str, Any], baseline_path: str, params: dict[str, Any]
) -> dict[str, Callable[[], Any]]:
    """One callable per engine and the baseline; checks first that all three answer the same."""
    baseline = client.get(baseline_path, **params)
    for engine in ENGINES:
        answer = client.graphql(engine, query, variables)
        assert answer.status == 200, answer.body[:300]
        _same(answer.json(), baseline.json(), f"{engine} vs {baseline_path}")
    variants: dict[str, Callable[[], Any]] = {
        engine: _graphql_call(client, engine, query, variables) for engine in ENGINES
    }
    variants["baseline"] = lambda: client.get(baseline_path, **params)
    return variants


def _graphql_call(client: WsgiClient, engine: str, query: str, variables: dict[str, Any]) -> Callable[[], Any]:
    return lambda: client.graphql(engine, query, variables)


def _ratio_results(
    workload: str,
    client: WsgiClient,
    variants: dict[str, Callable[[], Any]],
    plan: Plan,
    *,
    requests: int | None = None,
    goal_ratio: float | None = None,
    max_queries: int | None = None,
    extra: dict[str, Any] | None = None,
) -> list[Result]:
    samples = interleaved(variants, rounds=plan.rounds, requests=requests or plan.requests)
    base = median(samples["baseline"])
    base_queries = count_queries(variants["baseline"])
    results = []
    for engine in ENGINES:
        rps = median(samples[engine])
        values: dict[str, Any] = {"engine": engine, "ratio": rps / base}
        values["queries"] = count_queries(variants[engine])
        values |= {"api_rps": rps, "baseline_rps": base, "baseline_queries": base_queries}
        values["api_ms"], values["baseline_ms"] = 1000 / rps, 1000 / base
        if engine + EXECUTION in samples:  # the engine's execution alone (``bench.split``)
            values["execution_ms"] = 1000 / median(samples[engine + EXECUTION])
            rest = values["api_ms"] - values["execution_ms"]  # not positive only in a very noisy run
            values["ratio_if_execution_free"] = values["baseline_ms"] / rest if rest > 0 else float("nan")
        values |= extra or {}
        met = None
        if goal_ratio is not None:
            met = values["ratio"] >= goal_ratio and (max_queries is None or values["queries"] <= max_queries)
        results.append(Result(workload, values, met=met))
    return results


def w1(client: WsgiClient, world: World, plan: Plan) -> list[Result]:
    """A viewer's favorites page (first: 50): video with caption, counts and owner."""
    variants = _read_variants(client.sign_in(world.viewer), W1_QUERY, {"first": 50}, "/bench/favorites/", {"first": 50})
    results = _ratio_results("W1", client, variants, plan, goal_ratio=0.6, max_queries=3)
    _goal(results, "ratio >= 0.6 with <= 3 queries (best engine)")
    return results


def w2(
    client: WsgiClient,
    world: World,
    plan: Plan,
    *,
    creator: int | None = None,
    first: int = 100,
    split_execution: bool = True,
) -> list[Result]:
    """A creator's insight totals for 100 videos; with ``split_execution``, each engine's
    execution alone is timed beside the request (``bench.split``)."""
    user_id = creator or world.creator
    variables = {"first": first}
    variants = _read_variants(client.sign_in(user_id), W2_QUERY, variables, "/bench/insights/", variables)
    if split_execution:
        answer = variants[ENGINES[0]]().json()
        for engine in ENGINES:
            execution = split.execution_alone(engine, user_id, W2_QUERY, variables)
            _same({"data": execution()}, answer, f"{engine}'s execution alone vs its request")
            variants[engine + EXECUTION] = execution
    results = _ratio_results("W2", client, variants, plan, goal_ratio=0.75, max_queries=3)
    _goal(results, "ratio >= 0.75 with <= 3 queries (best engine)")
    return results


def w3(client: WsgiClient, world: World, plan: Plan) -> list[Result]:
    """Executor overhead: a 100-item page of 14 scalar fields."""
    variants = _read_variants(client.sign_in(world.creator), W3_QUERY, {"first": 100}, "/bench/videos/", {"first": 100})
    results = _ratio_results("W3", client, variants, plan, goal_ratio=0.5, extra={"fields": 1400})
    _goal(results, "ratio >= 0.5 (best engine)")
    return results


def w5(client: WsgiClient, world: World, plan: Plan) -> list[Result]:
    """``{ me { id } }``: what the GraphQL layer costs on the smallest request."""
    variants = _read_variants(client.sign_in(world.viewer), W5_QUERY, {}, "/bench/me/", {})
    results = _ratio_results("W5", client, variants, plan, requests=plan.fast_requests)
    for result in results:
        result.values = {
            "engine": result.values["engine"],
            "overhead_ms": result.values["api_ms"] - result.values["baseline_ms"],
            **{k: v for k, v in result.values.items() if k != "engine"},
        }
        result.met = result.values["overhead_ms"] <= 1.0
    _goal(results, "overhead_ms <= 1.0 (best engine)")
    return results


def w8(client: WsgiClient, world: World, plan: Plan) -> list[Result]:
    """The following feed (first: 50): the followees' videos newest first, with owner, counts and flags."""
    return _feed("W8", client, world, plan, W8_QUERY, "/bench/following-feed/")


def w9(client: WsgiClient, world: World, plan: Plan) -> list[Result]:
    """The viewer's For You page (first: 50), personalized, after a ranking of every video (not timed)."""
    ranking_refresh.rank_videos()
    return _feed("W9", client, world, plan, W9_QUERY, "/bench/for-you/")


def _feed(workload: str, client: WsgiClient, world: World, plan: Plan, query: str, path: str) -> list[Result]:
    variants = _read_variants(client.sign_in(world.viewer), query, {"first": 50}, path, {"first": 50})
    results = _ratio_results(workload, client, variants, plan, goal_ratio=0.6, max_queries=3)
    _goal(results, "ratio >= 0.6 with <= 3 queries (best engine)")
    return results


def deep_cursor(user_id: int, depth: int) -> str:
    """The cursor after the ``depth``-th favorite of the user, newest first."""
    row = Favorite.objects.filter(user_id=user_id).order_by("-created_at", "-pk")[depth - 1 : depth].get()
    return encode_cursor(row)


def w7(client: WsgiClient, world: World, plan: Plan, *, depth: int, user_id: int | None = None) -> list[Result]:
    """Keyset pagination: a page ``depth`` items deep against the first page (first: 50)."""
    user_id = user_id or world.viewer
    client.sign_in(user_id)
    after = deep_cursor(user_id, depth)
    results = []
    for engine in (*ENGINES, "baseline"):
        if engine == "baseline":
            first_page = lambda: client.get("/bench/favorites/", first=50)  # noqa: E731
            deep_page = lambda: client.get("/bench/favorites/", first=50, after=after)  # noqa: E731
        else:
            first_page = lambda engine=engine: client.graphql(engine, W1_QUERY, {"first": 50})  # type: ignore[misc]  # noqa: E731
            deep_page = lambda engine=engine: client.graphql(engine, W1_QUERY, {"first": 50, "after": after})  # type: ignore[misc]  # noqa: E731
        answer = deep_page().json()
        edges = answer["data"]["me"]["favorites"]["edges"]
        assert edges, f"the deep page of {engine} is empty"
        samples = interleaved({"first": first_page, "deep": deep_page}, rounds=plan.rounds, requests=plan.requests)
        first_ms, deep_ms = 1000 / median(samples["first"]), 1000 / median(samples["deep"])
        values = {
            "engine": engine,
            "ratio": deep_ms / first_ms,
            "depth": depth,
            "first_ms": first_ms,
            "deep_ms": deep_ms,
        }
        values["deep_queries"] = count_queries(deep_page)
        results.append(Result("W7", values, met=deep_ms / first_ms <= 1.5))
    _goal(results, "ratio <= 1.5")
    return results


def _goal(results: list[Result], goal: str) -> None:
    for result in results:
        result.goal = goal


# Writes -----------------------------------------------------------------------------------------


def _writer_clients(world: World) -> list[WsgiClient]:
    return [WsgiClient().sign_in(user_id) for user_id in world.writers]


def reset_writers(world: World) -> None:
    """No writer has saved its video: every round starts from the same state."""
    Favorite.objects.filter(user_id__in=world.writers).delete()
    counters.counters_repair(video_ids=set(world.writer_videos))


def _toggle_work(clients: list[WsgiClient], world: World, variant: str, ops: int) -> Callable[[int], ClientOutcome]:
    """Client ``index`` alternately saves and unsaves its video (half of them the hot one)."""

    def work(index: int) -> ClientOutcome:
        client = clients[index]
        video = to_global_id("Video", str(world.writer_videos[index]))
        outcome = ClientOutcome()
        locked = _LockedCounter()
        logging.getLogger().addHandler(locked)
        try:
            for op in range(ops):
                save = op % 2 == 0
                if variant == "orm":
                    outcome.ops += 1
                    _toggle_with_services(world.writers[index], world.writer_videos[index], save)
                    continue
                if variant == "counter":
                    outcome.ops += 1
                    _record_view(world.writers[index], world.writer_videos[index])
                    continue
                if variant == "baseline":
                    path = "/bench/favorite/" if save else "/bench/unfavorite/"
                    response = client.post(path, {"videoId": video})
                else:
                    response = client.graphql(variant, FAVORITE if save else UNFAVORITE, {"id": video})
                body = response.json() if response.body else {}
                outcome.ops += 1
                if response.status != 200 or body.get("errors"):
                    outcome.errors += 1
                    if b"locked" in response.body:
                        outcome.locked += 1
        finally:
            logging.getLogger().removeHandler(locked)
        outcome.locked = max(outcome.locked, locked.count)
        return outcome

    return work


def _warmup(clients: list[WsgiClient], variant: str) -> Callable[[int], Any]:
    """A read through the same stack, so that lazy set-up is not timed as a write."""

    def warm(index: int) -> None:
        if variant in ENGINES:
            clients[index].graphql(variant, W5_QUERY)
        elif variant == "baseline":
            clients[index].get("/bench/me/")
        else:
            User.objects.filter(pk=clients[index].user_id or 0).exists()

    return warm


def _toggle_with_services(user_id: int, video_id: int, save: bool) -> None:
    """The same ORM writes as the mutations, without HTTP or GraphQL: the services alone."""
    actor = _actors.get(user_id)
    if actor is None:
        actor = _actors[user_id] = User.objects.get(pk=user_id)
    if save:
        services.favorite_add(actor=actor, video_id=video_id)
    else:
        services.favorite_remove(actor=actor, video_id=video_id)


_actors: dict[int, User] = {}


def _record_view(user_id: int, video_id: int) -> None:
    """The smallest counted write: a view row and its counter steps, one transaction."""
    with transaction.atomic():
        View.objects.create(video_id=video_id, viewer_id=user_id, watched_seconds=1, traffic_source="OTHER")
        bump = getattr(counters, "bump", None)
        if bump is not None:
            bump(video_id, view_count=1, total_watch_seconds=1)
        else:  # a tree from before the counter design: the single row, as its services did
            steps = {"view_count": F("view_count") + 1, "total_watch_seconds": F("total_watch_seconds") + 1}
            VideoCounters.objects.filter(video_id=video_id).update(**steps)


class _LockedCounter(logging.Handler):
    """Counts server-side errors caused by 'database is locked' (clients see a masked INTERNAL)."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        error = record.exc_info[1] if record.exc_info else None
        if "database is locked" in f"{record.getMessage()} {error}":
            self.count += 1


def write_phase(world: World, variant: str, ops: int, *, spill: bool = True) -> tuple[float, ClientOutcome]:
    """Throughput (ops/s) of all writers toggling at once, and their summed outcome."""
    reset_writers(world)
    clients = _writer_clients(world)
    with override_settings(VIDEO_COUNTER_SPILL=spill):
        outcomes, elapsed = run_concurrently(
            len(clients), _toggle_work(clients, world, variant, ops), warmup=_warmup(clients, variant)
        )
    total = ClientOutcome(
        ops=sum(o.ops for o in outcomes), errors=sum(o.errors for o in outcomes), locked=sum(o.locked for o in outcomes)
    )
    return total.ops / elapsed, total


def exact_counters(world: World) -> bool:
    return not counters.video_counter_drift(video_ids=set(world.writer_videos))


def w4(world: World, plan: Plan) -> list[Result]:
    """favorite/unfavorite from 32 concurrent clients on PostgreSQL, half on one hot video.

    ``ratio``: the API against the plain view doing the same ORM writes (both on the counter
    design that ships); ``exact``: every writer video's totals equal its rows after each phase.
    ``counter_speedup``: the shipped counter design (``engagement.counters.bump``) against one hot
    counter row (``VIDEO_COUNTER_SPILL`` off), with the same 32 clients and half of them on the hot
    video, each transaction a view row plus its counter steps: the smallest counted write, so the
    database rather than Python is what limits it. Full runs add the same comparison through the
    services (``counter_speedup_services``) and through the API (``counter_speedup_api``), where
    on a small machine Python is the limit and the counter design matters less."""
    if connection.vendor != "postgresql":
        return [Result("W4", {"skipped": 1}, goal="needs PostgreSQL", notes=["W4 runs on PostgreSQL only"])]
    phases = {"strawberry": True, "graphene": True, "baseline": True, "counter": True, "counter_hot_row": False}
    if plan.write_rounds > 2:  # full runs also compare the designs through the services and the API
        phases |= {"orm": True, "orm_hot_row": False, "strawberry_hot_row": False}
    samples: dict[str, list[float]] = {name: [] for name in phases}
    errors = locked = 0
    exact = True
    names = list(phases)
    for index in range(plan.write_rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            variant = name.removesuffix("_hot_row")
            ops = plan.write_ops * (10 if variant == "counter" else 3 if variant == "orm" else 1)
            rate, outcome = write_phase(world, variant, ops, spill=phases[name])
            samples[name].append(rate)
            errors += outcome.errors
            locked += outcome.locked
            exact = exact and exact_counters(world)
    base = median(samples["baseline"])

    def speedup(variant: str) -> float | None:
        if f"{variant}_hot_row" not in samples:
            return None
        return median(samples[variant]) / median(samples[f"{variant}_hot_row"])

    results = []
    for engine in ENGINES:
        rps = median(samples[engine])
        values: dict[str, Any] = {"engine": engine, "ratio": rps / base, "exact": exact}
        values["counter_speedup"] = speedup("counter")
        values |= {"api_ops": rps, "baseline_ops": base, "counter_ops": median(samples["counter"])}
        values |= {"counter_hot_row_ops": median(samples["counter_hot_row"]), "clients": len(world.writers)}
        for variant in ("orm", "strawberry"):
            if (figure := speedup(variant)) is not None:
                values[f"counter_speedup_{'services' if variant == 'orm' else 'api'}"] = figure
        values["errors"] = errors
        results.append(Result("W4", values, met=values["ratio"] >= 0.5 and exact and errors == 0))
    _goal(results, "ratio >= 0.5 with exact counters")
    return results


def w6_run(world: World, plan: Plan, *, writers: int = 8) -> Result:
    """Concurrent writers on SQLite (the embedded default): count 'database is locked'."""
    rates = []
    errors = locked = ops = 0
    started = time.perf_counter()
    for index in range(plan.write_rounds):
        variant = ENGINES[index % len(ENGINES)]
        rate, outcome = write_phase(world, variant, plan.write_ops * 2)
        rates.append(rate)
        errors, locked, ops = errors + outcome.errors, locked + outcome.locked, ops + outcome.ops
    exact = exact_counters(world)
    values = {"locked": locked, "errors": errors, "writers": writers, "ops": ops, "ops_per_s": median(rates)}
    values |= {"exact": exact, "seconds": time.perf_counter() - started}
    values["locked_with_django_defaults"] = _locked_with_django_defaults(world, plan)
    return Result("W6", values, goal="locked == 0", met=locked == 0 and errors == 0 and exact)


def _locked_with_django_defaults(world: World, plan: Plan) -> int:
    """The control: the same writers with Django's own SQLite options (5 s timeout, deferred
    transactions) instead of ours (IMMEDIATE transactions, 20 s timeout): shows what the settings
    prevent. The WAL journal the file already has stays."""
    options = connection.settings_dict["OPTIONS"]
    saved = dict(options)
    options.clear()
    connection.close()
    try:
        _, outcome = write_phase(world, ENGINES[0], plan.write_ops * 2)
    finally:
        options.clear()
        options.update(saved)
        connection.close()
        counters.counters_repair(video_ids=set(world.writer_videos))
    return outcome.locked
