"""Request deadlines. A GraphQL request has ``REQUEST_DEADLINE_SECONDS`` (below gunicorn's 30 s
worker timeout): once they have passed, its next database query is refused with
``DeadlineExceeded``, the operation stops and answers a retryable ``TIMEOUT``, and any transaction
it opened rolls back. Without it a stuck request runs on until gunicorn kills the worker, and
every other request that worker holds with it.

PostgreSQL's own deadlines (a statement cancelled by ``statement_timeout``, a lock wait ended by
``lock_timeout``) are the same event seen from the database, and answer the same code."""

import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from django.db import OperationalError, connections
from psycopg import errors as postgres_errors

# Transaction control still runs past the deadline, so that an atomic block can roll back.
_SAVEPOINT_SQL = ("SAVEPOINT ", "RELEASE SAVEPOINT ", "ROLLBACK TO SAVEPOINT ")
_POSTGRES_TIMEOUTS = (postgres_errors.QueryCanceled, postgres_errors.LockNotAvailable)


class DeadlineExceeded(Exception):
    """Raised in place of a query once the request's deadline has passed."""


def _refuse_after(deadline: float) -> Callable[..., Any]:
    def refuse(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        if time.monotonic() >= deadline and not sql.startswith(_SAVEPOINT_SQL):
            raise DeadlineExceeded("the request's deadline passed before this query")
        return execute(sql, params, many, context)

    return refuse


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Within it, this thread's database connections refuse every query once ``seconds`` have
    passed (0: never)."""
    if seconds <= 0:
        yield
        return
    refuse = _refuse_after(time.monotonic() + seconds)
    with ExitStack() as stack:
        for alias in connections:
            stack.enter_context(connections[alias].execute_wrapper(refuse))
        yield


def ran_out_of_time(error: BaseException | None) -> bool:
    """Whether ``error`` is a deadline passing: ours, or PostgreSQL cancelling a statement or a
    lock wait (Django's ``OperationalError`` from psycopg's ``QueryCanceled`` or
    ``LockNotAvailable``). Either way the request may succeed if sent again."""
    if isinstance(error, DeadlineExceeded):
        return True
    return isinstance(error, OperationalError) and isinstance(error.__cause__, _POSTGRES_TIMEOUTS)
