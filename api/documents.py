"""Parsed and validated GraphQL documents, cached per process and shared by the transport checks
and both engines.

Clients send the same few operations again and again, and parsing plus validating a document
costs more than executing a small one (``{ me { id } }``: about three quarters of the request).
A document depends only on its text and the parse options, and whether it is valid only on the
schema, the text and the rules, so both are kept in bounded LRU caches. Only successes are
cached: a document that fails to parse or validate is checked again on every request, so
invalid input cannot fill the caches, and errors (which the engines annotate in place) are never
shared between requests. Cached documents are only read: neither executor mutates the AST.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from functools import lru_cache
from typing import Any

from graphql import ASTValidationRule, DocumentNode, GraphQLError, GraphQLSchema, parse, validate

DOCUMENT_CACHE_SIZE = 512


@lru_cache(maxsize=DOCUMENT_CACHE_SIZE)
def _parse(query: str, options: tuple[tuple[str, Any], ...]) -> DocumentNode:
    return parse(query, **dict(options))


def parse_document(query: str, **options: Any) -> DocumentNode:
    """``graphql.parse`` with a cache: raises the same ``GraphQLSyntaxError`` for bad input."""
    return _parse(query, tuple(sorted(options.items())))


class _ValidDocuments:
    """The keys of documents known to be valid, least recently used first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.keys: OrderedDict[Hashable, None] = OrderedDict()
        self.lock = threading.Lock()

    def __contains__(self, key: Hashable) -> bool:
        with self.lock:
            if key not in self.keys:
                return False
            self.keys.move_to_end(key)
            return True

    def add(self, key: Hashable) -> None:
        with self.lock:
            self.keys[key] = None
            self.keys.move_to_end(key)
            while len(self.keys) > self.size:
                self.keys.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.keys.clear()


_valid = _ValidDocuments(DOCUMENT_CACHE_SIZE)


def validation_errors(
    schema: GraphQLSchema,
    query: str,
    document: DocumentNode,
    rules: Sequence[type[ASTValidationRule]] | None = None,
    *,
    validate_with: Callable[..., list[GraphQLError]] | None = None,
) -> list[GraphQLError]:
    """The validation errors of ``document`` (parsed from ``query``): none when a document of the
    same text already passed the same rules against this schema. ``validate_with(schema,
    document, rules)`` replaces ``graphql.validate`` (strawberry adds rules of its own)."""
    key = (id(schema), query, tuple(rules) if rules is not None else None, validate_with)
    if key in _valid:
        return []
    if validate_with is not None:
        errors = validate_with(schema, document, tuple(rules or ()))
    else:
        errors = validate(schema, document, rules)
    if not errors:
        _valid.add(key)
    return errors


def clear_caches() -> None:
    """Forget every cached document (tests that swap schemas or rules)."""
    _parse.cache_clear()
    _valid.clear()
