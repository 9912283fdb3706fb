"""Log records carry the id of the request they were made in, the id its response carries in
``X-Request-ID``, so one line in the logs leads to the answer a client reports (LOGGING in
settings.py; ``DJANGO_LOG_FORMAT=json`` for one JSON object a line)."""

import json
import logging
from datetime import UTC, datetime

from kernel.request_ids import current_request_id

NO_REQUEST = "-"  # records made outside any request: commands, start-up, after the response


class RequestIdFilter(logging.Filter):
    """On the handler, so records from every logger get ``request_id``, not only the root's own."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get() or NO_REQUEST
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line, for log shippers: time, level, logger, request id, message, and the
    traceback when there is one (server side only; clients only ever see the request id)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", None) or current_request_id.get() or NO_REQUEST,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
