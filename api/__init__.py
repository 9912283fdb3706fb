"""The GraphQL layer: the contract and the declared types, both engines built from them, the
field guards and policies, the HTTP transport and the privacy audit. It imports the apps; only
the project (``backend``) imports it.
"""
