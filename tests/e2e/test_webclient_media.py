"""The web client with real video files, in headless chromium against a live server whose worker
runs eagerly (inside the upload's own request, once it commits): a creator uploads a clip ffmpeg
makes here and follows it to 100 % and Ready; a follower plays it in the feed, seeks in it and
downloads it, and each playback is recorded as they leave it; refusals read as sentences, and Retry
sends the file again on a new link."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import FloatRect, Locator, Page, expect
from pytest_django import Settings

from accounts.models import AccountType, User
from engagement.media import ffmpeg
from engagement.models import ProcessingState, Video, View
from tests.api.media.conftest import make_clip, needs_ffmpeg
from tests.e2e.browser import BROWSER_TEST_MARKS, artifacts_dir, open_screen
from tests.e2e.conftest import SignIn
from tests.factories import make_follow, make_user, make_video

pytestmark = [*BROWSER_TEST_MARKS, needs_ffmpeg]

CAPTION = "Test pattern with a tone"
# Processing and the first play may take a few seconds on a busy machine.
SLOW = 30_000
NO_FILE = "Posted before files"
SHOT = FloatRect(x=0, y=0, width=1200, height=600)  # the top of the screen: all there is on it


@dataclass
class World:
    creator: User
    viewer: User


@pytest.fixture(autouse=True)
def _media(tmp_path: Path, settings: Settings) -> None:
    """The live server runs in this process: its uploads go to a private folder, and the worker's
    jobs run in the request that queued them, after its commit (a live server's transactions are
    real, so on_commit callbacks run)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def world() -> World:
    """A creator with a video posted without a file, and a follower."""
    creator = make_user("e2e_creator", account_type=AccountType.CREATOR)
    viewer = make_user("e2e_viewer")
    make_video(creator, caption=NO_FILE)
    make_follow(viewer, creator)
    return World(creator=creator, viewer=viewer)


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    return make_clip(tmp_path / "clip.mp4")


def fill_upload_form(page: Page, file: Any, *, allow_download: bool = True) -> Locator:
    form = page.locator("#upload-form")
    form.locator("input[name=file]").set_input_files(file)
    form.locator("textarea[name=caption]").fill(CAPTION)
    form.locator("select[name=visibility]").select_option("PUBLIC")
    form.locator("input[name=allowDownload]").set_checked(allow_download)
    form.locator("button[type=submit]").click()
    return page.locator("#upload-panel")


def expect_ready(panel: Locator) -> None:
    expect(panel.get_by_test_id("upload-state")).to_have_attribute("data-state", "READY", timeout=SLOW)
    expect(panel.get_by_test_id("upload-state")).to_have_text("Ready")
    expect(panel.get_by_test_id("upload-progress")).to_have_js_property("value", 100)
    expect(panel.get_by_test_id("upload-percent")).to_have_text("100 %")
    expect(panel.get_by_test_id("upload-error")).to_be_hidden()


def own_video(page: Page) -> Locator:
    return page.locator(f"[data-testid=own-video][data-caption='{CAPTION}']")


def card(page: Page, caption: str) -> Locator:
    return page.locator(f"[data-testid=video-card][data-caption='{caption}']")


def test_a_creator_uploads_a_clip_and_a_follower_plays_seeks_downloads_and_replays_it(
    world: World, clip: Path, sign_in: SignIn, live_server: Any
) -> None:
    creator = sign_in(world.creator)
    open_screen(creator, live_server.url, "upload")
    panel = fill_upload_form(creator, str(clip))

    expect_ready(panel)
    expect(own_video(creator).get_by_test_id("own-state")).to_have_attribute("data-state", "READY")
    creator.screenshot(path=str(artifacts_dir() / "upload.png"), clip=SHOT)
    video = Video.objects.get(caption=CAPTION)
    assert video.processing_state == ProcessingState.READY
    assert video.owner == world.creator

    viewer = sign_in(world.viewer)
    without_file = card(viewer, NO_FILE)
    expect(without_file.locator(".thumb")).to_be_visible()
    expect(without_file.locator("video")).to_have_count(0)
    expect(without_file.locator("button.download")).to_have_count(0)
    uploaded = card(viewer, CAPTION)
    player = uploaded.get_by_test_id("player")
    expect(player).to_have_attribute("preload", "metadata")
    poster = viewer.request.get(player.get_attribute("poster") or "")
    assert poster.status == 200
    assert poster.headers["content-type"] == "image/jpeg"
    # Muted, as a browser lets a page start a video itself; then it must really play and seek.
    player.evaluate("video => { video.muted = true; return video.play(); }")
    viewer.wait_for_function(
        "video => video.readyState >= 2 && video.currentTime > 0.2", arg=player.element_handle(), timeout=SLOW
    )
    landed = player.evaluate(
        """video => new Promise((done) => {
          video.addEventListener("seeked", () => done(video.currentTime), { once: true });
          video.currentTime = 2;
        })"""
    )
    assert 2 <= landed < 3
    viewer.wait_for_function("video => video.currentTime > 2.1", arg=player.element_handle(), timeout=SLOW)
    player.evaluate("video => video.pause()")
    viewer.screenshot(path=str(artifacts_dir() / "playback.png"), clip=SHOT)

    download_from(uploaded, video)

    # Renamed since: the marked copy carries the old @username, so the first press says it is
    # being prepared (the worker makes a new one meanwhile), and the next one downloads.
    User.objects.filter(pk=world.creator.pk).update(username="e2e_renamed")
    uploaded.locator("button.download").click()
    note = uploaded.locator(".download-note")
    expect(note).to_have_text("The download is being prepared; ask again in a few seconds.")
    download_from(uploaded, video)
    expect(note).to_have_text("")

    # Leaving the screen records the playback: as far as the seek and play went, not started again,
    # on a desktop (a fine pointer: no touch in this browser), found in the For You feed.
    [view] = leave_and_record(viewer, "favorites", video)
    assert 2 <= view.position_seconds < video.duration_seconds and not view.completed
    assert (view.viewer_id, view.replayed, view.device, view.traffic_source) == (
        world.viewer.pk,
        False,
        "DESKTOP",
        "FOR_YOU",
    )

    # Played to the end and again from the start: complete, and replayed.
    open_screen(viewer, live_server.url, "feed")
    player = card(viewer, CAPTION).get_by_test_id("player")
    player.evaluate("video => { video.muted = true; video.currentTime = 1.5; return video.play(); }")
    viewer.wait_for_function("video => video.ended", arg=player.element_handle(), timeout=SLOW)
    player.evaluate("video => video.play()")
    viewer.wait_for_function("video => video.currentTime > 0.2", arg=player.element_handle(), timeout=SLOW)
    [_, replay] = leave_and_record(viewer, "favorites", video)
    assert (replay.position_seconds, replay.completed, replay.replayed) == (video.duration_seconds, True, True)
    assert replay.watched_seconds >= 1


def leave_and_record(page: Page, route: str, video: Video) -> list[View]:
    """Go to another screen, as its link does, and wait for the playback left to be recorded;
    returns the video's views."""
    with page.expect_response(lambda response: b"recordView" in (response.request.post_data_buffer or b"")):
        page.evaluate("route => { location.hash = `#/${route}`; }", route)
    page.wait_for_selector(f"body[data-ready='{route}']")
    return list(View.objects.filter(video=video).order_by("pk"))


def download_from(card: Locator, video: Video) -> None:
    with card.page.expect_download() as download:
        card.locator("button.download").click()
    assert download.value.suggested_filename == f"video-{video.pk}.mp4"
    assert Path(download.value.path()).stat().st_size > 1000


def test_a_file_that_is_not_a_video_is_refused_before_anything_is_sent(
    world: World, sign_in: SignIn, live_server: Any
) -> None:
    creator = sign_in(world.creator)
    open_screen(creator, live_server.url, "upload")
    sent: list[str] = []
    creator.on("request", lambda request: sent.append(request.post_data or request.url))

    panel = fill_upload_form(creator, {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"just words"})

    expect(panel.get_by_test_id("upload-error")).to_have_text("notes.txt is not a video file (text/plain).")
    expect(panel.get_by_test_id("upload-retry")).to_be_hidden()
    assert not any("startVideoUpload" in body for body in sent)
    assert not Video.objects.filter(caption=CAPTION).exists()


def test_a_refused_file_and_a_failed_processing_are_retried(
    world: World,
    clip: Path,
    sign_in: SignIn,
    live_server: Any,
    monkeypatch: pytest.MonkeyPatch,
    eager_retries: None,
) -> None:
    """A file that claims to be MP4 and is not: the link's refusal shows as a sentence with its
    code, and Retry sends the real clip on a new link; processing fails after its retries: Failed
    with the reason, here and in the creator's list; Retry again, and the video is Ready."""
    creator = sign_in(world.creator)
    open_screen(creator, live_server.url, "upload")
    panel = fill_upload_form(creator, {"name": "fake.mp4", "mimeType": "video/mp4", "buffer": b"\0" * 4096})

    error = panel.get_by_test_id("upload-error")
    expect(error).to_contain_text("The file is not a video this service reads", timeout=SLOW)
    expect(error).to_contain_text("(BAD_USER_INPUT)")
    expect(panel.get_by_test_id("upload-state")).to_have_text("Not uploaded")
    expect(own_video(creator).get_by_test_id("own-state")).to_have_attribute("data-state", "AWAITING_UPLOAD")

    sent: list[str] = []
    creator.on("request", lambda request: sent.append(request.post_data or ""))
    creator.locator("#upload-form input[name=file]").set_input_files(str(clip))
    with monkeypatch.context() as patch:
        patch.setattr(ffmpeg, "make_rendition", _refuse_rendition)
        panel.get_by_test_id("upload-retry").click()
        expect(panel.get_by_test_id("upload-state")).to_have_attribute("data-state", "FAILED", timeout=SLOW)
    assert sum("restartVideoUpload" in body for body in sent) == 1
    expect(error).to_contain_text("The video could not be processed: ffmpeg could not process the video (test).")
    expect(panel.get_by_test_id("upload-retry")).to_be_visible()

    # The draft in the creator's list takes the file again, on a link of its own.
    draft = own_video(creator)
    expect(draft.get_by_test_id("own-state")).to_have_attribute("data-state", "FAILED")
    expect(draft.get_by_test_id("own-error")).to_contain_text("Upload it again, or another file.")
    with creator.expect_file_chooser() as chooser:
        draft.get_by_role("button", name="Upload its file…").click()
    chooser.value.set_files(str(clip))
    expect_ready(draft.locator(".upload-panel"))
    expect(draft.get_by_test_id("own-state")).to_have_attribute("data-state", "READY")
    expect(draft.get_by_test_id("own-error")).to_be_hidden()
    expect(draft.get_by_role("button", name="Upload its file…")).to_be_hidden()
    assert sum("restartVideoUpload" in body for body in sent) == 2
    assert Video.objects.get(caption=CAPTION).processing_state == ProcessingState.READY


def _refuse_rendition(source: Path, target: Path) -> None:
    raise ffmpeg.MediaError("ffmpeg could not process the video (test).")
