from django.apps import AppConfig
from django.core import checks
from django.db.backends.signals import connection_created


class BackendConfig(AppConfig):
    """The project's shared layer; on start, it wires what every database connection needs and
    registers the check that refuses to serve with DEBUG off without real keys."""

    name = "backend"

    def ready(self) -> None:
        from backend.secret_keys import check_keys
        from backend.timestamps import use_c_parsed_timestamps

        connection_created.connect(use_c_parsed_timestamps, dispatch_uid="backend.c_parsed_timestamps")
        checks.register(check_keys, checks.Tags.security)
