"""The accounts app's GraphQL types, declared once for both engines: the public ``User``, the
viewer's ``Me`` with its settings, and access tokens (``api.declarations``)."""

from accounts import models, tokens
from accounts.scopes import Scope
from api.accounts import resolvers
from api.contract import (
    ANY_TOKEN,
    FAVORITES_SCOPES,
    INSIGHTS_SCOPES,
    PROFILE_SCOPES,
    SESSION_ONLY,
    Audience,
    TokenScopes,
)
from api.declarations import (
    INHERIT,
    PAGE_ARGS,
    EnumType,
    Field,
    ObjectType,
    Resolve,
    created_field,
    described_arg,
    id_field,
)

P, A, S = Audience.PUBLIC, Audience.AUTHENTICATED, Audience.SELF

ENUMS = (
    EnumType("AccountType", "The kind of account.", models.AccountType),
    EnumType("Gender", "Self-declared gender.", models.Gender),
    EnumType("LikedVideosVisibility", "Who may see a user's liked videos.", models.LikedVideosVisibility),
    EnumType("InteractionAudience", "Who may comment on, duet or stitch a video.", models.InteractionAudience),
    EnumType("FollowStatus", "State of a follow.", models.FollowStatus),
    EnumType("TokenScope", "What an access token may do.", Scope),
)


def _page(
    name: str,
    node_type: str,
    description: str,
    resolve: Resolve,
    token_scopes: TokenScopes = INHERIT,
    reads_selection: bool = False,
) -> Field:
    """A list of the viewer's, keyset-paginated."""
    return Field(
        name,
        f"{node_type}Connection!",
        S,
        description,
        resolve=resolve,
        args=PAGE_ARGS,
        token_scopes=token_scopes,
        reads_selection=reads_selection,
    )


OBJECT_TYPES = (
    ObjectType(
        "User",
        "A public profile.",
        model=models.User,
        node=True,
        fields=(
            id_field("User", P),
            Field("username", "String!", P, "The unique username."),
            Field("displayName", "String!", P, "The name shown on the profile."),
            Field("bio", "String!", P, "The profile's short biography."),
            Field("accountType", "AccountType!", P, "Personal, creator or business account."),
            Field("isPrivate", "Boolean!", P, "Whether only approved followers see this account's public videos."),
            Field("followerCount", "Int!", P, "Accepted followers."),
            Field("followingCount", "Int!", P, "Accounts this user follows (accepted)."),
            Field(
                "videos",
                "VideoConnection!",
                P,
                "This user's videos that the viewer may see, newest first.",
                resolve=resolvers.user_videos,
                args=PAGE_ARGS,
                reads_selection=True,
            ),
            Field(
                "likedVideos",
                "VideoConnection",
                P,
                "Videos this user liked, when they show them to everyone; FORBIDDEN otherwise.",
                resolve=resolvers.user_liked_videos,
                args=PAGE_ARGS,
                token_scopes=PROFILE_SCOPES,
            ),
            # The viewer's own doing only: whether this user blocked the viewer is never told.
            Field(
                "viewerHasBlocked",
                "Boolean",
                A,
                "Whether the viewer blocked this user (then the user is found only in `Me.blockedUsers`).",
                resolve=resolvers.user_viewer_has_blocked,
                token_scopes=SESSION_ONLY,
            ),
            Field(
                "viewerHasMuted",
                "Boolean",
                A,
                "Whether the viewer muted this user.",
                resolve=resolvers.user_viewer_has_muted,
                token_scopes=SESSION_ONLY,
            ),
        ),
    ),
    ObjectType(
        "PrivacySettings",
        "The viewer's privacy settings and defaults for new videos.",
        model=models.User,
        personal_data=True,
        fields=(
            Field("likedVideosVisibility", "LikedVideosVisibility!", S, "Who may see the viewer's liked videos."),
            Field("defaultAllowDownload", "Boolean!", S, "Whether new videos allow downloads."),
            Field("defaultAllowComments", "InteractionAudience!", S, "Who may comment on new videos."),
            Field("defaultAllowDuet", "InteractionAudience!", S, "Who may duet new videos."),
            Field("defaultAllowStitch", "InteractionAudience!", S, "Who may stitch new videos."),
        ),
    ),
    ObjectType(
        "NotificationSettings",
        "Which kinds of notification the viewer receives. A kind switched off is not written at all; what it "
        "leaves behind (a pending follow request) is not touched. Saves, downloads, views and shares never notify.",
        model=models.User,
        personal_data=True,
        fields=(
            Field("likes", "Boolean!", S, "Likes of the viewer's videos.", source="notify_likes"),
            Field(
                "comments",
                "Boolean!",
                S,
                "Comments on the viewer's videos, and replies to the viewer's comments.",
                source="notify_comments",
            ),
            Field(
                "follows",
                "Boolean!",
                S,
                "New followers, and requests to follow a private account (the requests themselves still wait in "
                "`Me.followRequests`).",
                source="notify_follows",
            ),
            Field("mentions", "Boolean!", S, "@-mentions of the viewer in comments.", source="notify_mentions"),
            Field("duets", "Boolean!", S, "Duets of the viewer's videos.", source="notify_duets"),
            Field("stitches", "Boolean!", S, "Stitches of the viewer's videos.", source="notify_stitches"),
        ),
    ),
    ObjectType(
        "AccessToken",
        "An access token of the viewer's, personal or granted to an OAuth2 application; never the token itself.",
        personal_data=True,
        fields=(
            id_field("AccessToken", S),
            Field(
                "name",
                "String!",
                S,
                "The name given at creation, or the OAuth2 application's name.",
                read=tokens.token_name,
            ),
            Field(
                "application",
                "String",
                S,
                "The OAuth2 application the token was granted to; null for a personal access token.",
                read=resolvers.access_token_application,
            ),
            Field("scopes", "[TokenScope!]!", S, "What the token may do.", read=tokens.token_scopes),
            created_field(S, source="created"),
            Field(
                "lastUsedAt",
                "DateTime",
                S,
                "When the token last authenticated a request (to the minute); null if never.",
                read=tokens.token_last_used_at,
            ),
            Field(
                "expiresAt",
                "DateTime!",
                S,
                "When the token stops working (an application's grant may renew it until `renewableUntil`).",
                source="expires",
            ),
            Field(
                "renewableUntil",
                "DateTime",
                S,
                "Until when the application can renew this token with its refresh token (each renewal moves this "
                "on); null for a personal token.",
                read=tokens.token_renewable_until,
            ),
            Field(
                "pointsUsedThisHour",
                "Int!",
                S,
                "Points this token (or its application's grant) spent from its own budget this hour.",
                read=resolvers.access_token_points_used,
            ),
        ),
    ),
    ObjectType(
        "Me",
        "The signed-in user's own world; only ever the viewer's.",
        model=models.User,
        personal_data=True,
        fields=(
            id_field("User", S, token_scopes=ANY_TOKEN),
            Field("username", "String!", S, "The viewer's username.", token_scopes=ANY_TOKEN),
            Field("email", "String!", S, "The viewer's email address."),
            Field("displayName", "String!", S, "The name shown on the profile."),
            Field("bio", "String!", S, "The profile's short biography."),
            Field("accountType", "AccountType!", S, "Personal, creator or business account."),
            Field(
                "country",
                "String",
                S,
                "Self-declared ISO 3166-1 alpha-2 country code, if any.",
                read=resolvers.blank_to_none("country"),
            ),
            Field(
                "region",
                "String",
                S,
                "Self-declared ISO 3166-2 subdivision of the country (such as FR-IDF), if any; used only in "
                "aggregates, by top-level subdivision. Changing the country clears a region outside it.",
                read=resolvers.blank_to_none("region"),
            ),
            Field("birthYear", "Int", S, "Self-declared birth year, if any; used only in thresholded aggregates."),
            Field(
                "gender",
                "Gender",
                S,
                "Self-declared gender, if any; used only in thresholded aggregates.",
                read=resolvers.blank_to_none("gender"),
            ),
            Field("isPrivate", "Boolean!", S, "Whether only approved followers see the viewer's public videos."),
            Field(
                "timeZone",
                "String!",
                S,
                "The viewer's IANA time zone (such as Europe/Paris; UTC until set): insights show local weekdays "
                "and hours in it.",
            ),
            Field("followerCount", "Int!", S, "Accepted followers."),
            Field("followingCount", "Int!", S, "Accounts the viewer follows (accepted)."),
            Field(
                "privacySettings",
                "PrivacySettings!",
                S,
                "Privacy settings and defaults for new videos.",
                read=lambda me: me,
            ),
            Field(
                "notificationSettings",
                "NotificationSettings!",
                S,
                "Which kinds of notification the viewer receives.",
                read=lambda me: me,
            ),
            Field(
                "favorites",
                "FavoriteConnection!",
                S,
                "The viewer's saved videos, newest first, optionally one collection's.",
                resolve=resolvers.me_favorites,
                args={**PAGE_ARGS, "collectionId": described_arg("collectionId", "ID")},
                token_scopes=FAVORITES_SCOPES,
                reads_selection=True,
            ),
            _page(
                "collections",
                "FavoriteCollection",
                "The viewer's favorite collections, newest first.",
                resolvers.me_collections,
                token_scopes=FAVORITES_SCOPES,
            ),
            _page("likedVideos", "Video", "Videos the viewer liked, newest first.", resolvers.user_liked_videos),
            _page(
                "videos",
                "Video",
                "The viewer's own videos of every visibility, newest first.",
                resolvers.user_videos,
                token_scopes=PROFILE_SCOPES | INSIGHTS_SCOPES,
                reads_selection=True,
            ),
            _page("following", "User", "Accounts the viewer follows.", resolvers.me_following),
            _page(
                "followingFeed",
                "Video",
                "Videos of the accounts the viewer follows (accepted follows) that the viewer may see, newest "
                "first; accounts the viewer muted are left out.",
                resolvers.me_following_feed,
                reads_selection=True,
            ),
            _page("followers", "User", "Accounts following the viewer.", resolvers.me_followers),
            _page("followRequests", "User", "Pending requests to follow the viewer.", resolvers.me_follow_requests),
            _page(
                "notifications", "Notification", "The viewer's notifications, newest first.", resolvers.me_notifications
            ),
            # Whom a person blocks or mutes is theirs alone, and a script has no need of it.
            _page(
                "blockedUsers",
                "User",
                "Accounts the viewer blocked, newest first: they and the viewer are hidden from each other.",
                resolvers.me_blocked_users,
                token_scopes=SESSION_ONLY,
            ),
            _page(
                "mutedUsers",
                "User",
                "Accounts the viewer muted, newest first: their notifications are not shown to the viewer.",
                resolvers.me_muted_users,
                token_scopes=SESSION_ONLY,
            ),
            Field(
                "unreadNotificationCount",
                "Int!",
                S,
                "How many notifications are unread.",
                resolve=resolvers.me_unread_notification_count,
            ),
            Field(
                "insights",
                "AccountInsights",
                S,
                "Aggregate insights of the viewer's account: followers, profile views, top videos and the overview.",
                resolve=resolvers.me_insights,
                token_scopes=INSIGHTS_SCOPES,
            ),
            Field(
                "managedVideos",
                "VideoConnection",
                S,
                "Other owners' videos whose insights were delegated to the viewer, newest first.",
                resolve=resolvers.me_managed_videos,
                args=PAGE_ARGS,
                token_scopes=INSIGHTS_SCOPES,
            ),
            Field(
                "accessTokens",
                "AccessTokenConnection",
                S,
                "Every access token of the viewer's that can still give access, directly or through its refresh "
                "token, newest first; never the token itself. Revoking one ends its grant.",
                resolve=resolvers.me_access_tokens,
                args=PAGE_ARGS,
                token_scopes=SESSION_ONLY,
            ),
            Field(
                "export",
                "JSON!",
                S,
                "Everything held about the viewer, as one JSON document (the right of access, docs/PRIVACY.md): "
                "profile, settings, follows, blocks and mutes, videos with their totals, collections, favorites, "
                "likes, comments, shares, downloads, views and notifications.",
                resolve=resolvers.me_export,
                token_scopes=SESSION_ONLY,  # everything at once, favorites included: a session's business
            ),
        ),
    ),
)
