"""Download links: a random secret whose digest alone is stored on the downloader's ``Download``
row, used once, within ``DOWNLOAD_URL_TTL``, and only while the downloader may still see and
download the video. Every refusal is the same ``NotFound``."""

import base64
import hashlib
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import signing
from django.utils import timezone

from accounts import services as account_services
from accounts.models import User
from engagement import services
from engagement.media import downloads
from engagement.models import Download, Video, VideoCounters, Visibility
from kernel.errors import NotFound, Unavailable
from tests.domain.helpers import counters_of
from tests.domain.test_concurrency_postgres import run_threads
from tests.factories import attach_files, make_follow, make_friends, make_user, make_video, password_of

pytestmark = pytest.mark.django_db


def downloadable(owner: User, **fields: Any) -> Video:
    """A video of ``owner`` with its files (``attach_files``), so that a link has a file to serve."""
    video = make_video(owner, **fields)
    attach_files(video)
    return video


def token_of(grant: downloads.DownloadGrant) -> str:
    return grant.url.rstrip("/").rsplit("/", 1)[-1]


def grant_for(user: User, video: Video) -> str:
    return token_of(downloads.download_create(actor=user, video_id=video.pk))


def redeemed(token: str) -> str:
    """The key of the file the link serves."""
    return downloads.download_redeem(token=token).key


def assert_refused(token: str) -> None:
    with pytest.raises(NotFound) as refused:
        downloads.download_redeem(token=token)
    assert refused.value.message == downloads.DOWNLOAD_LINK_GONE


def move_clock(monkeypatch: pytest.MonkeyPatch, by: timedelta) -> None:
    moved: datetime = timezone.now() + by
    monkeypatch.setattr(timezone, "now", lambda: moved)


# What a link says -----------------------------------------------------------------------------


def test_a_link_names_neither_the_downloader_nor_the_video_in_any_decodable_form() -> None:
    """Given ids that would stand out, then neither the token nor its base64 or hex decodings
    contain them, two links for the same pair share nothing, and the database keeps only the
    token's SHA-256."""
    downloader = make_user("downloader", pk=7340033)
    video = Video.objects.create(pk=9437189, owner=make_user(), duration_seconds=30)
    VideoCounters.objects.create(video=video)
    attach_files(video)

    first, second = grant_for(downloader, video), grant_for(downloader, video)

    assert first != second
    for token in (first, second):
        decoded = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        assert len(decoded) == 32  # secrets.token_urlsafe(32): random bytes, no structure
        for form in (token, decoded.decode("latin-1"), decoded.hex()):
            for secret in ("7340033", "9437189", "downloader"):
                assert secret not in form
        assert ":" not in token  # not the signer's payload:timestamp:signature
    digests = set(Download.objects.values_list("link_digest", flat=True))
    assert digests == {hashlib.sha256(token.encode()).hexdigest() for token in (first, second)}


def test_the_grant_expires_with_its_row() -> None:
    video = downloadable(make_user())
    grant = downloads.download_create(actor=make_user(), video_id=video.pk)

    row = Download.objects.get()
    assert grant.expires_at == row.link_expires_at == row.created_at + downloads.DOWNLOAD_URL_TTL


# Which file ---------------------------------------------------------------------------------------


def test_a_video_without_a_file_has_nothing_to_download() -> None:
    """A video posted without a file is UNAVAILABLE to download, and nothing is counted."""
    video = make_video(make_user())

    with pytest.raises(Unavailable) as missing:
        downloads.download_create(actor=make_user(), video_id=video.pk)

    assert missing.value.message == downloads.NO_FILE
    assert not Download.objects.exists() and counters_of(video)["download_count"] == 0


def test_a_copy_marked_with_an_old_username_is_made_again_before_any_link(
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Given the owner renamed since their copy was marked, then a download asks the worker for a
    new copy (after the commit) and the caller to come back: no link, nothing counted."""
    owner = make_user("old_name")
    video = downloadable(owner)
    User.objects.filter(pk=owner.pk).update(username="new_name")

    with django_capture_on_commit_callbacks() as queued, pytest.raises(Unavailable) as preparing:
        downloads.download_create(actor=make_user(), video_id=video.pk)

    assert preparing.value.message == downloads.PREPARING
    assert len(queued) == 1
    assert not Download.objects.exists() and counters_of(video)["download_count"] == 0


def test_asking_again_while_the_copy_is_made_queues_no_second_job(django_capture_on_commit_callbacks: Any) -> None:
    """Each ask would otherwise queue one more ffmpeg run of the same copy."""
    owner = make_user("old_name")
    video = downloadable(owner)
    User.objects.filter(pk=owner.pk).update(username="new_name")

    with django_capture_on_commit_callbacks() as queued:
        for asker in (make_user(), make_user(), make_user()):
            with pytest.raises(Unavailable):
                downloads.download_create(actor=asker, video_id=video.pk)

    assert len(queued) == 1


def test_a_link_given_before_a_rename_opens_nothing_after_it() -> None:
    """The copy it led to carries the old @username: the link is refused like an unknown one."""
    owner = make_user("old_name")
    token = grant_for(make_user(), downloadable(owner))

    User.objects.filter(pk=owner.pk).update(username="new_name")

    assert_refused(token)


def test_the_owner_downloads_their_own_video_without_waiting_for_a_new_copy() -> None:
    """The owner's download is never the marked copy's to wait for: with it out of date they get
    the playable copy at once."""
    owner = make_user("old_name")
    video = downloadable(owner)
    User.objects.filter(pk=owner.pk).update(username="new_name")

    assert redeemed(grant_for(User.objects.get(pk=owner.pk), video)) == video.media.playback


# Single use -------------------------------------------------------------------------------------


def test_a_link_works_once_and_the_used_row_keeps_only_the_download() -> None:
    video = downloadable(make_user())
    downloader = make_user()
    token = grant_for(downloader, video)

    assert redeemed(token) == video.media.download
    assert_refused(token)

    row = Download.objects.get()
    assert (row.user_id, row.video_id, row.link_digest, row.link_expires_at) == (downloader.pk, video.pk, None, None)


def test_forged_links_are_refused() -> None:
    """Nonsense, a tampered link, and a link in the former signed format all answer NotFound."""
    video = downloadable(make_user())
    downloader = make_user()
    token = grant_for(downloader, video)
    signed = signing.TimestampSigner(salt="engagement.download").sign_object({"video": video.pk, "user": downloader.pk})

    for forged in ("nonsense", token[:-1] + ("A" if token[-1] != "A" else "B"), signed):
        assert_refused(forged)
    assert redeemed(token) == video.media.download  # the real one was not spent by the forgeries


# Expiry -----------------------------------------------------------------------------------------


def test_a_link_works_until_it_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    video = downloadable(make_user())
    downloader = make_user()
    early, late = grant_for(downloader, video), grant_for(downloader, video)

    move_clock(monkeypatch, downloads.DOWNLOAD_URL_TTL - timedelta(seconds=1))
    assert redeemed(early) == video.media.download
    move_clock(monkeypatch, timedelta(seconds=2))
    assert_refused(late)

    assert not Download.objects.exclude(link_digest=None).exists()  # the expired one was cleared on use


def test_expired_links_are_cleared_at_the_next_download(monkeypatch: pytest.MonkeyPatch) -> None:
    video = downloadable(make_user())
    downloader, other = make_user(), make_user()
    grant_for(downloader, video)
    others = grant_for(other, video)

    move_clock(monkeypatch, downloads.DOWNLOAD_URL_TTL + timedelta(seconds=1))
    fresh = grant_for(downloader, video)

    live = set(Download.objects.exclude(link_digest=None).values_list("link_digest", flat=True))
    assert live == {hashlib.sha256(token.encode()).hexdigest() for token in (fresh, others)}


# Decided again at use time, for the downloader -------------------------------------------------


def _video_made_private(owner: User, downloader: User, video: Video) -> None:
    services.video_update(actor=owner, video_id=video.pk, visibility=Visibility.PRIVATE)


def _downloads_turned_off(owner: User, downloader: User, video: Video) -> None:
    services.video_update(actor=owner, video_id=video.pk, allow_download=False)


def _account_made_private(owner: User, downloader: User, video: Video) -> None:
    account_services.user_update_privacy_settings(actor=owner, is_private=True)


def _owner_unfollows_a_friend(owner: User, downloader: User, video: Video) -> None:
    account_services.unfollow(actor=owner, username=downloader.username)  # a FRIENDS video, see below


def _video_deleted(owner: User, downloader: User, video: Video) -> None:
    services.video_delete(actor=owner, video_id=video.pk)


def _owner_deactivated(owner: User, downloader: User, video: Video) -> None:
    User.objects.filter(pk=owner.pk).update(is_active=False)


CHANGES: dict[str, Callable[[User, User, Video], None]] = {
    "video made private": _video_made_private,
    "downloads turned off": _downloads_turned_off,
    "account made private": _account_made_private,
    "owner unfollows a friend (FRIENDS video)": _owner_unfollows_a_friend,
    "video deleted": _video_deleted,
    "owner deactivated": _owner_deactivated,
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_change_after_the_link_was_issued_refuses_it(change: str) -> None:
    """Given a link the downloader got while allowed, when the owner takes that away, then the
    link is refused like a forged one."""
    owner, downloader = make_user(), make_user()
    video = downloadable(owner)
    if change.startswith("owner unfollows"):
        make_friends(owner, downloader)
        services.video_update(actor=owner, video_id=video.pk, visibility=Visibility.FRIENDS)
    token = grant_for(downloader, video)

    CHANGES[change](owner, downloader, video)

    assert_refused(token)


def test_a_friends_video_link_still_works_for_a_friend() -> None:
    """The control for the unfollow case: friends, a FRIENDS video, no change, the link works."""
    owner, downloader = make_user(), make_user()
    make_friends(owner, downloader)
    video = downloadable(owner, visibility=Visibility.FRIENDS)

    assert redeemed(grant_for(downloader, video)) == video.media.download


def test_an_approved_follower_keeps_a_private_accounts_link() -> None:
    owner, follower = make_user(is_private=True), make_user()
    make_follow(follower, owner)
    video = downloadable(owner)

    assert redeemed(grant_for(follower, video)) == video.media.download


def test_the_downloaders_deleted_account_takes_its_links() -> None:
    video = downloadable(make_user())
    downloader = make_user("leaver")
    token = grant_for(downloader, video)

    services.user_delete_account(actor=downloader, password=password_of("leaver"))

    assert_refused(token)


def test_the_owner_downloads_their_own_private_video_unmarked_when_downloads_are_off() -> None:
    """Downloads off keep others from the marked copy; the owner still fetches the playable one."""
    owner = make_user()
    video = downloadable(owner, visibility=Visibility.PRIVATE, allow_download=False)

    assert redeemed(grant_for(owner, video)) == video.media.playback


# Concurrency (PostgreSQL) -----------------------------------------------------------------------

RACERS = 16


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_uses_of_one_link_succeed_once() -> None:
    """Given 16 threads presenting the same link at the same instant, then exactly one gets the
    video and the others NotFound."""
    video = downloadable(make_user())
    token = grant_for(make_user(), video)
    start = threading.Barrier(RACERS)
    won: list[str] = []

    def use(index: int) -> None:
        start.wait()
        won.append(redeemed(token))

    errors = run_threads(RACERS, use)

    assert won == [video.media.download]
    assert len(errors) == RACERS - 1 and all(isinstance(error, NotFound) for error in errors), errors
    assert Download.objects.get().link_digest is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_negative_control_a_check_then_clear_by_pk_lets_several_through() -> None:
    """The same race through a naive read-then-clear that does not re-check the digest in its
    UPDATE: several threads succeed. If this stops happening, the test above proves nothing."""
    video = downloadable(make_user())
    token = grant_for(make_user(), video)
    digest = hashlib.sha256(token.encode()).hexdigest()
    read_it = threading.Barrier(RACERS)
    won: list[int] = []

    def naive_use(index: int) -> None:
        row = Download.objects.filter(link_digest=digest).first()
        read_it.wait()  # everyone has seen the live link before anyone clears it
        if row is not None and Download.objects.filter(pk=row.pk).update(link_digest=None, link_expires_at=None):
            won.append(index)

    errors = run_threads(RACERS, naive_use)

    assert errors == []
    assert len(won) > 1, "the naive use did not let two through; the control is not controlling"
