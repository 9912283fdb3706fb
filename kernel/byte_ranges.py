"""Serving a file with HTTP byte ranges (RFC 9110 §14), so that a browser's ``<video>`` element
can seek: one range per request (what browsers ask for), answered 206 with its ``Content-Range``;
a range past the end is 416; a header that is not a single byte range is ignored (200, the whole
file), as the RFC allows."""

import re
from pathlib import Path
from typing import BinaryIO

from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

# At most 18 digits a position (Python reads no more than 4300, and no file is larger): a longer
# one is not a range this service answers, and the header is ignored.
_RANGE = re.compile(r"^bytes=([0-9]{0,18})-([0-9]{0,18})$")


class _Unsatisfiable(Exception):
    pass


def _wanted(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte asked for, None for the whole file; ``_Unsatisfiable`` past the end."""
    match = _RANGE.match(header.replace(" ", ""))
    if match is None or match.groups() == ("", ""):
        return None
    start, end = match.groups()
    if not start:  # the last N bytes
        if int(end) <= 0 or size <= 0:
            raise _Unsatisfiable
        return max(size - int(end), 0), size - 1
    first = int(start)
    if first >= size or (end and int(end) < first):
        raise _Unsatisfiable
    return first, min(int(end), size - 1) if end else size - 1


class _Window:
    """The bytes ``first``..``last`` of an open file, read in chunks by ``FileResponse``."""

    def __init__(self, handle: BinaryIO, first: int, last: int) -> None:
        handle.seek(first)
        self._handle, self._left = handle, last - first + 1

    def read(self, size: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        size = self._left if size < 0 else min(size, self._left)
        data = self._handle.read(size)
        self._left -= len(data)
        return data

    def close(self) -> None:
        self._handle.close()


def serve(request: HttpRequest, path: Path, *, content_type: str, filename: str | None = None) -> HttpResponseBase:
    """``path`` whole, or the one range the request asks for; ``filename`` makes it a download."""
    size = path.stat().st_size
    try:
        wanted = _wanted(request.headers.get("Range", ""), size)
    except _Unsatisfiable:
        refusal = HttpResponse(status=416)
        refusal["Content-Range"] = f"bytes */{size}"
        refusal["Accept-Ranges"] = "bytes"
        return refusal
    handle = path.open("rb")
    if wanted is None:
        response = FileResponse(handle, content_type=content_type)
        response["Content-Length"] = str(size)
    else:
        first, last = wanted
        response = FileResponse(_Window(handle, first, last), content_type=content_type, status=206)
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
    response["Accept-Ranges"] = "bytes"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
