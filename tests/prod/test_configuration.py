"""The variables of the production stack, named alike in the four places that name them: the
settings that read them, .env.example, docker-compose.yml and README's production table."""

import ast
import re

import pytest

from . import stack as s

pytestmark = pytest.mark.prod

SETTINGS = s.ROOT / "attache_crm" / "settings"
README = s.ROOT / "README.md"
# Read by manage.py, wsgi.py and celery.py rather than by the settings; set by the image and compose.
SET_BY_THE_IMAGE = {"DJANGO_SETTINGS_MODULE"}
# Read by docker-compose.yml only (the database service and the DATABASE_URL it builds).
READ_BY_COMPOSE = {"POSTGRES_PASSWORD"}


def _env_reads(tree: ast.Module) -> dict[str, set[str]]:
    """{setting assigned at module level: environment variables read to compute it}."""
    reads: dict[str, set[str]] = {}
    for node in tree.body:
        targets = [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)]
        for call in ast.walk(node):
            if not isinstance(call, ast.Call) or not call.args or not isinstance(call.args[0], ast.Constant):
                continue
            func = call.func
            is_env = (isinstance(func, ast.Name) and func.id == "env") or (
                isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "env"
            )
            if is_env and isinstance(call.args[0].value, str):
                for target in targets or ["(statement)"]:
                    reads.setdefault(target, set()).add(call.args[0].value)
    return reads


def production_reads() -> set[str]:
    """What attache_crm.settings.prod reads: its own reads and base's, minus a base setting that
    prod.py overrides with a constant (DEBUG is always off in production, whatever the variable)."""
    base = ast.parse((SETTINGS / "base.py").read_text())
    prod = ast.parse((SETTINGS / "prod.py").read_text())
    constants = {
        t.id
        for node in prod.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    names = set()
    for setting, variables in _env_reads(base).items():
        if setting not in constants:
            names |= variables
    for variables in _env_reads(prod).values():
        names |= variables
    return names


def readme_production_table() -> dict[str, str]:
    """{variable: its "required/optional" column} from the table of README's production section."""
    section = README.read_text().split("## Production with docker-compose", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \| ([^|]*) \|", section, re.M))


def compose_interpolations() -> set[str]:
    return set(re.findall(r"\$\{(\w+)", s.COMPOSE_FILE.read_text().replace("$$", "")))


def test_production_settings_read_the_variables_we_expect():
    # A guard on the parser below: if this fails, the settings changed, and so must README's table.
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"} <= production_reads()
    assert "DEBUG" not in production_reads()


def test_readme_lists_every_variable_of_the_stack_and_nothing_else():
    expected = production_reads() | SET_BY_THE_IMAGE | READ_BY_COMPOSE | compose_interpolations()
    assert set(readme_production_table()) == expected


def test_env_example_names_the_same_variables_as_the_readme():
    assert s.env_example_names() == set(readme_production_table()) - SET_BY_THE_IMAGE


def test_required_variables_are_set_in_env_example_and_marked_required_in_the_readme():
    prod = (SETTINGS / "prod.py").read_text()
    required = set(re.search(r"for name in \(([^)]*)\)", prod).group(1).replace('"', "").replace(" ", "").split(","))
    assert required == {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"}
    table = readme_production_table()
    for name in required | READ_BY_COMPOSE:
        assert name in s.env_example(), f".env.example does not set {name}"
        assert table[name].startswith("required"), f"README does not mark {name} required"
    optional = {name for name, column in table.items() if column.strip() == "optional"}
    assert not optional & set(s.env_example()), "optional variables are commented out in .env.example"


def test_compose_sets_only_variables_the_readme_lists():
    environment = set(s.compose()["x-app"]["environment"])
    assert environment <= set(readme_production_table())
    assert compose_interpolations() <= s.env_example_names()
