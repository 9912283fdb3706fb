"""GraphiQL's third-party files, fetched at install time and never committed.

The page (``ide/templates/ide/graphiql.html``) loads GraphiQL's and React's UMD builds from our own
static files, so it needs no CDN and no Node.js. ``python manage.py install_graphiql`` (which
``make install`` runs) downloads each package's tarball from the npm registry
(``NPM_CONFIG_REGISTRY``, by default ``https://registry.npmjs.org``), checks it against the
``dist.integrity`` pinned below before opening it, and writes the files named below, byte for byte
as the package ships them, into ``ide/static/ide/vendor/`` (git-ignored). A file already there with
its pinned sha256 is kept, so a second run downloads nothing.

``graphiql.min.js`` bundles GraphiQL's own dependencies (CodeMirror 5, markdown-it and others, all
MIT-licensed; their license comments stay inside the bundle) and expects React and ReactDOM as the
globals the two UMD builds define; its CSS carries its fonts and icons as ``data:`` URLs, so the page
loads nothing from another origin. The bundles' source maps are left out: a browser asks for them
only with its developer tools open. Each package's MIT license is installed beside its files.

To change a version, update its ``Package``: the integrity is
``npm view <package>@<version> dist.integrity`` (or ``dist.integrity`` in
``https://registry.npmjs.org/<package>/<version>``), and each file's sha256 is that of the file the
new tarball holds.
"""

import base64
import hashlib
import os
import tarfile
import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from urllib.request import urlopen

DEFAULT_REGISTRY = "https://registry.npmjs.org"
VENDOR = Path(__file__).resolve().parent / "static" / "ide" / "vendor"
DOWNLOAD_TIMEOUT = 60  # seconds without a byte from the registry


@dataclass(frozen=True)
class Asset:
    file: str  # its name in the destination folder
    member: str  # its path inside the package's tarball
    sha256: str


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    integrity: str  # the tarball's dist.integrity in the registry
    assets: tuple[Asset, ...]

    def tarball_url(self, registry: str) -> str:
        return f"{registry.rstrip('/')}/{self.name}/-/{self.name}-{self.version}.tgz"


PACKAGES = (
    Package(
        "graphiql",
        "3.8.3",
        "sha512-cuPDYtXVKV86Pu5PHBX642Odi/uVEE2y1Jxq5rGO/Qy1G2lRp7ZZ7a/T30RzxhuLSWo9zUbzq0P3U49//H0Ugw==",
        (
            Asset(
                "graphiql.min.js",
                "package/graphiql.min.js",
                "22faab94067b695e5f7959619fbe686ebcc8955002a0c97d986bcbba4ad4bc2c",
            ),
            Asset(
                "graphiql.min.css",
                "package/graphiql.min.css",
                "b1868247f8e0502cd869e581f5f3cb55b334862e7f51b1d6cbace11059b9adc2",
            ),
            Asset(
                "LICENSE.graphiql",
                "package/LICENSE",
                "4b18fbe55c4e8f9169cb702be138f4d858a2dad920c39857204ffdc9c1c9fdc4",
            ),
        ),
    ),
    Package(
        "react",
        "18.3.1",
        "sha512-wS+hAgJShR0KhEvPJArfuPVN1+Hz1t0Y6n5jLrGQbkb4urgPE/0Rve+1kMB1v/oWgHgm4WIcV+i7F2pTVj+2iQ==",
        (
            Asset(
                "react.production.min.js",
                "package/umd/react.production.min.js",
                "d949f1c3687aedadcedac85261865f29b17cd273997e7f6b2bfc53b2f9d4c4dd",
            ),
            Asset(
                "LICENSE.react",
                "package/LICENSE",
                "52412d7bc7ce4157ea628bbaacb8829e0a9cb3c58f57f99176126bc8cf2bfc85",
            ),
        ),
    ),
    Package(
        "react-dom",
        "18.3.1",
        "sha512-5m4nQKp+rZRb09LNH59GM4BxTh9251/ylbKIbpe7TpGxfJ+9kv6BLkLBXIjjspbgbnIBNqlI23tRnTWT0snUIw==",
        (
            Asset(
                "react-dom.production.min.js",
                "package/umd/react-dom.production.min.js",
                "35f4f974f4b2bcd44da73963347f8952e341f83909e4498227d4e26b98f66f0d",
            ),
            Asset(
                "LICENSE.react-dom",
                "package/LICENSE",
                "52412d7bc7ce4157ea628bbaacb8829e0a9cb3c58f57f99176126bc8cf2bfc85",
            ),
        ),
    ),
)


class AssetError(Exception):
    """A download that failed or a file that is not the pinned one; the message names the URL."""


@dataclass(frozen=True)
class Outcome:
    package: Package
    url: str | None  # None when every file was already there
    written: tuple[str, ...]


def registry() -> str:
    return os.environ.get("NPM_CONFIG_REGISTRY") or DEFAULT_REGISTRY


def installed(dest: Path | None = None) -> bool:
    """Every file is there. No hashing, so a page view can afford to ask."""
    folder = dest or VENDOR
    return all((folder / asset.file).is_file() for package in PACKAGES for asset in package.assets)


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def stale(package: Package, dest: Path) -> list[Asset]:
    """The package's files that are missing from ``dest`` or differ from their pin."""
    return [asset for asset in package.assets if _sha256(dest / asset.file) != asset.sha256]


def _download(url: str, integrity: str) -> bytes:
    try:
        with urlopen(url, timeout=DOWNLOAD_TIMEOUT) as response:
            data: bytes = response.read()
    except OSError as error:  # URLError, HTTPError and timeouts alike
        raise AssetError(f"could not download {url}: {error}") from error
    algorithm, _, expected = integrity.partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        raise AssetError(f"{url} does not match its pinned integrity {integrity} (got {algorithm}-{actual})")
    return data


def _extract(url: str, data: bytes, assets: list[Asset]) -> dict[Asset, bytes]:
    """The named members only, looked up by exact name: no other path of the archive is read."""
    contents = {}
    try:
        with tarfile.open(fileobj=BytesIO(data), mode="r:gz") as archive:
            for asset in assets:
                member = archive.getmember(asset.member)
                reader = archive.extractfile(member) if member.isfile() else None
                if reader is None:
                    raise AssetError(f"{asset.member} in {url} is not a regular file")
                contents[asset] = reader.read()
    except KeyError as error:
        raise AssetError(f"{url} has no {error.args[0]}") from error
    except tarfile.TarError as error:
        raise AssetError(f"{url} is not a readable tarball: {error}") from error
    for asset, content in contents.items():
        if hashlib.sha256(content).hexdigest() != asset.sha256:
            raise AssetError(f"{asset.member} in {url} does not match its pinned sha256 {asset.sha256}")
    return contents


def _write(path: Path, content: bytes) -> None:
    """Whole or not at all: a reader never sees half a file."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def install(dest: Path = VENDOR, *, packages: tuple[Package, ...] = PACKAGES, registry_url: str = "") -> list[Outcome]:
    """Fetch what is missing or stale in ``dest``. Each tarball is checked whole before any of its
    files is written, so a refused one writes nothing."""
    base = registry_url or registry()
    dest.mkdir(parents=True, exist_ok=True)
    outcomes = []
    for package in packages:
        todo = stale(package, dest)
        if not todo:
            outcomes.append(Outcome(package, None, ()))
            continue
        url = package.tarball_url(base)
        contents = _extract(url, _download(url, package.integrity), todo)
        for asset, content in contents.items():
            _write(dest / asset.file, content)
        outcomes.append(Outcome(package, url, tuple(asset.file for asset in todo)))
    return outcomes
