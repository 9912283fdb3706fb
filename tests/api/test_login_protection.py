"""Password guessing: one count of failed sign-ins (django-axes) shared by the logIn mutation,
/accounts/login/ and /admin/login/, per username and address; a lockout answers RATE_LIMITED on
GraphQL and a 429 page on the forms, and lifts after the cool-off."""

import json
from datetime import timedelta
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.db.models import F
from django.test import AsyncClient, Client
from pytest_django import Settings

from tests.api.conftest import ENDPOINTS, GraphQLClient
from tests.factories import make_user, password_of

# The HTTP side of each engine's view: run on both.
pytestmark = pytest.mark.both_engines

LOG_IN = "mutation($u: String!, $p: String!) { logIn(input: {username: $u, password: $p}) { user { username } } }"
LIMIT = 10  # the shipped AXES_FAILURE_LIMIT, checked below
COOL_OFF = timedelta(minutes=15)
FORMS = {"accounts": "/accounts/login/", "admin": "/admin/login/"}


@pytest.fixture(autouse=True)
def only_the_lockout_counts(settings: Settings) -> None:
    """The logIn throttle (a cache count per address) would refuse first in a long test; it is
    lifted so that these tests measure the lockout alone."""
    settings.GRAPHQL_MUTATION_THROTTLES = {**settings.GRAPHQL_MUTATION_THROTTLES, "logIn": (1000, 300)}


def browser(**headers: str) -> Client:
    """A browser at the password forms (CSRF is not what is tested here)."""
    return Client(headers=headers)


def sign_in_by_form(http: Client, form: str, username: str, password: str) -> Any:
    return http.post(FORMS[form], {"username": username, "password": password, "next": "/admin/"})


def guess_by_form(form: str, username: str, times: int, **headers: str) -> list[int]:
    http = browser(**headers)
    return [sign_in_by_form(http, form, username, f"guess-{n}").status_code for n in range(times)]


def mutation_client(engine: str, **headers: str) -> GraphQLClient:
    return GraphQLClient(endpoint=ENDPOINTS[engine], http=Client(enforce_csrf_checks=True, headers=headers))


def guess_by_mutation(engine: str, username: str, times: int, **headers: str) -> list[list[str]]:
    client = mutation_client(engine, **headers)
    return [client(LOG_IN, {"u": username, "p": f"guess-{n}"}).codes for n in range(times)]


def log_in(engine: str, username: str, **headers: str) -> Any:
    return mutation_client(engine, **headers)(LOG_IN, {"u": username, "p": password_of(username)})


def test_the_shipped_settings_are_the_ones_tested() -> None:
    """Given the project settings, then the limits these tests assume are the shipped ones."""
    assert django_settings.AXES_FAILURE_LIMIT == LIMIT
    assert django_settings.AXES_COOLOFF_TIME == COOL_OFF
    assert django_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert django_settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_wrong_passwords_on_the_sign_in_page_lock_the_log_in_mutation(engine: str, db: None) -> None:
    """Given LIMIT wrong passwords for one username on /accounts/login/,
    when the right password is sent to the logIn mutation from the same address,
    then it is refused with RATE_LIMITED and no session starts."""
    make_user("victim")

    statuses = guess_by_form("accounts", "victim", LIMIT)
    answer = log_in(engine, "victim")

    assert statuses == [200] * (LIMIT - 1) + [429]
    assert answer.codes == ["RATE_LIMITED"]
    assert answer.data is None


def test_wrong_passwords_on_the_log_in_mutation_lock_the_admin_sign_in(engine: str, db: None) -> None:
    """Given LIMIT wrong passwords for a staff username on the logIn mutation,
    when the right password is typed into /admin/login/ from the same address,
    then the admin answers a plain 429 page with Retry-After and does not sign the staff in."""
    make_user("staff", is_staff=True, is_superuser=True)

    codes = guess_by_mutation(engine, "staff", LIMIT)
    http = browser()
    page = sign_in_by_form(http, "admin", "staff", password_of("staff"))

    assert codes == [["UNAUTHENTICATED"]] * (LIMIT - 1) + [["RATE_LIMITED"]]
    assert page.status_code == 429
    assert page["Retry-After"] == str(int(COOL_OFF.total_seconds()))
    assert b"Too many sign-in attempts" in page.content
    assert b"Try again in 15 minutes" in page.content
    assert "_auth_user_id" not in http.session
    assert http.get("/admin/").status_code == 302  # still to the sign-in page


def test_failures_spread_over_the_three_forms_add_up(engine: str, db: None) -> None:
    """Given LIMIT wrong passwords for one username split over logIn, /accounts/login/ and
    /admin/login/, when the right password is tried on each of the three,
    then all three refuse it: the count is one, not one per form."""
    make_user("staff", is_staff=True)
    guess_by_mutation(engine, "staff", 4)
    guess_by_form("accounts", "staff", 3)
    assert guess_by_form("admin", "staff", 3) == [200, 200, 429]

    http = browser()
    assert log_in(engine, "staff").codes == ["RATE_LIMITED"]
    assert sign_in_by_form(http, "accounts", "staff", password_of("staff")).status_code == 429
    assert sign_in_by_form(http, "admin", "staff", password_of("staff")).status_code == 429
    assert "_auth_user_id" not in http.session


def test_the_mutation_lockout_is_the_same_graphql_error_on_both_engines(db: None) -> None:
    """Given a locked-out username, when each engine is sent logIn with the right password,
    then both answer the same JSON body: a GraphQL error with code RATE_LIMITED and the wait,
    status 429 and a Retry-After header (not axes' own page)."""
    make_user("victim")
    guess_by_form("accounts", "victim", LIMIT)
    wait = int(COOL_OFF.total_seconds())

    answers = {}
    for engine, endpoint in ENDPOINTS.items():
        http = Client()
        body = json.dumps({"query": LOG_IN, "variables": {"u": "victim", "p": password_of("victim")}})
        answers[engine] = http.post(endpoint, data=body, content_type="application/json")

    for response in answers.values():
        assert response.status_code == 429
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response["Retry-After"] == str(wait)
        assert json.loads(response.content) == {
            "errors": [
                {
                    "message": f"Too many failed sign-ins; try again in {wait} seconds.",
                    "extensions": {"code": "RATE_LIMITED", "retryAfter": wait, "requestId": response["X-Request-ID"]},
                }
            ],
        }


def test_the_mutation_lockout_is_graphql_under_asgi_too(engine: str, db: None) -> None:
    """Given a locked-out username, when logIn is sent through the ASGI handler (production
    under uvicorn, where axes' middleware runs its async branch),
    then the answer is the same RATE_LIMITED JSON."""
    make_user("victim")
    guess_by_form("accounts", "victim", LIMIT)
    body = json.dumps({"query": LOG_IN, "variables": {"u": "victim", "p": password_of("victim")}})

    response = async_to_sync(AsyncClient().post)(ENDPOINTS[engine], data=body, content_type="application/json")

    assert response.status_code == 429
    assert json.loads(response.content)["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert response["Retry-After"] == str(int(COOL_OFF.total_seconds()))


def test_a_lockout_holds_one_username_at_one_address_only(engine: str, db: None, settings: Settings) -> None:
    """Given LIMIT wrong passwords for one username from one address (behind our proxy, so the
    address is the one it forwarded), when the same address signs another username in, and the
    same username signs in from another address, then both succeed: a guesser can lock neither
    everyone at an address nor one account everywhere."""
    settings.TRUSTED_PROXY_HOPS = 1
    make_user("victim")
    make_user("neighbour")
    guesser = {"X-Forwarded-For": "203.0.113.1"}
    guess_by_mutation(engine, "victim", LIMIT, **guesser)

    assert log_in(engine, "victim", **guesser).codes == ["RATE_LIMITED"]
    assert log_in(engine, "neighbour", **guesser).data == {"logIn": {"user": {"username": "neighbour"}}}
    elsewhere = log_in(engine, "victim", **{"X-Forwarded-For": "198.51.100.2"})
    assert elsewhere.data == {"logIn": {"user": {"username": "victim"}}}
    forged = log_in(engine, "victim", **{"X-Forwarded-For": "198.51.100.2, 203.0.113.1"})
    assert forged.codes == ["RATE_LIMITED"]  # only the entry our proxy wrote is believed


def _age_attempts(by: timedelta) -> None:
    """Move the clock: every recorded failure happened ``by`` earlier."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - by)


def test_the_lockout_lifts_after_the_cool_off_and_each_refused_try_restarts_it(engine: str, db: None) -> None:
    """Given a locked-out username, when a try comes just inside the cool-off it is refused and
    restarts the cool-off; when the whole cool-off has then passed, the right password works on
    the mutation and the form alike."""
    make_user("victim")
    guess_by_mutation(engine, "victim", LIMIT)

    _age_attempts(COOL_OFF - timedelta(minutes=1))
    assert log_in(engine, "victim").codes == ["RATE_LIMITED"]
    _age_attempts(timedelta(minutes=2))  # the lock's first failures are now past the cool-off
    assert log_in(engine, "victim").codes == ["RATE_LIMITED"]

    _age_attempts(COOL_OFF)
    assert log_in(engine, "victim").data == {"logIn": {"user": {"username": "victim"}}}
    assert not AccessAttempt.objects.exists()


def test_the_form_lockout_lifts_after_the_cool_off(db: None) -> None:
    """Given a username locked out on /admin/login/, when the cool-off has passed,
    then the right password signs the staff in."""
    make_user("staff", is_staff=True)
    guess_by_form("admin", "staff", LIMIT)
    _age_attempts(COOL_OFF + timedelta(seconds=1))

    http = browser()
    answer = sign_in_by_form(http, "admin", "staff", password_of("staff"))

    assert answer.status_code == 302
    assert http.session["_auth_user_id"]


def test_a_successful_sign_in_below_the_limit_resets_the_count(engine: str, db: None) -> None:
    """Given LIMIT - 1 wrong passwords and then the right one, when LIMIT - 1 more wrong
    passwords follow, then none is refused for the lockout and the right password still works:
    the earlier failures were forgotten at the successful sign-in."""
    make_user("forgetful")
    assert guess_by_mutation(engine, "forgetful", LIMIT - 1) == [["UNAUTHENTICATED"]] * (LIMIT - 1)
    assert log_in(engine, "forgetful").codes == []
    assert not AccessAttempt.objects.exists()

    assert guess_by_form("accounts", "forgetful", LIMIT - 1) == [200] * (LIMIT - 1)
    assert log_in(engine, "forgetful").data == {"logIn": {"user": {"username": "forgetful"}}}


def test_unknown_usernames_lock_out_like_known_ones(engine: str, db: None) -> None:
    """Given no such account, when LIMIT wrong passwords are sent for it, then the lockout comes
    at the same try as for a real account: the answers do not reveal which usernames exist."""
    make_user("real")

    assert guess_by_mutation(engine, "ghost", LIMIT) == guess_by_mutation(engine, "real", LIMIT)
