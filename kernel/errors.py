"""Domain errors: the small vocabulary in which services and selectors refuse, and the codes
the API reports them with (``extensions.code``).

The GraphQL layer maps each error to its code; nothing below it knows about GraphQL.
"""


class DomainError(Exception):
    """Base of every refusal a client can cause; ``code`` is the API error code."""

    code = "BAD_USER_INPUT"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """Missing or invisible to the viewer: the two are never told apart (docs/ARCHITECTURE.md,
    "Not found and forbidden are indistinguishable")."""

    code = "NOT_FOUND"


class PermissionDenied(DomainError):
    """The object is visible but the action or field is not for this viewer."""

    code = "FORBIDDEN"


class Unauthenticated(DomainError):
    """The operation needs a signed-in user."""

    code = "UNAUTHENTICATED"


class InvalidInput(DomainError):
    """The client's input is malformed or out of range; nothing was changed."""

    code = "BAD_USER_INPUT"


class Unavailable(DomainError):
    """Not possible yet (a file still being prepared) or not on this machine (a missing tool):
    worth trying again later, unchanged."""

    code = "UNAVAILABLE"


class RateLimited(DomainError):
    """Too many requests or actions; ``retry_after`` says how many seconds to wait."""

    code = "RATE_LIMITED"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ErrorCode:
    """Values of ``extensions.code`` in GraphQL errors."""

    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    RATE_LIMITED = "RATE_LIMITED"
    UNAVAILABLE = "UNAVAILABLE"  # not ready yet, or a tool missing here (kernel.errors.Unavailable)
    TIMEOUT = "TIMEOUT"  # the request ran out of time (kernel/deadlines.py): worth sending again as it is
    INTERNAL = "INTERNAL"
