"""``downloadVideo`` and the link it gives, over HTTP on both engines: the link is the only
credential (whoever holds it may use it, once), it names nobody, it serves the copy marked with
the creator's @username as a file to save, and every refusal answers the same 404."""

import base64
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.http.response import HttpResponseBase
from django.test import Client
from django.utils import timezone

from engagement.media import storage
from engagement.media.downloads import DOWNLOAD_URL_TTL
from engagement.models import Video
from tests.api.cases import assert_data, without_request_id
from tests.api.conftest import GraphQLClient, World, gid
from tests.factories import attach_files

pytestmark = pytest.mark.both_engines

DOWNLOAD = "mutation($id: ID!) { downloadVideo(input: {videoId: $id}) { url expiresAt } }"
MAKE_PRIVATE = "mutation($id: ID!) { updateVideo(input: {videoId: $id, visibility: PRIVATE}) { video { id } } }"
UNFOLLOW = 'mutation { unfollow(input: {username: "viewer"}) { removed } }'


@pytest.fixture(autouse=True)
def _files(world: World) -> None:
    """The world's videos that these tests download have their files."""
    for video in (world.public_video, world.friends_video, world.other_creator_video):
        attach_files(video)


def link(client: GraphQLClient, video: Video) -> str:
    """The path of a fresh download link for ``video``."""
    payload = assert_data(client(DOWNLOAD, {"id": gid(video)}), ("downloadVideo",))
    return urlsplit(payload["url"]).path


def download_copy(video: Video) -> bytes:
    with storage.media_storage().open(video.media.download) as stored:
        return stored.read()


def served(response: HttpResponseBase) -> bytes:
    """The file a response streams (a refusal is JSON, and not streamed)."""
    assert response.streaming, response.getvalue()
    return response.getvalue()


def refusal(client: Client, path: str) -> tuple[int, bytes, str]:
    response = client.get(path)
    return response.status_code, without_request_id(response), response["Content-Type"]


def test_a_link_works_once_for_whoever_holds_it(gql: Any, world: World) -> None:
    """Given the viewer's link, when someone else (signed in or not) uses it first, then they
    get the marked copy as a file to save, and the viewer's own later use is refused: single use
    is what binds it."""
    viewer = gql(world.viewer)
    path = link(viewer, world.public_video)

    first = gql(world.other_creator).http.get(path)

    assert first.status_code == 200
    assert served(first) == download_copy(world.public_video)
    assert first["Content-Type"] == "video/mp4"
    assert first["Content-Disposition"] == f'attachment; filename="video-{world.public_video.pk}.mp4"'
    assert "no-store" in first["Cache-Control"]
    assert viewer.http.get(path).status_code == 404
    assert Client().get(path).status_code == 404


def test_an_anonymous_holder_may_use_it(gql: Any, world: World) -> None:
    path = link(gql(world.viewer), world.friends_video)

    response = Client().get(path)

    assert response.status_code == 200 and served(response) == download_copy(world.friends_video)


def test_the_link_names_neither_the_downloader_nor_the_video(gql: Any, world: World) -> None:
    viewer = gql(world.viewer)
    response = viewer(DOWNLOAD, {"id": gid(world.public_video)})
    payload = assert_data(response, ("downloadVideo",))
    token = urlsplit(payload["url"]).path.rstrip("/").rsplit("/", 1)[-1]
    decoded = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("latin-1")

    for form in (payload["url"], decoded):
        for named in (gid(world.viewer).rstrip("="), gid(world.public_video).rstrip("="), "viewer"):
            assert named not in form
    expires_in = datetime.fromisoformat(payload["expiresAt"]) - timezone.now()
    assert timedelta(minutes=9) < expires_in <= DOWNLOAD_URL_TTL


def test_every_refusal_answers_the_same(gql: Any, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Given a missing, a used, a forged, an expired and a no-longer-visible link (a video made
    private, and a FRIENDS video whose owner unfollowed the downloader), and one whose file is gone
    from the storage, then all seven answer the same status, body (but for the id of the request
    each answers) and content type."""
    viewer, creator = gql(world.viewer), gql(world.creator)
    used = link(viewer, world.public_video)
    assert Client().get(used).status_code == 200
    forged_from = link(viewer, world.public_video)
    forged = forged_from[:-2] + ("A" if forged_from[-2] != "A" else "B") + "/"
    hidden = link(viewer, world.public_video)
    assert_data(creator(MAKE_PRIVATE, {"id": gid(world.public_video)}), ("updateVideo",))
    unfriended = link(viewer, world.friends_video)
    assert_data(creator(UNFOLLOW), ("unfollow",))
    expired = link(viewer, world.other_creator_video)
    file_gone = link(viewer, world.other_creator_video)
    storage.delete(world.other_creator_video.media.download)
    answers = {
        "missing": refusal(Client(), "/downloads/" + "x" * 43 + "/"),
        "used": refusal(Client(), used),
        "forged": refusal(Client(), forged),
        "no longer visible": refusal(Client(), hidden),
        "no longer a friend": refusal(Client(), unfriended),
        "file gone": refusal(Client(), file_gone),
    }
    later = timezone.now() + DOWNLOAD_URL_TTL + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    answers["expired"] = refusal(Client(), expired)

    assert {answer[0] for answer in answers.values()} == {404}
    assert len(set(answers.values())) == 1, answers


def test_downloads_turned_off_after_the_link_refuse_it(gql: Any, world: World) -> None:
    path = link(gql(world.viewer), world.public_video)
    turn_off = "mutation($id: ID!) { updateVideo(input: {videoId: $id, allowDownload: false}) { video { id } } }"
    assert_data(gql(world.creator)(turn_off, {"id": gid(world.public_video)}), ("updateVideo",))

    assert Client().get(path).status_code == 404


def test_only_get_uses_a_link(gql: Any, world: World) -> None:
    """A HEAD (a link preview) or a POST does not spend the link."""
    path = link(gql(world.viewer), world.public_video)

    assert Client().head(path).status_code == 405
    assert Client().post(path).status_code == 405
    assert served(Client().get(path)) == download_copy(world.public_video)
