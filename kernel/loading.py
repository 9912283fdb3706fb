"""Rows into model instances without ``Model.__init__``.

Django builds every instance a query returns through ``Model.__init__``, which is written for
callers (positional or keyword arguments, defaults, the init signals). A row from the database
needs none of that: ``FastLoading.from_db`` puts the loaded columns straight into the instance's
``__dict__``, which is where ``__init__`` ends up putting them. Deferred columns stay unset and
load on first access, as on Django's own path. It is one of the speed-ups behind
``GRAPHQL_SPEEDUPS`` (docs/PERFORMANCE.md has what it buys).

Django's path stays in use for a model with ``pre_init``/``post_init`` receivers or with a field
whose descriptor does work on assignment (a file field, say): skipping either would change what
an instance holds. A foreign key's ``*_id`` descriptor only clears a cache a new instance does
not have, so it does not count.
"""

from collections.abc import Collection
from typing import Any, Self

from django.conf import settings
from django.db.models import signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute


class FastLoading:
    """Mixin for a model whose instances are read in bulk (list it before ``models.Model``)."""

    @classmethod
    def from_db(cls, db: str | None, field_names: Collection[str], values: Collection[Any]) -> Self:
        receivers = signals.pre_init.receivers or signals.post_init.receivers
        if not settings.GRAPHQL_SPEEDUPS or not _plain_assignment(cls) or (receivers and _init_receivers(cls)):
            return super().from_db(db, field_names, values)  # type: ignore[misc]
        instance = cls.__new__(cls)
        state = ModelState()
        state.adding = False
        state.db = db
        attributes = instance.__dict__
        attributes.update(zip(field_names, values, strict=True))
        attributes["_state"] = state
        return instance


_PLAIN_ASSIGNMENT: dict[type, bool] = {}


def _init_receivers(model: Any) -> bool:
    """Whether a ``pre_init``/``post_init`` receiver listens to ``model``. ``from_db`` asks only
    when some receiver is connected at all: with none (this project has none), two list checks
    per row instead of two dispatcher lookups."""
    return signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model)


def _plain_assignment(model: Any) -> bool:
    """Whether assigning each column of ``model`` is a plain ``__dict__`` write."""
    plain = _PLAIN_ASSIGNMENT.get(model)
    if plain is None:
        descriptors = [model.__dict__.get(field.attname) for field in model._meta.concrete_fields]
        plain = _PLAIN_ASSIGNMENT[model] = all(
            not hasattr(type(descriptor), "__set__") or type(descriptor) is ForeignKeyDeferredAttribute
            for descriptor in descriptors
        )
    return plain
