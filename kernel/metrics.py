"""The service's own Prometheus metrics (prometheus-client), beside the request, database and
cache metrics django-prometheus exports: what an operator needs to see the API itself. Defined
once here so every module that counts something uses the same series."""

from collections.abc import Iterator

from django.db import connections
from prometheus_client import REGISTRY, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

GRAPHQL_REQUESTS = Counter(
    "graphql_requests_total",
    "GraphQL requests by operation name (or 'anonymous'), engine and outcome.",
    ["operation", "engine", "outcome"],
)
GRAPHQL_LATENCY = Histogram(
    "graphql_request_seconds",
    "Time to answer a GraphQL request, by engine.",
    ["engine"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
RATE_LIMIT_REFUSALS = Counter(
    "rate_limit_refusals_total",
    "Requests refused by a budget or a throttle, by kind ('budget', or the throttled action).",
    ["kind"],
)
CACHE_FALLBACKS = Counter(
    "cache_fallbacks_total",
    "Requests whose budget, throttle or replica pin could not reach the shared cache and used the "
    "documented fallback instead, by what was being done.",
    ["operation"],
)


class DatabasePoolCollector(Collector):
    """The PostgreSQL connection pools' usage, read from psycopg_pool's ``get_stats()`` at scrape
    time, one series per database alias. Without a pool (SQLite, DATABASE_POOL=0) there is nothing
    to read, and nothing is exported."""

    GAUGES = {  # get_stats() key: series name, help
        "pool_size": ("database_pool_connections", "Connections the pool holds: in use, idle or being opened."),
        "pool_available": ("database_pool_idle_connections", "Idle connections, ready to be handed out."),
        "requests_waiting": ("database_pool_waiting_requests", "Requests waiting for a connection."),
        "pool_max": ("database_pool_max_connections", "The most connections the pool may hold."),
    }

    def _families(self) -> dict[str, GaugeMetricFamily]:
        return {key: GaugeMetricFamily(name, text, labels=["alias"]) for key, (name, text) in self.GAUGES.items()}

    def describe(self) -> Iterator[GaugeMetricFamily]:
        """The series' names, so that registering needs no collection (nor the database settings)."""
        return iter(self._families().values())

    def collect(self) -> Iterator[GaugeMetricFamily]:
        pools = {alias: getattr(connections[alias], "pool", None) for alias in connections}
        stats = {alias: pool.get_stats() for alias, pool in pools.items() if pool is not None}
        if not stats:
            return
        families = self._families()
        for alias, values in stats.items():
            for key, family in families.items():
                family.add_metric([alias], values.get(key, 0))
        yield from families.values()


REGISTRY.register(DatabasePoolCollector())
