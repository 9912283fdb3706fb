from django.apps import AppConfig
from django.db.backends.signals import connection_created


class BackendConfig(AppConfig):
    """The project's shared layer; on start, it wires what every database connection needs."""

    name = "backend"

    def ready(self) -> None:
        from backend.timestamps import use_c_parsed_timestamps

        connection_created.connect(use_c_parsed_timestamps, dispatch_uid="backend.c_parsed_timestamps")
