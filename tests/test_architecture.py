"""The layers of the project, as its imports draw them (docs/architecture.md).

Each project package may import the packages below it, never one above: the table below is the
rule, and these tests read every module of the project (migrations included) to hold it. An import
inside a function is refused whatever its direction: it hides a dependency (usually a cycle) from
the reader and from this test. Tests and the benchmark (tests/, bench/) stand outside the layers.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# What each package may import besides itself, lowest layer first.
ALLOWED = {
    "tenancy": set(),
    "apitokens": {"tenancy"},
    "attache_crm": {"tenancy", "apitokens"},
    "operations": {"tenancy", "attache_crm"},
    "contacts": {"tenancy", "attache_crm"},
    "engagements": {"tenancy", "attache_crm", "contacts"},
    "reports": {"tenancy", "attache_crm", "contacts", "engagements", "operations"},
    "seeding": {"tenancy", "attache_crm", "contacts", "engagements", "reports"},
}
# The project shell: settings and the URL map assemble every app, so they may import any of them.
SHELL = {
    "attache_crm.settings",
    "attache_crm.urls",
    "attache_crm.api_urls",
    "attache_crm.bench_urls",
    "attache_crm.views",
}


def _modules():
    for package in ALLOWED:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield ".".join(path.relative_to(ROOT).with_suffix("").parts), path


def _in_shell(module: str) -> bool:
    return any(module == shell or module.startswith(shell + ".") for shell in SHELL)


def _imports(tree: ast.AST):
    """(imported project package, line, inside a function) of every absolute import."""

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield alias.name.split(".")[0], child.lineno, in_function
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                yield child.module.split(".")[0], child.lineno, in_function
            yield from visit(child, nested)

    return [found for found in visit(tree, False) if found[0] in ALLOWED]


def _violations():
    found = []
    for module, path in _modules():
        package = module.split(".")[0]
        for imported, line, in_function in _imports(ast.parse(path.read_text(), filename=str(path))):
            where = f"{path.relative_to(ROOT)}:{line} imports {imported}"
            if imported == package:
                continue
            if in_function:
                found.append(f"{where} inside a function")
            elif imported not in ALLOWED[package] and not _in_shell(module):
                found.append(f"{where}, a layer above {package}")
    return found


def test_every_import_points_down_and_none_hides_in_a_function():
    assert _violations() == []


def test_the_ground_floor_imports_no_other_app():
    tenancy_imports = {
        imported
        for module, path in _modules()
        if module.startswith("tenancy.")
        for imported, _, _ in _imports(ast.parse(path.read_text()))
    }
    assert tenancy_imports <= {"tenancy"}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from reports.models import Cable\n", ["contacts/x.py:1 imports reports, a layer above contacts"]),
        ("import engagements.models\n", ["contacts/x.py:1 imports engagements, a layer above contacts"]),
        ("def f():\n    from tenancy.models import Post\n", ["contacts/x.py:2 imports tenancy inside a function"]),
        ("from tenancy import policy\nfrom . import names\n", []),
    ],
)
def test_the_walk_catches_an_upward_or_hidden_import(tmp_path, monkeypatch, source, expected):
    """The rule's own check: a module that breaks it is named, one that keeps it is not."""
    (tmp_path / "contacts").mkdir()
    (tmp_path / "contacts" / "x.py").write_text(source)
    monkeypatch.setattr("tests.test_architecture.ROOT", tmp_path)
    monkeypatch.setattr(
        "tests.test_architecture.ALLOWED", dict.fromkeys(ALLOWED, set()) | {"contacts": ALLOWED["contacts"]}
    )
    assert _violations() == expected
