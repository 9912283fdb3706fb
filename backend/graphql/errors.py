"""Error shaping shared by both engines: codes for the client's mistakes, masks for ours."""

import logging

from graphql import GraphQLError

from backend.errors import DomainError
from backend.graphql.contract import ErrorCode

logger = logging.getLogger("backend.graphql")

INTERNAL_MESSAGE = "Internal server error. Quote the request id when reporting it."


def shape_error(error: GraphQLError, *, request_id: str) -> GraphQLError:
    """Give ``error`` its ``extensions.code`` in place; mask anything unexpected.

    A ``DomainError`` carries its own code; an error without an original exception is a
    syntax or validation error in the request; anything else is a bug: logged with the
    request id and answered with no detail.
    """
    original = error.original_error
    extensions = dict(error.extensions or {})
    if isinstance(original, DomainError):
        extensions["code"] = original.code
        if original.field:
            extensions["field"] = original.field
    elif original is None or isinstance(original, GraphQLError):
        extensions.setdefault("code", ErrorCode.BAD_USER_INPUT)
    else:
        logger.error("Unhandled error in GraphQL request %s", request_id, exc_info=original)
        error.message = INTERNAL_MESSAGE
        extensions = {"code": ErrorCode.INTERNAL, "requestId": request_id}
    error.extensions = extensions
    return error
