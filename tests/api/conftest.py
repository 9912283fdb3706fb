"""A GraphQL client over HTTP with CSRF enforced, signed in as any role, per engine."""

import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from accounts.models import User

ENDPOINTS = {"strawberry": "/graphql/"}


@dataclass
class GraphQLResponse:
    status: int
    body: dict[str, Any]

    @property
    def data(self) -> Any:
        return self.body.get("data")

    @property
    def errors(self) -> list[dict[str, Any]]:
        return self.body.get("errors") or []

    @property
    def codes(self) -> list[str]:
        return [error.get("extensions", {}).get("code") for error in self.errors]


@dataclass
class GraphQLClient:
    """Talks to one engine like a browser: session cookie plus the CSRF token header."""

    endpoint: str
    http: Client = field(default_factory=lambda: Client(enforce_csrf_checks=True))

    def sign_in(self, user: User | None) -> "GraphQLClient":
        if user is not None:
            self.http.force_login(user)
        return self

    def _csrf(self) -> str:
        token = self.http.cookies.get("csrftoken")
        if token is None:
            self.http.get("/auth/csrf/")
            token = self.http.cookies["csrftoken"]
        return token.value

    def __call__(self, query: str, variables: dict[str, Any] | None = None, **headers: Any) -> GraphQLResponse:
        response = self.http.post(
            self.endpoint,
            data=json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            headers={"X-CSRFToken": self._csrf(), **headers},
        )
        return GraphQLResponse(status=response.status_code, body=json.loads(response.content or b"{}"))


@pytest.fixture(params=sorted(ENDPOINTS))
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def gql(engine: str, db: None) -> Any:
    """``gql(user)`` returns a client of the current engine signed in as ``user`` (None: anonymous)."""

    def make(user: User | None = None) -> GraphQLClient:
        return GraphQLClient(endpoint=ENDPOINTS[engine]).sign_in(user)

    return make
