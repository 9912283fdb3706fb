"""URL routes: the admin, signed download links and (with the API) the GraphQL endpoints."""

from django.contrib import admin
from django.urls import path

from engagement.views import video_download

urlpatterns = [
    path("admin/", admin.site.urls),
    path("downloads/<str:token>/", video_download, name="video-download"),
]
