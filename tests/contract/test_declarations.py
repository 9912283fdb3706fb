"""The declaration vocabulary both engines build from: what a field may be declared as, which
fields the executor may read plainly, and where a field's token rule comes from."""

import pytest

from accounts.scopes import Scope
from api.contract import ANY_TOKEN, INSIGHTS_SCOPES, SESSION_ONLY, Audience
from api.declarations import PAGE_ARGS, Field, ObjectType, TypeRef, parse_type_ref


def _resolve(root: object, call: object, **arguments: object) -> None:
    return None


@pytest.mark.parametrize(
    ("ref", "parsed"),
    [
        ("Video!", TypeRef("Video", required=True)),
        ("Video", TypeRef("Video", required=False)),
        ("[ID!]", TypeRef("ID", required=False, is_list=True)),
        ("[TokenScope!]!", TypeRef("TokenScope", required=True, is_list=True)),
    ],
)
def test_type_references_parse(ref: str, parsed: TypeRef) -> None:
    assert parse_type_ref(ref) == parsed


def test_a_list_of_nullable_items_is_refused() -> None:
    with pytest.raises(ValueError, match="list items are non-null"):
        parse_type_ref("[ID]")


def test_a_connection_names_its_node_type() -> None:
    assert parse_type_ref("VideoConnection!").connection_of == "Video"
    assert parse_type_ref("Video").connection_of is None


@pytest.mark.parametrize(
    "options",
    [
        {"args": PAGE_ARGS},
        {"reads_selection": True},
        {"read": len, "resolve": _resolve},
    ],
    ids=["arguments without resolve", "a selection without resolve", "read and resolve"],
)
def test_a_field_that_cannot_be_resolved_as_declared_is_refused(options: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="wrong"):
        Field("wrong", "Int", Audience.PUBLIC, "A field.", **options)  # type: ignore[arg-type]


def test_only_fields_without_arguments_or_selection_are_read_plainly() -> None:
    """The executor's shortcut resolves a plain field with the request alone: a field that takes
    arguments or reads what the query selects below it always goes through its engine."""
    fields = (
        Field("count", "Int!", Audience.PUBLIC, "An attribute."),
        Field("page", "VideoConnection!", Audience.PUBLIC, "A page.", resolve=_resolve, args=PAGE_ARGS),
        Field("loaded", "Video", Audience.PUBLIC, "Loads what is read.", resolve=_resolve, reads_selection=True),
    )
    declared = ObjectType("Shelf", "A shelf.", fields)

    assert [declared.reader(field) is not None for field in fields] == [True, False, False]


def test_a_token_rule_comes_from_the_field_then_its_type_then_its_audience() -> None:
    profile = frozenset({Scope.PROFILE_READ})
    insights = ObjectType(
        "VideoInsights",
        "Aggregates.",
        (
            Field("own", "Int", Audience.OWNER_AGGREGATE, "Its own rule.", token_scopes=profile),
            Field("typed", "Int", Audience.OWNER_AGGREGATE, "The type's rule."),
        ),
    )
    other = ObjectType(
        "Unruled",
        "No rule of its own.",
        (Field("open", "Int", Audience.PUBLIC, "Public."), Field("closed", "Int", Audience.SELF, "Self.")),
    )

    assert [insights.spec(field).token_scopes for field in insights.fields] == [profile, INSIGHTS_SCOPES]
    assert [other.spec(field).token_scopes for field in other.fields] == [ANY_TOKEN, SESSION_ONLY]
