"""Deny by default: a field that was not declared with an audience fails the schema build, and
both engines run the same check (``type_system.check_schema``)."""

from collections.abc import Callable
from typing import Any

import graphene
import pytest
import strawberry
from graphql import GraphQLObjectType, GraphQLSchema

from api import graphene_build, strawberry_build, type_system
from api.contract import SchemaContractError
from api.graphene_schema import schema as graphene_schema
from api.strawberry_schema import schema as strawberry_schema


def _strawberry_with_saved_by() -> GraphQLSchema:
    @strawberry.type(name="Query")
    class LeakyQuery(strawberry_build.NAMESPACE.Query):  # type: ignore[name-defined]
        @strawberry.field
        def saved_by(self) -> str:
            return "someone"

    built = strawberry.Schema(query=LeakyQuery, mutation=strawberry_build.NAMESPACE.Mutation)
    return built._schema


def _graphene_with_saved_by() -> GraphQLSchema:
    query = graphene_build.TYPES["Query"]
    leaky = type("Query", (query,), {"saved_by": graphene.String(resolver=lambda root, info: "someone")})
    return graphene.Schema(query=leaky, mutation=graphene_build.TYPES["Mutation"]).graphql_schema


LEAKY: dict[str, Callable[[], GraphQLSchema]] = {
    "strawberry": _strawberry_with_saved_by,
    "graphene": _graphene_with_saved_by,
}


@pytest.mark.parametrize("engine", sorted(LEAKY))
def test_a_field_added_without_a_declaration_fails_the_check(engine: str) -> None:
    """Given an engine's Query with a field written by hand, the schema check refuses it."""
    leaky = LEAKY[engine]()

    with pytest.raises(SchemaContractError, match=r"Query\.savedBy has no declared audience"):
        type_system.check_schema(leaky)


@pytest.mark.parametrize(
    "schema", [strawberry_schema._schema, graphene_schema.graphql_schema], ids=["strawberry", "graphene"]
)
def test_a_field_described_without_its_audience_fails_the_check(schema: GraphQLSchema, monkeypatch: Any) -> None:
    """Given a built field whose description lost its audience, the check names it."""
    video = schema.type_map["Video"]
    assert isinstance(video, GraphQLObjectType)
    caption = video.fields["caption"]
    monkeypatch.setattr(caption, "description", "The creator's caption.")

    with pytest.raises(SchemaContractError, match=r"Video\.caption is not described as declared"):
        type_system.check_schema(schema)


def test_a_declared_field_missing_from_a_schema_fails_the_check(monkeypatch: Any) -> None:
    """Given a declaration the schema lacks, the check names it."""
    video = type_system.FIELDS["Video"]
    monkeypatch.setitem(type_system.FIELDS, "Video", {**video, "savedBy": video["caption"]})

    with pytest.raises(SchemaContractError, match=r"declared but not in the schema: \[\('Video', 'savedBy'\)\]"):
        type_system.check_schema(strawberry_schema._schema)


def test_an_undeclared_field_has_no_spec() -> None:
    with pytest.raises(SchemaContractError, match=r"Video\.savedBy has no declared audience"):
        type_system.field_spec("Video", "savedBy")
