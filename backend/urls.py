"""URL routes: both GraphQL endpoints, the CSRF bootstrap, signed download links, the OAuth2
provider at /o/ (with the sign-in page its consent screen needs) and the admin."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from strawberry.django.views import GraphQLView

from backend.graphql import graphene_schema
from backend.graphql.strawberry_schema import schema
from backend.views import csrf_token
from engagement.views import video_download

urlpatterns = [
    path("graphql/", GraphQLView.as_view(schema=schema, graphql_ide="graphiql" if settings.DEBUG else None)),
    path(
        "graphql/graphene/",
        graphene_schema.GrapheneView.as_view(schema=graphene_schema.schema, graphiql=settings.DEBUG),
    ),
    path("auth/csrf/", csrf_token, name="csrf-token"),
    path("app/", include("webclient.urls")),
    path("downloads/<str:token>/", video_download, name="video-download"),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("admin/", admin.site.urls),
]
