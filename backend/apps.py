from django.apps import AppConfig
from django.core import checks
from django.db.backends.signals import connection_created

from backend.cors_origins import check_cors_origins
from backend.secret_keys import check_keys
from kernel.timestamps import use_c_parsed_timestamps


class BackendConfig(AppConfig):
    """The project; on start, it wires what every database connection needs and
    registers the checks that refuse to serve with DEBUG off without real keys, or with a CORS
    origin that should not be trusted with sessions."""

    name = "backend"

    def ready(self) -> None:
        connection_created.connect(use_c_parsed_timestamps, dispatch_uid="backend.c_parsed_timestamps")
        checks.register(check_keys, checks.Tags.security)
        checks.register(check_cors_origins, checks.Tags.security)
