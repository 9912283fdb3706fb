"""The README's live notifications example runs as written (gql over graphql-transport-ws, with a
bearer token), against the ASGI application served as ``make run`` serves it, on both paths: it
prints the unread count at once, then the like someone makes while it listens."""

import queue
import threading
from pathlib import Path
from typing import Any

import pytest
import requests

from accounts.scopes import Scope
from accounts.tokens import access_token_create
from kernel.ids import global_id
from tests.api.test_readme_tools import FENCE, README
from tests.factories import make_user, make_video
from tests.websockets import ENDPOINTS

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
LIKE = "mutation Like($id: ID!) { likeVideo(input: {videoId: $id}) { video { likeCount } } }"


def live_example() -> str:
    """The README's one Python block that subscribes."""
    (block,) = [fence["body"] for fence in FENCE.finditer(README) if "WebsocketsTransport" in fence["body"]]
    return block


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS.values()))
def test_the_readme_live_example_prints_the_count_then_a_like_as_it_happens(
    asgi_live_server: str, monkeypatch: pytest.MonkeyPatch, endpoint: str
) -> None:
    creator, fan = make_user("demo_creator"), make_user("fan")
    video = make_video(creator, caption="harbour")
    _, token = access_token_create(actor=creator, name="live", scopes=[Scope.PROFILE_READ])
    _, fan_token = access_token_create(actor=fan, name="likes", scopes=[Scope.INTERACTIONS_WRITE])
    monkeypatch.setenv("SILENT_SAVES_WS_URL", asgi_live_server.replace("http://", "ws://") + endpoint)
    monkeypatch.setenv("SILENT_SAVES_TOKEN", token)
    monkeypatch.setenv("SILENT_SAVES_EVENTS", "2")
    monkeypatch.chdir(ROOT)
    printed: queue.Queue[Any] = queue.Queue()
    failures: list[BaseException] = []

    def run_example() -> None:
        try:
            exec(compile(live_example(), "README.md", "exec"), {"print": printed.put})
        except BaseException as error:  # reported by the test below
            failures.append(error)
            printed.put(None)

    runner = threading.Thread(target=run_example)
    runner.start()
    first = printed.get(timeout=15)
    liked = requests.post(
        asgi_live_server + endpoint,
        json={"query": LIKE, "variables": {"id": global_id("Video", video.pk)}},
        headers={"Authorization": f"Bearer {fan_token}"},
        timeout=15,
    )
    second = printed.get(timeout=15)
    runner.join(timeout=15)

    assert failures == []
    assert liked.json()["data"]["likeVideo"]["video"]["likeCount"] == 1
    assert first == {"unreadNotificationCount": 0, "notification": None}
    assert second["unreadNotificationCount"] == 1
    assert second["notification"]["kind"] == "LIKE"
    assert second["notification"]["actor"] == {"username": "fan"}
    assert second["notification"]["video"] == {"caption": "harbour"}
