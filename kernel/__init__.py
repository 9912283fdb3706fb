"""The shared kernel: what every app and the GraphQL layer build on, and nothing that knows them.

Errors a service may raise, keyset pagination, input validation, rate limits and budgets, read
replicas and their pins, deadlines, metrics, request ids, global ids, media types, route access
declarations and the base of the management commands. It imports no app of this project (the
import contract in pyproject.toml holds it to that).
"""
