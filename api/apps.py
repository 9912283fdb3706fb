from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The GraphQL layer as an app: it brings the ``export_schema`` and ``privacy_audit`` commands."""

    name = "api"
    verbose_name = "GraphQL API"
