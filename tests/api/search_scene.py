"""The people and videos the search and hashtag tests look for: one video for each reason a
viewer may not see one, each with the word ``zebra``, a tag of its own and the tag ``#herd`` they
all share (``#zebra`` too where the video is visible to everyone), so each rule shows in every
kind of result."""

from dataclasses import dataclass

from accounts.models import Block, Mute, User
from engagement.models import Video, Visibility
from tests.factories import make_follow, make_friends, make_user, make_video


@dataclass
class Scene:
    """``searcher`` is the viewer. ``owner`` posts a video of each visibility; ``friend`` (a mutual
    follow of the searcher) a FRIENDS one; ``locked`` and ``followed`` are private accounts, only
    ``followed`` approved the searcher; ``gone`` is deactivated; ``blocker`` blocked the searcher,
    who blocked ``blocked`` and muted ``muted``. Every account but the searcher is named ``zebra_…``."""

    searcher: User
    owner: User
    friend: User
    locked: User
    followed: User
    gone: User
    blocker: User
    blocked: User
    muted: User
    videos: dict[str, Video]

    def tag(self, key: str) -> str:
        return f"zebra_{key}"


# Video key -> (its owner in the scene, visibility); each caption is ``caption(key)``.
VIDEOS = {
    "public": ("owner", Visibility.PUBLIC),
    "friends_only": ("owner", Visibility.FRIENDS),
    "private": ("owner", Visibility.PRIVATE),
    "pals": ("friend", Visibility.FRIENDS),
    "locked": ("locked", Visibility.PUBLIC),
    "followed": ("followed", Visibility.PUBLIC),
    "gone": ("gone", Visibility.PUBLIC),
    "blocker": ("blocker", Visibility.PUBLIC),
    "blocked": ("blocked", Visibility.PUBLIC),
    "muted": ("muted", Visibility.PUBLIC),
}

# What each viewer finds: the videos (by key) and so their own tags; ``#zebra`` is on the public one.
SHOWN = {
    "searcher": {"public", "pals", "followed"},
    "anonymous": {"public", "blocker", "blocked", "muted"},
    "owner": {"public", "friends_only", "private", "blocker", "blocked", "muted"},
}


def caption(key: str) -> str:
    return f"Zebra #zebra_{key} #herd" + (" #zebra" if key == "public" else "")


def build_scene() -> Scene:
    searcher = make_user("searcher")
    people = {
        name: make_user(
            f"zebra_{name}", display_name=f"Zebra {name.title()}", is_private=name in ("locked", "followed")
        )
        for name in ("owner", "friend", "locked", "followed", "gone", "blocker", "blocked", "muted")
    }
    make_friends(searcher, people["friend"])
    make_follow(searcher, people["followed"])
    videos = {}
    for key, (owner, visibility) in VIDEOS.items():
        videos[key] = make_video(people[owner], visibility=visibility, caption=caption(key))
    User.objects.filter(pk=people["gone"].pk).update(is_active=False)
    Block.objects.create(blocker=people["blocker"], blocked=searcher)
    Block.objects.create(blocker=searcher, blocked=people["blocked"])
    Mute.objects.create(muter=searcher, muted=people["muted"])
    return Scene(searcher=searcher, videos=videos, **people)
