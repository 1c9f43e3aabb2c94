"""The rule pages (``docs/rules/CODE.md``) as the installed package sees them.

The pages are the one source of truth for what a rule means and how to fix
it: ``--explain`` prints them, SARIF embeds them as ``help``, and the text
format's ``help:`` line quotes the first sentence of their ``## How to fix``
section.  The wheel carries them as ``cors_lint/_docs/rules/*.md``
(``force-include`` in pyproject.toml); an editable install or a checkout has
no such copy, so the repository's ``docs/rules`` is read instead.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

PACKAGED = ("_docs", "rules")
FIX_SECTION = "How to fix"
DOCS_URL_LABEL = "documentation"


def _checkout_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "docs" / "rules"


def _packaged(code: str):
    from importlib import resources  # only when a page is read

    return resources.files("cors_lint").joinpath(*PACKAGED, f"{code}.md")


@lru_cache(maxsize=None)
def page(code: str) -> str | None:
    """The Markdown page of ``code``, or None when there is none."""
    if not re.fullmatch(r"[A-Z]+[0-9]+", code):
        return None
    packaged = _packaged(code)
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    local = _checkout_dir() / f"{code}.md"
    return local.read_text(encoding="utf-8") if local.is_file() else None


def section(text: str, title: str) -> str | None:
    """The body of ``## title`` (up to the next ``##`` heading), stripped."""
    match = re.search(rf"^## {re.escape(title)}[ \t]*\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    return match.group(1).strip() if match else None


def plain(markdown: str) -> str:
    """Markdown inline markup removed: links keep their text, code its text."""
    code_spans: list[str] = []

    def hold(match: re.Match) -> str:
        code_spans.append(match.group(2).strip())
        return f"\0{len(code_spans) - 1}\0"

    text = re.sub(r"(`+)(.+?)\1", hold, markdown, flags=re.S)  # code first: its * and _ are literal
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\*\*(\S[^*]*?)\*\*|(?<!\w)[*_](\S[^*_]*?)[*_](?!\w)", lambda m: m.group(1) or m.group(2), text)
    text = re.sub(r"\0(\d+)\0", lambda m: code_spans[int(m.group(1))], text)
    return " ".join(text.split())


def _first_paragraph(body: str) -> str:
    for block in re.split(r"\n\s*\n", body):
        block = block.strip()
        if block and not block.startswith(("```", "|", "#", "-", "*", ">")):
            return block
    return ""


def first_sentence(body: str) -> str:
    paragraph = plain(_first_paragraph(body))
    match = re.match(r"(.+?[.!?])(\s|$)", paragraph)
    return match.group(1) if match else paragraph


@lru_cache(maxsize=None)
def fix_sentence(code: str) -> str | None:
    """The one-sentence fix: the first sentence of ``## How to fix``."""
    text = page(code)
    body = section(text, FIX_SECTION) if text else None
    return first_sentence(body) or None if body else None


@lru_cache(maxsize=None)
def description(code: str) -> str | None:
    """Plain-text first paragraph of ``## What it does`` (SARIF fullDescription)."""
    text = page(code)
    body = section(text, "What it does") if text else None
    paragraph = plain(_first_paragraph(body)) if body else ""
    # keep whole sentences: a paragraph that introduces a list or an example
    # ("... trusted:", "... when it") is cut back to its last full stop
    match = re.match(r".*[.!?](?=\s|$)", paragraph)
    return match.group(0) if match else None


@lru_cache(maxsize=None)
def docs_base_url() -> str | None:
    """``[project.urls] Documentation`` of the installed distribution."""
    try:
        from importlib.metadata import PackageNotFoundError, metadata
    except ImportError:  # pragma: no cover
        return None
    try:
        meta = metadata("cors-lint")
    except PackageNotFoundError:
        return None
    for entry in meta.get_all("Project-URL") or ():
        label, _, url = entry.partition(",")
        if label.strip().lower() == DOCS_URL_LABEL and url.strip():
            return url.strip().rstrip("/")
    return None


def url(code: str) -> str | None:
    """Where the page of ``code`` is published, when the project says."""
    base = docs_base_url()
    return f"{base}/rules/{code}.md" if base and page(code) is not None else None


def page_name(code: str) -> str:
    return f"docs/rules/{code}.md"
