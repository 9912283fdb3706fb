"""The steps the media tests walk: a draft and its upload link, the file sent to it, links to a
published video's files, and what the media storage holds meanwhile."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.test import Client
from graphql_relay import from_global_id

from engagement.media import storage
from engagement.models import Video, VideoMedia
from tests.api.cases import assert_data
from tests.api.conftest import GraphQLClient, gid

START = """
mutation($caption: String!, $visibility: Visibility!, $contentType: String!, $size: Int!, $remixOfId: ID,
         $remixKind: RemixKind) {
  startVideoUpload(input: {caption: $caption, visibility: $visibility, contentType: $contentType, sizeBytes: $size,
                           remixOfId: $remixOfId, remixKind: $remixKind}) {
    video { id processingState } uploadUrl uploadExpiresAt maxBytes contentTypes
  }
}"""
RESTART = "mutation($id: ID!) { restartVideoUpload(input: {videoId: $id}) { video { id processingState } uploadUrl } }"
FILE_URLS = "query($id: ID!) { node(id: $id) { ... on Video { playbackUrl posterUrl } } }"


@dataclass(frozen=True)
class Draft:
    """A draft as ``startVideoUpload`` answered: its global id, its row's key and its upload link."""

    id: str
    pk: int
    upload_path: str


def start_upload(
    client: GraphQLClient, *, size: int, caption: str = "a draft", visibility: str = "PUBLIC", **variables: Any
) -> Draft:
    """``startVideoUpload`` for a file of ``size`` bytes, which must succeed."""
    response = client(
        START,
        {"caption": caption, "visibility": visibility, "contentType": "video/mp4", "size": size, **variables},
    )
    started = assert_data(response, ("startVideoUpload",))
    assert started["video"]["processingState"] == "AWAITING_UPLOAD"
    return Draft(
        id=started["video"]["id"],
        pk=int(from_global_id(started["video"]["id"]).id),
        upload_path=path_of(started["uploadUrl"]),
    )


def path_of(url: str) -> str:
    """The path of an absolute link the API handed out, for the test client."""
    return urlsplit(url).path


def put_file(path: str, body: bytes, *, content_type: str = "video/mp4", **extra: Any) -> Any:
    """Send ``body`` as a draft's file, as an uploader's script would: no session, no CSRF token."""
    return Client().put(path, data=body, content_type=content_type, **extra)


def stored_files(root: Path) -> list[Path]:
    """Every file in the media storage (the test's own MEDIA_ROOT)."""
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def attach_files(video: Video, playback: Path, poster: Path) -> VideoMedia:
    """``video`` with a stored playable file and poster, as the worker leaves a published one."""
    return VideoMedia.objects.create(
        video=video,
        playback=storage.save(storage.new_key(video.pk, "playback.mp4"), playback),
        poster=storage.save(storage.new_key(video.pk, "poster.jpg"), poster),
    )


def file_urls(client: GraphQLClient, video: Video) -> dict[str, Any] | None:
    """The video's ``playbackUrl`` and ``posterUrl`` as ``client`` sees them; None when the video
    itself is not found for it."""
    response = client(FILE_URLS, {"id": gid(video)})
    assert response.errors == [], response.errors
    node: dict[str, Any] | None = response.data["node"]
    return node
