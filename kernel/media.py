"""The media type of a GraphQL answer, negotiated from the request's ``Accept`` header as GraphQL
over HTTP says, and what it changes: the status of a GraphQL request error.

``application/graphql-response+json`` is served when the client prefers it; ``application/json``
(the legacy type every client reads) otherwise, and when there is no ``Accept`` header or it
allows anything (``*/*``). A header that allows neither is answered 406. Both are UTF-8 JSON.
"""

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
_WILDCARDS = {"*/*": 0, "application/*": 1}  # specificity below an exact type's 2


def _ranges(accept: str) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their weights (RFC 9110 §12.5.1); a range with
    a weight that is not a number counts as not acceptable."""
    ranges = []
    for part in accept.split(","):
        media_range, *parameters = part.split(";")
        weight = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    weight = 0.0
        ranges.append((media_range.strip().lower(), weight))
    return ranges


def _preference(media_type: str, ranges: list[tuple[str, float]]) -> tuple[float, int, int]:
    """(weight, specificity, -position) of the most specific range matching ``media_type``."""
    best = (0.0, -1, 0)
    for position, (media_range, weight) in enumerate(ranges):
        specificity = 2 if media_range == media_type else _WILDCARDS.get(media_range, -1)
        if specificity > best[1]:
            best = (weight, specificity, -position)
    return best


def negotiate(accept: str) -> str | None:
    """The media type to answer in, or None when ``accept`` allows neither of ours. Ties go to
    the exact type over a wildcard, then to the one listed first, then to ``application/json``."""
    if not accept.strip():
        return JSON
    ranges = _ranges(accept)
    graphql_response, json = _preference(GRAPHQL_RESPONSE_JSON, ranges), _preference(JSON, ranges)
    chosen, preference = (GRAPHQL_RESPONSE_JSON, graphql_response) if graphql_response > json else (JSON, json)
    return chosen if preference[0] > 0 else None


def content_type(media_type: str) -> str:
    return f"{media_type}; charset=utf-8"


def request_error_status(media_type: str) -> int:
    """The status of a GraphQL request error (a document that does not parse or validate, an
    operation that cannot be chosen, variables that do not coerce): 400 under
    ``application/graphql-response+json``; 200 under ``application/json``, where a client may
    trust a body only with a 200 (an intermediary may have written any other)."""
    return 400 if media_type == GRAPHQL_RESPONSE_JSON else 200
