"""URL routes: both GraphQL endpoints, the CSRF bootstrap, signed download links and the admin."""

from django.conf import settings
from django.contrib import admin
from django.urls import path
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
    path("downloads/<str:token>/", video_download, name="video-download"),
    path("admin/", admin.site.urls),
]
