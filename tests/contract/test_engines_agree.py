"""The two engines print one type system: compared type by type with every description, directives aside."""

from api.graphene_schema import schema as graphene_schema
from api.strawberry_schema import schema as strawberry_schema
from api.structure import schema_structure, structure_differences


def test_graphene_schema_has_the_structure_of_the_strawberry_schema() -> None:
    """Given both schemas, when compared type by type, field by field, then nothing differs."""
    strawberry = schema_structure(strawberry_schema._schema)
    graphene = schema_structure(graphene_schema.graphql_schema)

    differences = structure_differences(strawberry, graphene)

    assert differences == [], "\n".join(differences)
    assert len(strawberry) > 80  # the comparison saw the whole schema, not an empty one


def test_the_comparison_catches_a_difference() -> None:
    """Given one changed nullability, the comparison names it (the guard above can fail)."""
    strawberry = schema_structure(strawberry_schema._schema)
    altered = schema_structure(strawberry_schema._schema)
    altered["Video"]["fields"]["insights"]["type"] = "VideoInsights!"

    assert structure_differences(strawberry, altered) == [
        "Video.fields.insights.type: 'VideoInsights' != 'VideoInsights!'"
    ]


def test_the_comparison_catches_a_changed_description() -> None:
    """Given one argument described differently, the comparison names it."""
    strawberry = schema_structure(strawberry_schema._schema)
    altered = schema_structure(strawberry_schema._schema)
    argument_type, default, _ = altered["Me"]["fields"]["favorites"]["args"]["collectionId"]
    altered["Me"]["fields"]["favorites"]["args"]["collectionId"] = (argument_type, default, "Another text.")

    assert structure_differences(strawberry, altered) == [
        "Me.fields.favorites.args.collectionId: ('ID', 'None', 'Only favorites in this collection (a global ID).') "
        "!= ('ID', 'None', 'Another text.')"
    ]
