"""What an access token may do: the scopes of personal tokens and of OAuth2 grants alike, one
vocabulary that the GraphQL contract gives each field (``api/contract.py``) and the
OAuth2 provider offers applications (``ContractScopes``). Bearer requests themselves are
authenticated in ``backend.route_access``, on the routes that accept them."""

from typing import Any

from django.db import models
from oauth2_provider.scopes import BaseScopes


class Scope(models.TextChoices):
    """What an access token (personal, or granted to an OAuth2 application) may do. Sessions are
    not scoped; a token reaches a field only if it holds one of the field's scopes."""

    INSIGHTS_READ = (
        "INSIGHTS_READ",
        "Read aggregate insights of your videos and account, and of videos delegated to you.",
    )
    PROFILE_READ = "PROFILE_READ", "Read your profile, settings, follows, notifications and liked videos."
    FAVORITES_READ = "FAVORITES_READ", "Read your favorites and collections."
    FAVORITES_WRITE = (
        "FAVORITES_WRITE",
        "Save and unsave videos and organise your collections; this reads your favorites too, since a save "
        "or a move tells what is saved.",
    )
    INTERACTIONS_WRITE = (
        "INTERACTIONS_WRITE",
        "Like, comment, share, download, view and follow on your behalf; this tells whether you liked a video "
        "or follow an account (a like or a follow answers with the state it leaves), though not your lists.",
    )


class ContractScopes(BaseScopes):
    def get_all_scopes(self) -> dict[str, str]:
        return {scope.value: str(scope.label) for scope in Scope}

    def get_available_scopes(self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any) -> list:
        return list(self.get_all_scopes())

    def get_default_scopes(self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any) -> list:
        return [Scope.PROFILE_READ.value]
