"""The repository explains itself: its map is docs/ARCHITECTURE.md, and nothing in it points outside it.

A person who clones PinViewer has only the repository; a README link, a docstring or a comment that sends them
to a design note kept elsewhere is a dead end.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OUTSIDE = re.compile(r"\.\./shared|/work/shared|\bDESIGN\.md\b")
MARKDOWN_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def tracked_text_files() -> list[Path]:
    names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    files = []
    for name in names.splitlines():
        path = ROOT / name
        if path.suffix in {".py", ".md", ".toml", ".cfg", ".txt", ".sh", ".desktop", ".iss", ".spec"} or \
                name.startswith(".ci/"):
            files.append(path)
    return files


def test_nothing_points_outside_the_repository():
    files = tracked_text_files()
    assert any(f.name == "ARCHITECTURE.md" for f in files)
    offenders = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
                 for path in files if path.is_file() and path != Path(__file__)
                 for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
                 if OUTSIDE.search(line)]
    assert offenders == []


@pytest.mark.parametrize("page", ["README.md", "docs/ARCHITECTURE.md", "docs/FORMATS.md"])
def test_every_link_of_the_documentation_reaches_a_file_in_the_repository(page):
    text = (ROOT / page).read_text(encoding="utf-8")
    links = MARKDOWN_LINK.findall(text)
    if page == "README.md":  # the README sends a developer to the map
        assert "docs/ARCHITECTURE.md" in links
    for target in links:
        if target.startswith(("https://", "mailto:")):
            continue
        assert not target.startswith("http://"), target
        local = target.split("#", 1)[0]
        if not local:  # a link to a heading of the same page
            continue
        assert (ROOT / page).parent.joinpath(local).resolve().is_relative_to(ROOT), target
        assert (ROOT / page).parent.joinpath(local).exists(), f"{page} links to {target}, which is not there"
