"""Benchmarks of the GraphQL API against hand-written Django views (docs/PERFORMANCE.md): ``python -m bench``."""
