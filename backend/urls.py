"""URL routes, each declared with the credentials it accepts (``kernel.routes``): both GraphQL
endpoints (with GraphiQL for a browser opening either: ``ide``), the CSRF bootstrap, the web
client, a video's upload, playback and poster links and its single-use download links, the OAuth2
provider at /o/ (only the parts this service uses, with the sign-in page its consent screen needs),
the admin, and the probes and metrics of operations; and the WebSocket routes, served by the ASGI
application (``backend/asgi.py``): GraphQL subscriptions at both GraphQL paths. ``manage.py
privacy_audit --routes`` prints the table."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from oauth2_provider import urls as oauth2_urls
from oauth2_provider import views as oauth2_views
from strawberry.django.views import GraphQLView

from api import graphene_schema, strawberry_schema
from api.strawberry_schema import schema
from api.websocket import GraphQLTransportWSConsumer
from backend import health, views
from backend.views import csrf_token
from engagement.views import insights_export_download, video_download, video_media, video_upload
from ide.views import with_graphiql
from kernel import routes

# The authorization-code flow, token refresh and revocation, the server's metadata, and each
# person's own applications. Left out: introspection, the device flow, OpenID Connect, dynamic
# client registration (none is used), and the toolkit's authorized-token pages, which revoke an
# access token but not the refresh token behind it (``Me.accessTokens`` revokes the whole grant).
oauth2_patterns = [
    *oauth2_urls.metadata_urlpatterns,
    path("authorize/", oauth2_views.AuthorizationView.as_view(), name="authorize"),
    path("token/", oauth2_views.TokenView.as_view(), name="token"),
    path("revoke_token/", oauth2_views.RevokeTokenView.as_view(), name="revoke-token"),
    *(pattern for pattern in oauth2_urls.management_urlpatterns if str(pattern.pattern).startswith("applications/")),
]
routes.declare("o/.well-known/", routes.OAUTH_METADATA)
routes.declare("o/authorize/", routes.OAUTH_CONSENT)
routes.declare("o/token/", routes.OAUTH_CLIENT)
routes.declare("o/revoke_token/", routes.OAUTH_CLIENT)
routes.declare("o/applications/", routes.OAUTH_APPLICATIONS)
routes.declare("admin/login/", routes.SIGN_IN_FORM)

urlpatterns = [
    routes.route(
        "graphql/",
        with_graphiql(GraphQLView.as_view(schema=schema, graphql_ide=None)),
        access=routes.GRAPHQL_API,
    ),
    routes.route(
        "graphql/graphene/",
        with_graphiql(graphene_schema.GrapheneView.as_view(schema=graphene_schema.schema, graphiql=False)),
        access=routes.GRAPHQL_API,
    ),
    routes.route("auth/csrf/", csrf_token, name="csrf-token", access=routes.PUBLIC_PAGE),
    routes.route("app/", include("webclient.urls"), access=routes.PUBLIC_PAGE),
    routes.route("downloads/<str:token>/", video_download, name="video-download", access=routes.DOWNLOAD_LINK),
    routes.route("media/<str:token>/", video_media, name="video-media", access=routes.MEDIA_LINK),
    routes.route("uploads/<str:token>/", video_upload, name="video-upload", access=routes.UPLOAD_LINK),
    routes.route(
        "insights-exports/<str:token>/",
        insights_export_download,
        name="insights-export-download",
        access=routes.INSIGHTS_EXPORT_LINK,
    ),
    path("o/", include((oauth2_patterns, "oauth2_provider"), namespace="oauth2_provider")),
    routes.route("accounts/login/", auth_views.LoginView.as_view(), name="login", access=routes.SIGN_IN_FORM),
    routes.route("admin/", admin.site.urls, access=routes.ADMIN),
    # For whoever runs the service (README "Operations"): probes, and metrics for allowed addresses.
    routes.route("healthz", health.healthz, name="healthz", access=routes.HEALTH_PROBE),
    routes.route("readyz", health.readyz, name="readyz", access=routes.HEALTH_PROBE),
    routes.route("metrics", health.metrics, name="prometheus-metrics", access=routes.METRICS),
]

# Django's error pages: JSON with a code and the request id, except on the HTML pages (views.HTML_PREFIXES).
handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error

# Subscriptions over WebSocket (graphql-transport-ws), at the same paths as the HTTP endpoints.
websocket_urlpatterns = [
    routes.websocket_route(
        "graphql/",
        GraphQLTransportWSConsumer.as_asgi(runner=strawberry_schema.subscriptions),
        access=routes.GRAPHQL_SUBSCRIPTIONS,
    ),
    routes.websocket_route(
        "graphql/graphene/",
        GraphQLTransportWSConsumer.as_asgi(runner=graphene_schema.subscriptions),
        access=routes.GRAPHQL_SUBSCRIPTIONS,
    ),
]
