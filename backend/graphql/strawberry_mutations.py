"""The Mutation root on strawberry, generated from the engine-neutral operations: one input type,
one payload type and one thin resolver per declared mutation."""

from datetime import datetime
from typing import Annotated, Any, Optional

import strawberry
from strawberry.types import Info

from backend.graphql.contract import ARGUMENT_DESCRIPTIONS, describe_mutation_input
from backend.graphql.operations import MutationOperation, execute_mutation, load_mutation_operations, snake_case
from backend.graphql.strawberry_base import MutationInput, describe, input_field, mutation_field, payload_type
from backend.graphql.type_refs import parse_type_ref

SCALARS: dict[str, Any] = {"ID": strawberry.ID, "String": str, "Int": int, "Boolean": bool, "DateTime": datetime}


def _annotation(ref: str, named_types: dict[str, Any]) -> Any:
    parsed = parse_type_ref(ref)
    annotation = SCALARS.get(parsed.name) or named_types[parsed.name]
    if parsed.is_list:
        annotation = list[annotation]  # type: ignore[valid-type]
    return annotation if parsed.required else Optional[annotation]  # noqa: UP045 - built at runtime


def _input_type(operation: MutationOperation, named_types: dict[str, Any]) -> Any:
    name = f"{operation.name[0].upper()}{operation.name[1:]}Input"
    namespace: dict[str, Any] = {"__annotations__": {}}
    for graphql_name, ref in operation.inputs.items():
        python_name = snake_case(graphql_name)
        namespace["__annotations__"][python_name] = _annotation(ref, named_types)
        options = {} if ref.endswith("!") else {"default": None}
        namespace[python_name] = input_field(graphql_name, **options)
    cls = type(name, (MutationInput,), namespace)
    return strawberry.input(cls, name=name, description=describe_mutation_input(operation.name))


def _resolver(operation: MutationOperation, input_type: Any, payload: Any) -> Any:
    fields = [field.python_name for field in input_type.__strawberry_definition__.fields]

    def resolve(info: Info, input: Any) -> Any:
        data = {name: getattr(input, name) for name in fields}
        return payload(**execute_mutation(operation.name, request=info.context.request, data=data))

    described_input = Annotated[input_type, strawberry.argument(description=ARGUMENT_DESCRIPTIONS["input"])]
    resolve.__annotations__ = {"info": Info, "input": described_input, "return": Optional[payload]}  # noqa: UP045
    resolve.__name__ = snake_case(operation.name)
    return resolve


def build_mutation_type(named_types: dict[str, Any]) -> Any:
    namespace: dict[str, Any] = {}
    for name, operation in load_mutation_operations().items():
        payload_name = f"{name[0].upper()}{name[1:]}Payload"
        payload_fields = {
            snake_case(field): (field, _annotation(ref, named_types)) for field, ref in operation.payload.items()
        }
        payload = payload_type(payload_name, **payload_fields)
        namespace[snake_case(name)] = mutation_field(
            name, _resolver(operation, _input_type(operation, named_types), payload)
        )
    return strawberry.type(type("Mutation", (), namespace), name="Mutation", description=describe("Mutation"))
