"""Mutations, engine-neutral: each one's input and payload shape and the function that runs it.

An app declares a mutation once with ``@mutation`` (in ``api/<app>/mutations.py``);
``api.type_system`` makes its input, payload and root field, which both engines build
and which call ``execute_mutation``. Audiences and descriptions stay in the contract.
"""

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from kernel.ratelimit import actor_key, budget_key, throttle


@dataclass(frozen=True)
class MutationOperation:
    name: str
    inputs: dict[str, str]  # GraphQL input field name -> type reference, e.g. "ID!"
    payload: dict[str, str]  # GraphQL payload field name -> type reference
    run: Callable[..., dict[str, Any]]


MUTATION_OPERATIONS: dict[str, MutationOperation] = {}


def mutation(name: str, *, inputs: dict[str, str], payload: dict[str, str]) -> Callable[..., Any]:
    """Register ``run(*, request, **snake_case_inputs) -> {snake_case_payload_field: value}``."""

    def register(run: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        if name in MUTATION_OPERATIONS:
            raise ValueError(f"mutation {name} declared twice")
        MUTATION_OPERATIONS[name] = MutationOperation(name=name, inputs=inputs, payload=payload, run=run)
        return run

    return register


def _plain(value: Any) -> Any:
    """Engine enum members become their string values; lists are converted item by item."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


class ActorPayload:
    """Marks a mutation's payload: built for the mutation's actor alone and owned by no one else,
    like the Query root. The policy layer checks the value of a SELF field of such a parent: it
    must be the viewer's own (``api.policies.value_denial``)."""


class MutationResult(dict[str, Any], ActorPayload):
    """A payload's field values (the graphene engine resolves its payload fields from this)."""


def execute_mutation(name: str, *, request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Run a mutation from its snake_case input; the payload echoes ``client_mutation_id``."""
    operation = MUTATION_OPERATIONS[name]
    if name in settings.GRAPHQL_MUTATION_THROTTLES:
        _throttle(name, request, *settings.GRAPHQL_MUTATION_THROTTLES[name])
    arguments = {key: _plain(value) for key, value in data.items() if key != "client_mutation_id"}
    result = MutationResult(operation.run(request=request, **arguments))
    result["client_mutation_id"] = data.get("client_mutation_id")
    return result


# How many credentials' allowances one person may spend at once, across all their credentials.
PERSON_THROTTLE_CEILING = 3


def _throttle(name: str, request: HttpRequest, limit: int, per_seconds: int) -> None:
    """Each credential (the session, each token or application grant) has its own allowance, so
    an app can neither watch, by hitting the limit early, what its user does elsewhere nor spend
    the user's own allowance. The person keeps a ceiling of a few allowances across credentials,
    so new tokens buy no unlimited likes or views; only a combined burst far past one allowance
    reaches it."""
    throttle(actor_key=budget_key(request)[0], action=name, limit=limit, per_seconds=per_seconds)
    ceiling = limit * PERSON_THROTTLE_CEILING
    throttle(actor_key=actor_key(request), action=f"{name}:person", limit=ceiling, per_seconds=per_seconds)
