"""Deterministic demo data for ``manage.py seed_demo``: a small platform's month, in bulk.

Services insert one row at a time with notifications and ``F()`` bumps, which is far too slow
for tens of thousands of rows. So this module plans everything in memory under the same rules
the services enforce (who may see a video, the creators' allow-flags, which interactions
notify, accepted vs pending follows), inserts it with ``bulk_create``, sets the counters from
the planned rows and finally checks them with ``engagement.counters``: a seeding bug fails the
command instead of shipping drift.

Every seeded account has an email at ``DEMO_EMAIL_DOMAIN``: that marker is how a second run
recognises the demo data and how ``--reset`` finds exactly what to delete.
"""

import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone
from faker import Faker

from accounts.models import AccountType, Follow, FollowStatus, Gender, InteractionAudience, LikedVideosVisibility, User
from engagement import counters
from engagement.hashtags import link_caption_hashtags, parse_hashtags
from engagement.models import (
    COUNTER_FIELDS,
    Comment,
    Download,
    Favorite,
    FavoriteCollection,
    Like,
    Notification,
    NotificationKind,
    RemixKind,
    Share,
    ShareChannel,
    TrafficSource,
    Video,
    VideoCounters,
    View,
    Visibility,
)

DEMO_CREATOR = "demo_creator"
DEMO_VIEWER = "demo_viewer"
DEMO_PASSWORD = "demo-password-123"
DEMO_EMAIL_DOMAIN = "demo.example.com"
DEFAULT_SEED = 20240601
BATCH_SIZE = 1000
DAYS = 30

# Per unit of --scale. Interactions grow with the number of videos and of users.
CREATORS_PER_SCALE = 14
VIEWERS_PER_SCALE = 220
REMIXES_PER_SCALE = 8

# Weighted choices: (value, weight). Countries are ISO 3166-1 alpha-2; "" is "not given".
COUNTRIES = [
    ("US", 24), ("BR", 10), ("GB", 8), ("IN", 8), ("MX", 6), ("DE", 6), ("FR", 6), ("ID", 5), ("CA", 4),
    ("ES", 4), ("JP", 4), ("PH", 4), ("NG", 3), ("IT", 3), ("KR", 3), ("AU", 3), ("TR", 2), ("EG", 2),
    ("PL", 2), ("NL", 2), ("", 9),
]  # fmt: skip
GENDERS = [(Gender.FEMALE, 46), (Gender.MALE, 43), (Gender.NON_BINARY, 3), (Gender.UNDISCLOSED, 4), ("", 4)]
AGE_BANDS = [((13, 17), 10), ((18, 24), 35), ((25, 34), 30), ((35, 44), 14), ((45, 64), 8), (None, 13)]
AUDIENCES = [(InteractionAudience.EVERYONE, 80), (InteractionAudience.FRIENDS, 12), (InteractionAudience.NO_ONE, 8)]
SHARE_CHANNELS = [
    (ShareChannel.COPY_LINK, 30), (ShareChannel.DIRECT_MESSAGE, 25), (ShareChannel.WHATSAPP, 20),
    (ShareChannel.SMS, 8), (ShareChannel.EMAIL, 4), (ShareChannel.OTHER, 13),
]  # fmt: skip
SOURCES_ANONYMOUS = [
    (TrafficSource.FOR_YOU, 55), (TrafficSource.SEARCH, 15), (TrafficSource.DIRECT_MESSAGE, 15),
    (TrafficSource.OTHER, 15),
]  # fmt: skip
SOURCES_FOLLOWER = [
    (TrafficSource.FOLLOWING, 45), (TrafficSource.FOR_YOU, 28), (TrafficSource.PROFILE, 15),
    (TrafficSource.SEARCH, 5), (TrafficSource.SOUND, 3), (TrafficSource.DIRECT_MESSAGE, 4),
]  # fmt: skip
SOURCES_STRANGER = [
    (TrafficSource.FOR_YOU, 60), (TrafficSource.PROFILE, 8), (TrafficSource.SEARCH, 12), (TrafficSource.SOUND, 8),
    (TrafficSource.DIRECT_MESSAGE, 7), (TrafficSource.OTHER, 5),
]  # fmt: skip

TOPICS = {
    "recipes": ["one-pan lemon pasta", "15-minute ramen", "crispy chili tofu", "no-knead focaccia",
                "garlic butter salmon", "three-ingredient pancakes", "street tacos al pastor", "miso soup"],
    "travel": ["hidden beach in Algarve", "48 hours in Tokyo", "night train to Vienna", "Lisbon on a budget",
               "sunrise hike in Patagonia", "Marrakech market tour"],
    "dance": ["new choreo drop", "shuffle tutorial", "duet this challenge", "slow-mo footwork"],
    "comedy": ["when the group chat goes silent", "my cat judging my cooking", "Monday in 10 seconds",
               "pov: you forgot the meeting"],
    "pets": ["puppy's first snow", "cat vs cucumber, again", "parrot says good morning", "rescue dog glow-up"],
    "fitness": ["10-minute core burner", "no-equipment leg day", "mobility routine for desk workers",
                "couch to 5k week 3"],
    "tech": ["desk setup tour", "three keyboard shortcuts you need", "budget phone camera test",
             "building a mechanical keyboard"],
    "diy": ["upcycled crate shelf", "fixing a squeaky door", "epoxy river table", "balcony herb garden"],
}  # fmt: skip
COMMENT_LINES = [
    "This is so good 😍", "Trying this tonight!", "Where is this??", "Saving this for later",
    "The ending 😂", "Tutorial please!", "I need this in my life", "Came here from the For You page",
    "How long did this take?", "Underrated", "My favorite creator", "Okay but the music though",
    "Did this yesterday, worked perfectly", "First!", "Sending this to my sister",
]  # fmt: skip
COLLECTION_NAMES = ["Recipes", "Watch later", "Workouts", "Travel ideas", "Funny", "DIY projects", "Music"]


def _pick(rng: random.Random, weighted: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([value for value, _ in weighted], weights=[weight for _, weight in weighted])[0]


@dataclass
class VideoPlan:
    """A video and the knobs that shape its engagement."""

    video: Video
    owner: int
    views: int
    went_private: bool = False  # PRIVATE now, but public while people watched and saved it
    save_rate: float | None = None
    is_remix: bool = False


@dataclass
class SeedResult:
    rows: dict[str, int]
    seconds: float


@dataclass
class DemoPlan:
    users: list[User] = field(default_factory=list)
    videos: list[VideoPlan] = field(default_factory=list)
    follows: dict[tuple[int, int], Follow] = field(default_factory=dict)
    collections: list[FavoriteCollection] = field(default_factory=list)
    favorites: list[Favorite] = field(default_factory=list)
    likes: list[Like] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    shares: list[Share] = field(default_factory=list)
    downloads: list[Download] = field(default_factory=list)
    views: list[View] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)


def demo_data_present() -> bool:
    """Whether a previous run left its data (or someone took a demo account's name)."""
    return User.objects.filter(
        Q(email__iendswith=f"@{DEMO_EMAIL_DOMAIN}") | Q(username__in=[DEMO_CREATOR, DEMO_VIEWER])
    ).exists()


def demo_data_delete() -> int:
    """Delete every demo account (their videos and interactions cascade), then repair the
    counters of anything else they touched, e.g. a real user who followed ``demo_creator``."""
    demo_users = User.objects.filter(email__iendswith=f"@{DEMO_EMAIL_DOMAIN}")
    deleted, _ = demo_users.delete()
    counters.counters_repair()
    return deleted


class DemoPlanner:
    """Plans users, the follow graph, videos and every interaction, by index, in memory."""

    def __init__(self, *, scale: int, seed: int, now: datetime) -> None:
        self.scale = scale
        self.rng = random.Random(seed)
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)
        self.now = now
        self.plan = DemoPlan()
        self.creators: list[int] = []
        self.topic: dict[int, str] = {}
        self.activity: list[float] = []
        self.followers: defaultdict[int, set[int]] = defaultdict(set)  # accepted only
        self.following: defaultdict[int, set[int]] = defaultdict(set)  # accepted only
        self.saved: set[tuple[int, int]] = set()
        self.liked: set[tuple[int, int]] = set()
        self.favorites_of: defaultdict[int, list[Favorite]] = defaultdict(list)
        self.taken: set[str] = {DEMO_CREATOR, DEMO_VIEWER}

    # Helpers ---------------------------------------------------------------------------------

    def _after(self, start: datetime, *, skew: float = 1.8) -> datetime:
        """A moment between ``start`` and now, mostly soon after ``start`` (engagement decays)."""
        return start + (self.now - start) * (self.rng.random() ** skew)

    def _days_ago(self, low: float, high: float) -> datetime:
        return self.now - timedelta(days=self.rng.uniform(low, high))

    def _username(self) -> str:
        for _ in range(1000):
            base = re.sub(r"[^a-z0-9._]", "", self.fake.user_name().lower())[:24]
            name = base if len(base) >= 2 and base not in self.taken else f"{base}{self.rng.randint(10, 9999)}"
            if len(name) >= 2 and name not in self.taken:
                self.taken.add(name)
                return name
        raise RuntimeError("could not find a free username")

    def _user(self, username: str, *, account_type: str, private: bool = False, **overrides: Any) -> int:
        """A generated profile: country, birth year and gender feed the thresholded analytics.
        Generated accounts cannot log in (unusable password); only the two demo accounts can."""
        band = _pick(self.rng, AGE_BANDS)
        fields: dict[str, Any] = {
            "password": make_password(None),
            "display_name": self.fake.name()[:64],
            "bio": self.fake.sentence(nb_words=8)[:160] if account_type != AccountType.PERSONAL else "",
            "country": _pick(self.rng, COUNTRIES),
            "birth_year": None if band is None else self.now.year - self.rng.randint(*band),
            "gender": _pick(self.rng, GENDERS),
            "liked_videos_visibility": (
                LikedVideosVisibility.EVERYONE if self.rng.random() < 0.2 else LikedVideosVisibility.ONLY_ME
            ),
            "default_allow_download": self.rng.random() > 0.15,
            "date_joined": self._days_ago(DAYS + 5, 700),
        }
        user = User(
            username=username,
            email=f"{username}@{DEMO_EMAIL_DOMAIN}",
            account_type=account_type,
            is_private=private,
            **(fields | overrides),
        )
        self.plan.users.append(user)
        self.activity.append(self.rng.lognormvariate(0, 0.8))
        return len(self.plan.users) - 1

    # Users and follows -----------------------------------------------------------------------

    def users(self) -> None:
        self.demo_creator = self._user(
            DEMO_CREATOR,
            account_type=AccountType.CREATOR,
            password=make_password(DEMO_PASSWORD),
            first_name="Demo",
            display_name="Demo Creator",
            bio="Weeknight recipes in under a minute. Demo account.",
            country="US",
            default_allow_download=True,
        )
        self.demo_viewer = self._user(
            DEMO_VIEWER,
            account_type=AccountType.PERSONAL,
            password=make_password(DEMO_PASSWORD),
            first_name="Demo",
            display_name="Demo Viewer",
        )
        self.creators.append(self.demo_creator)
        self.topic[self.demo_creator] = "recipes"
        for number in range(CREATORS_PER_SCALE * self.scale):
            kind = AccountType.BUSINESS if self.rng.random() < 0.3 else AccountType.CREATOR
            creator = self._user(self._username(), account_type=kind, private=number % 7 == 3)
            self.creators.append(creator)
            self.topic[creator] = self.rng.choice(list(TOPICS))
        for _ in range(VIEWERS_PER_SCALE * self.scale):
            self._user(self._username(), account_type=AccountType.PERSONAL, private=self.rng.random() < 0.15)
        self.demo = {self.demo_creator, self.demo_viewer}

    def _follow(self, follower: int, followee: int, *, source: VideoPlan | None = None) -> None:
        if follower == followee or (follower, followee) in self.plan.follows:
            return
        users = self.plan.users
        target_private = users[followee].is_private
        accepted = not target_private or self.rng.random() < 0.65
        created_at = self._after(source.video.created_at) if source else self._days_ago(0, DAYS)
        edge = Follow(
            follower=users[follower],
            followee=users[followee],
            status=FollowStatus.ACCEPTED if accepted else FollowStatus.PENDING,
            source_video=source.video if source else None,
            created_at=created_at,
        )
        self.plan.follows[(follower, followee)] = edge
        if accepted:
            self.followers[followee].add(follower)
            self.following[follower].add(followee)
        kind = NotificationKind.FOLLOW_REQUEST if target_private else NotificationKind.FOLLOW
        self._notify(recipient=followee, actor=follower, kind=kind, at=created_at)

    def follows(self) -> None:
        """Viewers follow creators (popular ones more), a few friends, and creators follow back."""
        everyone = range(len(self.plan.users))
        people = [u for u in everyone if u not in self.creators and u not in self.demo]
        weights = [3.0 if c == self.demo_creator else self.rng.uniform(0.3, 2.0) for c in self.creators]
        public_videos: defaultdict[int, list[VideoPlan]] = defaultdict(list)
        for plan in self.plan.videos:
            if plan.video.visibility == Visibility.PUBLIC:
                public_videos[plan.owner].append(plan)
        for person in people:
            for creator in set(self.rng.choices(self.creators, weights=weights, k=self.rng.randint(3, 10))):
                found_on = public_videos[creator]
                source = self.rng.choice(found_on) if found_on and self.rng.random() < 0.4 else None
                self._follow(person, creator, source=source)
            for friend in self.rng.sample(people, k=self.rng.randint(0, 5)):
                self._follow(person, friend)
            if self.rng.random() < 0.1:
                self._follow(person, self.demo_viewer)
        for creator in self.creators:
            rate = 0.25 if creator == self.demo_creator else 0.1
            for follower in sorted(self.followers[creator] - self.demo):
                if self.rng.random() < rate:
                    self._follow(creator, follower)
            for other in self.rng.sample(self.creators, k=min(3, len(self.creators))):
                self._follow(creator, other)
        # The handcrafted pair (both public accounts): friends, i.e. mutual accepted follows.
        self._follow(self.demo_viewer, self.demo_creator)
        self._follow(self.demo_creator, self.demo_viewer)
        for creator in self.rng.sample(self.creators[1:], k=min(5, len(self.creators) - 1)):
            self._follow(self.demo_viewer, creator)

    # Videos ----------------------------------------------------------------------------------

    def _caption(self, topic: str) -> str:
        subject = self.rng.choice(TOPICS[topic])
        words = self.fake.sentence(nb_words=self.rng.randint(4, 10))
        tags = " ".join(f"#{tag}" for tag in self.fake.words(nb=self.rng.randint(1, 3)))
        return f"{subject[0].upper()}{subject[1:]}: {words} #{topic} {tags}"

    def _duration(self) -> int:
        bucket = self.rng.random()
        if bucket < 0.6:
            return self.rng.randint(8, 35)
        return self.rng.randint(36, 90) if bucket < 0.9 else self.rng.randint(91, 600)

    def _video(self, owner: int, *, visibility: str | None = None, **fields: Any) -> VideoPlan:
        user = self.plan.users[owner]
        if visibility is None:
            roll = self.rng.random()
            visibility = Visibility.PUBLIC if roll < 0.75 else Visibility.FRIENDS if roll < 0.87 else Visibility.PRIVATE
        allow_download = user.default_allow_download if self.rng.random() > 0.15 else not user.default_allow_download
        video = Video(
            owner=user,
            caption=fields.pop("caption", None) or self._caption(self.topic[owner]),
            visibility=visibility,
            allow_download=fields.pop("allow_download", allow_download),
            allow_comments=fields.pop("allow_comments", _pick(self.rng, AUDIENCES)),
            allow_duet=_pick(self.rng, AUDIENCES),
            allow_stitch=_pick(self.rng, AUDIENCES),
            duration_seconds=self._duration(),
            created_at=fields.pop("created_at", None) or self._days_ago(0.05, DAYS),
        )
        views = fields.pop("views", None) or min(int(30 * self.rng.paretovariate(1.3)), 1200)
        went_private = fields.pop("went_private", visibility == Visibility.PRIVATE and self.rng.random() < 0.5)
        plan = VideoPlan(video=video, owner=owner, views=views, went_private=went_private, **fields)
        self.plan.videos.append(plan)
        return plan

    def videos(self) -> None:
        self._demo_creator_videos()
        for creator in self.creators[1:]:
            for _ in range(self.rng.randint(6, 16)):
                self._video(creator)

    def _demo_creator_videos(self) -> None:
        """Every visibility, with saves from many users: the top video clears the analytics
        thresholds (100+ savers), one went private after being saved (video visibility), one is a draft."""
        me = self.demo_creator
        public, friends, private = Visibility.PUBLIC, Visibility.FRIENDS, Visibility.PRIVATE
        self.demo_videos = [
            self._video(me, visibility=public, caption="One-pan lemon pasta in 60 seconds #recipes #pasta",
                        views=1100, save_rate=0.16, created_at=self.now - timedelta(days=27)),
            self._video(me, visibility=public, caption="Crispy chili tofu, no deep fryer #recipes #vegan", views=420),
            self._video(me, visibility=public, caption="No-knead focaccia, overnight rise #recipes #bread", views=300),
            self._video(me, visibility=public, caption="Three-ingredient pancakes #recipes #breakfast", views=260),
            self._video(me, visibility=public, caption="Garlic butter salmon for two #recipes", views=180),
            self._video(me, visibility=public, caption="Knife skills: the claw grip #kitchen", views=90),
            self._video(me, visibility=public, caption="Street tacos al pastor at home #recipes #tacos", views=150,
                        allow_download=False, allow_comments=InteractionAudience.FRIENDS),
            self._video(me, visibility=friends, caption="Family dinner, friends only #recipes", views=160,
                        save_rate=0.3),
            self._video(me, visibility=friends, caption="Test batch: miso caramel #recipes", views=120,
                        save_rate=0.3),
            self._video(me, visibility=private, caption="Grandma's dumplings (taken down) #recipes", views=380,
                        went_private=True, save_rate=0.12),
            self._video(me, visibility=private, caption="Draft: sourdough timelapse", views=1, went_private=False),
        ]  # fmt: skip
        tacos = self.demo_videos[6].video
        for plan in self.demo_videos:  # predictable for the README: all allowed except the tacos
            video = plan.video
            video.allow_duet = video.allow_stitch = InteractionAudience.EVERYONE
            if video is not tacos:
                video.allow_download, video.allow_comments = True, InteractionAudience.EVERYONE

    def remixes(self) -> None:
        """Duets and stitches of public videos whose creator allows them to everyone."""
        sources = [
            plan
            for plan in self.plan.videos
            if plan.video.visibility == Visibility.PUBLIC and not self.plan.users[plan.owner].is_private
        ]
        for _ in range(REMIXES_PER_SCALE * self.scale):
            source = self.rng.choice(sources)
            kind = self.rng.choice([RemixKind.DUET, RemixKind.STITCH])
            allowed = source.video.allow_duet if kind == RemixKind.DUET else source.video.allow_stitch
            remixer = self.rng.choice([c for c in self.creators if c not in (source.owner, self.demo_creator)])
            if allowed != InteractionAudience.EVERYONE:
                continue
            plan = self._video(remixer, visibility=Visibility.PUBLIC, created_at=self._after(source.video.created_at))
            plan.video.remix_kind = kind
            plan.is_remix = True
            plan.video.remix_of = source.video
            self._notify(recipient=source.owner, actor=remixer, kind=kind, video=plan.video, at=plan.video.created_at)

    # Interactions ----------------------------------------------------------------------------

    def _notify(self, *, recipient: int, actor: int, kind: str, at: datetime, **fields: Any) -> None:
        """Which interactions notify (docs/ARCHITECTURE.md, "The privacy contract"): only likes,
        comments, mentions, follows and remixes."""
        if recipient == actor:
            return
        recent = self.now - at < timedelta(days=2)
        self.plan.notifications.append(
            Notification(
                recipient=self.plan.users[recipient],
                actor=self.plan.users[actor],
                kind=kind,
                is_read=self.rng.random() < (0.3 if recent else 0.85),
                created_at=at,
                **fields,
            )
        )

    def _audience(self, plan: VideoPlan) -> tuple[list[int], bool]:
        """Who could see the video while people engaged with it, and whether anonymous viewers could."""
        owner, visibility = plan.owner, plan.video.visibility
        if visibility == Visibility.PRIVATE and plan.went_private:
            visibility = Visibility.PUBLIC
        if visibility == Visibility.PRIVATE:
            return [], False
        if visibility == Visibility.FRIENDS:
            members = self.followers[owner] & self.following[owner]
            open_to_all = False
        elif self.plan.users[owner].is_private:
            members, open_to_all = self.followers[owner], False
        else:
            members, open_to_all = set(range(len(self.plan.users))), True
        return sorted(members - {owner} - self.demo), open_to_all

    def interactions(self) -> None:
        for plan in self.plan.videos:
            audience, anonymous = self._audience(plan)
            if audience:
                self._engage(plan, audience, anonymous)
        self._demo_viewer_activity()
        self._collections()

    def _engage(self, plan: VideoPlan, audience: list[int], anonymous: bool) -> None:
        rng, video, owner = self.rng, plan.video, plan.owner
        friends = self.followers[owner] & self.following[owner]
        weights = [self.activity[u] for u in audience]
        for viewer in rng.choices(audience, weights=weights, k=plan.views):
            self._view(plan, None if anonymous and rng.random() < 0.25 else viewer)
        for user in rng.sample(audience, k=min(len(audience), round(plan.views * rng.uniform(0.1, 0.3)))):
            self._like(plan, user)
        save_rate = plan.save_rate or rng.uniform(0.03, 0.12)
        for user in rng.sample(audience, k=min(len(audience), round(plan.views * save_rate))):
            self._save(plan, user)
        if video.allow_comments == InteractionAudience.EVERYONE:
            commenters = audience
        elif video.allow_comments == InteractionAudience.FRIENDS:
            commenters = [u for u in audience if u in friends]
        else:
            commenters = []
        if commenters:
            for user in rng.choices(commenters, k=round(plan.views * rng.uniform(0.01, 0.05))):
                mention = rng.choice(audience) if rng.random() < 0.08 else None
                self._comment(plan, user, mention=None if mention in (user, owner) else mention)
        for user in rng.choices(audience, k=round(plan.views * rng.uniform(0.01, 0.04))):
            self.plan.shares.append(
                Share(
                    user=self.plan.users[user],
                    video=video,
                    channel=_pick(rng, SHARE_CHANNELS),
                    created_at=self._after(video.created_at),
                )
            )
        if video.allow_download:
            for user in rng.choices(audience, k=round(plan.views * rng.uniform(0.005, 0.03))):
                self.plan.downloads.append(
                    Download(user=self.plan.users[user], video=video, created_at=self._after(video.created_at))
                )

    def _view(self, plan: VideoPlan, viewer: int | None) -> None:
        rng, duration = self.rng, plan.video.duration_seconds
        if rng.random() < min(max(0.7 - duration / 200, 0.1), 0.7):
            watched = duration + (rng.randint(0, duration) if rng.random() < 0.3 else 0)
        else:
            watched = rng.randint(0, duration - 1) if duration > 1 else 0
        if viewer is None:
            source = _pick(rng, SOURCES_ANONYMOUS)
        elif viewer in self.followers[plan.owner]:
            source = _pick(rng, SOURCES_FOLLOWER)
        else:
            source = _pick(rng, SOURCES_STRANGER)
        self.plan.views.append(
            View(
                video=plan.video,
                viewer=None if viewer is None else self.plan.users[viewer],
                watched_seconds=watched,
                position_seconds=min(watched, duration),
                completed=watched >= duration,
                replayed=watched > duration,  # watched past the end: it started again
                traffic_source=source,
                created_at=self._after(plan.video.created_at),
            )
        )

    def _like(self, plan: VideoPlan, user: int) -> None:
        key = (user, id(plan))
        if key in self.liked:
            return
        self.liked.add(key)
        at = self._after(plan.video.created_at)
        self.plan.likes.append(Like(user=self.plan.users[user], video=plan.video, created_at=at))
        self._notify(recipient=plan.owner, actor=user, kind=NotificationKind.LIKE, video=plan.video, at=at)

    def _save(self, plan: VideoPlan, user: int, collection: FavoriteCollection | None = None) -> None:
        """Saves are silent: a row and a total, never a notification."""
        key = (user, id(plan))
        if key in self.saved:
            return
        self.saved.add(key)
        favorite = Favorite(
            user=self.plan.users[user],
            video=plan.video,
            collection=collection,
            created_at=self._after(plan.video.created_at),
        )
        self.plan.favorites.append(favorite)
        self.favorites_of[user].append(favorite)

    def _comment(self, plan: VideoPlan, user: int, *, mention: int | None = None, text: str | None = None) -> None:
        at = self._after(plan.video.created_at)
        if text is None:
            text = (
                self.rng.choice(COMMENT_LINES)
                if self.rng.random() < 0.6
                else self.fake.sentence(nb_words=self.rng.randint(3, 14))
            )
        if mention is not None:
            text = f"@{self.plan.users[mention].username} {text}"
        comment = Comment(video=plan.video, author=self.plan.users[user], text=text[:1000], created_at=at)
        self.plan.comments.append(comment)
        self._notify(
            recipient=plan.owner, actor=user, kind=NotificationKind.COMMENT, video=plan.video, comment=comment, at=at
        )
        if mention is not None:
            self._notify(
                recipient=mention, actor=user, kind=NotificationKind.MENTION, video=plan.video, comment=comment, at=at
            )

    def _demo_viewer_activity(self) -> None:
        """Predictable for the README: favorites (five in "Recipes", one of them now unavailable),
        likes, a comment and views, all on videos demo_viewer could see at the time."""
        me, videos = self.demo_viewer, self.demo_videos
        recipes = FavoriteCollection(
            owner=self.plan.users[me], name="Recipes", created_at=videos[0].video.created_at + timedelta(hours=2)
        )
        later = FavoriteCollection(owner=self.plan.users[me], name="Watch later", created_at=self._days_ago(5, 10))
        self.plan.collections += [recipes, later]
        for plan in (videos[0], videos[1], videos[2], videos[9]):
            self._save(plan, me, recipes)  # videos[9] went private: an unavailable favorite
        self._save(videos[7], me)  # FRIENDS: visible because they are friends
        others = [
            plan
            for plan in self.plan.videos
            if plan.owner != self.demo_creator
            and plan.video.visibility == Visibility.PUBLIC
            and not self.plan.users[plan.owner].is_private
        ]
        picks = self.rng.sample(others, k=min(8, len(others)))
        for place, plan in enumerate(picks[:3]):  # one to "Watch later" (or "Recipes"), one outside
            folder = recipes if self.topic[plan.owner] == "recipes" else later
            self._save(plan, me, [folder, later, None][place])
        for plan in [videos[0], videos[1], videos[4], videos[7], *picks[2:8]]:
            self._like(plan, me)
        self._comment(videos[0], me, text="Made this tonight, the lemon zest is everything!")
        for plan in [*videos[:5], videos[7], videos[9], *picks]:
            for _ in range(self.rng.randint(1, 3)):
                self._view(plan, me)

    def _collections(self) -> None:
        """A third of savers sort about half their favorites into one to three named collections."""
        for user, favorites in self.favorites_of.items():
            if user in self.demo or self.rng.random() > 0.35:
                continue
            names = self.rng.sample(COLLECTION_NAMES, k=self.rng.randint(1, 3))
            owned = [FavoriteCollection(owner=self.plan.users[user], name=name) for name in names]
            for favorite in favorites:
                if self.rng.random() < 0.5:
                    favorite.collection = self.rng.choice(owned)
            for collection in owned:
                moments = [f.created_at for f in favorites if f.collection is collection]
                collection.created_at = min(moments) if moments else self._days_ago(0, DAYS)
            self.plan.collections += owned

    def build(self) -> DemoPlan:
        self.users()
        self.videos()
        self.remixes()
        self.follows()
        self.interactions()
        for (follower, followee), edge in self.plan.follows.items():
            if edge.status == FollowStatus.ACCEPTED:
                self.plan.users[followee].follower_count += 1
                self.plan.users[follower].following_count += 1
        return self.plan


def _insert(objs: Sequence[Model], progress: Callable[[int], object] | None) -> None:
    for start in range(0, len(objs), BATCH_SIZE):
        batch = list(objs[start : start + BATCH_SIZE])
        type(batch[0])._default_manager.bulk_create(batch, batch_size=BATCH_SIZE)
        if progress is not None:
            progress(len(batch))


def _counters(plan: DemoPlan) -> list[VideoCounters]:
    """Counters tallied from the planned rows, which carry their video ids once inserted."""
    tallies: defaultdict[int, Counter[str]] = defaultdict(Counter)
    tables: list[tuple[Sequence[Like | Comment | Share | Favorite | Download], str]] = [
        (plan.likes, "like_count"),
        (plan.comments, "comment_count"),
        (plan.shares, "share_count"),
        (plan.favorites, "save_count"),
        (plan.downloads, "download_count"),
    ]
    for rows, name in tables:
        for row in rows:
            tallies[row.video_id][name] += 1
    for view in plan.views:
        tally = tallies[view.video_id]
        tally["view_count"] += 1
        tally["total_watch_seconds"] += view.watched_seconds
        tally["completion_count"] += int(view.completed)
        tally["reached_seconds"] += view.position_seconds
        tally["replay_count"] += int(view.replayed)
    return [
        VideoCounters(video=p.video, **{name: tallies[p.video.pk][name] for name in COUNTER_FIELDS})
        for p in plan.videos
    ]


def seed_demo(
    *,
    scale: int = 1,
    seed: int = DEFAULT_SEED,
    progress_factory: Callable[[int], Any] | None = None,
) -> SeedResult:
    """Plan and insert the demo data in one transaction; returns rows per table.

    ``progress_factory(total_rows)`` may return a progress bar (anything with ``update`` and
    ``close``). The same ``seed`` and ``scale`` give the same data; only the dates move with now.
    """
    started = time.monotonic()
    planner = DemoPlanner(scale=scale, seed=seed, now=timezone.now())
    plan = planner.build()
    _resolve_username_clashes(plan, planner)
    sources = [p.video for p in plan.videos if not p.is_remix]
    remixes = [p.video for p in plan.videos if p.is_remix]
    later: list[tuple[str, Sequence[Model]]] = [
        ("follows", list(plan.follows.values())),
        ("collections", plan.collections),
        ("favorites", plan.favorites),
        ("likes", plan.likes),
        ("comments", plan.comments),
        ("shares", plan.shares),
        ("downloads", plan.downloads),
        ("views", plan.views),
        ("notifications", plan.notifications),
    ]
    rows = {"users": len(plan.users), "videos": len(plan.videos), "video_counters": len(plan.videos)}
    rows["video_hashtags"] = sum(len(parse_hashtags(p.video.caption)) for p in plan.videos)
    rows |= {name: len(objs) for name, objs in later}
    with transaction.atomic():
        bar = progress_factory(sum(rows.values())) if progress_factory else None
        update = bar.update if bar is not None else None
        try:
            # Parents before children: bulk_create fills each child's foreign key from its
            # parent instance, which has its primary key by then.
            for parents in (plan.users, sources, remixes):
                _insert(parents, update)
            link_caption_hashtags([p.video for p in plan.videos])  # by the rule posting a video follows
            if update is not None:
                update(rows["video_hashtags"])
            for _, children in later:
                _insert(children, update)
            _insert(_counters(plan), update)
        finally:
            if bar is not None:
                bar.close()
        drift = counters.video_counter_drift(video_ids=[p.video.pk for p in plan.videos])
        drift += counters.user_counter_drift(user_ids=[u.pk for u in plan.users])
        if drift:
            raise RuntimeError(f"seed_demo planned counters that disagree with its rows: {drift[:5]}")
    return SeedResult(rows=rows, seconds=time.monotonic() - started)


def _resolve_username_clashes(plan: DemoPlan, planner: DemoPlanner) -> None:
    """Generated names may already belong to real accounts in a non-empty database."""
    while True:
        names = [u.username for u in plan.users if u.username not in (DEMO_CREATOR, DEMO_VIEWER)]
        clashes = set(User.objects.filter(username__in=names).values_list("username", flat=True))
        if not clashes:
            return
        for user in plan.users:
            if user.username in clashes:
                user.username = f"{user.username[:24]}{planner.rng.randint(10, 99999)}"
                user.email = f"{user.username}@{DEMO_EMAIL_DOMAIN}"
