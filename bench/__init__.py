"""Benchmarks of the GraphQL API against hand-written Django views (issue 8): ``python -m bench``."""
