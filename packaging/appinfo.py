"""One source of truth for packaging: the app id, name and organisation from pinviewer/__init__.py, the version
from pyproject.toml. The spec, the Linux desktop entry and metainfo, the macOS Info.plist, the Windows version
resource and the Inno Setup script all take their values from here; tests/test_packaging_files.py checks it.

Read without importing pinviewer (a build machine needs no Qt to know the version), and
``load(check_installed=True)`` refuses to build when the installed metadata (which the bundle copies and
``pinviewer.__version__`` reads at run time) says another version: run ``pip install -e .`` again.
"""
from __future__ import annotations

import ast
import datetime as dt
import os
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class AppInfo:
    app_id: str  # reverse-DNS: the desktop file name, the macOS bundle id, the AppStream id
    name: str  # what people see
    org: str
    version: str
    summary: str  # pyproject's description: one line for the desktop entry, metainfo and installers
    license: str

    @property
    def exe_name(self) -> str:
        return "pinviewer" if sys.platform.startswith("linux") else self.name

    @property
    def version_tuple(self) -> tuple[int, int, int, int]:
        """Four numbers for Windows' file version (each 0..65535; a text like "0.2.0rc1" is refused there).

        The first three are the release ("0.2.0"); the fourth orders what PEP 440 orders within it, so a newer
        build always has a higher file version: .devN -> N, aN -> 10000+N, bN -> 20000+N, rcN -> 30000+N,
        the release itself -> 40000, .postN -> 40000+N. CFBundleVersion takes the first three.
        """
        match = re.fullmatch(r"(\d+(?:\.\d+)*)(?:[.-]?(a|b|rc|c|alpha|beta|pre|preview)(\d*))?"
                             r"(?:[.-]?(?:post|rev|r)(\d*))?(?:[.-]?dev(\d*))?(?:\+.*)?", self.version.lower())
        if not match:
            raise ValueError(f"{self.version!r} is not a PEP 440 version: fix pyproject.toml")
        release, pre, pre_n, post_n, dev_n = match.groups()
        numbers = [min(int(n), 65535) for n in release.split(".")[:3]]
        numbers += [0] * (3 - len(numbers))
        kind = {"a": 1, "alpha": 1, "b": 2, "beta": 2}.get(pre, 3) if pre else None
        if kind is not None:
            build = kind * 10000 + min(int(pre_n or 0), 9999)
        elif post_n is not None:
            build = 40000 + min(int(post_n or 0), 9999)
        elif dev_n is not None:
            build = min(int(dev_n or 0), 9999)
        else:
            build = 40000
        return (numbers[0], numbers[1], numbers[2], build)

    @property
    def file_version(self) -> str:
        """version_tuple as Windows and Inno Setup's VersionInfoVersion write it: "0.2.0.30001"."""
        return ".".join(str(n) for n in self.version_tuple)

    @property
    def release_date(self) -> str:
        """Today, or SOURCE_DATE_EPOCH's day for a reproducible build."""
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        day = dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch else dt.date.today()
        return day.isoformat()


def _constants(init: Path) -> dict[str, str]:
    tree = ast.parse(init.read_text(encoding="utf-8"))
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node.value.value
    return found


def load(check_installed: bool = False, root: Path = ROOT) -> AppInfo:
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    constants = _constants(root / "pinviewer" / "__init__.py")
    info = AppInfo(app_id=constants["APP_ID"], name=constants["APP_NAME"], org=constants["ORG_NAME"],
                   version=project["version"], summary=project["description"],
                   license=project.get("license", {}).get("text", "MIT"))
    if check_installed:
        from importlib.metadata import PackageNotFoundError, version

        try:
            installed = version("pinviewer")
        except PackageNotFoundError:
            raise SystemExit("pinviewer is not installed in this Python: run  pip install -e .  first") from None
        if installed != info.version:
            raise SystemExit(f"pyproject.toml says {info.version} but the installed metadata says {installed}: "
                             "run  pip install -e .  again, so that the bundle reports the right version")
    return info


# ------------------------------------------------------------------------------------------------ macOS
# Qt 6.11 (PySide6 6.11) supports macOS 13 or later, built with Xcode 15 (macOS 14 SDK): doc.qt.io/qt-6.11/macos.html
MACOS_FLOOR = (13, 0)


def _installed_wheel_tags() -> list[str]:
    from importlib.metadata import distributions

    tags = []
    for dist in distributions():
        wheel = dist.read_text("WHEEL") or ""
        tags += [line.split(":", 1)[1].strip() for line in wheel.splitlines() if line.startswith("Tag:")]
    return tags


def macos_floor(tags: list[str] | None = None) -> str:
    """The oldest macOS the app runs on: Qt's floor, or a bundled wheel's if one was built for a newer macOS
    (a wheel tagged macosx_14_0_arm64 does not load on macOS 13). ``tags`` default to the installed wheels'."""
    floor = MACOS_FLOOR
    for tag in _installed_wheel_tags() if tags is None else tags:
        match = re.search(r"macosx_(\d+)_(\d+)_", tag)
        if match:
            floor = max(floor, (int(match.group(1)), int(match.group(2))))
    return f"{floor[0]}.{floor[1]}"


def info_plist(info: AppInfo) -> dict:
    """Info.plist entries PyInstaller's BUNDLE adds to its own (executable, icon, bundle id, version)."""
    return {
        "CFBundleName": info.name,
        "CFBundleDisplayName": info.name,
        "CFBundleShortVersionString": info.version,
        "CFBundleVersion": ".".join(str(n) for n in info.version_tuple[:3]),
        "NSHumanReadableCopyright": f"© {info.org}. {info.license} licence.",
        "LSApplicationCategoryType": "public.app-category.business",
        "LSMinimumSystemVersion": macos_floor(),  # older macOS refuses to open the app, with a message
        "NSHighResolutionCapable": True,
        "NSRequiresAquaSystemAppearance": False,  # follow dark mode
        "NSPrincipalClass": "NSApplication",
        # "Open with" and double-click on CSV exports: PinViewer is an alternative viewer, never the owner.
        "CFBundleDocumentTypes": [{
            "CFBundleTypeName": "CSV export",
            "CFBundleTypeRole": "Viewer",
            "LSHandlerRank": "Alternate",
            "LSItemContentTypes": ["public.comma-separated-values-text"],
            "CFBundleTypeExtensions": ["csv"],
            "CFBundleTypeIconSystemGenerated": True,
        }],
    }


# ---------------------------------------------------------------------------------------------- Windows
def write_windows_version_file(info: AppInfo, path: Path) -> Path:
    """The VSVersionInfo text PyInstaller's EXE(version=...) reads: what Explorer shows under Properties."""
    v = info.version_tuple
    strings = {
        "CompanyName": info.org, "FileDescription": info.name, "FileVersion": info.version,
        "InternalName": info.exe_name, "LegalCopyright": f"© {info.org}", "OriginalFilename": f"{info.exe_name}.exe",
        "ProductName": info.name, "ProductVersion": info.version,
    }
    text = (
        "VSVersionInfo(\n"
        f"  ffi=FixedFileInfo(filevers={v}, prodvers={v}, mask=0x3f, flags=0x0, OS=0x40004, fileType=0x1,\n"
        "                    subtype=0x0, date=(0, 0)),\n"
        "  kids=[\n"
        "    StringFileInfo([StringTable('040904B0', [\n"
        + "".join(f"      StringStruct({k!r}, {val!r}),\n" for k, val in strings.items())
        + "    ])]),\n"
        "    VarFileInfo([VarStruct('Translation', [1033, 1200])])\n"
        "  ]\n"
        ")\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def inno_defines(info: AppInfo) -> list[str]:
    """The /D options for ISCC.exe: the installer script has no version of its own."""
    return [f"/DAppId={info.app_id}", f"/DAppName={info.name}", f"/DAppVersion={info.version}",
            f"/DAppFileVersion={info.file_version}", f"/DAppPublisher={info.org}",
            f"/DAppExeName={info.exe_name}.exe"]


if __name__ == "__main__":
    # For shell scripts and CI: print one field, e.g.  python packaging/appinfo.py version
    loaded = load()
    field = sys.argv[1] if len(sys.argv) > 1 else "version"
    print(" ".join(inno_defines(loaded)) if field == "inno" else getattr(loaded, field))
