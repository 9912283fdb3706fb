"""Object permissions decide who reads a creator's insights, so what writes them is kept to one
module (``engagement.delegations``), called by the services after a policy allowed it: a grant
written anywhere else would be a rule decided outside the policy layer."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRITERS = {"assign_perm", "remove_perm", "bulk_assign_perm", "bulk_remove_perm"}
PERMISSION_MODELS = {"UserObjectPermission", "GroupObjectPermission"}
ALLOWED = {ROOT / "engagement" / "delegations.py"}
APP_DIRS = ("accounts", "engagement", "accesslog", "backend", "ide", "webclient")


def guardian_writers(path: Path) -> set[str]:
    """The guardian writes and permission models a module imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("guardian"):
            found |= {alias.name for alias in node.names} & (WRITERS | PERMISSION_MODELS)
    return found


def test_only_the_delegations_module_writes_object_permissions() -> None:
    modules = [path for folder in APP_DIRS for path in (ROOT / folder).rglob("*.py") if "migrations" not in path.parts]

    offenders = {
        str(path.relative_to(ROOT)): names
        for path in modules
        if path not in ALLOWED and (names := guardian_writers(path))
    }

    assert offenders == {}
    assert guardian_writers(ROOT / "engagement" / "delegations.py") >= {"assign_perm", "remove_perm"}
