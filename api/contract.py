"""The API contract's vocabulary, engine-neutral: audiences, token rules, error codes, the
wording of arguments and input fields, and each mutation's audience with its payload's. Object
types declare their fields in ``api/<app>/types.py``; a permission change is one
line there or here, and a diff in ``schema.graphql``.
"""

import enum
from dataclasses import dataclass

from accounts.scopes import Scope
from kernel.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE


class Audience(enum.Enum):
    """Who may read a field (docs/ARCHITECTURE.md, "The access vocabulary")."""

    PUBLIC = "PUBLIC"
    AUTHENTICATED = "AUTHENTICATED"
    SELF = "SELF"
    OWNER_AGGREGATE = "OWNER_AGGREGATE"
    STAFF = "STAFF"


AUDIENCE_DESCRIPTIONS = {
    Audience.PUBLIC: "Anyone who may see the parent object.",
    Audience.AUTHENTICATED: "Any signed-in user who may see the parent object.",
    Audience.SELF: "Only the user the data belongs to.",
    Audience.OWNER_AGGREGATE: "The video's owner or their delegate; numbers only, never rows or identities.",
    Audience.STAFF: "Staff holding an explicit permission.",
}


# What a token needs for a field: any token (no scope), one of a set of scopes, or no token at all.
TokenScopes = frozenset[Scope] | None
ANY_TOKEN: TokenScopes = frozenset()
SESSION_ONLY: TokenScopes = None


# Types that are plumbing, not data: Relay connections and edges, page info, inputs.
PLUMBING_SUFFIXES = ("Connection", "Edge")
PLUMBING_TYPES = frozenset({"PageInfo"})


@dataclass(frozen=True)
class FieldSpec:
    audience: Audience
    description: str
    token_scopes: TokenScopes = ANY_TOKEN

    @property
    def full_description(self) -> str:
        """The description as clients see it, with the token rule and the audience appended
        (Saleor-style), so the schema shows both permissions."""
        if self.token_scopes is SESSION_ONLY:
            tokens = " Not available to access tokens."
        elif self.token_scopes:
            tokens = f" Token scope: {' or '.join(sorted(scope.value for scope in self.token_scopes))}."
        else:
            tokens = ""
        return f"{self.description}{tokens} Audience: {self.audience.value}."


class SchemaContractError(Exception):
    """Raised at schema build when a field has no declared audience (deny by default)."""


P, A, S, AGG = Audience.PUBLIC, Audience.AUTHENTICATED, Audience.SELF, Audience.OWNER_AGGREGATE


def _payload(**specs: tuple[Audience, str]) -> dict[str, FieldSpec]:
    return {name: FieldSpec(audience, text) for name, (audience, text) in specs.items()}


MUTATIONS: dict[str, tuple[Audience, str]] = {
    "signUp": (P, "Create an account and sign in to it."),
    "logIn": (P, "Sign in with username and password (starts a session)."),
    "logOut": (P, "End the current session."),
    "updateProfile": (A, "Change the viewer's profile fields."),
    "updatePrivacySettings": (A, "Change the viewer's privacy settings."),
    "updateNotificationSettings": (
        A,
        "Switch kinds of notification on or off; omitted kinds stay as they are. Nothing already received changes.",
    ),
    "switchAccountType": (
        A,
        "Make the viewer's account PERSONAL (insights: totals), CREATOR (also daily series and breakdowns) or "
        "BUSINESS (also save analytics: saves per day, top videos by saves). Nothing is deleted: switching back "
        "keeps every rollup and delegation, and what insights show narrows or widens at once.",
    ),
    "postVideo": (
        A,
        "Publish a video without a file, its length given (optionally a duet or stitch of another); "
        "`startVideoUpload` posts one with its file.",
    ),
    "startVideoUpload": (
        A,
        "Post a video with its file: a draft (`processingState` AWAITING_UPLOAD, seen by its owner alone) and a "
        "link to `PUT` the file to, with its Content-Type and Content-Length. The file is checked on arrival, "
        "then processed by the worker; the video is shown to others once READY (a duet or stitch notifies then).",
    ),
    "restartVideoUpload": (
        A,
        "A new upload link for the viewer's draft whose link expired or whose file failed; the old link stops "
        "working. Refused once the file is being processed or published.",
    ),
    "updateVideo": (A, "Change a video's caption or settings; owner only."),
    "deleteVideo": (A, "Delete a video; owner only."),
    "favoriteVideo": (A, "Save a video to the viewer's private favorites. Never notifies the creator."),
    "unfavoriteVideo": (A, "Remove a video from the viewer's favorites."),
    "createCollection": (A, "Create a favorites collection."),
    "renameCollection": (A, "Rename a favorites collection."),
    "deleteCollection": (A, "Delete a collection; its favorites stay saved."),
    "moveFavorite": (A, "Move a favorite into a collection, or out of any with a null collectionId."),
    "likeVideo": (A, "Like a video; notifies the creator."),
    "unlikeVideo": (A, "Remove the viewer's like."),
    "commentOnVideo": (
        A,
        "Comment on a video where the creator allows it, or reply to a comment of it (`replyToId`): the author "
        "replied to is notified, and the video's owner.",
    ),
    "deleteComment": (A, "Delete a comment with its replies; its author or the video's owner."),
    "pinComment": (
        A,
        "Pin a top comment on the viewer's video, in place of the one pinned before; the video's owner only.",
    ),
    "unpinComment": (
        A,
        "Unpin a comment of the viewer's video (`commentId`), or whichever is pinned on it (`videoId`); the "
        "video's owner only.",
    ),
    "shareVideo": (A, "Record a share. Never notifies."),
    "downloadVideo": (
        A,
        "Get a single-use, expiring link to the copy marked with the creator's @username, where the creator "
        "allows downloads; UNAVAILABLE (nothing counted) while that copy is being made or when the video has no "
        "file. Turning downloads off ends links already given. Never notifies.",
    ),
    "recordView": (
        P,
        "Record a playback; anonymous viewers allowed; UNAVAILABLE (nothing recorded) for a video whose file is not "
        "ready yet. Never notifies.",
    ),
    "follow": (A, "Follow a user; a private account receives a follow request instead."),
    "unfollow": (A, "Stop following a user, or withdraw a pending request."),
    "approveFollowRequest": (A, "Accept a pending follow request."),
    "declineFollowRequest": (A, "Decline a pending follow request."),
    "markNotificationsRead": (A, "Mark the viewer's notifications read (all, or the given ones)."),
    "blockUser": (
        A,
        "Block a user: the two are hidden from each other everywhere and the follows between them end. "
        "Nobody is notified.",
    ),
    "unblockUser": (A, "Lift the viewer's block of a user; ended follows do not come back."),
    "muteUser": (A, "Mute a user: their notifications are no longer shown to the viewer. Nobody is notified."),
    "unmuteUser": (A, "Lift the viewer's mute of a user."),
    "deleteAccount": (
        A,
        "Delete the viewer's account and everything it holds (docs/PRIVACY.md); other people's totals are "
        "adjusted in the same transaction. Needs the password again. Cannot be undone.",
    ),
    "recordProfileView": (P, "Record a view of a profile; anonymous viewers allowed. Never notifies."),
    "grantInsightsAccess": (
        A,
        "Let another account read the insights of one of the viewer's videos, or without `videoId` of all of "
        "them, present and future.",
    ),
    "revokeInsightsAccess": (
        A,
        "Take back insights access: one video's, or without `videoId` everything given to that account.",
    ),
    "createAccessToken": (
        A,
        "Create a personal access token for scripts; the payload's `token` is shown this once.",
    ),
    "revokeAccessToken": (A, "Revoke one of the viewer's access tokens; it stops working at once."),
    "exportInsights": (
        A,
        "Ask for a file of the viewer's account insights over whole UTC days `from` to `to`: the exact daily "
        "totals of the account and of each video with activity, built by the worker (no breakdowns, no person). "
        "Creator and business accounts only. Poll `Me.insights.exports` (or `node(id:)`) until it is READY, then "
        "fetch its `downloadUrl`. An export is kept until its `expiresAt`, a day after it was asked for by default.",
    ),
}

# A payload is built for the actor of the mutation alone, so its fields are AUTHENTICATED; the
# objects inside keep their own audiences (a Favorite's fields are still SELF-checked). A field that
# returns personal data is SELF: the policy layer then checks its value is the actor's own
# (``policies.value_denial``), which is what lets the privacy audit count it as bound to the viewer.
# Every payload returns what its mutation changed that the actor may read, so a normalized client
# cache (keyed by __typename and id) updates without a refetch: each updated object by its type,
# as a query would return it now (null once the actor may no longer see it), and each removed one
# by the global ID it had. Plain lists hold a page's worth at most, as the cost limits count them.
_VIEWER = (P, "The viewer's public profile after the change: the `User` that videos, comments and lists point at.")
_VIEWER_ME = "The viewer after the change"
_GONE_NOTIFICATIONS = (
    A,
    f"The global IDs the viewer's notifications about it had (they went with it; the newest {MAX_PAGE_SIZE} at most).",
)
_UNREAD = (S, f"{_VIEWER_ME}, with its unread notification count.")
PAYLOADS: dict[str, dict[str, FieldSpec]] = {
    "SignUpPayload": _payload(user=(S, "The new account, signed in.")),
    "LogInPayload": _payload(user=(S, "The signed-in account.")),
    "LogOutPayload": _payload(ok=(P, "True once the session has ended.")),
    "UpdateProfilePayload": _payload(me=(S, f"{_VIEWER_ME}."), viewer=_VIEWER),
    "UpdatePrivacySettingsPayload": _payload(me=(S, f"{_VIEWER_ME}."), viewer=_VIEWER),
    "UpdateNotificationSettingsPayload": _payload(
        notificationSettings=(S, "The viewer's notification settings after the change."),
        me=(S, f"{_VIEWER_ME}."),
    ),
    "SwitchAccountTypePayload": _payload(me=(S, f"{_VIEWER_ME}, with its account type."), viewer=_VIEWER),
    "PostVideoPayload": _payload(video=(P, "The new video.")),
    **{
        name: _payload(
            video=(P, "The draft, its `processingState` AWAITING_UPLOAD."),
            uploadUrl=(A, "Where to `PUT` the file: a signed link for this draft alone."),
            uploadExpiresAt=(A, "When the upload link stops working (`restartVideoUpload` gives a new one)."),
            maxBytes=(A, "The largest file accepted, in bytes."),
            contentTypes=(A, "The Content-Types accepted for the file."),
        )
        for name in ("StartVideoUploadPayload", "RestartVideoUploadPayload")
    },
    "UpdateVideoPayload": _payload(video=(P, "The video after the change.")),
    "DeleteVideoPayload": _payload(
        deletedVideoId=(P, "The global ID the deleted video had."),
        removedFavoriteId=(A, "The global ID the viewer's own favorite of the video had, if they had saved it."),
        deletedNotificationIds=_GONE_NOTIFICATIONS,
        me=_UNREAD,
    ),
    "FavoriteVideoPayload": _payload(
        favorite=(S, "The viewer's favorite (new, or the existing one)."),
        video=(P, "The saved video after the save (`viewerHasSaved`, its totals)."),
    ),
    "UnfavoriteVideoPayload": _payload(
        removed=(A, "Whether a favorite was removed."),
        removedFavoriteId=(A, "The global ID the removed favorite had; null when none was removed."),
        video=(P, "The video after the change; null when the viewer may no longer see it."),
    ),
    "CreateCollectionPayload": _payload(collection=(S, "The new collection.")),
    "RenameCollectionPayload": _payload(collection=(S, "The renamed collection.")),
    "DeleteCollectionPayload": _payload(
        deletedCollectionId=(A, "The global ID the collection had."),
        favorites=(
            S,
            f"The favorites the collection held, now in no collection: the newest {MAX_PAGE_SIZE} at most.",
        ),
    ),
    "MoveFavoritePayload": _payload(favorite=(S, "The moved favorite.")),
    "LikeVideoPayload": _payload(video=(P, "The liked video.")),
    "UnlikeVideoPayload": _payload(video=(P, "The video; null when the viewer may no longer see it (a block).")),
    "CommentOnVideoPayload": _payload(
        comment=(P, "The new comment."),
        video=(P, "The video after the comment (`commentCount`)."),
    ),
    "DeleteCommentPayload": _payload(
        deletedCommentId=(P, "The global ID the comment had (its replies went with it)."),
        video=(P, "The video after the change (`commentCount`); null when the viewer may no longer see it."),
        replyTo=(P, "For a deleted reply, the comment it replied to after the change (`replyCount`); else null."),
        deletedNotificationIds=_GONE_NOTIFICATIONS,
        me=_UNREAD,
    ),
    "PinCommentPayload": _payload(
        comment=(P, "The pinned comment (`isPinned: true`)."),
        unpinnedComment=(
            P,
            "The comment pinned before, now unpinned; null when none was (or it is hidden from the viewer).",
        ),
        video=(P, "The video, with its `pinnedComment`."),
    ),
    "UnpinCommentPayload": _payload(
        unpinnedComment=(P, "The comment unpinned; null when none was pinned (or it is hidden from the viewer)."),
        video=(P, "The video, without a `pinnedComment`."),
    ),
    "ShareVideoPayload": _payload(video=(P, "The shared video.")),
    "DownloadVideoPayload": _payload(
        url=(A, "A single-use link to the file marked with the creator's @username, for the viewer only."),
        expiresAt=(A, "When the link stops working."),
        video=(P, "The video after the download (its owner's insights count it)."),
    ),
    "RecordViewPayload": _payload(video=(P, "The viewed video.")),
    "FollowPayload": _payload(
        user=(P, "The followed user."),
        status=(A, "ACCEPTED, or PENDING for a private account."),
        me=(S, f"{_VIEWER_ME}, with its following count."),
        viewer=_VIEWER,
    ),
    "UnfollowPayload": _payload(
        user=(P, "The user."),
        removed=(A, "Whether a follow or request was removed."),
        me=(S, f"{_VIEWER_ME}, with its following count."),
        viewer=_VIEWER,
    ),
    "ApproveFollowRequestPayload": _payload(
        user=(P, "The new follower."),
        me=(S, f"{_VIEWER_ME}, with its follower count."),
        viewer=_VIEWER,
    ),
    "DeclineFollowRequestPayload": _payload(user=(P, "The user whose request was declined.")),
    "BlockUserPayload": _payload(
        blockedUserId=(
            A,
            "The global ID the blocked user had for the viewer: it resolves to nothing now, and the user is found "
            "only in `Me.blockedUsers`.",
        ),
        blocked=(A, "Whether this call made the block: false when the user was already blocked."),
        me=(S, f"{_VIEWER_ME}, with its following and follower counts."),
        viewer=_VIEWER,
    ),
    "UnblockUserPayload": _payload(
        user=(P, "The user."),
        removed=(A, "Whether a block was removed."),
        me=(S, f"{_VIEWER_ME}."),
    ),
    "MuteUserPayload": _payload(
        user=(P, "The muted user; null when the viewer also blocked them (they are in `Me.blockedUsers`)."),
        muted=(A, "Whether this call made the mute: false when the user was already muted."),
        me=(S, f"{_VIEWER_ME}."),
    ),
    "UnmuteUserPayload": _payload(
        user=(P, "The user; null when the viewer also blocked them (they are in `Me.blockedUsers`)."),
        removed=(A, "Whether a mute was removed."),
        me=(S, f"{_VIEWER_ME}."),
    ),
    "MarkNotificationsReadPayload": _payload(
        markedCount=(A, "How many notifications changed to read."),
        unreadNotificationCount=(A, "Unread notifications left."),
        notifications=(
            S,
            f"The notifications concerned, now read: the given ones, or all of the viewer's; the newest "
            f"{MAX_PAGE_SIZE} at most.",
        ),
        me=_UNREAD,
    ),
    # PUBLIC: the session has ended by the time the payload is read.
    "DeleteAccountPayload": _payload(deletedUserId=(P, "The global ID the account had; it names nothing now.")),
    "RecordProfileViewPayload": _payload(user=(P, "The viewed profile.")),
    "GrantInsightsAccessPayload": _payload(
        grantee=(P, "The account given access."),
        video=(P, "The video, or null when access covers all of the viewer's videos."),
    ),
    "RevokeInsightsAccessPayload": _payload(
        grantee=(P, "The account."),
        revoked=(A, "Whether any access was taken back."),
    ),
    "CreateAccessTokenPayload": _payload(
        token=(A, "The token, for `Authorization: Bearer <token>`. Shown this once: only its checksum is stored."),
        accessToken=(S, "The new token's details."),
    ),
    "RevokeAccessTokenPayload": _payload(revokedTokenId=(A, "The global ID the token had.")),
    "ExportInsightsPayload": _payload(export=(S, "The new export, PENDING until the worker has built it.")),
}

ARGUMENT_DESCRIPTIONS = {
    "first": f"How many items to return, from 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}).",
    "after": "Return items after this cursor (from `pageInfo.endCursor`).",
    "collectionId": "Only favorites in this collection (a global ID).",
    "username": "The user's username.",
    "id": "A global ID.",
    "input": "The mutation's input.",
    "from": "The first day of the range (UTC, inclusive).",
    "to": "The last day of the range (UTC, inclusive); a range spans at most 366 days.",
    "compareTo": "PREVIOUS_PERIOD: also the range of equal length that ends the day before `from`, and the relative "
    "change from it.",
    "name": "The hashtag's name, with or without `#`, in any case.",
    "country": "Only the people of this country (ISO 3166-1 alpha-2, such as FR): a slice noised under the "
    "geographic budget, shown where it singles no one out (docs/PRIVACY.md §8).",
    "query": "What to search for: 1 to 100 characters.",
}

INPUT_FIELD_DESCRIPTIONS = {
    "clientMutationId": "Any id of the client's, echoed back in the payload.",
    "videoId": "The global ID of the video.",
    "collectionId": "The global ID of a collection of the viewer's.",
    "commentId": "The global ID of the comment.",
    "replyToId": "To reply: the global ID of a comment of the same video (a reply to a reply joins its thread).",
    "username": "A username.",
    "password": "The password.",
    "email": "An email address.",
    "accountType": "The kind of account: PERSONAL, CREATOR or BUSINESS (at sign-up, PERSONAL when omitted).",
    "country": "ISO 3166-1 alpha-2 country code, such as FR.",
    "region": (
        "ISO 3166-2 subdivision of the country, such as FR-IDF (empty clears it); changing the country clears a "
        "region outside it."
    ),
    "displayName": "The name shown on the profile.",
    "bio": "A short biography (160 characters at most).",
    "birthYear": "Self-declared birth year; used only in thresholded aggregates.",
    "gender": "Self-declared gender; used only in thresholded aggregates.",
    "timeZone": "An IANA time zone name such as Europe/Paris (exact spelling), for insights in local time.",
    "isPrivate": "Whether only approved followers see public videos.",
    "likedVideosVisibility": "Who may see the viewer's liked videos.",
    "defaultAllowDownload": "Whether new videos allow downloads.",
    "defaultAllowComments": "Who may comment on new videos.",
    "defaultAllowDuet": "Who may duet new videos.",
    "defaultAllowStitch": "Who may stitch new videos.",
    "caption": "The caption (2,200 characters at most).",
    "visibility": "Who may see the video.",
    "durationSeconds": "Length in seconds, from 1 to 3,600.",
    "contentType": "The file's media type, as its upload will send it: video/mp4, video/quicktime, video/webm or "
    "video/x-matroska by default.",
    "sizeBytes": "The file's size in bytes (200 MB at most by default); checked again when it arrives.",
    "allowDownload": "Whether downloads are allowed (default: the creator's setting).",
    "allowComments": "Who may comment (default: the creator's setting).",
    "allowDuet": "Who may duet (default: the creator's setting).",
    "allowStitch": "Who may stitch (default: the creator's setting).",
    "remixOfId": "For a duet or stitch: the global ID of the source video.",
    "remixKind": "DUET or STITCH, with remixOfId.",
    "name": "A name of the viewer's choosing (64 characters at most): the collection's, or the token's.",
    "text": "The comment (1,000 characters at most; @username mentions notify).",
    "channel": "Where the video was shared.",
    "watchedSeconds": "Seconds watched in this playback (0 or more).",
    "trafficSource": "Where the view came from.",
    "watchPosition": "The furthest second of the video the playback reached, from 0 to its length (default: "
    "watchedSeconds, at most the length); the view is complete when it reached the end.",
    "replayed": "Whether the playback started the video again from the start at least once (default false).",
    "device": "The kind of device it played on (default UNKNOWN); never a model name or a user agent.",
    "notificationIds": "Only these notifications; all of them when omitted.",
    "scopes": "What the token may do: one or more scopes.",
    "tokenId": "The global ID of one of the viewer's access tokens.",
    "likes": "Notify on likes of the viewer's videos.",
    "comments": "Notify on comments on the viewer's videos and replies to the viewer's comments.",
    "follows": "Notify on new followers and follow requests.",
    "mentions": "Notify on @-mentions of the viewer.",
    "duets": "Notify on duets of the viewer's videos.",
    "stitches": "Notify on stitches of the viewer's videos.",
    "sourceVideoId": "The global ID of the followed account's video the follow came from (counted in its insights).",
    "from": ARGUMENT_DESCRIPTIONS["from"],
    "to": ARGUMENT_DESCRIPTIONS["to"],
    "format": "The file's format (CSV when omitted).",
}

# Token rules: what an access token needs. Sessions are not scoped. A field declares its own
# rule or takes its type's from here; without either it is open to any token when PUBLIC and
# closed to tokens otherwise (deny by default). Payload fields follow their mutation, checked first.
INSIGHTS_SCOPES, PROFILE_SCOPES = frozenset({Scope.INSIGHTS_READ}), frozenset({Scope.PROFILE_READ})
FAVORITES_SCOPES = frozenset({Scope.FAVORITES_READ, Scope.FAVORITES_WRITE})
_FAVORITES_WRITE, _WRITE = frozenset({Scope.FAVORITES_WRITE}), frozenset({Scope.INTERACTIONS_WRITE})
TYPE_TOKEN_SCOPES: dict[str, TokenScopes] = {
    "Me": PROFILE_SCOPES,
    "PrivacySettings": PROFILE_SCOPES,
    "NotificationSettings": PROFILE_SCOPES,
    "Notification": PROFILE_SCOPES,
    "NotificationEvent": PROFILE_SCOPES,
    "Favorite": FAVORITES_SCOPES,
    "FavoriteCollection": FAVORITES_SCOPES,
    **dict.fromkeys(
        (
            "VideoInsights",
            "VideoInsightsDay",
            "InsightBreakdown",
            "InsightBucket",
            "RegionBreakdown",
            "RegionBucket",
            "CountryViewers",
            "ViewersDay",
            "Retention",
            "RetentionPoint",
            "AccountInsights",
            "FollowerDay",
            "WeeklyActivity",
            "ActivitySlot",
            "PostingTime",
        ),
        INSIGHTS_SCOPES,
    ),
    **dict.fromkeys(
        ("TopVideo", "TopVideoByRate", "InsightsOverview", "OverviewTotals", "OverviewChange", "InsightsExport"),
        INSIGHTS_SCOPES,
    ),
    "AccessToken": SESSION_ONLY,
    "Mutation": SESSION_ONLY,  # sessions, accounts, videos, delegation and tokens themselves
}
# Whether a video is saved, and which collections exist, are favorites: their writes need the
# favorites scope, so an interactions token cannot probe them through NOT_FOUND against success.
FAVORITE_MUTATIONS = (
    "favoriteVideo",
    "unfavoriteVideo",
    "createCollection",
    "renameCollection",
    "deleteCollection",
    "moveFavorite",
)
INTERACTION_MUTATIONS = (
    "likeVideo",
    "unlikeVideo",
    "commentOnVideo",
    "deleteComment",
    "shareVideo",
    "downloadVideo",
    "recordView",
    "recordProfileView",
    "follow",
    "unfollow",
    "approveFollowRequest",
    "declineFollowRequest",
)
FIELD_TOKEN_SCOPES: dict[tuple[str, str], TokenScopes] = {
    **{("Mutation", name): _WRITE for name in INTERACTION_MUTATIONS},
    **{("Mutation", name): _FAVORITES_WRITE for name in FAVORITE_MUTATIONS},
    # Marking read belongs to reading the inbox (as GitHub's notifications scope has it), and its
    # payload counts what is unread: an interactions token must not read that.
    ("Mutation", "markNotificationsRead"): PROFILE_SCOPES,
    # An export reads the insights an INSIGHTS_READ token reads already, in one file.
    ("Mutation", "exportInsights"): INSIGHTS_SCOPES,
    # Which of the actor's notifications went with a deletion is the inbox's business too.
    **{
        (payload, "deletedNotificationIds"): PROFILE_SCOPES
        for payload in ("DeleteVideoPayload", "DeleteCommentPayload")
    },
}


def is_plumbing(type_name: str) -> bool:
    return type_name in PLUMBING_TYPES or type_name.endswith(PLUMBING_SUFFIXES)
