"""Which requests a browser sends only after a CORS preflight: on the routes that say so, these
need no CSRF token (the approach of Apollo Server 4's CSRF prevention).

A page on another origin can make a browser send a request with the visitor's cookies and no
preflight only if it is "simple": a form post, or ``fetch`` with one of three Content-Types and
no header outside the CORS safelist. Any other request is asked about first (``OPTIONS``), and
django-cors-headers answers that only for the origins in ``CORS_ALLOWED_ORIGINS``; a browser
sends nothing to a server that did not answer. So a request with another Content-Type, or with
one of ``PREFLIGHT_HEADERS``, came from our own origin, from an allowed one, or from no browser
at all (and then not with a cookie taken from someone's browser). Form and text bodies, and a
body without a Content-Type, keep needing the token. This holds for browsers that enforce CORS
(every current one; the plugins that once sent custom headers across origins are gone).
"""

import re

from django.http import HttpRequest

# The Content-Types a cross-origin page may send without a preflight (the Fetch standard's
# CORS-safelisted request headers), compared by their essence: type/subtype, lowercased.
SIMPLE_CONTENT_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"})
# Headers outside the safelist that clients send for this purpose: X-Apollo-Operation-Name (Apollo
# iOS and Kotlin) and Apollo-Require-Preflight (Apollo's header for any other client). A non-empty
# value counts, as in Apollo Server. Not X-Requested-With: Android's WebView has added it, with the
# app's name, to every request it sends, cross-site form posts included, without a preflight.
PREFLIGHT_HEADERS = ("Apollo-Require-Preflight", "X-Apollo-Operation-Name")
_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_ESSENCE = re.compile(rf"({_TOKEN})/({_TOKEN})")


def content_type_essence(value: str) -> str | None:
    """The essence of a Content-Type as a browser parses it (type/subtype before any parameter,
    lowercased), or None when it does not parse: then it is not known to need a preflight."""
    match = _ESSENCE.fullmatch(value.split(";", 1)[0].strip(" \t\r\n"))
    return match.group(0).lower() if match else None


def needs_preflight(request: HttpRequest) -> bool:
    """Whether a browser would have asked before sending ``request`` across origins."""
    if any(request.headers.get(header, "").strip() for header in PREFLIGHT_HEADERS):
        return True
    essence = content_type_essence(request.META.get("CONTENT_TYPE", ""))
    return essence is not None and essence not in SIMPLE_CONTENT_TYPES
