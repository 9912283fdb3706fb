"""The API contract, engine-neutral: audiences, the field → audience registry, descriptions,
error codes and limits. Both engines read every field's audience and description from here,
so a permission change is one line in this file and a diff in ``schema.graphql``.
"""

import enum
from dataclasses import dataclass

from backend.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE


class Audience(enum.Enum):
    """Who may read a field (DESIGN.md §2)."""

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


class ErrorCode:
    """Values of ``extensions.code`` in GraphQL errors."""

    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    RATE_LIMITED = "RATE_LIMITED"
    INTERNAL = "INTERNAL"


PAGE_SIZE_DEFAULT = DEFAULT_PAGE_SIZE
PAGE_SIZE_MAX = MAX_PAGE_SIZE

# Types that are plumbing, not data: Relay connections and edges, page info, inputs.
PLUMBING_SUFFIXES = ("Connection", "Edge")
PLUMBING_TYPES = frozenset({"PageInfo"})


@dataclass(frozen=True)
class FieldSpec:
    audience: Audience
    description: str

    @property
    def full_description(self) -> str:
        """The description as clients see it, with the audience appended (Saleor-style)."""
        return f"{self.description} Audience: {self.audience.value}."


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

TYPE_DESCRIPTIONS: dict[str, str] = {
    "Query": "The read entry points.",
    "Mutation": "Every state change a client can make.",
    "Node": "An object with a global ID, fetchable with `node(id:)`.",
    "Me": "The signed-in user's own world; only ever the viewer's.",
    "PrivacySettings": "The viewer's privacy settings and defaults for new videos.",
    "User": "A public profile.",
    "Video": "A short video visible to the viewer.",
    "VideoInsights": "Aggregate totals of a video, for its owner and their delegates.",
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
}
FIELDS["Mutation"] = _fields(**MUTATIONS)

# A payload is built for the actor of the mutation alone, so its fields are AUTHENTICATED; the
# objects inside keep their own audiences (a Favorite's fields are still SELF-checked).
PAYLOADS: dict[str, dict[str, FieldSpec]] = {
    "SignUpPayload": _payload(user=(A, "The new account, signed in.")),
    "LogInPayload": _payload(user=(A, "The signed-in account.")),
    "LogOutPayload": _payload(ok=(P, "True once the session has ended.")),
    "UpdateProfilePayload": _payload(me=(A, "The viewer after the change.")),
    "UpdatePrivacySettingsPayload": _payload(me=(A, "The viewer after the change.")),
    "PostVideoPayload": _payload(video=(P, "The new video.")),
    "UpdateVideoPayload": _payload(video=(P, "The video after the change.")),
    "DeleteVideoPayload": _payload(deletedVideoId=(P, "The global ID the deleted video had.")),
    "FavoriteVideoPayload": _payload(favorite=(A, "The viewer's favorite (new, or the existing one).")),
    "UnfavoriteVideoPayload": _payload(removed=(A, "Whether a favorite was removed.")),
    "CreateCollectionPayload": _payload(collection=(A, "The new collection.")),
    "RenameCollectionPayload": _payload(collection=(A, "The renamed collection.")),
    "DeleteCollectionPayload": _payload(deletedCollectionId=(A, "The global ID the collection had.")),
    "MoveFavoritePayload": _payload(favorite=(A, "The moved favorite.")),
    "LikeVideoPayload": _payload(video=(P, "The liked video.")),
    "UnlikeVideoPayload": _payload(video=(P, "The video.")),
    "CommentOnVideoPayload": _payload(comment=(P, "The new comment.")),
    "DeleteCommentPayload": _payload(deletedCommentId=(P, "The global ID the comment had.")),
    "ShareVideoPayload": _payload(video=(P, "The shared video.")),
    "DownloadVideoPayload": _payload(
        url=(A, "A signed link to the file, for the viewer only."),
        expiresAt=(A, "When the link stops working."),
    ),
    "RecordViewPayload": _payload(video=(P, "The viewed video.")),
    "FollowPayload": _payload(
        user=(P, "The followed user."), status=(A, "ACCEPTED, or PENDING for a private account.")
    ),
    "UnfollowPayload": _payload(user=(P, "The user."), removed=(A, "Whether a follow or request was removed.")),
    "ApproveFollowRequestPayload": _payload(user=(P, "The new follower.")),
    "DeclineFollowRequestPayload": _payload(user=(P, "The user whose request was declined.")),
    "MarkNotificationsReadPayload": _payload(
        markedCount=(A, "How many notifications changed to read."),
        unreadNotificationCount=(A, "Unread notifications left."),
    ),
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
    "name": "The collection's name (64 characters at most).",
    "text": "The comment (1,000 characters at most; @username mentions notify).",
    "channel": "Where the video was shared.",
    "watchedSeconds": "Seconds watched in this playback (0 or more).",
    "trafficSource": "Where the view came from.",
    "notificationIds": "Only these notifications; all of them when omitted.",
}


def describe_mutation_input(mutation_name: str) -> str:
    return f"Input of `{mutation_name}`."


def field_spec(type_name: str, field_name: str) -> FieldSpec:
    """The declared spec of a field; a missing one fails the schema build (deny by default)."""
    try:
        return FIELDS[type_name][field_name]
    except KeyError:
        raise SchemaContractError(f"{type_name}.{field_name} has no declared audience") from None


def is_plumbing(type_name: str) -> bool:
    return type_name in PLUMBING_TYPES or type_name.endswith(PLUMBING_SUFFIXES)
