"""A bearer token is a GraphQL credential only: on the OAuth consent screen and in the admin it is
refused before any view runs, so a token of any scope never becomes a login there, and those
pages keep needing a session and its CSRF token."""

import json

import pytest
from django.test import Client
from oauth2_provider.models import Grant

from engagement.models import Video
from tests.routes.credentials import Credentials

CONSENT = {
    "response_type": "code",
    "scope": "FAVORITES_READ PROFILE_READ INTERACTIONS_WRITE",
    "redirect_uri": "https://tool.example/callback",
    "state": "xyz",
    "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    "code_challenge_method": "S256",
    "allow": "Authorize",
}


def _bearer(credentials: Credentials, name: str) -> str:
    return next(credential.bearer for credential in credentials.all if credential.name == name)


@pytest.mark.parametrize("token", ["OAuth token INSIGHTS_READ", "personal token INSIGHTS_READ"])
def test_a_token_cannot_consent_to_a_wider_grant(credentials: Credentials, token: str) -> None:
    """Given an app holding an insights token, when it POSTs the consent form with the token and
    no CSRF token, asking for favorites, then it is refused with a JSON 401 and no code exists."""
    form = {**CONSENT, "client_id": credentials.application.client_id}

    response = Client(enforce_csrf_checks=True).post(
        "/o/authorize/", form, headers={"Authorization": f"Bearer {_bearer(credentials, token)}"}, secure=True
    )

    assert response.status_code == 401
    assert json.loads(response.content)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert not Grant.objects.exists()


def test_consent_needs_the_sessions_csrf_token(credentials: Credentials) -> None:
    """Given a signed-in creator, when a page elsewhere makes their browser POST the consent form
    without the CSRF token, then Django refuses it and no code exists."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(credentials.world.creator)

    response = browser.post("/o/authorize/", {**CONSENT, "client_id": credentials.application.client_id}, secure=True)

    assert response.status_code == 403
    assert not Grant.objects.exists()


def test_a_staff_members_token_opens_no_admin_page(credentials: Credentials) -> None:
    """Given a token of a staff member holding every permission, when it lists users or changes a
    caption in the admin, then both are refused before the admin runs: no email, no change."""
    video = credentials.world.public_video
    header = {"Authorization": f"Bearer {_bearer(credentials, 'personal token INSIGHTS_READ')}"}
    client = Client(enforce_csrf_checks=True)

    listing = client.get("/admin/accounts/user/", headers=header)
    change = client.post(
        f"/admin/engagement/video/{video.pk}/change/", {"caption": "defaced", "visibility": "PUBLIC"}, headers=header
    )

    assert (listing.status_code, change.status_code) == (401, 401)
    assert credentials.world.viewer.email.encode() not in listing.content
    assert Video.objects.get(pk=video.pk).caption == video.caption


def test_a_bearer_header_beside_a_session_is_refused_off_graphql(credentials: Credentials) -> None:
    """Given a staff session, when a request also names a bearer token on an admin page, then it
    is refused rather than served with the session: the header never mixes with a cookie there."""
    client = Client()
    client.force_login(credentials.staff_with_personal_data)

    response = client.get(
        "/admin/", headers={"Authorization": f"Bearer {_bearer(credentials, 'OAuth token PROFILE_READ')}"}
    )

    assert response.status_code == 401
