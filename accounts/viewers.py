"""Who is asking: the viewer every policy, selector and resolver takes first."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject, empty

from accounts.models import User

Viewer = User | AnonymousUser  # the anonymous one is never anyone's follower, friend or self


def request_user(request: HttpRequest) -> Viewer:
    """``request.user`` without Django's lazy wrapper, which routes every attribute read through
    two Python-level lookups; an API request's field guards read the viewer thousands of times.
    The user is loaded once and put back on the request, as ``login()`` does."""
    user = request.user
    if type(user) is SimpleLazyObject:
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
        request.user = user
    return user


_THROUGH_TOKEN = "_acts_through_token"


def act_through_token(user: User) -> None:
    """Mark the user a bearer token signed in for this request (``accounts.tokens``)."""
    user.__dict__[_THROUGH_TOKEN] = True


def acts_in_person(viewer: Viewer) -> bool:
    """Whether the viewer acts themselves, in a session, rather than through an access token:
    choices that are theirs alone to know (whom they muted) shape only what they are shown in
    person, so no token, of any scope, can read them back from a list."""
    return not viewer.__dict__.get(_THROUGH_TOKEN, False)
