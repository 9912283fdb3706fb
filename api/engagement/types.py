"""The engagement app's GraphQL types, declared once for both engines: each field's type,
audience, description, token rule and resolver (``api.declarations``)."""

from django.conf import settings

from api.contract import FAVORITES_SCOPES, INSIGHTS_SCOPES, PROFILE_SCOPES, Audience
from api.declarations import (
    PAGE_ARGS,
    RANGE_ARGS,
    EnumType,
    Field,
    ObjectType,
    created_field,
    described_arg,
    id_field,
)
from api.engagement import resolvers
from engagement import models
from engagement.analytics import export_links
from engagement.analytics.keys import InsightKey, RegionKey
from engagement.analytics.models import Dimension, ExportFormat, ExportState, InsightsExport
from engagement.analytics.overview import Comparison
from engagement.analytics.rates import Rate
from engagement.analytics.top_rates import RATE_MIN_VIEWS
from engagement.analytics.weekly import BEST_TIMES, Weekday
from engagement.media.links import MediaFile

P, A, S, AGG = Audience.PUBLIC, Audience.AUTHENTICATED, Audience.SELF, Audience.OWNER_AGGREGATE

_RANGE = "over whole UTC days `from` to `to`, from the daily rollups"
_PERIODS = (
    "each person counted once per period, over the ended periods that hold a day of `from` to `to` "
    "(`coveredFrom` to `coveredTo`)"
)
_SNAPSHOT = "at the end of the last ended period that holds a day of `from` to `to` (`coveredTo`)"
_DEEP = "Creator and business accounts only."
_SAVES = "Business accounts only: null for the others, whose owners see the save total (`saveCount`)."
_REGIONS = (
    "by the top-level ISO 3166-2 subdivision of their self-declared region (UNKNOWN: none, or one outside their "
    "country)"
)
# The country filter: optional on a breakdown, required where the answer is always one country's.
COUNTRY_ARGS = {**RANGE_ARGS, "country": described_arg("country", "String")}
ONE_COUNTRY_ARGS = {**RANGE_ARGS, "country": described_arg("country", "String!")}

# Where a weekday hour of the followers' week is, in the viewer's time zone.
_LOCAL_HOUR = (
    Field("weekday", "Weekday!", AGG, "The local day of the week."),
    Field("hour", "Int!", AGG, "The local hour, 0 to 23."),
)

ENUMS = (
    EnumType("Visibility", "Who may see a video.", models.Visibility),
    EnumType("TrafficSource", "Where a view came from.", models.TrafficSource),
    EnumType("DeviceType", "The kind of device a playback ran on, as the client reports it.", models.DeviceType),
    EnumType("ShareChannel", "Where a video was shared.", models.ShareChannel),
    EnumType("NotificationKind", "What a notification is about.", models.NotificationKind),
    EnumType("RemixKind", "How a video reuses another.", models.RemixKind),
    EnumType("InsightKey", "What a breakdown bucket counts.", InsightKey),
    EnumType(
        "RegionKey",
        "What a bucket of a breakdown by region counts: a top-level ISO 3166-2 subdivision, its hyphen written `_` "
        "(FR-IDF is FR_IDF; each named in its description and by `subdivisions(country:)`), or OTHER or UNKNOWN.",
        RegionKey,
    ),
    EnumType("InsightsComparison", "Which range an overview is compared with.", Comparison),
    EnumType("Weekday", "A day of the week.", Weekday),
    EnumType(
        "ProcessingState", "Where an uploaded video's file is on its way to being watchable.", models.ProcessingState
    ),
    EnumType("InsightsExportFormat", "The format of an insights export's file.", ExportFormat),
    EnumType("InsightsExportState", "Where an insights export is on its way to being downloadable.", ExportState),
)


def _video_breakdown(name: str, dimension: str, description: str, *, by_country: bool = True) -> Field:
    return Field(
        name,
        "InsightBreakdown",
        AGG,
        f"{description} {_DEEP}",
        resolve=resolvers.insights_breakdown(dimension),
        args=COUNTRY_ARGS if by_country else RANGE_ARGS,
    )


def _follower_breakdown(name: str, dimension: str, description: str, *, by_country: bool = True) -> Field:
    return Field(
        name,
        "InsightBreakdown",
        S,
        f"{description} {_DEEP}",
        resolve=resolvers.account_follower_breakdown(dimension),
        args=COUNTRY_ARGS if by_country else RANGE_ARGS,
    )


def _top_videos(name: str, by: str, description: str) -> Field:
    return Field(
        name,
        "[TopVideo!]",
        S,
        description,
        resolve=resolvers.account_top_videos(by),
        args=RANGE_ARGS,
    )


def _top_videos_by_rate(name: str, rate: Rate, description: str) -> Field:
    return Field(
        name,
        "[TopVideoByRate!]",
        S,
        f"The viewer's 10 videos with the highest {description} in the range, among those with at least "
        f"{RATE_MIN_VIEWS} views in it (fewer views say too little), ties by views.",
        resolve=resolvers.account_top_videos_by_rate(rate),
        args=RANGE_ARGS,
    )


_ENGAGEMENT = "(likes + comments + shares, plus saves for a business account) over views"
_NO_VIEWS = "null without views"
_OVERVIEW_SAVES = "Business accounts only: null for the others, who see each video's save total (`saveCount`)."
_FOLLOWERS = (
    "Creator and business accounts only (the rollup counts their followers at the end of every day): null for "
    "personal ones, and until every day from the day before the range to its last is rolled up."
)
# The overview's metrics: (name, type in OverviewTotals, what it is).
OVERVIEW_METRICS = (
    ("views", "Int!", "Views of the viewer's videos."),
    ("likes", "Int!", "Likes given (and not since taken back)."),
    ("comments", "Int!", "Comments (and not since deleted)."),
    ("shares", "Int!", "Shares."),
    ("saves", "Int", f"Saves (and not since removed). {_OVERVIEW_SAVES} Who saved is never shown."),
    ("downloads", "Int!", "Downloads."),
    ("watchSeconds", "Int!", "Seconds watched."),
    ("completions", "Int!", "Views watched to the end."),
    ("profileViews", "Int!", "Views of the viewer's profile."),
    (
        "followersGained",
        "Int",
        "New follows: accounts that started following in the range and still did when their day was rolled up "
        f"(someone who followed and left before that is in neither this nor `followersLost`). {_FOLLOWERS}",
    ),
    (
        "followersLost",
        "Int",
        "Followers at the end of the day before the range, plus `followersGained`, minus followers at the end of "
        f"the range; never below 0. {_FOLLOWERS}",
    ),
    (
        "netFollowers",
        "Int",
        f"Followers at the end of the range minus at the end of the day before it (may be negative). {_FOLLOWERS}",
    ),
    ("engagementRate", "Float", f"Engagement rate: {_ENGAGEMENT}; {_NO_VIEWS}."),
    ("shareRate", "Float", f"Shares over views; {_NO_VIEWS}."),
    ("saveRate", "Float", f"Saves over views; {_NO_VIEWS}. {_OVERVIEW_SAVES}"),
    ("completionRate", "Float", f"Views watched to the end over views, from 0 to 1; {_NO_VIEWS}."),
)


OBJECT_TYPES = (
    ObjectType(
        "Video",
        "A short video visible to the viewer.",
        model=models.Video,
        node=True,
        fields=(
            id_field("Video", P),
            Field("caption", "String!", P, "The creator's caption."),
            Field("durationSeconds", "Int!", P, "Length of the video in seconds."),
            created_field(P),
            Field("owner", "User!", P, "The creator."),
            Field("likeCount", "Int!", P, "Total likes.", read=resolvers.video_counter("like_count")),
            Field("commentCount", "Int!", P, "Total comments.", read=resolvers.video_counter("comment_count")),
            Field("shareCount", "Int!", P, "Total shares.", read=resolvers.video_counter("share_count")),
            Field("viewCount", "Int!", P, "Total views.", read=resolvers.video_counter("view_count")),
            Field("allowDownload", "Boolean!", P, "Whether the creator allows downloads."),
            Field(
                "playbackUrl",
                "String",
                P,
                "A link to the web-playable file (MP4, byte ranges served), for this viewer only and for "
                f"{settings.MEDIA_URL_SECONDS // 60} minutes; it stops working as soon as the viewer may no longer "
                "see the video. Null for a video without a file.",
                resolve=resolvers.video_file_url(MediaFile.PLAYBACK),
            ),
            Field(
                "posterUrl",
                "String",
                P,
                "A link to the poster frame (JPEG), on the same terms as `playbackUrl`.",
                resolve=resolvers.video_file_url(MediaFile.POSTER),
            ),
            Field(
                "remixKind",
                "RemixKind",
                P,
                "DUET or STITCH when this video reuses another one; null otherwise.",
                read=lambda video: video.remix_kind or None,
            ),
            Field(
                "remixOf",
                "Video",
                P,
                "The video this one duets or stitches; null for an original, and when the source was deleted or is "
                "not visible to the viewer.",
                resolve=resolvers.video_remix_of,
            ),
            Field(
                "remixes",
                "VideoConnection!",
                P,
                "The duets and stitches of this video that the viewer may see, newest first.",
                resolve=resolvers.video_remixes,
                args=PAGE_ARGS,
            ),
            Field(
                "comments",
                "CommentConnection!",
                P,
                "Top comments, newest first (the pinned one too, in its place: show `pinnedComment` above them); "
                "the replies to each are its `replies`.",
                resolve=resolvers.video_comments,
                args=PAGE_ARGS,
            ),
            Field(
                "pinnedComment",
                "Comment",
                P,
                "The top comment the owner pinned; null when none is, or when it is hidden from the viewer.",
                resolve=resolvers.video_pinned_comment,
            ),
            Field(
                "visibility",
                "Visibility",
                S,
                "Who may see the video; the owner's business.",
                token_scopes=PROFILE_SCOPES,
            ),
            Field(
                "processingState",
                "ProcessingState",
                S,
                "Where the video's file is: AWAITING_UPLOAD, UPLOADED, PROCESSING, READY (shown to others) or FAILED; "
                "the owner's business.",
                source="processing_state",
                token_scopes=PROFILE_SCOPES,
            ),
            Field(
                "processingError",
                "String",
                S,
                "Why processing FAILED, for the owner; null otherwise.",
                resolve=resolvers.video_processing_error,
                token_scopes=PROFILE_SCOPES,
            ),
            Field(
                "allowComments",
                "InteractionAudience",
                S,
                "Who may comment; the owner's setting.",
                token_scopes=PROFILE_SCOPES,
            ),
            Field(
                "allowDuet", "InteractionAudience", S, "Who may duet; the owner's setting.", token_scopes=PROFILE_SCOPES
            ),
            Field(
                "allowStitch",
                "InteractionAudience",
                S,
                "Who may stitch; the owner's setting.",
                token_scopes=PROFILE_SCOPES,
            ),
            Field(
                "viewerHasSaved",
                "Boolean",
                A,
                "Whether the viewer saved this video.",
                resolve=resolvers.video_viewer_flag("viewer_has_saved"),
                token_scopes=FAVORITES_SCOPES,
            ),
            Field(
                "viewerHasLiked",
                "Boolean",
                A,
                "Whether the viewer liked this video.",
                resolve=resolvers.video_viewer_flag("viewer_has_liked"),
                token_scopes=PROFILE_SCOPES,
            ),
            Field(
                "insights",
                "VideoInsights",
                AGG,
                "Aggregate totals; FORBIDDEN unless the viewer owns the video or was delegated to.",
                resolve=resolvers.video_insights,
                token_scopes=INSIGHTS_SCOPES,
            ),
        ),
    ),
    ObjectType(
        "VideoInsights",
        "Aggregate totals of a video, for its owner and their delegates; for creator and business accounts also "
        "daily series and thresholded, noisy breakdowns (docs/PRIVACY.md).",
        fields=(
            Field("saveCount", "Int!", AGG, "Total saves (favorites). Who saved is never shown."),
            Field("likeCount", "Int!", AGG, "Total likes."),
            Field("commentCount", "Int!", AGG, "Total comments."),
            Field("shareCount", "Int!", AGG, "Total shares."),
            Field("viewCount", "Int!", AGG, "Total views."),
            Field("downloadCount", "Int!", AGG, "Total downloads."),
            Field("totalWatchSeconds", "Int!", AGG, "Seconds watched over all views."),
            Field("averageWatchSeconds", "Float!", AGG, "Mean seconds watched per view."),
            Field("completionRate", "Float!", AGG, "Share of views watched to the end, from 0 to 1."),
            Field(
                "engagementRate",
                "Float",
                AGG,
                f"Engagement rate of the lifetime totals: {_ENGAGEMENT} (a delegate sees what the owner's account type "
                f"shows); {_NO_VIEWS}.",
                resolve=resolvers.insights_rate(Rate.ENGAGEMENT),
            ),
            Field(
                "shareRate",
                "Float",
                AGG,
                f"Shares over views, lifetime totals; {_NO_VIEWS}.",
                resolve=resolvers.insights_rate(Rate.SHARE),
            ),
            Field(
                "saveRate",
                "Float",
                AGG,
                f"Saves over views, lifetime totals; {_NO_VIEWS}. {_SAVES}",
                resolve=resolvers.insights_rate(Rate.SAVE),
            ),
            Field(
                "averagePercentViewed",
                "Float!",
                AGG,
                "How far views went, on average: the furthest point each reached, in percent of the video's length "
                "(0 to 100; 0 without views).",
            ),
            Field(
                "rewatchRate",
                "Float!",
                AGG,
                "Share of views that started the video again from the start, from 0 to 1.",
            ),
            Field(
                "daily",
                "[VideoInsightsDay!]",
                AGG,
                f"One entry per day {_RANGE}, up to the last rolled-up day. {_DEEP}",
                resolve=resolvers.insights_daily,
                args=RANGE_ARGS,
            ),
            _video_breakdown(
                "trafficSources",
                Dimension.TRAFFIC_SOURCE,
                f"Viewers by the traffic source of their first view, {_PERIODS}.",
            ),
            _video_breakdown(
                "audienceCountries",
                Dimension.COUNTRY,
                f"Viewers by self-declared country (ISO code or UNKNOWN), {_PERIODS}.",
                by_country=False,
            ),
            Field(
                "audienceRegions",
                "RegionBreakdown",
                AGG,
                f"The viewers of one country {_REGIONS}, {_PERIODS}. {_DEEP}",
                resolve=resolvers.insights_breakdown(Dimension.REGION),
                args=ONE_COUNTRY_ARGS,
            ),
            Field(
                "countryViewers",
                "CountryViewers",
                AGG,
                "The viewers of one country on each day of the range, each counted on the day of their first view "
                "of the video in its period, over the ended periods that hold a day of `from` to `to`: every day "
                f"noised, none gated (docs/PRIVACY.md §8). Exact totals are never split by country. {_DEEP}",
                resolve=resolvers.insights_country_viewers,
                args=ONE_COUNTRY_ARGS,
            ),
            _video_breakdown(
                "audienceGenders", Dimension.GENDER, f"Viewers by self-declared gender (or UNKNOWN), {_PERIODS}."
            ),
            _video_breakdown(
                "audienceAges", Dimension.AGE, f"Viewers by age band (13-17 … 55+, or UNKNOWN), {_PERIODS}."
            ),
            _video_breakdown(
                "viewerTypes",
                Dimension.VIEWER_TYPE,
                f"Viewers {_PERIODS}, as two pairs: NEW/RETURNING (had they watched before the period) and "
                "FOLLOWER/NON_FOLLOWER (shares within each pair; a pair is shown only when both sides pass the "
                "gate).",
            ),
            _video_breakdown(
                "audienceDevices",
                Dimension.DEVICE,
                f"Viewers by the device of their first view (UNKNOWN when the client did not report one), {_PERIODS}.",
            ),
            _video_breakdown(
                "shareChannels",
                Dimension.SHARE_CHANNEL,
                "Sharers by the channel of their first share of the video (OTHER merges the channel Other with the "
                f"small buckets), {_PERIODS}. Suppressed below PRIVACY_MIN_AUDIENCE sharers, however many viewers.",
            ),
            Field(
                "retention",
                "Retention",
                AGG,
                "The share of the viewers who reached each 5% of the video (how far their first view in a period "
                f"went), {_PERIODS}; computed from noisy counts of every step (docs/PRIVACY.md). {_DEEP}",
                resolve=resolvers.insights_retention,
                args=COUNTRY_ARGS,
            ),
        ),
    ),
    ObjectType(
        "Retention",
        "A retention curve: every step of the video with the share of viewers who reached it, computed from "
        "noisy counts (docs/PRIVACY.md).",
        fields=(
            Field(
                "suppressed",
                "Boolean!",
                AGG,
                "True when no point is shown: fewer than PRIVACY_MIN_AUDIENCE people, or no period of the range "
                "has ended yet.",
            ),
            Field(
                "coveredFrom",
                "Date",
                AGG,
                "The first day the curve describes: it covers whole periods that have ended, so it may be before "
                "`from`. Null when no period is covered.",
            ),
            Field("coveredTo", "Date", AGG, "The last day the curve describes. Null when no period is covered."),
            Field(
                "points",
                "[RetentionPoint!]!",
                AGG,
                "One point per 5% of the video, 0 to 100, never rising; empty when suppressed.",
            ),
        ),
    ),
    ObjectType(
        "RetentionPoint",
        "One step of a retention curve.",
        fields=(
            Field("percent", "Int!", AGG, "How far into the video, in percent of its length: 0, 5, … 100."),
            Field(
                "viewers",
                "Float!",
                AGG,
                "The share of the viewers whose first view in the period reached it, from 0 to 1, from noisy counts.",
            ),
        ),
    ),
    ObjectType(
        "VideoInsightsDay",
        "One UTC day of a video's totals, from the daily rollups.",
        fields=(
            Field("date", "Date!", AGG, "The UTC day."),
            Field("views", "Int!", AGG, "Views that day."),
            Field("likes", "Int!", AGG, "Likes given that day (and not since taken back)."),
            Field(
                "saves",
                "Int",
                AGG,
                f"Saves that day (and not since removed). {_SAVES} Who saved is never shown.",
            ),
            Field("shares", "Int!", AGG, "Shares that day."),
            Field("comments", "Int!", AGG, "Comments that day (and not since deleted)."),
            Field("downloads", "Int!", AGG, "Downloads that day."),
            Field("watchSeconds", "Int!", AGG, "Seconds watched that day."),
            Field("completions", "Int!", AGG, "Views watched to the end that day."),
            Field("newFollowers", "Int!", AGG, "Accounts that followed the owner from this video that day."),
        ),
    ),
    ObjectType(
        "InsightBreakdown",
        "A breakdown of an audience, shown only where it singles no one out (docs/PRIVACY.md).",
        fields=(
            Field(
                "suppressed",
                "Boolean!",
                AGG,
                "True when nothing is shown: fewer than PRIVACY_MIN_AUDIENCE people, or no period of the range "
                "has ended yet.",
            ),
            Field(
                "buckets",
                "[InsightBucket!]!",
                AGG,
                "The buckets whose noisy count passes the gate (docs/PRIVACY.md), largest first; the rest of the "
                "total is OTHER, itself left out when small.",
            ),
            Field(
                "coveredFrom",
                "Date",
                AGG,
                "The first day the buckets describe: breakdowns cover whole periods that have ended, so it may be "
                "before `from`. Null when no period is covered.",
            ),
            Field(
                "coveredTo",
                "Date",
                AGG,
                "The last day the buckets describe (a follower snapshot: the day it was taken).",
            ),
        ),
    ),
    ObjectType(
        "InsightBucket",
        "One bucket of a breakdown: a noisy count and its share of the shown buckets.",
        fields=(
            Field("key", "InsightKey!", AGG, "What the bucket counts, from a closed vocabulary: never a person."),
            Field(
                "count",
                "Int",
                AGG,
                "The bucket's count, with noise that bounds what it tells of any one person (docs/PRIVACY.md).",
            ),
            Field("share", "Float!", AGG, "The bucket's share of the shown buckets, from 0 to 1."),
        ),
    ),
    ObjectType(
        "RegionBreakdown",
        "The people of one country by region, shown only where it singles no one out (docs/PRIVACY.md).",
        fields=(
            Field(
                "suppressed",
                "Boolean!",
                AGG,
                "True when nothing is shown: fewer than PRIVACY_MIN_AUDIENCE people of the country (by its noisy "
                "count), or no period of the range has ended yet.",
            ),
            Field(
                "buckets",
                "[RegionBucket!]!",
                AGG,
                "The regions whose noisy count passes the gate, largest first; OTHER is what they leave of the "
                "country's noisy count, itself left out when small.",
            ),
            Field("coveredFrom", "Date", AGG, "The first day the buckets describe. Null when no period is covered."),
            Field("coveredTo", "Date", AGG, "The last day the buckets describe. Null when no period is covered."),
        ),
    ),
    ObjectType(
        "RegionBucket",
        "One region of a breakdown by region: a noisy count and its share of the shown buckets.",
        fields=(
            Field("key", "RegionKey!", AGG, "The region, from a closed vocabulary: never a person."),
            Field("count", "Int", AGG, "The region's count, with noise (docs/PRIVACY.md)."),
            Field("share", "Float!", AGG, "The region's share of the shown buckets, from 0 to 1."),
        ),
    ),
    ObjectType(
        "CountryViewers",
        "A video's viewers of one country per day, every day noised (docs/PRIVACY.md).",
        fields=(
            Field(
                "suppressed",
                "Boolean!",
                AGG,
                "True when no day is shown: fewer than PRIVACY_MIN_AUDIENCE viewers of the country (by its noisy "
                "count) in every period of the range, or no period of the range has ended yet.",
            ),
            Field(
                "days",
                "[ViewersDay!]!",
                AGG,
                "The days of the range in ended periods whose country audience passes the floor, oldest first.",
            ),
            Field("coveredFrom", "Date", AGG, "The first day shown. Null when none is."),
            Field("coveredTo", "Date", AGG, "The last day shown. Null when none is."),
        ),
    ),
    ObjectType(
        "ViewersDay",
        "One day of a country's viewers of a video.",
        fields=(
            Field("date", "Date!", AGG, "The UTC day."),
            Field(
                "viewers",
                "Int!",
                AGG,
                "The people of the country whose first view of the video in the period was that day, with noise, "
                "at least 0.",
            ),
        ),
    ),
    ObjectType(
        "AccountInsights",
        "Aggregate insights of the viewer's account, from the daily rollups.",
        personal_data=True,
        fields=(
            Field("followerCount", "Int!", S, "Accepted followers now (exact)."),
            Field(
                "followerGrowth",
                "[FollowerDay!]",
                S,
                f"Follower totals and new followers per day {_RANGE}. {_DEEP}",
                resolve=resolvers.account_follower_growth,
                args=RANGE_ARGS,
            ),
            _follower_breakdown(
                "followerCountries",
                Dimension.FOLLOWER_COUNTRY,
                f"Followers by self-declared country {_SNAPSHOT}.",
                by_country=False,
            ),
            Field(
                "followerRegions",
                "RegionBreakdown",
                S,
                f"The followers of one country {_REGIONS}, {_SNAPSHOT}. {_DEEP}",
                resolve=resolvers.account_follower_breakdown(Dimension.FOLLOWER_REGION),
                args=ONE_COUNTRY_ARGS,
            ),
            _follower_breakdown(
                "followerGenders", Dimension.FOLLOWER_GENDER, f"Followers by self-declared gender {_SNAPSHOT}."
            ),
            _follower_breakdown("followerAges", Dimension.FOLLOWER_AGE, f"Followers by age band {_SNAPSHOT}."),
            _follower_breakdown(
                "followerDevices",
                Dimension.FOLLOWER_DEVICE,
                "Followers by the device of their latest view of any video (UNKNOWN when not reported, or when they "
                f"have watched nothing) {_SNAPSHOT}.",
            ),
            Field(
                "followerActivity",
                "InsightBreakdown",
                S,
                "Followers by the UTC hour (00 to 23) of their first activity in each period, each follower once "
                f"per period, {_PERIODS}. {_DEEP}",
                resolve=resolvers.account_follower_activity,
                args=COUNTRY_ARGS,
            ),
            Field(
                "followerActivityByWeekday",
                "WeeklyActivity",
                S,
                "Followers by the weekday and hour they are active, in the viewer's time zone (`Me.timeZone`), over "
                "the ended periods that hold a day of `from` to `to` (`coveredFrom` to `coveredTo`). Each follower "
                "counts at most once per period: on the weekday assigned to them for the period, whatever they do, "
                "on the first day of the period falling on it that they were active, at the hour of their first "
                f"view that day. Every slot is shown, with noise (docs/PRIVACY.md). {_DEEP}",
                resolve=resolvers.account_weekly_activity,
                args=COUNTRY_ARGS,
            ),
            Field(
                "bestTimesToPost",
                "[PostingTime!]",
                S,
                f"The {BEST_TIMES} local weekday hours with the most active followers, busiest first: picked from "
                "the very answer of `followerActivityByWeekday` over the same range, so they tell nothing more. "
                "Empty when that answer is suppressed, and while the week's total is below one noise scale per "
                f"slot, when the busiest slots would be the noise's picks (docs/PRIVACY.md §8.6). {_DEEP}",
                resolve=resolvers.account_best_times,
                args=COUNTRY_ARGS,
            ),
            Field(
                "profileViews",
                "Int",
                S,
                f"Views of the viewer's profile {_RANGE} (exact).",
                resolve=resolvers.account_profile_views,
                args=RANGE_ARGS,
            ),
            _top_videos(
                "topVideosByViews", "views", "The viewer's 10 most viewed videos in the range, with their views."
            ),
            Field(
                "exports",
                "InsightsExportConnection!",
                S,
                "The viewer's insights exports (`exportInsights`) that have not expired, newest first.",
                resolve=resolvers.account_insights_exports,
                args=PAGE_ARGS,
            ),
            _top_videos(
                "topVideosBySaves",
                "saves",
                "The viewer's 10 most saved videos in the range, with their saves. Business accounts only: FORBIDDEN "
                "for the others, whose owners see each video's save total (`VideoInsights.saveCount`).",
            ),
            Field(
                "overview",
                "InsightsOverview",
                S,
                f"Exact totals and rates of the viewer's videos and account {_RANGE}, up to the last rolled-up day; "
                "with `compareTo: PREVIOUS_PERIOD` also the previous range's and the relative change. What each "
                "account type shows: saves and the save rate for business accounts, follower changes for creator and "
                "business accounts.",
                resolve=resolvers.account_overview,
                args={**RANGE_ARGS, "compareTo": described_arg("compareTo", "InsightsComparison")},
            ),
            _top_videos_by_rate("topVideosByEngagementRate", Rate.ENGAGEMENT, f"engagement rate {_ENGAGEMENT}"),
            _top_videos_by_rate("topVideosByShareRate", Rate.SHARE, "share rate (shares over views)"),
            _top_videos_by_rate(
                "topVideosByCompletionRate", Rate.COMPLETION, "completion rate (views watched to the end over views)"
            ),
            Field(
                "topVideosBySaveRate",
                "[TopVideoByRate!]",
                S,
                "The viewer's 10 videos with the highest save rate (saves over views) in the range, among those with "
                f"at least {RATE_MIN_VIEWS} views in it (fewer views say too little), ties by views. Business "
                "accounts only: FORBIDDEN for the others.",
                resolve=resolvers.account_top_videos_by_rate(Rate.SAVE),
                args=RANGE_ARGS,
            ),
        ),
    ),
    ObjectType(
        "InsightsOverview",
        "The viewer's account over a range, and optionally over the previous one: exact totals from the daily "
        "rollups, no breakdown.",
        fields=(
            Field("from", "Date!", S, "The first day of the range.", source="first"),
            Field("to", "Date!", S, "The last day of the range.", source="last"),
            Field(
                "previousFrom",
                "Date",
                S,
                "The first day of the previous range (as long as the range, ending the day before `from`); null "
                "without `compareTo`.",
                source="previous_first",
            ),
            Field(
                "previousTo",
                "Date",
                S,
                "The last day of the previous range; null without `compareTo`.",
                source="previous_last",
            ),
            Field("totals", "OverviewTotals!", S, "The range's totals."),
            Field("previous", "OverviewTotals", S, "The previous range's totals; null without `compareTo`."),
            Field(
                "change",
                "OverviewChange",
                S,
                "How each figure changed from the previous range; null without `compareTo`.",
            ),
        ),
    ),
    ObjectType(
        "OverviewTotals",
        "Exact totals of the viewer's videos and account over a range of whole UTC days, from the daily rollups.",
        fields=tuple(Field(name, type_ref, S, description) for name, type_ref, description in OVERVIEW_METRICS),
    ),
    ObjectType(
        "OverviewChange",
        "The relative change of each overview figure from the previous range: (this range's - the previous one's) "
        "/ |the previous one's|, so 0.25 is a quarter more. Null where the previous figure is 0 or either is null.",
        fields=tuple(
            Field(name, "Float", S, f"The relative change of `{name}`.")
            for name, _type, _description in OVERVIEW_METRICS
        ),
    ),
    ObjectType(
        "TopVideoByRate",
        "One of the viewer's videos with its rate and views over a range.",
        fields=(
            Field("video", "Video!", S, "The video."),
            Field("rate", "Float!", S, "Its rate in the range (exact)."),
            Field("views", "Int!", S, "Its views in the range (exact)."),
        ),
    ),
    ObjectType(
        "WeeklyActivity",
        "The viewer's followers by local weekday and hour: the whole week, every slot noisy (docs/PRIVACY.md).",
        personal_data=True,
        fields=(
            Field(
                "suppressed",
                "Boolean!",
                S,
                "True when no slot is shown: fewer than PRIVACY_MIN_AUDIENCE followers, or no period of the range "
                "has ended yet.",
            ),
            Field(
                "timeZone",
                "String!",
                S,
                "The IANA time zone the slots are in (the viewer's `Me.timeZone`), at its offset from UTC on "
                "`coveredTo`. Rollups count UTC hours: with a half-hour offset (Asia/Kolkata) each UTC hour "
                "counts in the local hour it starts in (09:00 UTC, 14:30 local, at 14).",
            ),
            Field(
                "coveredFrom",
                "Date",
                S,
                "The first day the slots describe: whole periods that have ended, so it may be before `from`. "
                "Null when no period is covered.",
            ),
            Field("coveredTo", "Date", S, "The last day the slots describe."),
            Field(
                "slots",
                "[ActivitySlot!]!",
                S,
                "All 168 local weekday hours, Monday 00 first; empty when suppressed.",
            ),
        ),
    ),
    ObjectType(
        "ActivitySlot",
        "One local weekday hour of the viewer's followers' activity.",
        fields=(
            *_LOCAL_HOUR,
            Field(
                "count",
                "Int!",
                AGG,
                "Followers counted in this hour, with noise that bounds what it tells of any one person "
                "(docs/PRIVACY.md), and never below 0.",
            ),
            Field("share", "Float!", AGG, "The slot's share of the whole week's count, from 0 to 1."),
        ),
    ),
    ObjectType(
        "PostingTime",
        "A local weekday hour when many of the viewer's followers are active.",
        fields=(
            *_LOCAL_HOUR,
            Field("share", "Float!", AGG, "Its share of the whole week's activity, from 0 to 1."),
        ),
    ),
    ObjectType(
        "InsightsExport",
        "A file of the viewer's exact daily insights totals over a range, built by the worker (`exportInsights`): "
        "one row per day for the account and per day for each video with activity, no breakdowns and nothing "
        "about any person. Kept until `expiresAt`, for its owner alone.",
        model=InsightsExport,
        node=True,
        personal_data=True,
        fields=(
            id_field("InsightsExport", S),
            Field("from", "Date!", S, "The first day of the range (UTC).", source="first_day"),
            Field("to", "Date!", S, "The last day of the range (UTC).", source="last_day"),
            Field("format", "InsightsExportFormat!", S, "The file's format."),
            Field(
                "state", "InsightsExportState!", S, "PENDING until the worker has built the file, then READY or FAILED."
            ),
            created_field(S),
            Field("expiresAt", "DateTime!", S, "When the export and its file are deleted (UTC)."),
            Field(
                "downloadUrl",
                "String",
                S,
                f"A link to the file for this viewer only, for {export_links.LINK_SECONDS // 60} minutes, decided "
                "again on every use (served as an attachment, never cached). Null unless READY and not expired, and "
                "once the account no longer may see what the file holds (a personal account; saves per day below a "
                "business account).",
                resolve=resolvers.insights_export_download_url,
            ),
            Field(
                "error",
                "String",
                S,
                "Why the export could not be built (FAILED); null otherwise. Ask for a new one.",
                read=lambda export: export.error or None,
            ),
        ),
    ),
    ObjectType(
        "FollowerDay",
        "One UTC day of the viewer's follower counts.",
        fields=(
            Field("date", "Date!", AGG, "The UTC day."),
            Field("followers", "Int!", AGG, "Accepted followers at the end of the day."),
            Field("newFollowers", "Int!", AGG, "Accounts that started following that day (and still do)."),
        ),
    ),
    ObjectType(
        "TopVideo",
        "One of the viewer's videos with its total over a range.",
        fields=(
            Field("video", "Video!", S, "The video."),
            Field("count", "Int!", S, "Its views or saves in the range (exact)."),
        ),
    ),
    ObjectType(
        "Hashtag",
        "A #tag of captions, lower-case and without the `#`. It exists for the viewer only while a video they may "
        "see, of an account they did not mute, carries it.",
        model=models.Hashtag,
        node=True,
        fields=(
            id_field("Hashtag", P),
            Field("name", "String!", P, "The tag, lower-case, without the `#`."),
            Field(
                "videos",
                "VideoConnection!",
                P,
                "Videos with this tag that the viewer may see (not those of accounts they muted), newest first.",
                resolve=resolvers.hashtag_videos,
                args=PAGE_ARGS,
                reads_selection=True,
            ),
        ),
    ),
    ObjectType(
        "SearchResults",
        "What a search found among what the viewer may see, accounts they muted aside: videos, accounts and "
        "hashtags, each its own list.",
        fields=(
            Field("query", "String!", P, "The query as searched (trimmed)."),
            Field(
                "videos",
                "VideoConnection!",
                P,
                "Videos whose caption holds the query's words (hashtags included): on PostgreSQL whole words, most "
                "relevant first; on SQLite anywhere in a word, newest first.",
                resolve=resolvers.search_videos,
                args=PAGE_ARGS,
                reads_selection=True,
            ),
            Field(
                "users",
                "UserConnection!",
                P,
                "Accounts whose username or display name holds the query: the exact username first, then "
                "usernames starting with it, then the rest, each by followers.",
                resolve=resolvers.search_users,
                args=PAGE_ARGS,
            ),
            Field(
                "hashtags",
                "HashtagConnection!",
                P,
                "Hashtags starting with the query (a leading `#` is ignored): the exact tag first, then by how "
                "many videos the viewer may see carry them.",
                resolve=resolvers.search_hashtags,
                args=PAGE_ARGS,
            ),
        ),
    ),
    ObjectType(
        "Comment",
        "A comment on a video, or a reply to one: threads are one level deep.",
        model=models.Comment,
        node=True,
        fields=(
            id_field("Comment", P),
            Field("text", "String!", P, "The comment's text."),
            Field("author", "User!", P, "Who wrote it."),
            created_field(P),
            Field(
                "replyTo",
                "Comment",
                P,
                "The top comment this one replies to; null for a top comment.",
                resolve=resolvers.comment_reply_to,
            ),
            Field(
                "replies",
                "CommentConnection!",
                P,
                "The replies to this comment, newest first; always empty for a reply.",
                resolve=resolvers.comment_replies,
                args=PAGE_ARGS,
            ),
            Field(
                "replyCount",
                "Int!",
                P,
                "How many replies the viewer sees under this comment.",
                resolve=resolvers.comment_reply_count,
            ),
            Field(
                "isPinned",
                "Boolean!",
                P,
                "Whether the video's owner pinned this comment (one at most per video).",
                read=lambda comment: comment.pinned_at is not None,
            ),
        ),
    ),
    ObjectType(
        "FavoriteCollection",
        "A named folder of the viewer's favorites.",
        model=models.FavoriteCollection,
        node=True,
        personal_data=True,
        fields=(
            id_field("FavoriteCollection", S),
            Field("name", "String!", S, "The collection's name."),
            created_field(S),
        ),
    ),
    ObjectType(
        "Favorite",
        "A saved video, private to the saver.",
        model=models.Favorite,
        node=True,
        personal_data=True,
        fields=(
            id_field("Favorite", S),
            Field("createdAt", "DateTime!", S, "When the video was saved."),
            Field("collection", "FavoriteCollection", S, "The collection holding this favorite, if any."),
            Field(
                "isAvailable",
                "Boolean!",
                S,
                "False when the video was deleted from view or is no longer visible to the viewer.",
                read=resolvers.favorite_is_available,
            ),
            Field(
                "video",
                "Video",
                S,
                "The saved video; null when it is no longer available to the viewer.",
                read=resolvers.favorite_video,
            ),
        ),
    ),
    ObjectType(
        "Notification",
        "Something that happened to the viewer (saves, downloads, views and shares never notify).",
        model=models.Notification,
        node=True,
        personal_data=True,
        fields=(
            id_field("Notification", S),
            Field("kind", "NotificationKind!", S, "What happened."),
            Field("actor", "User!", S, "Who did it."),
            Field(
                "video",
                "Video",
                S,
                "The video concerned, if any and still visible to the viewer.",
                read=resolvers.notification_video,
            ),
            Field("isRead", "Boolean!", S, "Whether the viewer has read it."),
            created_field(S),
        ),
    ),
    ObjectType(
        "NotificationEvent",
        "A change to the viewer's notifications, delivered live by `Subscription.notifications`.",
        personal_data=True,
        fields=(
            Field(
                "notification",
                "Notification",
                S,
                "The new notification, as `Me.notifications` shows it; null in the first event and when only the "
                "unread count changed (notifications read or removed).",
            ),
            Field("unreadNotificationCount", "Int!", S, "How many of the viewer's notifications are unread now."),
        ),
    ),
)
