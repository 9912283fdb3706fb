"""Plain HTTP views of the engagement app: the target of download links."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from engagement.services import DOWNLOAD_LINK_GONE, download_redeem
from kernel.errors import NotFound


@never_cache  # a cached answer would let a used link work again
@require_GET
def video_download(request: HttpRequest, token: str) -> JsonResponse:
    """Use a single-use download link. The link itself is the credential, so no session is read.
    There is no media store in this service yet, so a valid link answers with the file's
    metadata; every refusal answers the same 404, whatever the reason."""
    try:
        video = download_redeem(token=token)
    except NotFound:
        return JsonResponse({"error": DOWNLOAD_LINK_GONE}, status=404)
    return JsonResponse({"video": video.pk, "durationSeconds": video.duration_seconds})
