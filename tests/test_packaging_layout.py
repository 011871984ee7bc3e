"""The package list in pyproject.toml names every package folder, so a wheel ships all of them."""
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_folder_is_listed():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "pinviewer").rglob("__init__.py")}
    found.add("pinviewer.resources")
    assert found == listed


def test_demo_data_is_found_as_a_resource():
    from pinviewer.core.demo import demo_files

    names = [f.name for f in demo_files()]
    assert "Pinterest Analytics overview 20261101-20261122 outbound clicks.csv" in names and len(names) > 10
