"""The Mutation root on graphene, generated from the engine-neutral operations, like the
strawberry one: one input type, one payload type and one thin resolver per mutation."""

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from backend.graphql.contract import ARGUMENT_DESCRIPTIONS, INPUT_FIELD_DESCRIPTIONS, describe_mutation_input
from backend.graphql.graphene_base import DateTime, describe, fields_of
from backend.graphql.operations import MutationOperation, execute_mutation, load_mutation_operations, snake_case
from backend.graphql.type_refs import parse_type_ref

SCALARS: dict[str, Any] = {
    "ID": graphene.ID,
    "String": graphene.String,
    "Int": graphene.Int,
    "Boolean": graphene.Boolean,
    "DateTime": DateTime,
}


def _graphene_type(ref: str, named_types: dict[str, Any]) -> Any:
    parsed = parse_type_ref(ref)
    of_type = SCALARS.get(parsed.name) or named_types[parsed.name]
    if parsed.is_list:
        of_type = graphene.List(graphene.NonNull(of_type))
    return graphene.NonNull(of_type) if parsed.required else of_type


def _input_type(operation: MutationOperation, named_types: dict[str, Any]) -> Any:
    name = f"{operation.name[0].upper()}{operation.name[1:]}Input"
    shape = {"clientMutationId": "String", **operation.inputs}
    namespace: dict[str, Any] = {
        "Meta": type("Meta", (), {"name": name, "description": describe_mutation_input(operation.name)})
    }
    for graphql_name, ref in shape.items():
        options = {} if ref.endswith("!") else {"default_value": None}
        namespace[snake_case(graphql_name)] = graphene.InputField(
            _graphene_type(ref, named_types),
            name=graphql_name,
            description=INPUT_FIELD_DESCRIPTIONS[graphql_name],
            **options,
        )
    return type(name, (graphene.InputObjectType,), namespace)


def _payload_type(operation: MutationOperation, named_types: dict[str, Any]) -> Any:
    name = f"{operation.name[0].upper()}{operation.name[1:]}Payload"
    make = fields_of(name)
    namespace: dict[str, Any] = {"Meta": type("Meta", (), {"name": name, "description": describe(name)})}
    for graphql_name, ref in {"clientMutationId": "String", **operation.payload}.items():
        namespace[snake_case(graphql_name)] = make(graphql_name, _graphene_type(ref, named_types))
    return type(name, (graphene.ObjectType,), namespace)


def _resolver(operation: MutationOperation, input_fields: list[str]) -> Any:
    def resolve(root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:
        data = {name: input.get(name) for name in input_fields}
        return execute_mutation(operation.name, request=info.context, data=data)

    return resolve


def build_mutation_type(named_types: dict[str, Any]) -> Any:
    make = fields_of("Mutation")
    namespace: dict[str, Any] = {"Meta": type("Meta", (), {"name": "Mutation", "description": describe("Mutation")})}
    for name, operation in load_mutation_operations().items():
        input_type = _input_type(operation, named_types)
        input_fields = ["client_mutation_id", *(snake_case(field) for field in operation.inputs)]
        namespace[snake_case(name)] = make(
            name,
            _payload_type(operation, named_types),
            _resolver(operation, input_fields),
            args={
                "input": graphene.Argument(
                    graphene.NonNull(input_type), name="input", description=ARGUMENT_DESCRIPTIONS["input"]
                )
            },
        )
    return type("Mutation", (graphene.ObjectType,), namespace)
