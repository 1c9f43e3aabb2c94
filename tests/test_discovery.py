"""Which files a run looks at."""

from __future__ import annotations

from pathlib import Path

import pytest

from cors_lint.config import DEFAULT_EXCLUDE
from cors_lint.discovery import discover, display_path, is_excluded


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for rel in (
        "app.py",
        "stubs.pyi",
        "README.md",
        "pkg/__init__.py",
        "pkg/views.py",
        "pkg/generated/api_pb2.py",
        "tests/fixtures/sample.py",
        ".venv/lib/site.py",
        "node_modules/x/y.py",
        "build/lib/app.py",
        "docs/conf.py",
    ):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def files(*paths: str, excludes=DEFAULT_EXCLUDE, root: Path | None = None, force: bool = False) -> list[str]:
    return discover(paths, excludes, root or Path.cwd(), force).files


def test_walk_finds_python_files_and_skips_default_excludes(tree: Path) -> None:
    assert sorted(files(".")) == [
        "app.py",
        "docs/conf.py",
        "pkg/__init__.py",
        "pkg/generated/api_pb2.py",
        "pkg/views.py",
        "tests/fixtures/sample.py",
    ]


def test_component_and_path_patterns(tree: Path) -> None:
    got = sorted(files(".", excludes=DEFAULT_EXCLUDE + ("*_pb2.py", "tests/fixtures", "docs/")))
    assert got == ["app.py", "pkg/__init__.py", "pkg/views.py"]


def test_explicit_files_are_linted_unless_force_exclude(tree: Path) -> None:
    assert files("build/lib/app.py", "stubs.pyi", "README.md") == ["build/lib/app.py", "stubs.pyi", "README.md"]
    assert files("build/lib/app.py", ".venv/lib/site.py", "app.py", force=True) == ["app.py"]


def test_explicit_excluded_directory(tree: Path) -> None:
    assert files("build") == ["build/lib/app.py"]  # named on purpose: linted
    assert files("build", force=True) == []


def test_missing_paths_are_collected(tree: Path) -> None:
    found = discover(["nope", "app.py", "also/missing.py"], DEFAULT_EXCLUDE, tree)
    assert found.missing == ["nope", "also/missing.py"]
    assert found.files == ["app.py"]


def test_duplicates_are_linted_once(tree: Path) -> None:
    assert files("app.py", "./app.py", str(tree / "app.py"), ".").count("app.py") == 1


def test_display_paths(tree: Path) -> None:
    assert display_path(str(tree / "pkg" / "views.py")) == "pkg/views.py"
    assert display_path("./pkg//views.py") == "pkg/views.py"
    assert display_path("/elsewhere/x.py") == "/elsewhere/x.py"


def test_absolute_argument_under_cwd_is_shown_relative(tree: Path) -> None:
    assert sorted(files(str(tree / "pkg"))) == ["pkg/__init__.py", "pkg/generated/api_pb2.py", "pkg/views.py"]


def test_symlink_loops_do_not_hang(tree: Path) -> None:
    (tree / "pkg" / "loop").symlink_to(tree / "pkg", target_is_directory=True)
    assert "pkg/views.py" in files("pkg")


@pytest.mark.parametrize(
    "path, pattern, excluded",
    [
        ("a/.venv/b.py", ".venv", True),
        ("a/venvx/b.py", "venv", False),
        ("src/x_pb2.py", "*_pb2.py", True),
        ("tests/fixtures/a.py", "tests/fixtures", True),
        ("other/tests/fixtures/a.py", "tests/fixtures", False),  # slash patterns are anchored at the root
        ("tests/fixtures/a.py", "./tests/fixtures/", True),
        ("src/gen/api.py", "src/*/api.py", True),
    ],
)
def test_is_excluded(tmp_path: Path, path: str, pattern: str, excluded: bool) -> None:
    assert is_excluded(str(tmp_path / path), [pattern], tmp_path) is excluded
