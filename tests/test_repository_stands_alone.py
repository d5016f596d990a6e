"""The repository stands alone: nothing in it sends the reader to a document outside it.

The decisions the code relies on are written in docs/ (and the apps' READMEs) in the project's own
words; a comment, docstring, template or doc that cites a section or a file of some other
specification leaves the next engineer with a reference they cannot follow.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Ignored and generated places (as in .gitignore), and the vendored third-party assets.
SKIPPED_DIRS = {
    ".git", ".venv", "var", "test-artifacts", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis",
    "node_modules", "vendor", "results",
}  # fmt: skip
TEXT_SUFFIXES = {
    ".py",
    ".md",
    ".html",
    ".txt",
    ".css",
    ".js",
    ".toml",
    ".ini",
    ".cfg",
    ".yml",
    ".yaml",
    ".sh",
    ".example",
}
TEXT_NAMES = {"Makefile", "Dockerfile", "run"}

# A section sign after an upper-case document name ("SPEC §4"), or an upper-case document outside
# the repository named by its file ("DESIGN.md", "STYLE.md") or its title ("PITFALLS").
OUTSIDE_CITATION = re.compile(r"\b[A-Z]{3,}\s*§\s*\d|\b(?:DESIGN|STYLE|PITFALLS)(?:\.md)?\b")


def _text_files():
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT)
        if any(part in SKIPPED_DIRS for part in relative.parts[:-1]) or not path.is_file():
            continue
        if path.suffix in TEXT_SUFFIXES or path.name in TEXT_NAMES:
            yield path, relative


def test_no_file_cites_a_document_outside_the_repository():
    this_file = Path(__file__).resolve()
    found = []
    for path, relative in _text_files():
        if path == this_file:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
            if OUTSIDE_CITATION.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    assert not found, "Cite docs/ instead; say the why in the comment itself:\n" + "\n".join(found)


def test_the_check_recognises_a_citation():
    assert OUTSIDE_CITATION.search("# Exactly one beat runs (DESIGN §5).")
    assert OUTSIDE_CITATION.search("keep it above twice the time limit (PITFALLS)")
    assert OUTSIDE_CITATION.search("see STYLE.md")
    assert not OUTSIDE_CITATION.search("see docs/design.md, the design decisions")


def test_the_readme_layout_names_every_top_level_directory():
    """README's layout is the newcomer's map: a directory missing from it is one nobody explains."""
    readme = (ROOT / "README.md").read_text()
    layout = readme.split("## Layout", 1)[1].split("```")[1]
    named = set(re.findall(r"^([\w.-]+)/", layout, flags=re.MULTILINE))
    directories = {
        path.name
        for path in ROOT.iterdir()
        if path.is_dir() and not path.name.startswith(".") and path.name not in SKIPPED_DIRS - {"var"}
    }
    assert directories - named == set(), "README's layout does not name these directories"
    assert named - directories == set(), "README's layout names directories that do not exist"
