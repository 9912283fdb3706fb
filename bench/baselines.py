"""The hand-written Django views each benchmark compares the API with.

Each one is the best a Django developer would write for that one screen: one queryset shaped for
the answer (``values()``, no model instances), the same policy scopes the API goes through (the
rules are not optional for a baseline either), dicts built by hand, and the very JSON the API
returns for the benchmark's query, so both sides do the same job. ``bench.workloads`` checks that
the answers are equal before it times anything.
"""

import json
from datetime import datetime
from typing import Any

from django.db.models import Case, ExpressionWrapper, F, FilteredRelation, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_POST
from graphql_relay import to_global_id

from accounts.policies import accepted_followee_ids, friends_q, is_signed_in, unblocked_q, unmuted_q
from engagement import services
from engagement.counters import TOTALS, parse_totals, with_totals
from engagement.models import Favorite, Like, Video, View, Visibility
from engagement.ranking import AFFINITY_BOOST, FOLLOWED_BOOST, FRESH_SCORE
from kernel.errors import DomainError
from kernel.ids import decode_id
from kernel.pagination import check_page_size, decode_cursor, decode_ranked_cursor, encode_ranked_cursor

PUBLIC_COUNTS = {"likeCount": "like_count", "commentCount": "comment_count", "shareCount": "share_count"}
PUBLIC_COUNTS["viewCount"] = "view_count"


def _json(data: Any) -> HttpResponse:
    return HttpResponse(json.dumps(data), content_type="application/json")


def _cursor(created_at: datetime, pk: int) -> str:
    from kernel.pagination import encode_cursor

    return encode_cursor(_Row(created_at, pk))


class _Row:
    __slots__ = ("created_at", "pk")

    def __init__(self, created_at: datetime, pk: int) -> None:
        self.created_at, self.pk = created_at, pk


def _after(qs: QuerySet[Any], after: str | None) -> QuerySet[Any]:
    """Keyset condition written the index-friendly way: a plain range bound the index can seek
    to, plus the exact tie-break on the id."""
    if not after:
        return qs
    created_at, pk = decode_cursor(after)
    return qs.filter(created_at__lte=created_at).filter(Q(created_at__lt=created_at) | Q(pk__lt=pk))


def _visible_video(viewer: Any, prefix: str) -> Q:
    """Video visibility written out on the joined video row (a subquery per row would scan the videos)."""

    def on(**lookups: Any) -> Q:
        return Q(**{f"{prefix}{name}": value for name, value in lookups.items()})

    return (
        on(owner_id=viewer.pk)
        | on(visibility=Visibility.PUBLIC, owner__is_private=False)
        | on(visibility=Visibility.PUBLIC, owner_id__in=accepted_followee_ids(viewer))
        | (on(visibility=Visibility.FRIENDS) & friends_q(viewer, field=f"{prefix}owner_id"))
    ) & on(owner__is_active=True)


def _pk(user: Any) -> int:
    return int(user.pk)


def _page_size(request: HttpRequest) -> int:
    return check_page_size(int(request.GET.get("first", 20)))


@require_GET
def favorites_page(request: HttpRequest) -> HttpResponse:
    """W1 and W7: the viewer's favorites with each video's caption, counts and owner."""
    me = request.user
    if not is_signed_in(me):
        return _json({"data": {"me": None}})
    size = _page_size(request)
    available = Case(When(_visible_video(me, "video__"), then=Value(True)), default=Value(False))
    qs = _after(Favorite.objects.filter(user_id=_pk(me)), request.GET.get("after"))
    qs = with_totals(qs, "video_id")  # the counters row plus its slots, as the API reads them
    rows = list(
        qs.annotate(is_available=available)
        .order_by("-created_at", "-pk")
        .values(
            "pk",
            "created_at",
            "is_available",
            "video_id",
            "video__caption",
            "video__owner__username",
            "video__owner__display_name",
            TOTALS,
        )[: size + 1]
    )
    edges = []
    for row in rows[:size]:
        video = None
        if row["is_available"]:
            totals = parse_totals(row[TOTALS])
            video = {
                "id": to_global_id("Video", row["video_id"]),
                "caption": row["video__caption"],
                **{key: totals[name] for key, name in PUBLIC_COUNTS.items()},
                "owner": {
                    "username": row["video__owner__username"],
                    "displayName": row["video__owner__display_name"],
                },
            }
        edges.append(
            {
                "node": {
                    "id": to_global_id("Favorite", row["pk"]),
                    "createdAt": row["created_at"].isoformat(),
                    "video": video,
                }
            }
        )
    last = rows[:size][-1] if rows else None
    page_info = {
        "hasNextPage": len(rows) > size,
        "endCursor": _cursor(last["created_at"], last["pk"]) if last else None,
    }
    return _json({"data": {"me": {"favorites": {"pageInfo": page_info, "edges": edges}}}})


INSIGHTS = {
    "saveCount": "save_count",
    "likeCount": "like_count",
    "commentCount": "comment_count",
    "shareCount": "share_count",
    "viewCount": "view_count",
    "downloadCount": "download_count",
    "totalWatchSeconds": "total_watch_seconds",
}


@require_GET
def insights_totals(request: HttpRequest) -> HttpResponse:
    """W2: the creator's newest videos with their insight totals (own videos: always allowed)."""
    me = request.user
    if not is_signed_in(me):
        return _json({"data": {"me": None}})
    size = _page_size(request)
    rows = with_totals(Video.objects.filter(owner_id=me.pk)).order_by("-created_at", "-pk").values("pk", TOTALS)
    edges = []
    for row in rows[:size]:
        values = parse_totals(row[TOTALS])
        views = values["view_count"]
        insights: dict[str, Any] = {key: values[name] for key, name in INSIGHTS.items()}
        insights["averageWatchSeconds"] = values["total_watch_seconds"] / views if views else 0.0
        insights["completionRate"] = values["completion_count"] / views if views else 0.0
        edges.append({"node": {"id": to_global_id("Video", row["pk"]), "insights": insights}})
    return _json({"data": {"me": {"videos": {"edges": edges}}}})


@require_GET
def video_scalars(request: HttpRequest) -> HttpResponse:
    """W3: the creator's newest videos, 14 scalar fields each."""
    me = request.user
    if not is_signed_in(me):
        return _json({"data": {"me": None}})
    size = _page_size(request)
    qs = with_totals(Video.objects.filter(owner_id=me.pk))
    rows = (
        qs.annotate(_mine=FilteredRelation("favorites", condition=Q(favorites__user_id=me.pk)))
        .annotate(saved=Case(When(_mine__isnull=False, then=Value(True)), default=Value(False)))
        .order_by("-created_at", "-pk")
        .values(
            "pk",
            "caption",
            "duration_seconds",
            "created_at",
            "allow_download",
            "visibility",
            "allow_comments",
            "allow_duet",
            "allow_stitch",
            "saved",
            TOTALS,
        )[:size]
    )
    edges = []
    for row in rows:
        totals = parse_totals(row[TOTALS])
        edges.append(
            {
                "node": {
                    "id": to_global_id("Video", row["pk"]),
                    "caption": row["caption"],
                    "durationSeconds": row["duration_seconds"],
                    "createdAt": row["created_at"].isoformat(),
                    "likeCount": totals["like_count"],
                    "commentCount": totals["comment_count"],
                    "shareCount": totals["share_count"],
                    "viewCount": totals["view_count"],
                    "allowDownload": row["allow_download"],
                    "visibility": row["visibility"],
                    "allowComments": row["allow_comments"],
                    "allowDuet": row["allow_duet"],
                    "allowStitch": row["allow_stitch"],
                    "viewerHasSaved": row["saved"],
                }
            }
        )
    return _json({"data": {"me": {"videos": {"edges": edges}}}})


@require_GET
def me_id(request: HttpRequest) -> HttpResponse:
    """W5: ``{ me { id } }``."""
    me = request.user
    return _json({"data": {"me": {"id": to_global_id("User", _pk(me))} if is_signed_in(me) else None}})


def _video_id(request: HttpRequest) -> int:
    return decode_id(json.loads(request.body)["videoId"], expected="Video", field="videoId")


def _error(error: DomainError, field: str) -> HttpResponse:
    return _json({"data": {field: None}, "errors": [{"message": error.message, "extensions": {"code": error.code}}]})


@require_POST
def favorite(request: HttpRequest) -> HttpResponse:
    """W4: save a video through the same service (the same ORM writes) as ``favoriteVideo``."""
    try:
        saved = services.favorite_add(actor=request.user, video_id=_video_id(request))
    except DomainError as error:
        return _error(error, "favoriteVideo")
    node = {"id": to_global_id("Favorite", saved.pk), "createdAt": saved.created_at.isoformat()}
    return _json({"data": {"favoriteVideo": {"favorite": node}}})


@require_POST
def unfavorite(request: HttpRequest) -> HttpResponse:
    """W4: unsave through the same service as ``unfavoriteVideo``."""
    try:
        removed = services.favorite_remove(actor=request.user, video_id=_video_id(request))
    except DomainError as error:
        return _error(error, "unfavoriteVideo")
    return _json({"data": {"unfavoriteVideo": {"removed": removed is not None}}})


# The feeds (W8, W9) ------------------------------------------------------------------------------

FEED_FIELDS = ("pk", "caption", "created_at", "owner__username", "owner__display_name", "saved", "liked", TOTALS)


def _feed_videos(me: Any) -> QuerySet[Video]:
    """What a feed may show: visible, neither side of a block, not muted; each video with the
    viewer's own favorite and like joined for the flags."""
    visible = _visible_video(me, "") & unblocked_q(me, field="owner_id") & unmuted_q(me, field="owner_id")
    qs = with_totals(Video.objects.filter(visible))
    mine = {
        "_mine_saved": FilteredRelation("favorites", condition=Q(favorites__user_id=me.pk)),
        "_mine_liked": FilteredRelation("likes", condition=Q(likes__user_id=me.pk)),
    }
    return qs.annotate(**mine).annotate(
        saved=Case(When(_mine_saved__isnull=False, then=Value(True)), default=Value(False)),
        liked=Case(When(_mine_liked__isnull=False, then=Value(True)), default=Value(False)),
    )


def _feed_page(rows: list[dict[str, Any]], size: int, cursor: Any) -> dict[str, Any]:
    edges = []
    for row in rows[:size]:
        totals = parse_totals(row[TOTALS])
        node = {
            "id": to_global_id("Video", row["pk"]),
            "caption": row["caption"],
            "createdAt": row["created_at"].isoformat(),
            **{key: totals[name] for key, name in PUBLIC_COUNTS.items()},
            "viewerHasSaved": row["saved"],
            "viewerHasLiked": row["liked"],
            "owner": {"username": row["owner__username"], "displayName": row["owner__display_name"]},
        }
        edges.append({"node": node})
    last = rows[:size][-1] if rows else None
    return {"pageInfo": {"hasNextPage": len(rows) > size, "endCursor": cursor(last) if last else None}, "edges": edges}


@require_GET
def following_feed(request: HttpRequest) -> HttpResponse:
    """W8: the videos of the accounts the viewer follows, newest first, with owner, counts and flags."""
    me = request.user
    if not is_signed_in(me):
        return _json({"data": {"me": None}})
    size = _page_size(request)
    qs = _after(_feed_videos(me).filter(owner_id__in=accepted_followee_ids(me)), request.GET.get("after"))
    rows = list(qs.order_by("-created_at", "-pk").values(*FEED_FIELDS)[: size + 1])
    page = _feed_page(rows, size, lambda row: _cursor(row["created_at"], row["pk"]))
    return _json({"data": {"me": {"followingFeed": page}}})


@require_GET
def for_you(request: HttpRequest) -> HttpResponse:
    """W9: the signed-in viewer's For You page: the stored score (the fresh score without one),
    plus their boosts, without their own videos and those they saved or watched to the end."""
    me = request.user
    if not is_signed_in(me):
        return _json({"errors": [{"message": "the baseline serves signed-in viewers only"}]})
    size = _page_size(request)
    saved = Favorite.objects.filter(user_id=me.pk)
    saved_or_liked_owners = Q(owner_id__in=saved.values("video__owner_id")) | Q(
        owner_id__in=Like.objects.filter(user_id=me.pk).values("video__owner_id")
    )
    completed = View.objects.filter(viewer_id=me.pk, completed=True).values("video_id")
    followed = Case(When(owner_id__in=accepted_followee_ids(me), then=Value(FOLLOWED_BOOST)), default=Value(0.0))
    affinity = Case(
        When(saved_or_liked_owners, then=Value(AFFINITY_BOOST)),
        default=Value(0.0),
    )
    score = Coalesce(F("rank__score"), Value(FRESH_SCORE)) + followed + affinity
    qs = (
        _feed_videos(me)
        .exclude(owner_id=me.pk)
        .exclude(pk__in=saved.values("video_id"))
        .exclude(pk__in=completed)
        .annotate(score=ExpressionWrapper(score, output_field=FloatField()))
    )
    if after := request.GET.get("after"):
        value, pk = decode_ranked_cursor(after)
        qs = qs.filter(Q(score__lt=value) | Q(score=value, pk__lt=pk))
    rows = list(qs.order_by("-score", "-pk").values(*FEED_FIELDS, "score")[: size + 1])
    page = _feed_page(rows, size, lambda row: encode_ranked_cursor(row["score"], row["pk"]))
    return _json({"data": {"forYou": page}})
