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
        """Four numbers for Windows' version resource and CFBundleVersion ("0.1.0rc1" -> 0, 1, 0, 0)."""
        release = re.match(r"\d+(?:\.\d+)*", self.version)  # the release segment: no rc/dev/local parts
        numbers = [int(n) for n in release.group(0).split(".")[:3]] if release else []
        return tuple((numbers + [0, 0, 0, 0])[:4])  # type: ignore[return-value]

    @property
    def release_date(self) -> str:
        """Today, or SOURCE_DATE_EPOCH's day for a reproducible build."""
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        day = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date() if epoch else dt.date.today()
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
def info_plist(info: AppInfo) -> dict:
    """Info.plist entries PyInstaller's BUNDLE adds to its own (executable, icon, bundle id, version)."""
    return {
        "CFBundleName": info.name,
        "CFBundleDisplayName": info.name,
        "CFBundleShortVersionString": info.version,
        "CFBundleVersion": ".".join(str(n) for n in info.version_tuple[:3]),
        "NSHumanReadableCopyright": f"© {info.org}. {info.license} licence.",
        "LSApplicationCategoryType": "public.app-category.business",
        "LSMinimumSystemVersion": "11.0",  # Qt 6.7+ supports macOS 11 and later
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
            f"/DAppPublisher={info.org}", f"/DAppExeName={info.exe_name}.exe"]


if __name__ == "__main__":
    # For shell scripts and CI: print one field, e.g.  python packaging/appinfo.py version
    loaded = load()
    field = sys.argv[1] if len(sys.argv) > 1 else "version"
    print(" ".join(inno_defines(loaded)) if field == "inno" else getattr(loaded, field))
