"""An unexpected exception answers INTERNAL with a request id, nothing of the internals, and
is logged server-side with that same id."""

import json
import logging
from unittest import mock

import pytest
from django.test import Client

from api.errors import INTERNAL_MESSAGE
from tests.api.conftest import ENDPOINTS, gid
from tests.factories import make_user, make_video

# The HTTP side of each engine's view: run on both.
pytestmark = pytest.mark.both_engines


def test_a_bug_is_masked_and_logged_with_the_request_id(
    engine: str, db: None, caplog: pytest.LogCaptureFixture
) -> None:
    video = make_video(make_user("creator"))
    client = Client()
    query = json.dumps({"query": "query($id: ID!) { video(id: $id) { likeCount } }", "variables": {"id": gid(video)}})

    with (
        mock.patch("engagement.counters.totals", side_effect=RuntimeError("secret table xyz_internal")),
        caplog.at_level(logging.ERROR, logger="api"),
    ):
        response = client.post(ENDPOINTS[engine], data=query, content_type="application/json")

    body = response.json()
    error = body["errors"][0]
    assert response.status_code == 200
    assert error["message"] == INTERNAL_MESSAGE
    assert error["extensions"] == {"code": "INTERNAL", "requestId": response["X-Request-ID"]}
    assert "xyz_internal" not in response.content.decode() and "Traceback" not in response.content.decode()
    logged = [record for record in caplog.records if response["X-Request-ID"] in record.getMessage()]
    assert logged and logged[0].exc_info is not None
    assert "xyz_internal" in str(logged[0].exc_info[1])


def test_validation_errors_give_no_field_suggestions(engine: str, db: None) -> None:
    """With DEBUG off, "Did you mean ...?" would map the schema for a prober; it is dropped."""
    response = Client().post(
        ENDPOINTS[engine], data=json.dumps({"query": "{ me { usernam } }"}), content_type="application/json"
    )

    message = response.json()["errors"][0]["message"]
    assert "usernam" in message and "Did you mean" not in message
