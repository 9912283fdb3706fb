"""The route-by-credential matrix, generated from the URL resolver and each route's declaration
(``kernel.routes``): every route is asked by every credential (anonymous, a session, staff
without and with the personal-data permission, a personal token and an OAuth2 token of each
scope). What a route accepts works; what it does not accept is refused; and no refused answer
carries anything personal."""

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.test import Client

from accesslog.screens import PersonalDataAdmin
from engagement.media import downloads, storage
from engagement.models import ProcessingState, Video
from kernel.routes import Credential as Kind
from kernel.routes import RouteAccess, access_of, declared_prefixes, walk_routes
from tests.api.cases import without_request_id
from tests.routes.credentials import Credential, Credentials

ROUTES = sorted(walk_routes())
ADMIN_MODEL = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/")


def _admin_model(route: str) -> Any:
    match = ADMIN_MODEL.match(route)
    if match is None:
        return None
    try:
        return apps.get_model(match["app"], match["model"])
    except LookupError:
        return None  # admin/password_change/ and the like


def _object_id(route: str, credentials: Credentials) -> str:
    model = _admin_model(route)
    if model is None:
        return str(credentials.world.public_video.pk)
    first = model._default_manager.order_by("pk").first()
    return str(first.pk) if first is not None else "1"


def _token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


def _sample_token(route: str, credentials: Credentials) -> str:
    """A valid link where one can be asked by every credential in turn (a playback link, an upload
    link, which a GET does not use up); a download link works once, so that route gets one nobody
    was given (a valid one: ``test_a_link_taken_before_a_block_opens_nothing_after_it``)."""
    if route.startswith("media/"):
        return _token_of(credentials.playback_link)
    if route.startswith("uploads/"):
        return _token_of(credentials.upload_link)
    return "a-link-nobody-was-given"


def sample_path(route: str, credentials: Credentials) -> str:
    """A concrete URL for a route: real objects where the route names one."""
    video_type = ContentType.objects.get_for_model(type(credentials.world.public_video))
    text = re.sub(r"\(\?P<app_label>[^)]*\)/\$", "accounts/", route)
    text = text.replace("(?P<url>.*)$", "nowhere/")
    text = text.replace("<path:content_type_id>", str(video_type.pk))
    text = text.replace("<path:object_id>", _object_id(route, credentials))
    text = text.replace("<id>", str(credentials.world.creator.pk))
    text = text.replace("<slug:pk>", str(credentials.application.pk))
    text = text.replace("<str:token>", _sample_token(route, credentials))
    text = re.sub(r"<path:\w+>", "x", text)
    assert "<" not in text and "(?" not in text, f"no sample for {route}"
    query = "?query=%7B__typename%7D" if route.startswith("graphql/") else ""
    return f"/{text}{query}"


def personal_markers(credentials: Credentials) -> list[str]:
    """What no refused answer may contain: the viewers' collection names and emails, and whom the
    creator blocked."""
    world = credentials.world
    return [
        world.collection.name,
        world.other_collection.name,
        world.viewer.email,
        world.other_viewer.email,
        credentials.blocked_viewer.username,
    ]


def is_refusal(response: HttpResponse) -> bool:
    location = response.get("Location", "")
    return response.status_code in (401, 403) or (response.status_code == 302 and "login" in location)


def ask(client: Any, url: str, credential: Credential) -> HttpResponse:
    """GET the URL; a redirect elsewhere than a sign-in page (the admin's ``<id>/`` to
    ``<id>/change/``) is followed once, so the answer judged is the page it leads to."""
    response: HttpResponse = client.get(url, headers=credential.headers())
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith("/") and "login" not in location:
        response = client.get(location, headers=credential.headers())
    return response


def _personal_data_route(route: str) -> bool:
    model = _admin_model(route)
    return model is not None and isinstance(admin.site._registry.get(model), PersonalDataAdmin)


def expected_refusal(access: RouteAccess, route: str, credential: Credential) -> bool | None:
    """Whether the declaration says this credential is refused on this route; None where staff
    passed the route's gate and the admin's model permissions decide (a read-only screen
    refuses its add and delete pages to everyone)."""
    if credential.bearer:
        return not access.accepts_credential(Kind.BEARER)
    if access.staff:
        if not credential.staff:
            return True
        personal_data_permission = credential.name.startswith("staff with the")
        return True if _personal_data_route(route) and not personal_data_permission else None
    if credential.user is not None and access.accepts_credential(Kind.SESSION):
        return False
    # No session, or a session the route ignores: anonymous, or one of the non-person credentials.
    return not access.accepts & {Kind.ANONYMOUS, Kind.LINK, Kind.CLIENT}


def test_every_route_declares_its_credentials() -> None:
    """Given the URL resolver, then every route it can reach is covered by a declaration, and
    every declaration covers some route (no leftover after a rename): deny by default."""
    assert [route for route in ROUTES if access_of(route) is None] == []


def test_the_matrix(credentials: Credentials, subtests: pytest.Subtests) -> None:
    """Given every route and every credential, when the credential GETs the route, then the
    answer is a refusal exactly where the declaration says so, a bearer refusal is a JSON 401
    with a code, and no refused answer names anyone's private rows. (One subtest per route.)"""
    markers = personal_markers(credentials)
    clients = {credential.name: credential.client() for credential in credentials.all}
    for route in ROUTES:
        access = access_of(route)
        assert access is not None
        url = sample_path(route, credentials)
        with subtests.test(route=route):
            for credential in credentials.all:
                response = ask(clients[credential.name], url, credential)
                where = f"{credential.name} GET {url}: {response.status_code}"

                assert response.status_code < 500, where
                expected = expected_refusal(access, route, credential)
                if expected is None:
                    assert "login" not in response.get("Location", ""), where
                else:
                    assert is_refusal(response) == expected, where
                if is_refusal(response):
                    text = response.content.decode(errors="replace") + json.dumps(dict(response.headers))
                    assert [marker for marker in markers if marker in text] == [], where
                if credential.bearer and not access.accepts_credential(Kind.BEARER):
                    body: Any = json.loads(response.content)
                    assert response.status_code == 401 and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_personal_data_screen_opens_for_the_permission_only(credentials: Credentials) -> None:
    """The matrix's staff columns, spelled out once: the favorites list is refused to staff
    without the permission and shows the rows to staff with it."""
    refused = Credential("staff", credentials.staff, staff=True).client().get("/admin/engagement/favorite/")
    allowed = (
        Credential("trusted", credentials.staff_with_personal_data, staff=True)
        .client()
        .get("/admin/engagement/favoritecollection/")
    )

    assert refused.status_code == 403
    assert allowed.status_code == 200 and credentials.world.collection.name.encode() in allowed.content


def test_a_link_taken_before_a_block_opens_nothing_after_it(credentials: Credentials) -> None:
    """Given a viewer took a download link and a playback link of the creator's video and was then
    blocked by the creator, when the links are used (with the viewer's session or none: the routes
    read no session), then each answers the 404 of a link of its kind nobody was given; links the
    viewer's friend takes now open the same video (the controls)."""
    world = credentials.world
    never_given = {
        "download": Client().get("/downloads/a-link-nobody-was-given/"),
        "playback": Client().get("/media/a-link-nobody-was-given/"),
    }
    taken = {"download": credentials.blocked_viewers_link, "playback": credentials.blocked_viewers_playback_link}
    controls = {
        "download": downloads.download_create(actor=world.viewer, video_id=world.public_video.pk).url,
        "playback": credentials.playback_link,
    }
    media = world.public_video.media
    files = {"download": media.download, "playback": media.playback}
    session = Credential("blocked", credentials.blocked_viewer).client()

    for kind, link in taken.items():
        blocked = session.get(link)
        control = Client().get(controls[kind])

        assert blocked.status_code == 404, kind
        assert without_request_id(blocked) == without_request_id(never_given[kind]), kind
        with storage.media_storage().open(files[kind]) as stored:
            assert (control.status_code, control.getvalue()) == (200, stored.read()), kind


def test_a_playback_link_answers_alike_with_any_session_or_none(credentials: Credentials) -> None:
    """Given the viewer's playback link, when it is used with no session, the creator's and the
    blocked viewer's, then each gets the same bytes (the link names its viewer; the route reads no
    session); a bearer header beside it is refused 401 before the link is read."""
    path = credentials.playback_link
    answers = [
        (response.status_code, response.getvalue())
        for response in (
            Credential("anonymous").client().get(path),
            Credential("session", credentials.world.creator).client().get(path),
            Credential("blocked", credentials.blocked_viewer).client().get(path),
        )
    ]
    bearer = next(credential for credential in credentials.all if credential.bearer)

    refused = bearer.client().get(path, headers=bearer.headers())

    assert answers[0][0] == 200 and answers[0][1]
    assert answers == [answers[0]] * 3
    assert refused.status_code == 401 and json.loads(refused.content)["errors"][0]["extensions"]["code"] == (
        "UNAUTHENTICATED"
    )


def test_an_upload_link_takes_its_body_alike_with_a_session_or_none(credentials: Credentials) -> None:
    """Given a draft's upload link, when a body that is not a video is PUT to it with no session
    and with the creator's (whose CSRF token it lacks: the route reads no cookie), then the upload
    itself answers, the same both ways; a bearer header is refused 401 before the body is read,
    and the draft still waits for its file."""
    path = urlsplit(credentials.upload_link).path
    draft = Video.objects.get(caption="draft", owner=credentials.world.creator)

    def put(credential: Credential) -> Any:
        return credential.client().put(
            path, data=b"not a video", content_type="video/mp4", headers=credential.headers()
        )

    alone, with_session = put(Credential("anonymous")), put(Credential("session", credentials.world.creator))
    refused = put(next(credential for credential in credentials.all if credential.bearer))

    assert alone.status_code == 422, alone.content
    assert with_session.status_code == 422 and without_request_id(with_session) == without_request_id(alone)
    assert refused.status_code == 401
    draft.refresh_from_db()
    assert draft.processing_state == ProcessingState.AWAITING_UPLOAD


def test_the_privacy_doc_lists_every_declaration() -> None:
    """docs/PRIVACY.md's table of routes names every declaration of this URLconf, so the page an
    auditor reads cannot fall behind the code."""
    section = (Path(settings.BASE_DIR) / "docs" / "PRIVACY.md").read_text(encoding="utf-8").split("## 10.")[1]
    in_use = [prefix for prefix in declared_prefixes() if any(route.startswith(prefix) for route in ROUTES)]

    assert [prefix for prefix in in_use if f"/{prefix.split('<')[0]}" not in section] == []
