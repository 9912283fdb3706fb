"""The OAuth2 authorization-code flow with PKCE at /o/, for third-party analytics tools: the
creator signs in, consents to the scopes asked for, the tool swaps the code (with its verifier)
for a token and reads what the scopes allow, nothing more."""

import base64
import hashlib
import json
import secrets
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from django.test import Client
from oauth2_provider.models import Application, Grant

from tests.analytics.conftest import OAUTH_REDIRECT as REDIRECT
from tests.api.conftest import World


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize_query(application: Application, challenge: str | None, method: str = "S256", **extra: str) -> str:
    params = {
        "response_type": "code",
        "client_id": application.client_id,
        "redirect_uri": REDIRECT,
        "scope": "INSIGHTS_READ",
        "state": "xyz",
        **extra,
    }
    if challenge is not None:
        params |= {"code_challenge": challenge, "code_challenge_method": method}
    return "/o/authorize/?" + urlencode(params)


def consent(browser: Client, application: Application, challenge: str) -> dict[str, list[str]]:
    """The creator allows the tool; returns the query of the redirect back to the tool."""
    page = browser.get(authorize_query(application, challenge), secure=True)
    assert page.status_code == 200
    assert b"INSIGHTS_READ" in page.content or b"aggregate insights" in page.content
    form = {
        "client_id": application.client_id,
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": "INSIGHTS_READ",
        "state": "xyz",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "allow": "Authorize",
    }
    answer = browser.post("/o/authorize/", form, secure=True)
    assert answer.status_code == 302, answer.content
    location = urlparse(answer["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    return parse_qs(location.query)


def exchange(application: Application, code: str, verifier: str) -> Any:
    return Client().post(
        "/o/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": application.client_id,
            "code_verifier": verifier,
        },
        secure=True,
    )


def graphql(token: str, query: str) -> dict[str, Any]:
    response = Client(enforce_csrf_checks=True).post(
        "/graphql/",
        json.dumps({"query": query}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
        secure=True,
    )
    body: dict[str, Any] = json.loads(response.content)
    return body


def test_the_code_flow_with_pkce_gives_a_token_limited_to_its_scopes(world: World, application: Application) -> None:
    """Given the creator consents to INSIGHTS_READ, when the tool swaps the code with its PKCE
    verifier, then its token reads insights but not the creator's email, and the creator sees
    the grant among their tokens, named after the tool."""
    browser = Client()
    browser.force_login(world.creator)
    verifier, challenge = pkce()

    query = consent(browser, application, challenge)
    token = exchange(application, query["code"][0], verifier)

    assert query["state"] == ["xyz"]
    assert token.status_code == 200, token.content
    grant = json.loads(token.content)
    assert (grant["token_type"], grant["scope"]) == ("Bearer", "INSIGHTS_READ")
    allowed = graphql(grant["access_token"], "{ me { username insights { followerCount } } }")
    assert allowed == {"data": {"me": {"username": "creator", "insights": {"followerCount": 1}}}}
    refused = graphql(grant["access_token"], "{ me { email } }")
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    listed = Client()
    listed.force_login(world.creator)
    tokens = json.loads(
        listed.post(
            "/graphql/graphene/",
            json.dumps({"query": "{ me { accessTokens { edges { node { name application scopes } } } } }"}),
            content_type="application/json",
        ).content
    )
    assert tokens["data"]["me"]["accessTokens"]["edges"] == [
        {"node": {"name": "Analytics Tool", "application": "Analytics Tool", "scopes": ["INSIGHTS_READ"]}}
    ]


def test_the_code_is_useless_without_its_verifier(world: World, application: Application) -> None:
    browser = Client()
    browser.force_login(world.creator)
    _, challenge = pkce()
    query = consent(browser, application, challenge)

    stolen = exchange(application, query["code"][0], secrets.token_urlsafe(48))

    assert stolen.status_code == 400
    assert json.loads(stolen.content)["error"] == "invalid_grant"


def test_no_code_without_a_pkce_challenge(world: World, application: Application) -> None:
    browser = Client()
    browser.force_login(world.creator)

    page = browser.get(authorize_query(application, None), secure=True)

    assert page.status_code == 302
    assert "error=invalid_request" in page["Location"] and "code=" not in page["Location"]


def test_no_code_for_the_plain_pkce_method(world: World, application: Application) -> None:
    """The ``plain`` method (the challenge is the verifier) is refused when the code would be
    issued: only S256 protects a code seen on its way back to the tool."""
    browser = Client()
    browser.force_login(world.creator)
    challenge = "plain-verifier-" + "x" * 40
    form = {
        "client_id": application.client_id,
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": "INSIGHTS_READ",
        "state": "xyz",
        "code_challenge": challenge,
        "code_challenge_method": "plain",
        "allow": "Authorize",
    }

    answer = browser.post("/o/authorize/", form, secure=True)

    assert answer.status_code in (302, 400)
    assert "code=" not in answer.get("Location", "")
    assert not Grant.objects.exists()


def test_a_signed_out_creator_is_sent_to_sign_in_first(world: World, application: Application) -> None:
    _, challenge = pkce()

    page = Client().get(authorize_query(application, challenge), secure=True)
    login = Client().get(page["Location"], secure=True)

    assert page.status_code == 302 and page["Location"].startswith("/accounts/login/?next=")
    assert login.status_code == 200 and b"Sign in" in login.content
