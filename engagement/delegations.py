"""Insight delegations as django-guardian stores them: the only module that writes object
permissions. What they allow is read by ``engagement.policies``; who may hand them out is checked
by the services before they call here."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from guardian.models import GroupObjectPermission, UserObjectPermission
from guardian.shortcuts import assign_perm, get_user_perms, remove_perm

from accounts.models import User
from engagement.models import Video
from engagement.policies import ALL_VIDEOS_INSIGHTS_PERMISSION, VIDEO_INSIGHTS_PERMISSION


def insights_access_assign(*, owner: User, grantee: User, video: Video | None) -> None:
    """Store a delegation as a guardian object permission: on the video, or on the owner's user
    row for all of their videos, present and future. The caller has checked
    ``policies.can_delegate_insights``."""
    if video is None:
        assign_perm(ALL_VIDEOS_INSIGHTS_PERMISSION, grantee, owner)
    else:
        assign_perm(VIDEO_INSIGHTS_PERMISSION, grantee, video)


def insights_access_remove(*, owner: User, grantee: User, video: Video | None) -> bool:
    """Remove one video's delegation, or (``video=None``) everything the owner gave the grantee:
    the all-videos permission and every per-video one. Returns whether anything was removed."""
    if video is not None:
        removed, _ = remove_perm(VIDEO_INSIGHTS_PERMISSION, grantee, video) or (0, {})
        return removed > 0
    had_all = ALL_VIDEOS_INSIGHTS_PERMISSION.split(".")[1] in _strict_codenames(grantee, owner)
    remove_perm(ALL_VIDEOS_INSIGHTS_PERMISSION, grantee, owner)
    removed, _ = remove_perm(VIDEO_INSIGHTS_PERMISSION, grantee, Video.objects.filter(owner=owner)) or (0, {})
    return had_all or removed > 0


def _strict_codenames(user: User, obj: Any) -> set[str]:
    """The object permissions ``user`` holds on ``obj`` itself (not through global permissions)."""
    return set(get_user_perms(user, obj).values_list("codename", flat=True))


def insights_delegations_forget(owner: User) -> int:
    """Delete every delegation of ``owner``'s insights, on the account or on any of its videos,
    before the account is erased; returns how many grants went.

    An object permission names its object by content type and primary key, not by a foreign key,
    so it would outlive the account and keep saying who managed it. (Grants *held* by the owner go
    with the owner's row.) The one write the privacy rules need from django-guardian."""
    video_keys = [str(pk) for pk in Video.objects.filter(owner=owner).values_list("pk", flat=True)]
    targets = Q(content_type=ContentType.objects.get_for_model(User), object_pk=str(owner.pk)) | Q(
        content_type=ContentType.objects.get_for_model(Video), object_pk__in=video_keys
    )
    removed, _ = UserObjectPermission.objects.filter(targets).delete()
    removed_from_groups, _ = GroupObjectPermission.objects.filter(targets).delete()
    return removed + removed_from_groups
