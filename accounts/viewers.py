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
