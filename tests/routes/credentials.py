"""A credential of every kind, over the API tests' world (fixtures imported by conftest.py)."""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, set_token_value

from accesslog.models import PERMISSION_CODENAME
from accounts import services as account_services
from accounts.models import User
from accounts.scopes import Scope
from accounts.tokens import access_token_create
from engagement import services
from engagement.media import downloads, links, uploads
from engagement.media.links import MediaFile
from engagement.models import Video
from tests.api.conftest import World
from tests.factories import attach_files, make_user


@dataclass(frozen=True)
class Credential:
    """One way to ask: a session of ``user`` (None: none), or a bearer token of ``user``."""

    name: str
    user: User | None = None
    bearer: str = ""
    staff: bool = False

    def client(self) -> Client:
        client = Client(enforce_csrf_checks=True)
        if self.user is not None and not self.bearer:
            client.force_login(self.user)
        return client

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.bearer}"} if self.bearer else {}


@dataclass
class Credentials:
    world: World
    staff: User
    staff_with_personal_data: User
    application: Application
    blocked_viewer: User
    blocked_viewers_link: str  # a download link of the creator's video, taken before the block
    blocked_viewers_playback_link: str  # and a playback link of it, likewise
    playback_link: str  # the viewer's link to the creator's public video
    upload_link: str  # of a draft of the creator's, awaiting its file
    all: list[Credential] = field(default_factory=list)


def _oauth_token(user: User, application: Application, scope: str) -> str:
    raw = f"oauth-{scope.lower()}-{user.pk}"
    token = AccessToken(user=user, application=application, scope=scope, expires=timezone.now() + timedelta(hours=1))
    set_token_value(token, raw)
    token.save()
    return raw


def _playback_link(viewer: User, video: Video) -> str:
    link = links.file_url(viewer, video, MediaFile.PLAYBACK)
    assert link is not None, "the video has its files"
    return link


@pytest.fixture
def credentials(world: World) -> Credentials:
    """Anonymous; a session; the session of a viewer the creator blocked (after they took a
    download and a playback link of the creator's video, which has its files, and muted someone);
    a playback link of the viewer's and an upload link of the creator's; staff without and with the
    personal-data permission (holding every other permission); a personal token and an OAuth2
    token of each scope, all the creator's, staff's tokens included: a token must not carry its
    owner's staff status anywhere."""
    everything_else = Permission.objects.exclude(codename=PERMISSION_CODENAME)
    staff = make_user("staff_member", is_staff=True)
    staff.user_permissions.set(everything_else)
    trusted = make_user("privacy_officer", is_staff=True)
    trusted.user_permissions.set(Permission.objects.all())
    application = Application.objects.create(
        name="Analytics Tool",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://tool.example/callback",
        user=world.creator,
    )
    services.share_create(actor=world.viewer, video_id=world.public_video.pk, channel="COPY_LINK")
    attach_files(world.public_video)
    downloads.download_create(actor=world.viewer, video_id=world.public_video.pk)
    services.view_record(
        actor=world.viewer, video_id=world.public_video.pk, watched_seconds=3, traffic_source="FOR_YOU"
    )
    blocked_viewer = make_user("blocked_viewer")
    link = downloads.download_create(actor=blocked_viewer, video_id=world.public_video.pk).url
    playback_link = _playback_link(blocked_viewer, world.public_video)
    account_services.user_mute(actor=blocked_viewer, username=world.other_viewer.username)
    account_services.user_block(actor=world.creator, username=blocked_viewer.username)
    found = Credentials(
        world=world,
        staff=staff,
        staff_with_personal_data=trusted,
        application=application,
        blocked_viewer=blocked_viewer,
        blocked_viewers_link=link,
        blocked_viewers_playback_link=playback_link,
        playback_link=_playback_link(world.viewer, world.public_video),
        upload_link=uploads.upload_start(
            actor=world.creator, caption="draft", content_type="video/mp4", size_bytes=1000
        ).url,
    )
    found.all = [
        Credential("anonymous"),
        Credential("session", world.creator),
        Credential("session of a viewer the creator blocked", blocked_viewer),
        Credential("staff without the personal-data permission", staff, staff=True),
        Credential("staff with the personal-data permission", trusted, staff=True),
    ]
    for scope in Scope:
        _, personal = access_token_create(actor=trusted, name=scope.value, scopes=[scope.value])
        found.all.append(Credential(f"personal token {scope.value}", trusted, bearer=personal))
        oauth = _oauth_token(trusted, application, scope.value)
        found.all.append(Credential(f"OAuth token {scope.value}", trusted, bearer=oauth))
    return found
