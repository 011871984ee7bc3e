"""Packaging is code: the spec, desktop entry, metainfo, Info.plist, installer and icons agree with the package.

One app id, name and version (pinviewer/__init__.py, pyproject.toml) feed everything; these tests fail when a
file says something else, when an icon was not remade from the SVG, or when the desktop files stop validating
(desktop-file-validate and appstreamcli, when installed; skipped otherwise).
"""
from __future__ import annotations

import importlib.util
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import pinviewer

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


sys.path.insert(0, str(PACKAGING))  # the packaging scripts import each other by name
appinfo = _load("appinfo", PACKAGING / "appinfo.py")
make_icons = _load("make_icons", PACKAGING / "make_icons.py")
qt_trim = _load("qt_trim", PACKAGING / "qt_trim.py")
render = _load("render", PACKAGING / "linux" / "render.py")
INFO = appinfo.load()


# ------------------------------------------------------------------------------------------ one source of truth
def test_appinfo_is_the_package_itself():
    assert (INFO.app_id, INFO.name, INFO.org) == (pinviewer.APP_ID, pinviewer.APP_NAME, pinviewer.ORG_NAME)
    if "+unknown" not in pinviewer.__version__:  # installed: the metadata the bundle copies says the same
        assert INFO.version == pinviewer.__version__


def test_no_packaging_file_repeats_the_id_or_the_version():
    """Only templates and generated output may carry them; every source file reads them from the package."""
    sources = [PACKAGING / "pinviewer.spec", PACKAGING / "build.py", PACKAGING / "windows" / "pinviewer.iss",
               PACKAGING / "linux" / "pinviewer.desktop.in", PACKAGING / "linux" / "pinviewer.metainfo.xml.in",
               PACKAGING / "linux" / "install.sh", PACKAGING / "linux" / "uninstall.sh",
               PACKAGING / "linux" / "deb.py", PACKAGING / "linux" / "debian" / "postinst",
               PACKAGING / "linux" / "debian" / "postrm", PACKAGING / "linux" / "ci_install.sh",
               PACKAGING / "macos" / "release.sh"]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert INFO.app_id not in text, f"{path.name} names the app id itself"
        assert not re.search(rf"(?<![\d.]){re.escape(INFO.version)}(?![\d.])", text), \
            f"{path.name} names the version itself"
    spec = (PACKAGING / "pinviewer.spec").read_text(encoding="utf-8")
    assert "appinfo.load(" in spec and "copy_metadata(\"pinviewer\")" in spec


def test_the_spec_keeps_keyring_backends_and_pyqtgraph():
    spec = (PACKAGING / "pinviewer.spec").read_text(encoding="utf-8")
    assert 'copy_metadata("keyring")' in spec and 'collect_submodules("keyring.backends")' in spec
    assert '"secretstorage"' in spec and '"jeepney"' in spec
    assert '"PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets"' in spec  # pyqtgraph imports both at import time
    assert '"keyrings.alt"' in spec  # a plaintext keyring is never bundled
    assert "console=False" in spec  # windowed: double-clicking opens no terminal


def _info(version: str):
    return appinfo.AppInfo("a", "b", "c", version, "", "MIT")


def test_version_numbers_for_windows_and_macos():
    assert len(INFO.version_tuple) == 4 and all(isinstance(n, int) for n in INFO.version_tuple)
    assert _info("0.2.0rc1").file_version == "0.2.0.30001"  # Inno Setup refuses "0.2.0rc1" as a file version
    assert _info("1.2rc1").version_tuple[:3] == (1, 2, 0)
    plist = appinfo.info_plist(INFO)
    assert plist["CFBundleShortVersionString"] == INFO.version
    csv = plist["CFBundleDocumentTypes"][0]
    assert csv["LSItemContentTypes"] == ["public.comma-separated-values-text"]
    assert csv["LSHandlerRank"] == "Alternate"  # offered in "Open With", never takes CSV files over


def test_windows_version_resource_parses(tmp_path):
    """PyInstaller eval()s this text with its versioninfo classes; stand-ins check that it is well formed."""
    path = appinfo.write_windows_version_file(INFO, tmp_path / "version.txt")
    names = ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct", "VarFileInfo",
             "VarStruct")
    made = eval(path.read_text(encoding="utf-8"), {"__builtins__": {}},  # noqa: S307 -- our own generated text
                {n: _stub(n) for n in names})
    assert made[0] == "VSVersionInfo"
    fixed = made[2]["ffi"]
    assert fixed[2]["filevers"] == INFO.version_tuple
    text = path.read_text(encoding="utf-8")
    assert f"'ProductVersion', {INFO.version!r}" in text and f"'ProductName', {INFO.name!r}" in text


def test_pre_release_file_versions_are_valid_and_ordered():
    """Windows wants four numbers 0..65535, and a newer build must never get a lower file version."""
    from packaging.version import Version

    versions = ["0.9.0", "1.0.dev1", "1.0a1", "1.0a2", "1.0b1", "1.0rc1", "1.0rc2", "1.0", "1.0.post1", "1.0.1",
                "1.1.0rc1", "1.1.0", "2.0.0a1", "2.0.0"]
    assert versions == sorted(versions, key=Version)
    tuples = [_info(v).version_tuple for v in versions]
    assert tuples == sorted(tuples) and len(set(tuples)) == len(tuples)
    for numbers in tuples:
        assert len(numbers) == 4 and all(0 <= n <= 65535 for n in numbers)
    assert _info("1.0").file_version == "1.0.0.40000"
    with pytest.raises(ValueError):
        _info("one point oh").version_tuple


def test_inno_setup_gets_everything_from_the_defines():
    iss = (PACKAGING / "windows" / "pinviewer.iss").read_text(encoding="utf-8")
    used = set(re.findall(r"\{#(\w+)\}", iss))
    given = {d.split("=")[0].removeprefix("/D") for d in appinfo.inno_defines(INFO)}
    assert used <= given
    assert "OpenWithProgids" in iss and "PrivilegesRequired=lowest" in iss
    assert f"/DAppFileVersion={INFO.file_version}" in appinfo.inno_defines(INFO)
    assert "VersionInfoVersion={#AppFileVersion}" in iss  # never the text version: 0.2.0rc1 would break the build


def test_inno_setup_states_and_checks_its_versions():
    iss = (PACKAGING / "windows" / "pinviewer.iss").read_text(encoding="utf-8")
    assert re.search(r"^#if VER < EncodeVer\(6,3,0\)\n\s*#error .*6\.3", iss, re.M)  # x64compatible needs 6.3
    assert "ArchitecturesAllowed=x64compatible" in iss
    assert "MinVersion=10.0.17763" in iss  # Qt 6.11: Windows 10 1809 or later
    readme = (PACKAGING / "README.md").read_text(encoding="utf-8")
    assert "Inno Setup 6.3" in readme and "Inno Setup 6.2" not in iss + readme


def _registry_entries(iss: str) -> list[dict]:
    section = iss.split("[Registry]", 1)[1].split("\n[", 1)[0]
    entries = []
    for line in section.splitlines():
        if line.startswith("Root:"):
            fields = dict(part.strip().split(": ", 1) for part in line.split("; ") if ": " in part)
            entries.append({"key": fields["Subkey"].strip('"'), "flags": fields.get("Flags", "").split()})
    return entries


def test_the_uninstaller_removes_every_registry_key_it_created():
    """Each key the installer creates goes on uninstall, by its own uninsdeletekey or a parent's; in a key other
    programs share (.csv), only PinViewer's value is removed."""
    entries = _registry_entries((PACKAGING / "windows" / "pinviewer.iss").read_text(encoding="utf-8"))
    assert len(entries) >= 6
    deleted = [e["key"] for e in entries if "uninsdeletekey" in e["flags"]]
    for entry in entries:
        key = entry["key"]
        if key.startswith("Software\\Classes\\.csv"):
            assert entry["flags"] == ["uninsdeletevalue"], key  # never delete the shared .csv key
            continue
        assert any(key == d or key.startswith(d + "\\") for d in deleted), f"{key} stays after uninstall"
        parts = key.split("\\")
        for depth in range(3, len(parts)):  # every key created on the way there goes too
            parent = "\\".join(parts[:depth])
            if parent.startswith(("Software\\Classes\\{#AppName}", "Software\\Classes\\Applications\\{#")):
                assert any(parent == d or parent.startswith(d + "\\") for d in deleted), f"{parent} stays"


# ------------------------------------------------------------------------------------------ Linux desktop files
def test_desktop_entry(tmp_path):
    text = render.desktop_entry(INFO)
    entry = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    assert entry["Name"] == INFO.name
    assert entry["Icon"] == INFO.app_id  # hicolor icons are installed under the app id
    assert entry["MimeType"] == "text/csv;"
    assert entry["Exec"].endswith(" %F")  # several files at once, as local paths
    assert entry["StartupWMClass"] == INFO.name  # Qt's WM_CLASS class on X11 is the application name
    assert entry["Terminal"] == "false"
    path = tmp_path / f"{INFO.app_id}.desktop"  # the file name is what setDesktopFileName(APP_ID) matches
    path.write_text(text, encoding="utf-8")
    validator = shutil.which("desktop-file-validate")
    if validator is None:
        pytest.skip("desktop-file-validate is not installed (Debian: desktop-file-utils)")
    result = subprocess.run([validator, str(path)], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_metainfo(tmp_path):
    text = render.metainfo(INFO)
    root = ET.fromstring(text)
    assert root.findtext("id") == INFO.app_id
    assert root.findtext("name") == INFO.name
    assert root.find("launchable").text == f"{INFO.app_id}.desktop"
    assert root.find("releases/release").get("version") == INFO.version
    assert root.findtext("provides/mediatype") == "text/csv"
    path = tmp_path / f"{INFO.app_id}.metainfo.xml"
    path.write_text(text, encoding="utf-8")
    tool = shutil.which("appstreamcli")
    if tool is None:
        pytest.skip("appstreamcli is not installed (Debian: appstream)")
    result = subprocess.run([tool, "validate", "--no-net", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_share_folder_has_every_hicolor_size(tmp_path):
    render.write_share(tmp_path, INFO)
    share = tmp_path / "share"
    for size in make_icons.PNG_SIZES:
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{INFO.app_id}.png").exists()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{INFO.app_id}.svg").exists()
    assert (share / "applications" / f"{INFO.app_id}.desktop").exists()
    assert (share / "metainfo" / f"{INFO.app_id}.metainfo.xml").exists()


# ------------------------------------------------------------------------------------------------------- icons
def test_icons_were_made_from_the_current_svg():
    assert make_icons.stale() == [], "run: python packaging/make_icons.py"


def test_icon_files_hold_every_size():
    for size in make_icons.PNG_SIZES:
        data = make_icons.png_path(size).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", data[16:24]) == (size, size)
    assert sorted(make_icons.read_ico(make_icons.ICO.read_bytes())) == sorted(make_icons.ICO_SIZES)
    assert set(make_icons.read_icns(make_icons.ICNS.read_bytes())) == {kind for kind, _ in make_icons.ICNS_TYPES}


def test_icon_renders_the_same_as_committed(qapp):
    """Rendering is deterministic, so re-running make_icons leaves git clean."""
    for size in (16, 48):
        assert make_icons.render_png(size) == make_icons.png_path(size).read_bytes()


def test_the_16px_icon_is_not_a_blur(qapp):
    """Recognisable at 16 px: the blue tile, white bars and the orange pin are all there."""
    from PySide6.QtGui import QColor, QImage

    image = QImage(str(make_icons.png_path(16)))
    colours = [QColor(image.pixel(x, y)) for y in range(16) for x in range(16)]
    assert sum(c.blue() > 150 and c.red() < 40 for c in colours) > 100  # #0072B2
    assert sum(min(c.red(), c.green(), c.blue()) > 230 for c in colours) >= 12  # white bars
    assert any(c.red() > 200 and 120 < c.green() < 190 and c.blue() < 80 for c in colours)  # #E69F00


# ---------------------------------------------------------------------------------------------------- Qt trim
@pytest.mark.parametrize("dest, kept", [
    ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", True),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
    ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
    ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", True),
    ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", True),
    ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
    ("PySide6/Qt/plugins/imageformats/libqwebp.so", False),
    ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
    ("PySide6/Qt/plugins/platforms/qwindows.dll", True),
    ("PySide6/plugins/platforms/qdirect2d.dll", True),
    ("PySide6/Qt/lib/libQt6Quick.so.6", False),
    ("PySide6/Qt/lib/libQt6OpenGL.so.6", True),
    ("PySide6/Qt/lib/libQt6Widgets.so.6", True),
    ("PySide6/Qt/translations/qtbase_de.qm", False),
    ("pandas/tests/io/data/x.csv", False),
    ("pinviewer/resources/demo/ga4_landing_pages_2026-11.csv", True),
])
def test_qt_trim_rules(dest, kept):
    assert qt_trim.keep(dest) is kept


def _stub(name: str):
    """A stand-in for one of PyInstaller's version-file classes: records what it was called with."""
    return lambda *args, **kwargs: (name, args, kwargs)
