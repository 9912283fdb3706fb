"""The privacy audit: a static proof over an SDL file that personal data is reached only through
the viewer's own edges, that owner aggregates are numbers, and that every field has an audience.

``schema.read_schema`` turns SDL into a small graph (from graphql-core's AST, so applied
directives stay visible), ``analysis.audit_schema`` runs the rules, ``report`` prints the result.
Nothing here touches the database or either GraphQL engine.
"""
