"""The data flows one way; the web layer only reads. Walk the imports to keep it so."""

from __future__ import annotations

import ast
from pathlib import Path

import linkeddata

PACKAGE = Path(linkeddata.__file__).parent
WEB_MAY_IMPORT = {"store", "uris", "namespaces", "settings", "errors", "formats"}
# Each stage may import only the stages before it (and the shared modules).
# The store sits below validation: releases are validated where they are staged.
ORDER = ["tabular", "reference", "mapping", "cube", "store", "validate", "pipeline", "web", "cli"]
SHARED = {"errors", "settings", "uris", "namespaces", "formats", "ntriples", "__init__"}


def imported_modules(path: Path) -> set[str]:
    """First component of every linkeddata module a file imports (relative or absolute)."""
    found = set()
    package_parts = path.relative_to(PACKAGE).parts[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package_parts[: len(package_parts) - (node.level - 1)])
                parts = base + (node.module.split(".") if node.module else [])
                if not parts:  # `from . import x` at the top of the package
                    parts = [alias.name for alias in node.names]
                found.add(parts[0])
            elif node.module and node.module.startswith("linkeddata."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("linkeddata."):
                    found.add(alias.name.split(".")[1])
    return found


def stage_of(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def test_the_web_layer_imports_only_what_it_may():
    for path in (PACKAGE / "web").rglob("*.py"):
        bad = imported_modules(path) - WEB_MAY_IMPORT - {"web"}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {sorted(bad)}: the web layer only reads"


def test_no_stage_imports_a_later_stage():
    for path in PACKAGE.rglob("*.py"):
        stage = stage_of(path)
        if stage not in ORDER:
            continue
        for used in imported_modules(path) - SHARED - {stage}:
            if used in ORDER:
                assert ORDER.index(used) < ORDER.index(stage), (
                    f"{path.relative_to(PACKAGE)} ({stage}) imports {used}, a later stage"
                )
