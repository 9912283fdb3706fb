"""Attacks on drafts and on the worker: a draft reached through an insights delegation, an upload
link sent a Content-Length Python cannot read, and a failed second delivery of a processing job
that wipes the files of the video the first delivery published."""

from pathlib import Path
from typing import Any

import pytest

from engagement import services
from engagement.media import processing
from engagement.models import ProcessingState, VideoMedia
from tests.api.cases import assert_data
from tests.api.conftest import World, gid
from tests.api.media.conftest import make_still, needs_ffmpeg
from tests.api.media.helpers import attach_files, put_file, start_upload, stored_files

MANAGED = "{ me { managedVideos(first: 50) { edges { node { id caption } } } } }"


def test_a_delegate_of_all_the_owners_videos_does_not_see_a_draft(gql: Any, world: World) -> None:
    """The privacy contract: a draft is its owner's alone, "no link, list, search or count reaches
    it". An insights delegation of all the owner's videos listed it, caption and all, before it was
    published (and whatever it became: the owner may still delete it unpublished)."""
    services.insights_access_grant(actor=world.creator, username=world.viewer.username)
    draft = services.video_draft(actor=world.creator, caption="secret launch")
    managed = assert_data(gql(world.viewer)(MANAGED), ("me", "managedVideos", "edges"))
    ids = [edge["node"]["id"] for edge in managed]
    assert gid(world.public_video) in ids  # the delegation works: published videos are listed
    assert gid(draft) not in ids


@pytest.mark.parametrize("length", ["\u00b2", "\u00b9\u00b2"])
def test_an_upload_with_a_superscript_content_length_is_refused_not_a_server_error(
    gql: Any, world: World, length: str
) -> None:
    """``str.isdigit`` is true of superscript digits (latin-1, so they reach a header), which
    ``int`` cannot read: the upload must be refused (400 or 411), never answered 500."""
    draft = start_upload(gql(world.creator), size=100)
    response = put_file(draft.upload_path, b"x" * 100, CONTENT_LENGTH=length)
    assert response.status_code in (400, 411), response.content


@pytest.fixture(scope="module")
def poster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_still(tmp_path_factory.mktemp("posters") / "poster.jpg")


@needs_ffmpeg
def test_a_late_failure_of_a_second_delivery_keeps_the_published_videos_files(
    world: World, short_clip: Path, poster: Path, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """Two deliveries of one job may both claim an UPLOADED draft (``_claim`` takes PROCESSING too);
    the first publishes it, the second fails for good (its retries spent, or an unexpected error)
    and calls ``processing.fail``, which emptied the published video's files and deleted them:
    a READY video with no playable file."""
    media = attach_files(world.public_video, short_clip, poster)
    assert world.public_video.processing_state == ProcessingState.READY
    with django_capture_on_commit_callbacks(execute=True):
        processing.fail(world.public_video.pk, "the second delivery timed out.")
    media = VideoMedia.objects.get(pk=media.pk)
    assert media.playback and media.poster
    assert len(stored_files(media_root)) == 2
