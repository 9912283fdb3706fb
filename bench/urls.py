"""The project's URLs plus the hand-written baseline views the benchmarks compare against."""

from django.urls import path

from backend.urls import urlpatterns as project_urlpatterns
from bench import baselines

urlpatterns = [
    *project_urlpatterns,
    path("bench/favorites/", baselines.favorites_page, name="bench-favorites"),
    path("bench/insights/", baselines.insights_totals, name="bench-insights"),
    path("bench/videos/", baselines.video_scalars, name="bench-videos"),
    path("bench/me/", baselines.me_id, name="bench-me"),
    path("bench/favorite/", baselines.favorite, name="bench-favorite"),
    path("bench/unfavorite/", baselines.unfavorite, name="bench-unfavorite"),
]
