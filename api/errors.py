"""Error shaping shared by both engines: codes for the client's mistakes, masks for ours."""

import logging
import re
from typing import Any

from django.conf import settings
from graphql import GraphQLError

from kernel.deadlines import ran_out_of_time
from kernel.errors import DomainError, ErrorCode, RateLimited

logger = logging.getLogger("api")

# graphql-core appends "Did you mean 'x'?" to validation errors: it maps the schema for an
# attacker, so it is dropped unless DEBUG is on (the schema is public anyway, but on purpose).
_SUGGESTION = re.compile(r" Did you mean .*\?$")

INTERNAL_MESSAGE = "Internal server error. Quote the request id when reporting it."
TIMEOUT_MESSAGE = "The request took too long and was stopped. It may be retried."
_MASKS = {ErrorCode.INTERNAL: INTERNAL_MESSAGE, ErrorCode.TIMEOUT: TIMEOUT_MESSAGE}


def shape_error(error: GraphQLError, *, request_id: str) -> GraphQLError:
    """Give ``error`` its ``extensions.code`` in place; mask anything unexpected.

    A ``DomainError`` carries its own code; an error without an original exception is a
    syntax or validation error in the request; a deadline that passed is a retryable TIMEOUT;
    anything else is a bug. The last two are logged with the request id and answered with it
    and no detail.
    """
    original = error.original_error
    extensions = dict(error.extensions or {})
    if _MASKS.get(extensions.get("code", "")) == error.message:
        return error  # masked and logged already: strawberry hands execution errors over twice
    if isinstance(original, DomainError):
        extensions["code"] = original.code
        if original.field:
            extensions["field"] = original.field
        if isinstance(original, RateLimited):
            extensions["retryAfter"] = original.retry_after
    elif original is None or isinstance(original, GraphQLError):
        extensions.setdefault("code", ErrorCode.BAD_USER_INPUT)
        if not settings.DEBUG:
            error.message = _SUGGESTION.sub("", error.message)
    elif ran_out_of_time(original):
        logger.warning("GraphQL request %s ran out of time at %s: %s", request_id, error.path, original)
        error.message = TIMEOUT_MESSAGE
        extensions = {"code": ErrorCode.TIMEOUT, "requestId": request_id}
    else:
        logger.error("Unhandled error in GraphQL request %s", request_id, exc_info=original)
        error.message = INTERNAL_MESSAGE
        extensions = {"code": ErrorCode.INTERNAL, "requestId": request_id}
    error.extensions = extensions
    return error


def request_error(error: GraphQLError, *, request_id: str) -> dict[str, Any]:
    """A GraphQL request error (a document that does not parse or validate, an operation that
    cannot be chosen, variables that do not coerce) as answered: the client's mistake whatever
    raised it, so ``BAD_USER_INPUT``, with the request id like every refusal."""
    return request_graphql_error(error, request_id=request_id).formatted  # type: ignore[return-value]


def request_graphql_error(error: GraphQLError, *, request_id: str) -> GraphQLError:
    """``request_error`` as a new ``GraphQLError`` (a syntax error becomes a plain one), for a
    transport that formats errors itself."""
    message = error.message if settings.DEBUG else _SUGGESTION.sub("", error.message)
    extensions = {**(error.extensions or {}), "code": ErrorCode.BAD_USER_INPUT, "requestId": request_id}
    return GraphQLError(message, error.nodes, error.source, error.positions, error.path, extensions=extensions)


def cap_errors(errors: list[dict[str, Any]], *, limit: int, request_id: str) -> list[dict[str, Any]]:
    """At most ``limit`` errors: past it, the first ``limit - 1`` and a last one saying the rest
    were left out (with the code of the first left out), so no request answers a long list."""
    if len(errors) <= limit:
        return errors
    kept, left_out = errors[: limit - 1], errors[limit - 1 :]
    code = (left_out[0].get("extensions") or {}).get("code", ErrorCode.BAD_USER_INPUT)
    note = {
        "message": f"Too many errors: only the first {len(kept)} are listed.",
        "extensions": {"code": code, "requestId": request_id},
    }
    return [*kept, note]
