"""The API contract, engine-neutral: audiences, the field → audience registry, descriptions,
error codes and limits. Both engines read every field's audience and description from here,
so a permission change is one line in this file and a diff in ``schema.graphql``.
"""

import enum
from dataclasses import dataclass, replace

from accounts.scopes import Scope
from backend.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE


class Audience(enum.Enum):
    """Who may read a field (docs/ARCHITECTURE.md §2)."""

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


class ErrorCode:
    """Values of ``extensions.code`` in GraphQL errors."""

    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    RATE_LIMITED = "RATE_LIMITED"
    TIMEOUT = "TIMEOUT"  # the request ran out of time (backend/deadlines.py): worth sending again as it is
    INTERNAL = "INTERNAL"


PAGE_SIZE_DEFAULT = DEFAULT_PAGE_SIZE
PAGE_SIZE_MAX = MAX_PAGE_SIZE

# Types that are plumbing, not data: Relay connections and edges, page info, inputs.
PLUMBING_SUFFIXES = ("Connection", "Edge")
PLUMBING_TYPES = frozenset({"PageInfo"})

# Types that hold one person's private data. Each is marked ``@personalData`` in the SDL, so the
# privacy audit (``manage.py privacy_audit``, docs/PRIVACY.md) proves from schema.graphql alone that
# they are reached only through SELF edges bound to the viewer. ``User`` is a public profile, not one.
PERSONAL_DATA_TYPES = frozenset(
    {"Me", "PrivacySettings", "Favorite", "FavoriteCollection", "Notification", "AccountInsights", "AccessToken"}
)


@dataclass(frozen=True)
class FieldSpec:
    audience: Audience
    description: str
    token_scopes: TokenScopes = ANY_TOKEN  # filled in by ``field_spec`` from the token rules below

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
    """Raised at schema build when a field has no audience (deny by default, rule 8)."""


P, A, S, AGG = Audience.PUBLIC, Audience.AUTHENTICATED, Audience.SELF, Audience.OWNER_AGGREGATE


def _fields(**specs: tuple[Audience, str]) -> dict[str, FieldSpec]:
    return {name: FieldSpec(audience, text) for name, (audience, text) in specs.items()}


_CLIENT_MUTATION_ID = (Audience.PUBLIC, "The client's own id for this mutation, echoed back.")


def _payload(**specs: tuple[Audience, str]) -> dict[str, FieldSpec]:
    return _fields(clientMutationId=_CLIENT_MUTATION_ID, **specs)


_ID = "The global ID of this object."
_CREATED = "When it was created (UTC)."
_RANGE = "over whole UTC days `from` to `to`, from the daily rollups"
_PERIODS = (
    "each person counted once per period, over the ended periods that hold a day of `from` to `to` "
    "(`coveredFrom` to `coveredTo`)"
)
_SNAPSHOT = "at the end of the last ended period that holds a day of `from` to `to` (`coveredTo`)"

TYPE_DESCRIPTIONS: dict[str, str] = {
    "Query": "The read entry points.",
    "Mutation": "Every state change a client can make.",
    "Node": "An object with a global ID, fetchable with `node(id:)`.",
    "Me": "The signed-in user's own world; only ever the viewer's.",
    "RateLimit": "The caller's hourly cost budget: one per credential (the session, each access token or "
    "application grant), anonymous callers per IP.",
    "PrivacySettings": "The viewer's privacy settings and defaults for new videos.",
    "User": "A public profile.",
    "Video": "A short video visible to the viewer.",
    "VideoInsights": "Aggregate totals of a video, for its owner and their delegates; for creator and business "
    "accounts also daily series and thresholded, noisy breakdowns (docs/PRIVACY.md).",
    "VideoInsightsDay": "One UTC day of a video's totals, from the daily rollups.",
    "InsightBreakdown": "A breakdown of an audience, shown only where it singles no one out (docs/PRIVACY.md).",
    "InsightBucket": "One bucket of a breakdown: a noisy count and its share of the shown buckets.",
    "AccountInsights": "Aggregate insights of the viewer's account, from the daily rollups.",
    "FollowerDay": "One UTC day of the viewer's follower counts.",
    "TopVideo": "One of the viewer's videos with its total over a range.",
    "AccessToken": "An access token of the viewer's, personal or granted to an OAuth2 application; never the "
    "token itself.",
    "Favorite": "A saved video, private to the saver.",
    "FavoriteCollection": "A named folder of the viewer's favorites.",
    "Comment": "A comment on a video.",
    "Notification": "Something that happened to the viewer (saves, downloads, views and shares never notify).",
}

FIELDS: dict[str, dict[str, FieldSpec]] = {
    "Query": _fields(
        me=(S, "The signed-in user's own world; null for anonymous requests."),
        user=(P, "A public profile by username; null when there is no such user."),
        video=(P, "A video by global ID; null when it does not exist or is not visible to the viewer."),
        node=(P, "Any object by global ID; null when it does not exist or is not visible to the viewer."),
        rateLimit=(P, "The caller's hourly cost budget after this request (GitHub-style)."),
    ),
    "RateLimit": _fields(
        limit=(P, "Points the caller may spend per hour."),
        cost=(P, "Points this request cost: the objects it may return, connections multiplied by `first`."),
        remaining=(P, "Points left in this hour."),
        resetAt=(P, "When the budget is refilled (UTC)."),
    ),
    "Me": _fields(
        id=(S, _ID),
        username=(S, "The viewer's username."),
        email=(S, "The viewer's email address."),
        displayName=(S, "The name shown on the profile."),
        bio=(S, "The profile's short biography."),
        accountType=(S, "Personal, creator or business account."),
        country=(S, "Self-declared ISO 3166-1 alpha-2 country code, if any."),
        birthYear=(S, "Self-declared birth year, if any; used only in thresholded aggregates."),
        gender=(S, "Self-declared gender, if any; used only in thresholded aggregates."),
        isPrivate=(S, "Whether only approved followers see the viewer's public videos."),
        followerCount=(S, "Accepted followers."),
        followingCount=(S, "Accounts the viewer follows (accepted)."),
        privacySettings=(S, "Privacy settings and defaults for new videos."),
        favorites=(S, "The viewer's saved videos, newest first, optionally one collection's."),
        collections=(S, "The viewer's favorite collections, newest first."),
        likedVideos=(S, "Videos the viewer liked, newest first."),
        videos=(S, "The viewer's own videos of every visibility, newest first."),
        following=(S, "Accounts the viewer follows."),
        followers=(S, "Accounts following the viewer."),
        followRequests=(S, "Pending requests to follow the viewer."),
        notifications=(S, "The viewer's notifications, newest first."),
        unreadNotificationCount=(S, "How many notifications are unread."),
        export=(
            S,
            "Everything held about the viewer, as one JSON document (the right of access, docs/PRIVACY.md): "
            "profile, settings, follows, videos with their totals, collections, favorites, likes, comments, "
            "shares, downloads, views and notifications.",
        ),
        insights=(S, "Aggregate insights of the viewer's account: followers, profile views and top videos."),
        managedVideos=(S, "Other owners' videos whose insights were delegated to the viewer, newest first."),
        accessTokens=(
            S,
            "Every access token of the viewer's that can still give access, directly or through its refresh "
            "token, newest first; never the token itself. Revoking one ends its grant.",
        ),
    ),
    "PrivacySettings": _fields(
        likedVideosVisibility=(S, "Who may see the viewer's liked videos."),
        defaultAllowDownload=(S, "Whether new videos allow downloads."),
        defaultAllowComments=(S, "Who may comment on new videos."),
        defaultAllowDuet=(S, "Who may duet new videos."),
        defaultAllowStitch=(S, "Who may stitch new videos."),
    ),
    "User": _fields(
        id=(P, _ID),
        username=(P, "The unique username."),
        displayName=(P, "The name shown on the profile."),
        bio=(P, "The profile's short biography."),
        accountType=(P, "Personal, creator or business account."),
        isPrivate=(P, "Whether only approved followers see this account's public videos."),
        followerCount=(P, "Accepted followers."),
        followingCount=(P, "Accounts this user follows (accepted)."),
        videos=(P, "This user's videos that the viewer may see, newest first."),
        likedVideos=(
            P,
            "Videos this user liked, when they show them to everyone; FORBIDDEN otherwise.",
        ),
    ),
    "Video": _fields(
        id=(P, _ID),
        caption=(P, "The creator's caption."),
        durationSeconds=(P, "Length of the video in seconds."),
        createdAt=(P, _CREATED),
        owner=(P, "The creator."),
        likeCount=(P, "Total likes."),
        commentCount=(P, "Total comments."),
        shareCount=(P, "Total shares."),
        viewCount=(P, "Total views."),
        allowDownload=(P, "Whether the creator allows downloads."),
        comments=(P, "Comments, newest first."),
        visibility=(S, "Who may see the video; the owner's business."),
        allowComments=(S, "Who may comment; the owner's setting."),
        allowDuet=(S, "Who may duet; the owner's setting."),
        allowStitch=(S, "Who may stitch; the owner's setting."),
        viewerHasSaved=(A, "Whether the viewer saved this video."),
        viewerHasLiked=(A, "Whether the viewer liked this video."),
        insights=(AGG, "Aggregate totals; FORBIDDEN unless the viewer owns the video or was delegated to."),
    ),
    "VideoInsights": _fields(
        saveCount=(AGG, "Total saves (favorites). Who saved is never shown."),
        likeCount=(AGG, "Total likes."),
        commentCount=(AGG, "Total comments."),
        shareCount=(AGG, "Total shares."),
        viewCount=(AGG, "Total views."),
        downloadCount=(AGG, "Total downloads."),
        totalWatchSeconds=(AGG, "Seconds watched over all views."),
        averageWatchSeconds=(AGG, "Mean seconds watched per view."),
        completionRate=(AGG, "Share of views watched to the end, from 0 to 1."),
        daily=(
            AGG,
            f"One entry per day {_RANGE}, up to the last rolled-up day. Creator and business accounts only.",
        ),
        trafficSources=(
            AGG,
            f"Viewers by the traffic source of their first view, {_PERIODS}. Creator and business accounts only.",
        ),
        audienceCountries=(
            AGG,
            f"Viewers by self-declared country (ISO code or UNKNOWN), {_PERIODS}. Creator and business accounts only.",
        ),
        audienceGenders=(
            AGG,
            f"Viewers by self-declared gender (or UNKNOWN), {_PERIODS}. Creator and business accounts only.",
        ),
        audienceAges=(
            AGG,
            f"Viewers by age band (13-17 … 55+, or UNKNOWN), {_PERIODS}. Creator and business accounts only.",
        ),
        viewerTypes=(
            AGG,
            f"Viewers {_PERIODS}, as two pairs: NEW/RETURNING (had they watched before the period) and "
            "FOLLOWER/NON_FOLLOWER (shares within each pair; a pair is shown only when both sides pass the gate). "
            "Creator and business accounts only.",
        ),
    ),
    "VideoInsightsDay": _fields(
        date=(AGG, "The UTC day."),
        views=(AGG, "Views that day."),
        likes=(AGG, "Likes given that day (and not since taken back)."),
        saves=(AGG, "Saves that day (and not since removed). Who saved is never shown."),
        shares=(AGG, "Shares that day."),
        comments=(AGG, "Comments that day (and not since deleted)."),
        downloads=(AGG, "Downloads that day."),
        watchSeconds=(AGG, "Seconds watched that day."),
        completions=(AGG, "Views watched to the end that day."),
        newFollowers=(AGG, "Accounts that followed the owner from this video that day."),
    ),
    "InsightBreakdown": _fields(
        suppressed=(
            AGG,
            "True when nothing is shown: fewer than PRIVACY_MIN_AUDIENCE people, or no period of the range "
            "has ended yet.",
        ),
        buckets=(
            AGG,
            "The buckets whose noisy count passes the gate (docs/PRIVACY.md), largest first; the rest of the "
            "total is OTHER, itself left out when small.",
        ),
        coveredFrom=(
            AGG,
            "The first day the buckets describe: breakdowns cover whole periods that have ended, so it may be "
            "before `from`. Null when no period is covered.",
        ),
        coveredTo=(AGG, "The last day the buckets describe (a follower snapshot: the day it was taken)."),
    ),
    "InsightBucket": _fields(
        key=(AGG, "What the bucket counts, from a closed vocabulary: never a person."),
        count=(AGG, "The bucket's count, with noise that bounds what it tells of any one person (docs/PRIVACY.md)."),
        share=(AGG, "The bucket's share of the shown buckets, from 0 to 1."),
    ),
    "AccountInsights": _fields(
        followerCount=(S, "Accepted followers now (exact)."),
        followerGrowth=(
            S,
            f"Follower totals and new followers per day {_RANGE}. Creator and business accounts only.",
        ),
        followerCountries=(
            S,
            f"Followers by self-declared country {_SNAPSHOT}. Creator and business accounts only.",
        ),
        followerGenders=(
            S,
            f"Followers by self-declared gender {_SNAPSHOT}. Creator and business accounts only.",
        ),
        followerAges=(
            S,
            f"Followers by age band {_SNAPSHOT}. Creator and business accounts only.",
        ),
        followerActivity=(
            S,
            "Followers by the UTC hour (00 to 23) of their first activity in each period, each follower once "
            f"per period, {_PERIODS}. Creator and business accounts only.",
        ),
        profileViews=(
            S,
            f"Views of the viewer's profile {_RANGE} (exact).",
        ),
        topVideosByViews=(S, "The viewer's 10 most viewed videos in the range, with their views."),
        topVideosBySaves=(S, "The viewer's 10 most saved videos in the range, with their saves."),
    ),
    "FollowerDay": _fields(
        date=(AGG, "The UTC day."),
        followers=(AGG, "Accepted followers at the end of the day."),
        newFollowers=(AGG, "Accounts that started following that day (and still do)."),
    ),
    "TopVideo": _fields(
        video=(S, "The video."),
        count=(S, "Its views or saves in the range (exact)."),
    ),
    "AccessToken": _fields(
        id=(S, _ID),
        name=(S, "The name given at creation, or the OAuth2 application's name."),
        application=(S, "The OAuth2 application the token was granted to; null for a personal access token."),
        scopes=(S, "What the token may do."),
        createdAt=(S, _CREATED),
        lastUsedAt=(S, "When the token last authenticated a request (to the minute); null if never."),
        expiresAt=(S, "When the token stops working (an application's grant may renew it until `renewableUntil`)."),
        renewableUntil=(
            S,
            "Until when the application can renew this token with its refresh token (each renewal moves this "
            "on); null for a personal token.",
        ),
        pointsUsedThisHour=(S, "Points this token (or its application's grant) spent from its own budget this hour."),
    ),
    "Favorite": _fields(
        id=(S, _ID),
        createdAt=(S, "When the video was saved."),
        isAvailable=(S, "False when the video was deleted from view or is no longer visible to the viewer."),
        video=(S, "The saved video; null when it is no longer available to the viewer."),
        collection=(S, "The collection holding this favorite, if any."),
    ),
    "FavoriteCollection": _fields(
        id=(S, _ID),
        name=(S, "The collection's name."),
        createdAt=(S, _CREATED),
    ),
    "Comment": _fields(
        id=(P, _ID),
        text=(P, "The comment's text."),
        author=(P, "Who wrote it."),
        createdAt=(P, _CREATED),
    ),
    "Notification": _fields(
        id=(S, _ID),
        kind=(S, "What happened."),
        actor=(S, "Who did it."),
        video=(S, "The video concerned, if any and still visible to the viewer."),
        isRead=(S, "Whether the viewer has read it."),
        createdAt=(S, _CREATED),
    ),
}

MUTATIONS: dict[str, tuple[Audience, str]] = {
    "signUp": (P, "Create an account and sign in to it."),
    "logIn": (P, "Sign in with username and password (starts a session)."),
    "logOut": (P, "End the current session."),
    "updateProfile": (A, "Change the viewer's profile fields."),
    "updatePrivacySettings": (A, "Change the viewer's privacy settings."),
    "postVideo": (A, "Publish a video (optionally a duet or stitch of another)."),
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
    "commentOnVideo": (A, "Comment on a video where the creator allows it."),
    "deleteComment": (A, "Delete a comment; its author or the video's owner."),
    "shareVideo": (A, "Record a share. Never notifies."),
    "downloadVideo": (A, "Get an expiring download link where the creator allows downloads. Never notifies."),
    "recordView": (P, "Record a playback; anonymous viewers allowed. Never notifies."),
    "follow": (A, "Follow a user; a private account receives a follow request instead."),
    "unfollow": (A, "Stop following a user, or withdraw a pending request."),
    "approveFollowRequest": (A, "Accept a pending follow request."),
    "declineFollowRequest": (A, "Decline a pending follow request."),
    "markNotificationsRead": (A, "Mark the viewer's notifications read (all, or the given ones)."),
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
}
FIELDS["Mutation"] = _fields(**MUTATIONS)

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
    "PostVideoPayload": _payload(video=(P, "The new video.")),
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
    "UnlikeVideoPayload": _payload(video=(P, "The video.")),
    "CommentOnVideoPayload": _payload(
        comment=(P, "The new comment."),
        video=(P, "The video after the comment (`commentCount`)."),
    ),
    "DeleteCommentPayload": _payload(
        deletedCommentId=(P, "The global ID the comment had."),
        video=(P, "The video after the change (`commentCount`); null when the viewer may no longer see it."),
        deletedNotificationIds=_GONE_NOTIFICATIONS,
        me=_UNREAD,
    ),
    "ShareVideoPayload": _payload(video=(P, "The shared video.")),
    "DownloadVideoPayload": _payload(
        url=(A, "A signed link to the file, for the viewer only."),
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
}
FIELDS.update(PAYLOADS)
FIELDS["MutationPayload"] = _payload()
TYPE_DESCRIPTIONS.update({name: f"The result of `{name[0].lower()}{name[1:-7]}`." for name in PAYLOADS})

ARGUMENT_DESCRIPTIONS = {
    "first": f"How many items to return, from 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}).",
    "after": "Return items after this cursor (from `pageInfo.endCursor`).",
    "collectionId": "Only favorites in this collection.",
    "username": "The user's username.",
    "id": "A global ID.",
    "input": "The mutation's input.",
    "from": "The first day of the range (UTC, inclusive).",
    "to": "The last day of the range (UTC, inclusive); a range spans at most 366 days.",
}

INPUT_FIELD_DESCRIPTIONS = {
    "clientMutationId": "Any id of the client's, echoed back in the payload.",
    "videoId": "The global ID of the video.",
    "collectionId": "The global ID of a collection of the viewer's.",
    "commentId": "The global ID of the comment.",
    "username": "A username.",
    "password": "The password.",
    "email": "An email address.",
    "accountType": "The kind of account (default PERSONAL).",
    "country": "ISO 3166-1 alpha-2 country code, such as FR.",
    "displayName": "The name shown on the profile.",
    "bio": "A short biography (160 characters at most).",
    "birthYear": "Self-declared birth year; used only in thresholded aggregates.",
    "gender": "Self-declared gender; used only in thresholded aggregates.",
    "isPrivate": "Whether only approved followers see public videos.",
    "likedVideosVisibility": "Who may see the viewer's liked videos.",
    "defaultAllowDownload": "Whether new videos allow downloads.",
    "defaultAllowComments": "Who may comment on new videos.",
    "defaultAllowDuet": "Who may duet new videos.",
    "defaultAllowStitch": "Who may stitch new videos.",
    "caption": "The caption (2,200 characters at most).",
    "visibility": "Who may see the video.",
    "durationSeconds": "Length in seconds, from 1 to 3,600.",
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
    "notificationIds": "Only these notifications; all of them when omitted.",
    "scopes": "What the token may do: one or more scopes.",
    "tokenId": "The global ID of one of the viewer's access tokens.",
    "sourceVideoId": "The global ID of the followed account's video the follow came from (counted in its insights).",
}

# Token rules (rule 10): what an access token needs for each field. Sessions are not scoped. A
# field without a rule here is open to any token when PUBLIC and closed to tokens otherwise
# (deny by default); payload fields follow their mutation, which is checked first.
_INSIGHTS, _PROFILE = frozenset({Scope.INSIGHTS_READ}), frozenset({Scope.PROFILE_READ})
_FAVORITES = frozenset({Scope.FAVORITES_READ, Scope.FAVORITES_WRITE})
_FAVORITES_WRITE, _WRITE = frozenset({Scope.FAVORITES_WRITE}), frozenset({Scope.INTERACTIONS_WRITE})
TYPE_TOKEN_SCOPES: dict[str, TokenScopes] = {
    "Me": _PROFILE,
    "PrivacySettings": _PROFILE,
    "Notification": _PROFILE,
    "Favorite": _FAVORITES,
    "FavoriteCollection": _FAVORITES,
    **dict.fromkeys(
        ("VideoInsights", "VideoInsightsDay", "InsightBreakdown", "InsightBucket", "AccountInsights", "FollowerDay"),
        _INSIGHTS,
    ),
    "TopVideo": _INSIGHTS,
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
    ("Query", "me"): ANY_TOKEN,  # the token's owner; each field of Me has its own rule
    ("Me", "id"): ANY_TOKEN,
    ("Me", "username"): ANY_TOKEN,
    ("Me", "favorites"): _FAVORITES,
    ("Me", "collections"): _FAVORITES,
    ("Me", "videos"): _PROFILE | _INSIGHTS,
    ("Me", "insights"): _INSIGHTS,
    ("Me", "managedVideos"): _INSIGHTS,
    ("Me", "accessTokens"): SESSION_ONLY,
    ("Me", "export"): SESSION_ONLY,  # everything at once, favorites included: a session's business
    ("User", "likedVideos"): _PROFILE,
    ("Video", "insights"): _INSIGHTS,
    ("Video", "viewerHasSaved"): _FAVORITES,
    ("Video", "viewerHasLiked"): _PROFILE,
    **{("Video", name): _PROFILE for name in ("visibility", "allowComments", "allowDuet", "allowStitch")},
    **{("Mutation", name): _WRITE for name in INTERACTION_MUTATIONS},
    **{("Mutation", name): _FAVORITES_WRITE for name in FAVORITE_MUTATIONS},
    # Marking read belongs to reading the inbox (as GitHub's notifications scope has it), and its
    # payload counts what is unread: an interactions token must not read that.
    ("Mutation", "markNotificationsRead"): _PROFILE,
    # Which of the actor's notifications went with a deletion is the inbox's business too.
    **{(payload, "deletedNotificationIds"): _PROFILE for payload in ("DeleteVideoPayload", "DeleteCommentPayload")},
}


def token_scopes_for(type_name: str, field_name: str, audience: Audience) -> TokenScopes:
    """The scopes a token needs for a field (see the rules above)."""
    if (type_name, field_name) in FIELD_TOKEN_SCOPES:
        return FIELD_TOKEN_SCOPES[(type_name, field_name)]
    if type_name.endswith("Payload"):
        return ANY_TOKEN
    if type_name in TYPE_TOKEN_SCOPES:
        return TYPE_TOKEN_SCOPES[type_name]
    return ANY_TOKEN if audience is Audience.PUBLIC else SESSION_ONLY


def describe_mutation_input(mutation_name: str) -> str:
    return f"Input of `{mutation_name}`."


def field_spec(type_name: str, field_name: str) -> FieldSpec:
    """The declared spec of a field with its token rule; a missing one fails the schema build
    (deny by default)."""
    try:
        spec = FIELDS[type_name][field_name]
    except KeyError:
        raise SchemaContractError(f"{type_name}.{field_name} has no declared audience") from None
    return replace(spec, token_scopes=token_scopes_for(type_name, field_name, spec.audience))


def is_plumbing(type_name: str) -> bool:
    return type_name in PLUMBING_TYPES or type_name.endswith(PLUMBING_SUFFIXES)
