"""Plain HTTP views of the engagement app, each reached through a link the API hands out, which
is the only credential they take (``kernel.routes``): uploading a draft's file, watching a video
and its poster (byte ranges served, so a player can seek), single-use downloads, and insights
exports' files.

Every refusal of a link answers the same 404, whatever the reason, so a holder learns nothing.
With the local file system the files are served from here; from a bucket, by a redirect to the
bucket's own signed link, issued only after the same checks (``MEDIA_S3_URL_SECONDS``)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from engagement.analytics import export_links
from engagement.media import downloads, links, storage, tasks, uploads
from engagement.media.links import MediaFile
from kernel import byte_ranges
from kernel.errors import ErrorCode, NotFound, Unavailable
from kernel.graphql_http import error_response
from kernel.ids import global_id

_CONTENT_TYPES = {MediaFile.PLAYBACK: "video/mp4", MediaFile.POSTER: "image/jpeg"}
MEDIA_GONE = "This media link is invalid or has expired."
EXPORT_GONE = "This export link is invalid or has expired."


def _only(*methods: str) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """``require_http_methods``, with its 405 in JSON like every other answer of these links."""

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method not in methods:
                refusal = error_response(
                    f"This link answers {' and '.join(methods)} only.", code=ErrorCode.BAD_USER_INPUT, status=405
                )
                refusal["Allow"] = ", ".join(methods)
                return refusal
            return view(request, *args, **kwargs)

        return checked

    return decorate


def _serve(
    request: HttpRequest, key: str, *, content_type: str, gone: str, filename: str | None = None
) -> HttpResponseBase:
    """The file, or the link's own refusal (``gone``) when it is missing: replaced or deleted
    since the link was checked, which its holder is not told either."""
    path = storage.local_path(key)
    if path is None:
        return HttpResponseRedirect(storage.bucket_url(key, filename=filename))
    if not path.exists():
        return error_response(gone, code=ErrorCode.NOT_FOUND, status=404)
    return byte_ranges.serve(request, path, content_type=content_type, filename=filename)


@never_cache  # a cached answer would let a used link work again
@_only("GET")
def video_download(request: HttpRequest, token: str) -> HttpResponseBase:
    """Use a single-use download link: the copy marked with the creator's @username, as a file."""
    try:
        granted = downloads.download_redeem(token=token)
    except NotFound:
        return error_response(downloads.DOWNLOAD_LINK_GONE, code=ErrorCode.NOT_FOUND, status=404)
    return _serve(
        request, granted.key, content_type="video/mp4", gone=downloads.DOWNLOAD_LINK_GONE, filename=granted.filename
    )


@_only("GET", "HEAD")
def video_media(request: HttpRequest, token: str) -> HttpResponseBase:
    """A playback or poster link: decided again on every request, each byte range included."""
    granted = links.redeem_file(token)
    if granted is None:
        return error_response(MEDIA_GONE, code=ErrorCode.NOT_FOUND, status=404)
    response = _serve(request, granted.key, content_type=_CONTENT_TYPES[granted.kind], gone=MEDIA_GONE)
    if response.status_code != 404:
        # Never reused without asking again, by the browser or any shared cache: a revoked link's
        # bytes (or a bucket's expired redirect) are not served from a cache. Not on the refusal of
        # a missing file, which must read like any other refusal.
        response["Cache-Control"] = "private, no-cache"
    return response


@_only("GET", "HEAD")
def insights_export_download(request: HttpRequest, token: str) -> HttpResponseBase:
    """An insights export's link: decided again on every request, served as a file to save."""
    granted = export_links.redeem(token)
    if granted is None:
        return error_response(EXPORT_GONE, code=ErrorCode.NOT_FOUND, status=404)
    response = _serve(
        request, granted.key, content_type="text/csv; charset=utf-8", gone=EXPORT_GONE, filename=granted.filename
    )
    if response.status_code != 404:
        # The owner's exact totals: kept by no cache, the browser's own included.
        response["Cache-Control"] = "private, no-store"
    return response


@csrf_exempt  # the signed link is the credential; no cookie is read here
@_only("PUT")
def video_upload(request: HttpRequest, token: str) -> JsonResponse:
    """Receive a draft's file as the body of a ``PUT`` to its upload link."""
    try:
        video = uploads.upload_receive(
            token=token,
            body=request,
            content_type=request.content_type or "",
            length=request.headers.get("Content-Length"),
            enqueue=tasks.enqueue_processing,
        )
    except NotFound:
        return error_response(uploads.UPLOAD_GONE, code=ErrorCode.NOT_FOUND, status=404)
    except uploads.UploadRefused as refusal:
        return error_response(refusal.message, code=ErrorCode.BAD_USER_INPUT, status=refusal.status)
    except Unavailable as missing:
        return error_response(missing.message, code=ErrorCode.UNAVAILABLE, status=503)
    return JsonResponse({"video": global_id("Video", video.pk), "processingState": video.processing_state})
