"""The layers of the project, as its imports draw them (docs/architecture.md).

Each project package may import the packages below it, never one above: the table below is the
rule, and these tests read every module of the project (migrations included) to hold it. An import
inside a function is refused whatever its direction, an import of the package's own modules too: it
hides a dependency (usually a cycle) from the reader and from this test. The few that Django's
loading order needs are listed, each with its reason, in FUNCTION_LEVEL_IMPORTS. Tests and the
benchmark (tests/, bench/) stand outside the layers.
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
    "office": {"tenancy", "attache_crm", "contacts", "engagements", "reports"},
    "seeding": {"tenancy", "attache_crm", "contacts", "engagements", "reports", "office"},
    "calendars": {"tenancy", "apitokens", "attache_crm", "contacts", "engagements", "office"},
    "handover": {"tenancy", "attache_crm", "contacts", "engagements", "office"},
}
# The project shell: settings and the URL map assemble every app, so they may import any of them.
SHELL = {
    "attache_crm.settings",
    "attache_crm.urls",
    "attache_crm.api_urls",
    "attache_crm.bench_urls",
    "attache_crm.views",
}


# The only project imports allowed inside a function: (file, module imported) → why it cannot sit at
# the top of its module. Keep it short; anything else moves to the module's top or to its floor.
SIGNALS_IN_READY = "AppConfig.ready(): receivers connect once every app's models are loaded"
FUNCTION_LEVEL_IMPORTS = {
    ("attache_crm/accounts/apps.py", "attache_crm.accounts.signals"): SIGNALS_IN_READY,
    ("contacts/apps.py", "contacts.signals"): SIGNALS_IN_READY,
    ("tenancy/apps.py", "tenancy.writes"): SIGNALS_IN_READY,
}


def _modules():
    for package in ALLOWED:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield ".".join(path.relative_to(ROOT).with_suffix("").parts), path


def _in_shell(module: str) -> bool:
    return any(module == shell or module.startswith(shell + ".") for shell in SHELL)


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _imported_modules(node, module: str) -> list[str]:
    """The absolute names an import statement of `module` brings in: `from . import signals` in
    contacts/apps.py is contacts.signals, `from .models import X` in tenancy/audit.py tenancy.models."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = ".".join(module.split(".")[: -node.level])
        source = f"{base}.{node.module}" if node.module else base
    else:
        source = node.module
    submodules = [f"{source}.{alias.name}" for alias in node.names if _is_module(f"{source}.{alias.name}")]
    return submodules or [source]


def _imports(tree: ast.AST, module: str = ""):
    """(imported project package, imported module, line, inside a function) of every import."""

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import | ast.ImportFrom):
                for name in _imported_modules(child, module):
                    yield name.split(".")[0], name, child.lineno, in_function
            yield from visit(child, nested)

    return [found for found in visit(tree, False) if found[0] in ALLOWED]


def _violations():
    found = []
    for module, path in _modules():
        package = module.split(".")[0]
        relative = path.relative_to(ROOT).as_posix()
        for imported, name, line, in_function in _imports(ast.parse(path.read_text(), filename=str(path)), module):
            if in_function:
                if (relative, name) not in FUNCTION_LEVEL_IMPORTS:
                    found.append(f"{relative}:{line} imports {name} inside a function")
            elif imported != package and imported not in ALLOWED[package] and not _in_shell(module):
                found.append(f"{relative}:{line} imports {imported}, a layer above {package}")
    return found


def test_every_import_points_down_and_none_hides_in_a_function():
    assert _violations() == []


def test_the_ground_floor_imports_no_other_app():
    tenancy_imports = {
        imported
        for module, path in _modules()
        if module.startswith("tenancy.")
        for imported, _, _, _ in _imports(ast.parse(path.read_text()), module)
    }
    assert tenancy_imports <= {"tenancy"}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from reports.models import Cable\n", ["contacts/x.py:1 imports reports, a layer above contacts"]),
        ("import engagements.models\n", ["contacts/x.py:1 imports engagements, a layer above contacts"]),
        (
            "def f():\n    from tenancy.models import Post\n",
            ["contacts/x.py:2 imports tenancy.models inside a function"],
        ),
        ("def f():\n    from . import names\n", ["contacts/x.py:2 imports contacts.names inside a function"]),
        (
            "class C:\n    def f(self):\n        import contacts.names\n",
            ["contacts/x.py:3 imports contacts.names inside a function"],
        ),
        ("def f():\n    from .names import find\n", ["contacts/x.py:2 imports contacts.names inside a function"]),
        ("from tenancy import policy\nfrom . import names\n", []),
    ],
)
def test_the_walk_catches_an_upward_or_hidden_import(tmp_path, monkeypatch, source, expected):
    """The rule's own check: a module that breaks it is named, one that keeps it is not."""
    (tmp_path / "contacts").mkdir()
    (tmp_path / "contacts" / "x.py").write_text(source)
    (tmp_path / "contacts" / "names.py").write_text("")
    monkeypatch.setattr("tests.test_architecture.ROOT", tmp_path)
    monkeypatch.setattr(
        "tests.test_architecture.ALLOWED", dict.fromkeys(ALLOWED, set()) | {"contacts": ALLOWED["contacts"]}
    )
    assert _violations() == expected


def test_each_import_allowed_in_a_function_is_still_there_and_says_why():
    """The list of exceptions only shrinks: an entry whose import is gone (or moved) fails here."""
    found = set()
    for module, path in _modules():
        relative = path.relative_to(ROOT).as_posix()
        for _, name, _, in_function in _imports(ast.parse(path.read_text()), module):
            if in_function:
                found.add((relative, name))
    assert set(FUNCTION_LEVEL_IMPORTS) <= found
    assert all(reason.strip() for reason in FUNCTION_LEVEL_IMPORTS.values())
