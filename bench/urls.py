"""The project's URLs plus the hand-written baseline views the benchmarks compare against; like
every route, they declare the credentials they accept (a session, as the API's requests in the
benchmarks use)."""

from django.urls import path

from backend.urls import urlpatterns as project_urlpatterns
from bench import baselines
from kernel import routes

routes.declare(
    "bench/", routes.RouteAccess(accepts=frozenset({routes.Credential.SESSION}), purpose="benchmark baselines")
)

urlpatterns = [
    *project_urlpatterns,
    path("bench/favorites/", baselines.favorites_page, name="bench-favorites"),
    path("bench/insights/", baselines.insights_totals, name="bench-insights"),
    path("bench/videos/", baselines.video_scalars, name="bench-videos"),
    path("bench/me/", baselines.me_id, name="bench-me"),
    path("bench/following-feed/", baselines.following_feed, name="bench-following-feed"),
    path("bench/for-you/", baselines.for_you, name="bench-for-you"),
    path("bench/favorite/", baselines.favorite, name="bench-favorite"),
    path("bench/unfavorite/", baselines.unfavorite, name="bench-unfavorite"),
]
