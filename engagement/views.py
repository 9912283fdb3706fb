"""Plain HTTP views of the engagement app: the target of signed download links."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from backend.errors import NotFound
from engagement.models import Video
from engagement.services import download_token_read


@require_GET
def video_download(request: HttpRequest, token: str) -> JsonResponse:
    """Check a signed, expiring download link. There is no media store in this service yet, so
    a valid link answers with the file's metadata; a forged or expired one answers 404."""
    try:
        video_id = download_token_read(token)
    except NotFound as error:
        return JsonResponse({"error": error.message}, status=404)
    video = Video.objects.filter(pk=video_id).values("pk", "duration_seconds").first()
    if video is None:
        return JsonResponse({"error": "This video no longer exists."}, status=404)
    return JsonResponse({"video": video["pk"], "durationSeconds": video["duration_seconds"]})
