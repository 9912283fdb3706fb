"""Tools nobody here wrote work from the README as written ("Use it from your tools"): code
generators reject duplicate operation names and make nothing usable of anonymous ones, and gql
checks each operation against the schema before it sends it. So every operation the README shows
is named, no name repeats, each validates against schema.graphql, examples/operations.graphql
holds the README's examples verbatim, and the README's gql example runs against a live server."""

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from graphql import DocumentNode, OperationDefinitionNode, build_schema, parse, print_ast, validate
from pytest_django.live_server_helper import LiveServer

from accounts.models import AccountType
from accounts.tokens import access_token_create
from tests.api.conftest import ENDPOINTS
from tests.factories import make_user, make_video

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
OPERATIONS_FILE = ROOT / "examples" / "operations.graphql"
SCHEMA = build_schema((ROOT / "schema.graphql").read_text(encoding="utf-8"))

FENCE = re.compile(r"^```(?P<lang>\w*)\n(?P<body>.*?)^```", re.DOTALL | re.MULTILINE)
# Where else an operation shows: a curl body ('{"query": ...}'), a gql`...` tag in JavaScript,
# and inline code in prose that starts like an operation (a keyword, or the `{ field` shorthand).
CURL_BODY = re.compile(r"'(\{\"query\".*?\})'")
GQL_TAG = re.compile(r"gql`([^`]*)`")
INLINE = re.compile(r"`((?:(?:query|mutation|subscription)\b[^`{]*)?\{\s*\w[^`]*)`")


def readme_operations() -> list[tuple[str, str]]:
    """Every GraphQL operation in the README, with where it was found."""
    found = []
    for fence in FENCE.finditer(README):
        lang, body = fence["lang"], fence["body"]
        if lang == "graphql":
            found.append(("graphql", body))
        elif lang == "sh":
            found += [("sh", json.loads(body)["query"]) for body in CURL_BODY.findall(body)]
        elif lang in {"js", "ts"}:
            found += [("js", tag) for tag in GQL_TAG.findall(body)]
    prose = FENCE.sub("", README)
    found += [("inline", span) for span in INLINE.findall(prose)]
    return found


def operations_of(document: DocumentNode) -> list[OperationDefinitionNode]:
    return [node for node in document.definitions if isinstance(node, OperationDefinitionNode)]


def name_of(source: str) -> str | None:
    operation = operations_of(parse(source))[0]
    return operation.name.value if operation.name else None


OPERATIONS = readme_operations()
GRAPHQL_BLOCKS = [source for where, source in OPERATIONS if where == "graphql"]


def test_operations_are_found_wherever_the_readme_shows_them() -> None:
    """The search reaches every kind of place the README puts an operation (the checks below can
    fail): fenced GraphQL, curl bodies, JavaScript and inline code."""
    assert {where for where, _ in OPERATIONS} == {"graphql", "sh", "js", "inline"}


@pytest.mark.parametrize(("where", "source"), OPERATIONS, ids=[f"{w}-{i}" for i, (w, _) in enumerate(OPERATIONS)])
def test_each_readme_operation_is_named_and_valid(where: str, source: str) -> None:
    """Given an operation of the README, then it is one named operation that validates against
    the committed schema."""
    document = parse(source)

    assert len(document.definitions) == 1 and len(operations_of(document)) == 1, source
    assert name_of(source), f"anonymous operation in the README ({where}): {source}"
    assert validate(SCHEMA, document) == []


def test_operation_names_are_unique_across_the_readme() -> None:
    names = Counter(name_of(source) for _, source in OPERATIONS)

    assert [name for name, count in names.items() if count > 1] == []


def test_the_operations_file_holds_the_readme_examples_and_is_valid() -> None:
    """Given examples/operations.graphql, the file the tools are pointed at, then it validates,
    its operations are named and unique, and they are the README's GraphQL blocks, verbatim."""
    document = parse(OPERATIONS_FILE.read_text(encoding="utf-8"))
    operations = operations_of(document)
    names = [operation.name.value if operation.name else None for operation in operations]

    assert validate(SCHEMA, document) == []
    assert len(operations) == len(document.definitions) and None not in names
    assert len(names) == len(set(names))
    assert {print_ast(operation) for operation in operations} == {print_ast(parse(block)) for block in GRAPHQL_BLOCKS}


def gql_example() -> str:
    """The README's gql example, the one Python block that imports gql."""
    (block,) = [fence["body"] for fence in FENCE.finditer(README) if "from gql import" in fence["body"]]
    return block


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS.values()))
def test_the_readme_gql_example_gets_data_on_its_first_request(
    live_server: LiveServer, transactional_db: None, monkeypatch: pytest.MonkeyPatch, endpoint: str
) -> None:
    """Given a server with no setup for this client (no cookie, no CSRF token), when the README's
    gql example runs as written, then it fetches the schema, checks its operations and gets the
    public profile anonymously and the insights with a bearer token."""
    creator = make_user("demo_creator", account_type=AccountType.CREATOR)
    make_video(creator, caption="first")
    _, token = access_token_create(actor=creator, name="gql", scopes=["INSIGHTS_READ", "PROFILE_READ"])
    monkeypatch.setenv("SILENT_SAVES_URL", live_server.url + endpoint)
    monkeypatch.setenv("SILENT_SAVES_TOKEN", token)
    monkeypatch.chdir(ROOT)
    namespace: dict[str, Any] = {}

    exec(compile(gql_example(), "README.md", "exec"), namespace)

    profile, insights = namespace["profile"]["user"], namespace["insights"]["me"]
    assert profile["username"] == "demo_creator"
    assert [edge["node"]["caption"] for edge in profile["videos"]["edges"]] == ["first"]
    assert [edge["node"]["insights"]["saveCount"] for edge in insights["videos"]["edges"]] == [0]
