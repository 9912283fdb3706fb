"""The audience guard of a field, for both engines: the policy layer is asked before the field
resolves (``field_denial``) and, for a SELF field of a root or payload, about what it returned
(``value_denial``); for a subscription field, before its stream starts and about each event.
The engines differ only in where their resolve info keeps the request."""

from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import aclosing
from typing import Any, ClassVar

from django.http import HttpRequest

from accounts.viewers import request_user
from api.contract import ANY_TOKEN, Audience, TokenScopes
from api.policies import checks_values, field_denial, value_denial
from kernel.routes import token_scopes_of


class GuardKey:
    """What a guard's ``check`` depends on besides the viewer and the parent: one object per
    (audience, token scopes), hashed by identity, because the executor looks it up for every
    guarded field it resolves (a tuple of enums hashes through Python code each time)."""

    __slots__ = ("audience", "token_scopes")
    _interned: ClassVar[dict[tuple[Audience, TokenScopes], "GuardKey"]] = {}

    def __init__(self, audience: Audience, token_scopes: TokenScopes) -> None:
        self.audience, self.token_scopes = audience, token_scopes

    @classmethod
    def of(cls, audience: Audience, token_scopes: TokenScopes) -> "GuardKey":
        return cls._interned.setdefault((audience, token_scopes), cls(audience, token_scopes))

    def __repr__(self) -> str:
        return f"GuardKey({self.audience}, {self.token_scopes})"


def is_open(audience: Audience, token_scopes: TokenScopes) -> bool:
    """Whether a field needs no guard: anyone who may see its parent, on any credential."""
    return audience is Audience.PUBLIC and token_scopes == ANY_TOKEN


class AudienceCheck:
    """``resolve`` is ``check``, the field, then ``check_value``, nothing else: the executor's
    plain-field path (``api.speedups``) runs the same steps, ``check`` once per parent
    object for the fields that share its ``key``."""

    __slots__ = ("_request_of", "audience", "checks_values", "key", "token_scopes")

    def __init__(self, audience: Audience, token_scopes: TokenScopes, request_of: Callable[[Any], HttpRequest]) -> None:
        self.audience = audience
        self.token_scopes = token_scopes
        self.key = GuardKey.of(audience, token_scopes)
        self.checks_values = checks_values(audience)
        self._request_of = request_of

    @property
    def is_open(self) -> bool:
        return is_open(self.audience, self.token_scopes)

    def check(self, source: Any, info: Any) -> Any:
        """Raise the policy's error unless the viewer may read this field of ``source``; returns
        the viewer, for ``check_value``."""
        request = self._request_of(info)
        viewer = request_user(request)
        denial = field_denial(
            viewer, self.audience, source, token_scopes=token_scopes_of(request), required_scopes=self.token_scopes
        )
        if denial is not None:
            raise denial
        return viewer

    def check_value(self, viewer: Any, source: Any, value: Any) -> None:
        denial = value_denial(viewer, self.audience, source, value)
        if denial is not None:
            raise denial

    def resolve(self, resolve: Callable[..., Any], source: Any, info: Any, **kwargs: Any) -> Any:
        viewer = self.check(source, info)
        value = resolve(source, info, **kwargs)
        self.check_value(viewer, source, value)
        return value

    def stream(
        self, subscribe: Callable[..., AsyncGenerator[Any, None]], source: Any, info: Any, call: Any, **kwargs: Any
    ) -> AsyncIterator[Any]:
        """A subscription field's source stream: ``check`` before ``subscribe(source, call,
        **kwargs)`` starts it, ``check_value`` on each event it yields."""
        viewer = self.check(source, info)
        return self._checked_events(viewer, source, subscribe(source, call, **kwargs))

    async def _checked_events(
        self, viewer: Any, source: Any, events: AsyncGenerator[Any, None]
    ) -> AsyncGenerator[Any, None]:
        async with aclosing(events):
            async for event in events:
                self.check_value(viewer, source, event)
                yield event
