"""The service's own Prometheus metrics (prometheus-client), beside the request, database and
cache metrics django-prometheus exports: what an operator needs to see the API itself. Defined
once here so every module that counts something uses the same series."""

from prometheus_client import Counter, Histogram

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
