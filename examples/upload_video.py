#!/usr/bin/env python3
"""Upload a video file and wait until it plays.

A creator's script, standard library only. Uploads are for a signed-in person (a session), so it
signs in with ``logIn``, reading the password from an environment variable rather than the
command line, where other users of the machine could see it::

    export SILENT_SAVES_PASSWORD=demo-password-123
    python examples/upload_video.py clip.mp4 --username demo_creator --caption "My first clip #demo"

It asks for an upload link (``startVideoUpload``), sends the file there with ``PUT``, showing the
share sent, then asks for the video's ``processingState`` until the worker has made it playable
and prints its ``playbackUrl`` (or, if processing failed, the reason, with exit status 1).
"""

import argparse
import http.cookiejar
import json
import mimetypes
import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, BinaryIO

DEFAULT_URL = "http://127.0.0.1:8000/graphql/"
LOG_IN = "mutation LogIn($u: String!, $p: String!) { logIn(input: {username: $u, password: $p}) { user { id } } }"
START = """
mutation StartUpload($caption: String!, $type: String!, $size: Int!, $visibility: Visibility!) {
  startVideoUpload(input: {caption: $caption, visibility: $visibility, contentType: $type, sizeBytes: $size}) {
    video { id }
    uploadUrl
  }
}"""
STATE = """
query UploadState($id: ID!) {
  node(id: $id) { ... on Video { processingState processingError durationSeconds playbackUrl } }
}"""


class GraphQL:
    """One session (cookie jar) against the GraphQL endpoint."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def __call__(self, query: str, **variables: Any) -> dict[str, Any]:
        body = json.dumps({"query": query, "variables": variables}).encode()
        request = urllib.request.Request(self.url, data=body, headers={"Content-Type": "application/json"})
        with self.opener.open(request, timeout=30) as response:
            answer = json.load(response)
        if answer.get("errors"):
            error = answer["errors"][0]
            raise SystemExit(f"{error.get('extensions', {}).get('code')}: {error['message']}")
        return answer["data"]


class Progress:
    """The file, read by urllib as it sends it, printing the share sent."""

    def __init__(self, handle: BinaryIO, size: int) -> None:
        self.handle, self.size, self.sent, self.shown = handle, size, 0, -1

    def read(self, amount: int = -1) -> bytes:
        chunk = self.handle.read(amount)
        self.sent += len(chunk)
        percent = 100 * self.sent // max(self.size, 1)
        if percent != self.shown:
            self.shown = percent
            print(f"\ruploading {percent:3d}%", end="", file=sys.stderr, flush=True)
        return chunk


def upload(url: str, path: Path, content_type: str) -> None:
    size = path.stat().st_size
    with path.open("rb") as handle:
        request = urllib.request.Request(
            url,
            data=Progress(handle, size),
            method="PUT",
            headers={"Content-Type": content_type, "Content-Length": str(size)},
        )
        try:
            with urllib.request.urlopen(request, timeout=600) as response:
                response.read()
        except urllib.error.HTTPError as refusal:
            error = json.load(refusal)["errors"][0]
            raise SystemExit(f"\nrefused ({refusal.code} {error['extensions']['code']}): {error['message']}") from None
    print(file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, help="the video file (MP4, MOV, WebM or MKV)")
    parser.add_argument("--username", default="demo_creator", help="whose video it is (default demo_creator)")
    parser.add_argument("--caption", default="", help="the caption; #tags in it are linked")
    parser.add_argument("--visibility", default="PUBLIC", choices=("PUBLIC", "FRIENDS", "PRIVATE"))
    parser.add_argument("--url", default=os.environ.get("SILENT_SAVES_URL", DEFAULT_URL), help="the GraphQL endpoint")
    parser.add_argument("--wait", type=float, default=300, help="seconds to wait for processing (default 300)")
    args = parser.parse_args()
    password = os.environ.get("SILENT_SAVES_PASSWORD")
    if not password:
        parser.error("set SILENT_SAVES_PASSWORD to the account's password")
    content_type = mimetypes.guess_type(args.file.name)[0] or "video/mp4"

    graphql = GraphQL(args.url)
    graphql(LOG_IN, u=args.username, p=password)
    started = graphql(
        START, caption=args.caption, type=content_type, size=args.file.stat().st_size, visibility=args.visibility
    )["startVideoUpload"]
    upload(started["uploadUrl"], args.file, content_type)
    deadline = time.monotonic() + args.wait
    while time.monotonic() < deadline:
        video = graphql(STATE, id=started["video"]["id"])["node"]
        print(f"processing state: {video['processingState']}", file=sys.stderr)
        if video["processingState"] == "READY":
            print(json.dumps({"id": started["video"]["id"], **video}))
            return 0
        if video["processingState"] == "FAILED":
            print(video["processingError"], file=sys.stderr)
            return 1
        time.sleep(1)
    print(f"still not processed after {args.wait:.0f} s: is the worker running (make run starts one)?", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
