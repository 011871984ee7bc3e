"""The macOS recipe, checked where it can be on any machine: the OS floor, the refusal without a signing identity,
and packaging/macos/release.sh run against stand-ins for Apple's tools that record what they were asked to do.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
RELEASE = PACKAGING / "macos" / "release.sh"
sys.path.insert(0, str(PACKAGING))


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


appinfo = _load("appinfo", PACKAGING / "appinfo.py")
build = _load("build", PACKAGING / "build.py")
INFO = appinfo.load()
posix = pytest.mark.skipif(sys.platform == "win32" or shutil.which("sh") is None, reason="POSIX shell script")


def test_macos_floor_is_qt_6_11s_or_a_bundled_wheels():
    assert appinfo.MACOS_FLOOR == (13, 0)
    assert appinfo.macos_floor(["cp39-abi3-macosx_13_0_universal2", "cp311-cp311-manylinux_2_17_x86_64"]) == "13.0"
    assert appinfo.macos_floor(["cp311-cp311-macosx_14_0_arm64", "py3-none-any"]) == "14.0"
    assert appinfo.macos_floor(["cp311-cp311-macosx_10_9_x86_64"]) == "13.0"
    if sys.platform != "darwin":  # no macOS wheels installed here: Qt's floor
        assert appinfo.info_plist(INFO)["LSMinimumSystemVersion"] == "13.0"
    readme = (PACKAGING / "README.md").read_text(encoding="utf-8")
    assert "macOS 13 or later" in readme and "macOS 11" not in readme


def test_the_build_refuses_to_start_on_macos_without_an_identity(monkeypatch):
    monkeypatch.setattr(build.sys, "platform", "darwin")
    monkeypatch.delenv("PINVIEWER_CODESIGN_IDENTITY", raising=False)
    with pytest.raises(SystemExit, match="PINVIEWER_CODESIGN_IDENTITY is not set"):
        build.require_signing_identity(unsigned=False)
    build.require_signing_identity(unsigned=True)  # a test build, said so explicitly
    monkeypatch.setenv("PINVIEWER_CODESIGN_IDENTITY", "Developer ID Application: Someone (TEAM)")
    build.require_signing_identity(unsigned=False)
    spec = (PACKAGING / "pinviewer.spec").read_text(encoding="utf-8")
    assert "IS_MAC and CODESIGN_IDENTITY is None and not os.environ.get(\"PINVIEWER_UNSIGNED\")" in spec


@posix
def test_release_stops_at_once_without_an_identity(tmp_path):
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    result = subprocess.run([str(RELEASE)], env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "PINVIEWER_CODESIGN_IDENTITY is not set" in result.stderr and "Nothing was done" in result.stderr


STUB = """#!/bin/sh
echo "$(basename "$0") $*" >> "$CALLS"
case "$(basename "$0") $1 $2" in
    "xcrun notarytool submit") echo '{"id":"abc","status":"'"$NOTARY_STATUS"'","message":"done"}' ;;
esac
if [ "$(basename "$0")" = hdiutil ]; then  # what the DMG would hold: the -srcfolder's entries
    while [ $# -gt 0 ]; do
        if [ "$1" = -srcfolder ]; then
            for entry in "$2"/*; do
                if [ -L "$entry" ]; then echo "dmg: $(basename "$entry") -> $(readlink "$entry")" >> "$CALLS"
                else echo "dmg: $(basename "$entry")" >> "$CALLS"; fi
            done
        fi
        shift
    done
fi
if [ "$(basename "$0")" = ditto ]; then
    if [ "$1" = -c ]; then touch "$5"; else cp -R "$1" "$2"; fi
fi
exit 0
"""


def _stand_in_tools(tmp_path: Path) -> dict[str, str]:
    tools = tmp_path / "apple-tools"
    tools.mkdir()
    for name in ("codesign", "xcrun", "ditto", "hdiutil", "spctl"):
        (tools / name).write_text(STUB)
        (tools / name).chmod(0o755)
    return {"PATH": f"{tools}:{os.environ['PATH']}", "CALLS": str(tmp_path / "calls.txt"), "HOME": str(tmp_path),
            "PINVIEWER_CODESIGN_IDENTITY": "Developer ID Application: Someone (TEAM)", "PYTHON": sys.executable}


@posix
def test_release_signs_notarises_and_staples_the_app_then_the_dmg(tmp_path):
    app = ROOT / "dist" / f"{INFO.name}.app"
    if app.exists():
        pytest.skip("a real dist/PinViewer.app is here; not touching it")
    (app / "Contents" / "MacOS").mkdir(parents=True)
    try:
        env = dict(_stand_in_tools(tmp_path), NOTARY_STATUS="Accepted")
        result = subprocess.run([str(RELEASE)], env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr
        calls = (tmp_path / "calls.txt").read_text().splitlines()
    finally:
        shutil.rmtree(app)
    dmg = f"dist/{INFO.name}-{INFO.version}-macos.dmg"
    order = [
        f"codesign --force --timestamp --options runtime --entitlements packaging/macos/entitlements.plist "
        f"--sign Developer ID Application: Someone (TEAM) dist/{INFO.name}.app",
        "xcrun notarytool submit",  # the app, zipped
        f"xcrun stapler staple dist/{INFO.name}.app",
        f"spctl --assess --type execute --verbose=2 dist/{INFO.name}.app",
        "hdiutil create",
        f"codesign --force --timestamp --sign Developer ID Application: Someone (TEAM) {dmg}",
        f"xcrun notarytool submit {dmg}",
        f"xcrun stapler staple {dmg}",
        "spctl --assess --type open",
    ]
    at = 0
    for expected in order:
        while at < len(calls) and not calls[at].startswith(expected):
            at += 1
        assert at < len(calls), f"not done, or not in this order: {expected}\n" + "\n".join(calls)
    assert f"dmg: {INFO.name}.app" in calls and "dmg: Applications -> /Applications" in calls


@posix
def test_release_stops_when_apple_refuses(tmp_path):
    app = ROOT / "dist" / f"{INFO.name}.app"
    if app.exists():
        pytest.skip("a real dist/PinViewer.app is here; not touching it")
    (app / "Contents" / "MacOS").mkdir(parents=True)
    try:
        env = dict(_stand_in_tools(tmp_path), NOTARY_STATUS="Invalid")
        result = subprocess.run([str(RELEASE)], env=env, capture_output=True, text=True, timeout=60)
    finally:
        shutil.rmtree(app)
    assert result.returncode == 1 and "Apple did not accept" in result.stderr and "notarytool log" in result.stderr
    calls = (tmp_path / "calls.txt").read_text()
    assert "stapler" not in calls and "hdiutil" not in calls  # nothing after the refusal
