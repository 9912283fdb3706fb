"""GraphiQL at both endpoints (``ide``): a browser opening either gets the page while
``GRAPHQL_IDE`` is on, the page names only our own static files, and with the IDE off both
engines refuse such a GET alike, whatever DEBUG says. GraphiQL's files are downloaded at install
time (``ide/assets.py``): the installed ones are the pinned ones, the installer writes only checked,
named files, and without them the page says how to fetch them."""

import base64
import hashlib
import io
import json
import re
import tarfile
from contextlib import closing
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import resolve
from pytest_django import Settings

from ide import assets
from ide.views import CONTENT_SECURITY_POLICY
from kernel import routes
from tests.api.conftest import ENDPOINTS

# The HTTP side of each engine's view: run on both.
pytestmark = pytest.mark.both_engines

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
JSON = "application/json; charset=utf-8"


class References(HTMLParser):
    """Every URL a page names in ``src`` or ``href``."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value or "" for name, value in attrs if name in ("src", "href")]


@pytest.fixture
def client(db: None) -> Client:
    return Client()


@pytest.fixture
def ide_on(settings: Settings) -> None:
    settings.GRAPHQL_IDE = True


def references(html: bytes) -> list[str]:
    parser = References()
    parser.feed(html.decode())
    return parser.urls


@pytest.mark.usefixtures("ide_on")
@pytest.mark.parametrize("accept", [BROWSER_ACCEPT, "text/html"])
def test_a_browser_opening_an_endpoint_gets_graphiql_pointed_at_it(client: Client, engine: str, accept: str) -> None:
    response = client.get(ENDPOINTS[engine], headers={"Accept": accept})

    assert response.status_code == 200 and response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "Accept" in response["Vary"]
    chosen = re.findall(r'<option value="([^"]+)" selected>', response.content.decode())
    assert chosen == [ENDPOINTS[engine]]


@pytest.mark.usefixtures("ide_on")
def test_the_page_names_only_our_own_static_files(client: Client, engine: str) -> None:
    urls = references(client.get(ENDPOINTS[engine], headers={"Accept": BROWSER_ACCEPT}).content)

    assert len(urls) == 7  # the icon, two style sheets, four scripts
    downloaded = {asset.file for package in assets.PACKAGES for asset in package.assets}
    assert {url.rpartition("/")[2] for url in urls if "/ide/vendor/" in url} == {
        name for name in downloaded if not name.startswith("LICENSE.")
    }
    for url in urls:
        assert url.startswith(django_settings.STATIC_URL), url
        assert finders.find(url.removeprefix(django_settings.STATIC_URL)), url
        with closing(client.get(url)) as response:
            assert response.status_code == 200


@pytest.mark.usefixtures("ide_on")
@pytest.mark.parametrize("accept", ["application/json", "*/*", ""])
def test_a_program_still_gets_json_with_the_ide_on(client: Client, engine: str, accept: str) -> None:
    response = client.get(ENDPOINTS[engine], headers={"Accept": accept})

    assert response.status_code == 400 and response["Content-Type"] == JSON
    assert client.get(f"{ENDPOINTS[engine]}?query=%7B__typename%7D", headers={"Accept": BROWSER_ACCEPT}).json() == {
        "data": {"__typename": "Query"}
    }


def without_request_id(response: Any) -> dict[str, Any]:
    body = json.loads(response.content)
    assert body["errors"][0]["extensions"].pop("requestId") == response["X-Request-ID"]
    return body


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize(("accept", "status"), [(BROWSER_ACCEPT, 400), ("text/html", 406), ("application/json", 400)])
def test_with_the_ide_off_both_engines_refuse_a_get_without_query_alike(
    client: Client, settings: Settings, debug: bool, accept: str, status: int
) -> None:
    settings.DEBUG = debug
    settings.GRAPHQL_IDE = False

    answers = [client.get(endpoint, headers={"Accept": accept}) for endpoint in ENDPOINTS.values()]

    assert [(answer.status_code, answer["Content-Type"]) for answer in answers] == [(status, JSON)] * 2
    bodies = [without_request_id(answer) for answer in answers]
    assert bodies[0] == bodies[1]
    assert bodies[0]["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}


def test_the_page_is_on_the_declared_graphql_routes() -> None:
    """No route of its own: the page answers at the endpoints, under their declaration."""
    for endpoint in ENDPOINTS.values():
        assert routes.access_of(resolve(endpoint).route) is routes.GRAPHQL_API


@pytest.mark.usefixtures("ide_on")
def test_without_its_files_the_page_says_how_to_install_them(
    client: Client, engine: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(assets, "VENDOR", tmp_path)

    response = client.get(ENDPOINTS[engine], headers={"Accept": BROWSER_ACCEPT})

    assert response.status_code == 503 and response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    page = response.content.decode()
    assert "<code>make install</code>" in page and "<code>python manage.py install_graphiql</code>" in page
    assert references(response.content) == []


def test_the_installed_files_are_the_pinned_ones() -> None:
    """``make test`` installs them first; run ``make install`` when this fails."""
    assert {package.name: assets.stale(package, assets.VENDOR) for package in assets.PACKAGES} == {
        package.name: [] for package in assets.PACKAGES
    }
    assert assets.installed()


def tarball(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


SCRIPT = b"window.Demo = 1;\n"
LICENSE = b"MIT\n"


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    """A local registry (a ``file:`` URL) holding one package whose tarball also carries an
    unlisted file and a member that would land outside the destination."""
    data = tarball({"package/demo.js": SCRIPT, "package/LICENSE": LICENSE, "package/other.js": b"x", "../up": b"x"})
    (tmp_path / "registry" / "demo" / "-").mkdir(parents=True)
    (tmp_path / "registry" / "demo" / "-" / "demo-1.0.0.tgz").write_bytes(data)
    return tmp_path / "registry"


def demo(registry: Path) -> assets.Package:
    data = (registry / "demo" / "-" / "demo-1.0.0.tgz").read_bytes()
    return assets.Package(
        "demo",
        "1.0.0",
        integrity(data),
        (
            assets.Asset("demo.js", "package/demo.js", hashlib.sha256(SCRIPT).hexdigest()),
            assets.Asset("LICENSE.demo", "package/LICENSE", hashlib.sha256(LICENSE).hexdigest()),
        ),
    )


def test_the_installer_writes_the_named_files_then_downloads_nothing(registry: Path, tmp_path: Path) -> None:
    package, dest = demo(registry), tmp_path / "out" / "vendor"
    url = registry.as_uri() + "/demo/-/demo-1.0.0.tgz"

    first = assets.install(dest, packages=(package,), registry_url=registry.as_uri())

    assert first == [assets.Outcome(package, url, ("demo.js", "LICENSE.demo"))]
    assert {path.name: path.read_bytes() for path in dest.iterdir()} == {"demo.js": SCRIPT, "LICENSE.demo": LICENSE}
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == ["vendor"]  # nothing landed beside it
    (registry / "demo" / "-" / "demo-1.0.0.tgz").unlink()  # a second download would fail
    assert assets.install(dest, packages=(package,), registry_url=registry.as_uri()) == [
        assets.Outcome(package, None, ())
    ]


def test_the_installer_refuses_a_corrupted_tarball_and_writes_nothing(registry: Path, tmp_path: Path) -> None:
    package, dest = demo(registry), tmp_path / "vendor"
    path = registry / "demo" / "-" / "demo-1.0.0.tgz"
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))

    with pytest.raises(assets.AssetError, match="does not match its pinned integrity") as refusal:
        assets.install(dest, packages=(package,), registry_url=registry.as_uri())

    assert path.as_uri() in str(refusal.value)
    assert list(dest.iterdir()) == []


def test_a_failed_download_names_its_url(registry: Path, tmp_path: Path) -> None:
    package = demo(registry)
    missing = tmp_path / "elsewhere"

    with pytest.raises(assets.AssetError, match="could not download") as failure:
        assets.install(tmp_path / "vendor", packages=(package,), registry_url=missing.as_uri())

    assert f"{missing.as_uri()}/demo/-/demo-1.0.0.tgz" in str(failure.value)
