"""The layers of docs/ARCHITECTURE.md, checked on every import in the source (module level and inside functions).

Data flows one way: files and the API -> core (formats, api) -> store -> analysis, insights, report -> the
window (gui) and the paper (render) and the command line (cli). A rule broken here is a design change: change
docs/ARCHITECTURE.md first.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "pinviewer"

# (modules the rule applies to, imports they must never make, why)
RULES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("pinviewer.core", ("PySide6", "shiboken6", "pyqtgraph", "pinviewer.gui", "pinviewer.render", "pinviewer.cli",
                        "pinviewer.app", "pinviewer.smoke"),
     "core is Qt-free and knows no window, paper or command line"),
    ("pinviewer.core.formats", ("pinviewer.core.store", "pinviewer.core.analysis", "pinviewer.core.insights",
                                "pinviewer.core.report", "pinviewer.core.api", "pinviewer.core.importer"),
     "readers only turn a file into an ImportBatch"),
    ("pinviewer.core.analysis", ("pinviewer.core.insights", "pinviewer.core.report", "pinviewer.core.api"),
     "analysis is below insights and the report"),
    ("pinviewer.core.insights", ("pinviewer.core.report", "pinviewer.core.api"),
     "the report reads the insights, never the other way round"),
    ("pinviewer.render", ("pinviewer.gui", "pinviewer.cli", "pinviewer.core.store", "pinviewer.core.analysis",
                          "pinviewer.core.formats", "pinviewer.core.api", "pinviewer.core.insights", "pyqtgraph"),
     "the paper paints the report and knows nothing else"),
    ("pinviewer.gui", ("pinviewer.cli",), "the window never goes through the command line"),
    ("pinviewer.cli", ("pinviewer.gui",), "the command line never opens the window's widgets"),
)


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def _breaks(module: str, imported: str, forbidden: tuple[str, ...]) -> str | None:
    for name in forbidden:
        if imported == name or imported.startswith(name + "."):
            return name
    return None


def violations() -> list[str]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        for applies, forbidden, why in RULES:
            if module != applies and not module.startswith(applies + "."):
                continue
            for line, imported in _imports(path):
                hit = _breaks(module, imported, forbidden)
                if hit:
                    out.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {imported} ({why})")
    return sorted(set(out))


def test_every_import_follows_the_layers():
    assert violations() == []


@pytest.mark.parametrize("module, imported, broken", [
    ("pinviewer.core.store", "PySide6.QtCore", True),
    ("pinviewer.core.insights.goals", "pinviewer.core.report", True),
    ("pinviewer.render.summary_page", "pinviewer.core.report", False),
    ("pinviewer.core.analysis", "pinviewer.core.metrics", False),
])
def test_the_rules_catch_what_they_say(module, imported, broken):
    forbidden = [f for applies, f, _why in RULES if module == applies or module.startswith(applies + ".")]
    assert any(_breaks(module, imported, f) for f in forbidden) is broken
