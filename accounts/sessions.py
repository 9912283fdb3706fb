"""Browser sessions: sign in and out with Django's session framework."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import authenticate, get_user, login, logout
from django.http import HttpRequest

from accounts.lockout import lockout_error
from accounts.models import User
from kernel.errors import Unauthenticated
from kernel.validation import refuse_nul


def session_log_in(*, request: HttpRequest, username: str, password: str) -> User:
    """Start a session; one message for a wrong username or password, so neither is revealed.
    Failures count toward django-axes' lockout, shared with the HTML password forms."""
    refuse_nul(username, field="username")
    user = authenticate(request, username=username.strip().lower(), password=password)
    if user is None and getattr(request, "axes_locked_out", False):
        raise lockout_error(request)  # whatever the password: a locked-out one is never checked
    if user is None or not user.is_active:
        raise Unauthenticated("Wrong username or password.")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return user


def session_start(*, request: HttpRequest, user: User) -> None:
    """Sign a just-created account in."""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")


def session_log_out(*, request: HttpRequest) -> None:
    logout(request)


def session_still_signs_in(request: HttpRequest) -> bool:
    """Whether the session a long-lived connection (a WebSocket) began with still signs its user
    in, read afresh: not signed out since, the password not changed, the account still active."""
    session_key = request.session.session_key
    if session_key is None:
        return False
    fresh = HttpRequest()
    fresh.session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)
    user = get_user(fresh)
    return user.is_authenticated and user.pk == request.user.pk
