"""The OAuth2 provider's scopes are the contract's, so OAuth2 grants and personal tokens speak
one vocabulary. Bearer requests themselves are authenticated in ``backend.routes``, on the routes
that accept them."""

from typing import Any

from oauth2_provider.scopes import BaseScopes

from backend.graphql.contract import Scope


class ContractScopes(BaseScopes):
    def get_all_scopes(self) -> dict[str, str]:
        return {scope.value: str(scope.label) for scope in Scope}

    def get_available_scopes(self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any) -> list:
        return list(self.get_all_scopes())

    def get_default_scopes(self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any) -> list:
        return [Scope.PROFILE_READ.value]
