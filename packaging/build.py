"""Build the PinViewer app for this operating system, then check that it starts.

    python packaging/build.py                # build dist/PinViewer (+ the Linux tarball and .deb), run the smoke test
    python packaging/build.py --no-smoke     # build only
    python packaging/build.py --smoke-only   # test the bundle already in dist/
    python packaging/build.py --unsigned     # macOS: a local test build without a signing identity

Steps: (1) the icons are current with resources/icons/pinviewer.svg (else they are remade); (2) PyInstaller
builds the windowed onedir app from packaging/pinviewer.spec; (3) on Linux, the desktop entry, metainfo, hicolor
icons and install/uninstall scripts go into the bundle, which is packed as dist/PinViewer-<version>-linux-<arch>
.tar.gz, and the same bundle becomes dist/pinviewer_<version>_<arch>.deb (packaging/linux/deb.py, with dpkg-deb);
(4) the frozen app runs ``--smoke`` (offscreen unless QT_QPA_PLATFORM says otherwise) and the build fails if it
does. Needs the build requirements: pip install -r packaging/requirements.txt. On macOS the build refuses to
start without PINVIEWER_CODESIGN_IDENTITY (a release must be signed and notarised: packaging/macos/release.sh)
unless --unsigned says this build is only for testing.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import appinfo  # noqa: E402

DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"


def bundle_dir(info) -> Path:
    return DIST / (f"{info.name}.app" if sys.platform == "darwin" else info.name)


def executable(info, console: bool = True) -> Path:
    if sys.platform == "win32":
        return DIST / info.name / (f"{info.exe_name}-cli.exe" if console else f"{info.exe_name}.exe")
    if sys.platform == "darwin":
        return DIST / f"{info.name}.app" / "Contents" / "MacOS" / info.exe_name
    return DIST / info.name / info.exe_name


def size_of(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def ensure_icons() -> None:
    import make_icons

    problems = make_icons.stale()
    if problems:
        print("icons: " + "; ".join(problems) + " -> remaking them")
        make_icons.make_all()


def run_pyinstaller(info, unsigned: bool = False) -> None:
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--distpath", str(DIST),
               "--workpath", str(WORK), str(HERE / "pinviewer.spec")]
    print("+", " ".join(command), flush=True)
    env = dict(os.environ, PINVIEWER_UNSIGNED="1") if unsigned else None
    subprocess.run(command, check=True, cwd=ROOT, env=env)


def add_linux_files(info) -> Path:
    """share/ and the install scripts inside the bundle, then the tarball a user downloads."""
    sys.path.insert(0, str(HERE / "linux"))
    import render

    target = bundle_dir(info)
    render.write_share(target, info)
    render.write_scripts(target, info)
    (target / ".pinviewer-bundle").touch()
    machine = platform.machine().lower() or "unknown"
    archive = DIST / f"{info.name}-{info.version}-linux-{machine}.tar.gz"
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
        tar.add(target, arcname=info.name)
    return archive


def build_deb(info) -> Path | None:
    """The Debian/Ubuntu package, from the same bundle (its share/ and scripts stay out)."""
    if not shutil.which("dpkg-deb"):
        print("dpkg-deb is not installed (Debian/Ubuntu: apt-get install dpkg): no .deb this time", file=sys.stderr)
        return None
    sys.path.insert(0, str(HERE / "linux"))
    import deb

    return deb.build(bundle_dir(info), DIST, info)


def require_signing_identity(unsigned: bool) -> None:
    """macOS: a release build is signed as PyInstaller collects it; without an identity, stop before building."""
    if sys.platform != "darwin" or unsigned:
        return
    if not os.environ.get("PINVIEWER_CODESIGN_IDENTITY"):
        raise SystemExit(
            "PINVIEWER_CODESIGN_IDENTITY is not set, so this app could not be signed or notarised and macOS would "
            "refuse to open it on other Macs.\nSet it to your Developer ID Application identity (security "
            "find-identity -v -p codesigning lists them), or pass --unsigned for a build you only test yourself.")


def smoke(info) -> int:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    command = [str(executable(info)), "--smoke"]
    print("+", " ".join(command), f"(QT_QPA_PLATFORM={env['QT_QPA_PLATFORM']})", flush=True)
    return subprocess.run(command, env=env, timeout=600).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-smoke", action="store_true", help="do not run the frozen smoke test")
    parser.add_argument("--smoke-only", action="store_true", help="only run the smoke test on dist/")
    parser.add_argument("--unsigned", action="store_true", help="macOS: build without a signing identity (tests only)")
    args = parser.parse_args(argv)
    info = appinfo.load(check_installed=not args.smoke_only)
    if not args.smoke_only:
        require_signing_identity(args.unsigned)
        started = time.perf_counter()
        ensure_icons()
        if bundle_dir(info).exists():
            shutil.rmtree(bundle_dir(info))
        run_pyinstaller(info, unsigned=args.unsigned)
        archive = add_linux_files(info) if sys.platform.startswith("linux") else None
        took = time.perf_counter() - started
        print(f"built {bundle_dir(info).relative_to(ROOT)}: {size_of(bundle_dir(info)) / 2**20:.0f} MiB "
              f"in {took:.0f} s" + (f"; {archive.relative_to(ROOT)}: {archive.stat().st_size / 2**20:.0f} MiB"
                                    if archive else ""))
        if sys.platform.startswith("linux"):
            build_deb(info)
    if args.no_smoke:
        return 0
    code = smoke(info)
    if code:
        print(f"The frozen smoke test failed (exit {code}).", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
