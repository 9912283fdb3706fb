"""``startVideoUpload`` checks what the client declares before any row exists, and
``restartVideoUpload`` gives the owner alone a new link that ends the old one."""

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from engagement.models import ProcessingState, Video, VideoMedia
from kernel.errors import ErrorCode
from tests.api.cases import assert_data, assert_denied, assert_single_error
from tests.api.conftest import World, gid
from tests.api.media.conftest import needs_ffmpeg
from tests.api.media.helpers import RESTART, START, path_of, put_file, start_upload
from tests.api.test_json_answers import coded

pytestmark = [pytest.mark.both_engines]


def _start(content_type: str, size: int) -> dict[str, Any]:
    return {"caption": "draft", "visibility": "PUBLIC", "contentType": content_type, "size": size}


def _rows() -> tuple[int, int]:
    return Video.objects.count(), VideoMedia.objects.count()


@pytest.mark.parametrize(
    ("content_type", "size", "field"),
    [
        ("image/png", 1000, "contentType"),
        ("text/plain", 1000, "contentType"),
        ("", 1000, "contentType"),
        ("video/mp4", 0, "sizeBytes"),
        ("video/mp4", -1, "sizeBytes"),
        ("video/mp4", None, "sizeBytes"),  # MEDIA_MAX_UPLOAD_BYTES + 1
    ],
)
def test_a_declared_file_out_of_bounds_is_refused_before_any_row(
    gql: Any, world: World, content_type: str, size: int | None, field: str
) -> None:
    """Given a type not accepted, or a size of 0 or over the limit, when a creator starts an upload,
    then BAD_USER_INPUT naming the field, and neither a video nor its media row was created."""
    before = _rows()
    size = settings.MEDIA_MAX_UPLOAD_BYTES + 1 if size is None else size

    response = gql(world.creator)(START, _start(content_type, size))

    assert_denied(response, ("startVideoUpload",), ErrorCode.BAD_USER_INPUT)
    assert response.errors[0]["message"].startswith(f"{field}:")
    assert _rows() == before


def test_the_largest_declared_file_is_accepted(gql: Any, world: World) -> None:
    """The bound itself is inside: exactly MEDIA_MAX_UPLOAD_BYTES, with a media type parameter."""
    response = gql(world.creator)(START, _start("video/mp4; codecs=avc1", settings.MEDIA_MAX_UPLOAD_BYTES))

    started = assert_data(response, ("startVideoUpload",))
    assert started["maxBytes"] == settings.MEDIA_MAX_UPLOAD_BYTES
    assert started["contentTypes"] == list(settings.MEDIA_UPLOAD_CONTENT_TYPES)


def test_an_anonymous_upload_is_unauthenticated(gql: Any, world: World) -> None:
    before = _rows()

    response = gql(None)(START, _start("video/mp4", 1000))

    assert_single_error(response, ErrorCode.UNAUTHENTICATED)
    assert response.data == {"startVideoUpload": None}
    assert _rows() == before


@needs_ffmpeg
def test_a_new_link_ends_the_old_one(gql: Any, world: World, clip: Path) -> None:
    """Given a draft, when its owner asks for a new link, then the old link is refused 404 and the
    new one takes the file."""
    creator = gql(world.creator)
    draft = start_upload(creator, size=clip.stat().st_size)

    restarted = assert_data(creator(RESTART, {"id": draft.id}), ("restartVideoUpload",))

    assert restarted["video"] == {"id": draft.id, "processingState": "AWAITING_UPLOAD"}
    new_path = path_of(restarted["uploadUrl"])
    assert new_path != draft.upload_path
    coded(put_file(draft.upload_path, clip.read_bytes()), 404, ErrorCode.NOT_FOUND)
    assert put_file(new_path, clip.read_bytes()).status_code == 200
    assert Video.objects.get(pk=draft.pk).processing_state == ProcessingState.UPLOADED


@pytest.mark.parametrize("role", ["anonymous", "viewer", "other_creator"])
def test_nobody_else_restarts_a_draft(gql: Any, world: World, role: str) -> None:
    """Someone else's draft is missing for them (NOT_FOUND; anonymous: UNAUTHENTICATED), even for
    the owner's friend, and its link still works afterwards."""
    draft = start_upload(gql(world.creator), size=1000)
    nonce = VideoMedia.objects.get(pk=draft.pk).upload_nonce

    response = gql(world.user(role))(RESTART, {"id": draft.id})

    assert_single_error(response, ErrorCode.UNAUTHENTICATED if role == "anonymous" else ErrorCode.NOT_FOUND)
    assert response.data == {"restartVideoUpload": None}
    assert VideoMedia.objects.get(pk=draft.pk).upload_nonce == nonce


def test_nobody_else_restarts_a_published_video(gql: Any, world: World) -> None:
    """A video the friend sees is still not theirs to upload to: FORBIDDEN."""
    response = gql(world.viewer)(RESTART, {"id": gid(world.public_video)})

    assert_denied(response, ("restartVideoUpload",), ErrorCode.FORBIDDEN)


@pytest.mark.parametrize("state", [ProcessingState.PROCESSING, ProcessingState.READY])
def test_no_new_link_once_the_file_is_taken(gql: Any, world: World, state: str) -> None:
    """Once the worker has the file, or the video is published, a new link is refused."""
    draft = start_upload(gql(world.creator), size=1000)
    Video.objects.filter(pk=draft.pk).update(processing_state=state, duration_seconds=3)

    response = gql(world.creator)(RESTART, {"id": draft.id})

    assert_denied(response, ("restartVideoUpload",), ErrorCode.BAD_USER_INPUT)


def test_no_link_for_a_video_posted_without_a_file(gql: Any, world: World) -> None:
    response = gql(world.creator)(RESTART, {"id": gid(world.public_video)})

    assert_denied(response, ("restartVideoUpload",), ErrorCode.BAD_USER_INPUT)
