"""The Linux desktop files, filled in from the package: one app id, name and version (packaging/appinfo.py).

    python packaging/linux/render.py DEST    # DEST/share/{applications,metainfo,icons/hicolor}/..., DEST/*.sh

build.py puts them inside the bundle (dist/PinViewer/share/...); install.sh copies them under ~/.local/share and
points Exec at the installed program. A distribution package would use the same files with Exec=pinviewer.
"""
from __future__ import annotations

import re
import shutil
import sys
import tomllib
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
PACKAGING = HERE.parent
ROOT = PACKAGING.parent
sys.path.insert(0, str(PACKAGING))
sys.path.insert(0, str(HERE))
import appinfo  # noqa: E402
import make_icons  # noqa: E402

HICOLOR_SIZES = make_icons.PNG_SIZES


def fill(template: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        template = template.replace(f"@{key}@", value)
    leftover = re.findall(r"@[A-Z_]+@", template)
    if leftover:
        raise ValueError(f"template placeholders without a value: {sorted(set(leftover))}")
    return template


def desktop_entry(info: appinfo.AppInfo, exec_: str = "pinviewer") -> str:
    """The .desktop file. ``exec_`` is the program: a name on PATH, or an absolute path (install.sh's)."""
    text = (HERE / "pinviewer.desktop.in").read_text(encoding="utf-8")
    return fill(text, {"APP_ID": info.app_id, "APP_NAME": info.name, "SUMMARY": info.summary,
                        "VERSION": info.version, "EXEC": exec_, "TRYEXEC": exec_})


def _urls(root: Path = ROOT) -> str:
    urls = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"].get("urls", {})
    kinds = {"homepage": "homepage", "repository": "vcs-browser", "source": "vcs-browser", "issues": "bugtracker",
             "bug tracker": "bugtracker", "documentation": "help", "donate": "donation"}
    lines = [f'  <url type="{kinds[name.lower()]}">{escape(url)}</url>\n'
             for name, url in urls.items() if name.lower() in kinds]
    return "".join(lines)


def metainfo(info: appinfo.AppInfo) -> str:
    text = (HERE / "pinviewer.metainfo.xml.in").read_text(encoding="utf-8")
    return fill(text, {"APP_ID": info.app_id, "APP_NAME": escape(info.name), "ORG_NAME": escape(info.org),
                        "SUMMARY": escape(info.summary), "VERSION": info.version, "DATE": info.release_date,
                        "LICENSE": info.license, "URLS": _urls()})


def write_share(dest: Path, info: appinfo.AppInfo | None = None) -> list[Path]:
    """DEST/share/... as a prefix's share folder would hold them; returns the files written."""
    info = info or appinfo.load()
    share = dest / "share"
    written = []
    for path, text in ((share / "applications" / f"{info.app_id}.desktop", desktop_entry(info)),
                       (share / "metainfo" / f"{info.app_id}.metainfo.xml", metainfo(info))):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    for size in HICOLOR_SIZES:
        target = share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{info.app_id}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(make_icons.png_path(size), target)
        written.append(target)
    svg = share / "icons" / "hicolor" / "scalable" / "apps" / f"{info.app_id}.svg"
    svg.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(make_icons.SVG, svg)
    written.append(svg)
    return written


def write_scripts(dest: Path, info: appinfo.AppInfo | None = None,
                  glibc: tuple[int, int] | None = None) -> list[Path]:
    """install.sh and uninstall.sh, with the app id, name and glibc floor filled in, executable.

    ``glibc`` is the oldest C library the bundle in ``dest`` runs on; by default it is read from the bundle's
    ELF files (elf.glibc_floor), and a folder without any stops here rather than install.sh checking nothing.
    """
    info = info or appinfo.load()
    if glibc is None:
        import elf

        glibc = elf.glibc_floor(dest)
        if glibc is None:
            raise ValueError(f"{dest} holds no ELF file: pass the glibc floor install.sh should check")
    import systems

    values = {"APP_ID": info.app_id, "APP_NAME": info.name, "GLIBC_MIN": systems.text(glibc),
              "GLIBC_SYSTEMS": systems.runs_on(glibc)}
    written = []
    for name in ("install.sh", "uninstall.sh"):
        target = dest / name
        target.write_text(fill((HERE / name).read_text(encoding="utf-8"), values), encoding="utf-8")
        target.chmod(0o755)
        written.append(target)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    for written_path in write_share(Path(sys.argv[1])) + write_scripts(Path(sys.argv[1])):
        print(written_path)
