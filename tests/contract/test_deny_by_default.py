"""Rule 8: a field with no declared audience is a build-time error on both engines."""

import graphene
import pytest
import strawberry

from backend.graphql import graphene_base, strawberry_base
from backend.graphql.contract import SchemaContractError
from backend.graphql.strawberry_schema import Query, check_audiences


@pytest.mark.parametrize("fields_of", [strawberry_base.fields_of, graphene_base.fields_of])
def test_a_field_missing_from_the_contract_cannot_be_made(fields_of: object) -> None:
    """Given an engine's field factory, when asked for an undeclared field, then the build fails."""
    make = fields_of("Video")  # type: ignore[operator]

    with pytest.raises(SchemaContractError, match=r"Video\.savedBy has no declared audience"):
        make("savedBy", graphene.String) if fields_of is graphene_base.fields_of else make("savedBy")


def test_a_strawberry_field_declared_without_the_helper_fails_the_schema_check() -> None:
    """Given a type whose field bypasses the contract, the schema check refuses the schema."""

    @strawberry.type(name="Query")
    class LeakyQuery(Query):
        @strawberry.field
        def saved_by(self) -> str:
            return "someone"

    with pytest.raises(SchemaContractError, match=r"Query\.savedBy has no @privacy audience"):
        check_audiences(strawberry.Schema(query=LeakyQuery))
