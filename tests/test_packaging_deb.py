"""The Debian package: built with the real dpkg-deb from a small stand-in bundle of real ELF files, read back with
dpkg-deb and dpkg; and, when build.py has made it, the real dist/pinviewer_*.deb. (Installing it with apt-get,
using it through its menu entry and removing it is .ci/run's job: packaging/linux/ci_install.sh.)
"""
from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
sys.path.insert(0, str(PACKAGING))
sys.path.insert(0, str(PACKAGING / "linux"))


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


appinfo = _load("appinfo", PACKAGING / "appinfo.py")
elf = _load("elf", PACKAGING / "linux" / "elf.py")
systems = _load("systems", PACKAGING / "linux" / "systems.py")
render = _load("render", PACKAGING / "linux" / "render.py")
deb = _load("deb", PACKAGING / "linux" / "deb.py")
INFO = appinfo.load()
BUNDLE = ROOT / "dist" / INFO.name

needs_dpkg = pytest.mark.skipif(not (shutil.which("dpkg-deb") and shutil.which("dpkg")),
                                reason="dpkg-deb is not installed (a Debian or Ubuntu machine)")


def _system_library(name: str) -> Path | None:
    for folder in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64",
                   "/usr/lib"):
        path = Path(folder) / name
        if path.exists():
            return path.resolve()
    return None


# ------------------------------------------------------------------------------------------- versions, systems
@pytest.mark.parametrize("version, expected", [
    ("0.1.0", "0.1.0"), ("0.2.0rc1", "0.2.0~rc1"), ("1.0a2", "1.0~a2"), ("1.0b1", "1.0~b1"),
    ("1.0.post1", "1.0+post1"), ("1.0.dev3", "1.0~~dev3"), ("1.0rc1.dev3", "1.0~rc1~dev3"), ("1.0+local.7", "1.0+local.7"),
])
def test_debian_versions(version, expected):
    assert deb.debian_version(version) == expected


@needs_dpkg
def test_debian_versions_sort_as_python_versions_do():
    """apt must see 0.2.0rc1 as older than 0.2.0, or an upgrade from the release candidate never comes."""
    ordered = ["0.1.0", "0.2.0.dev1", "0.2.0a1", "0.2.0b2", "0.2.0rc1.dev1", "0.2.0rc1", "0.2.0rc2", "0.2.0",
               "0.2.0.post1.dev1", "0.2.0.post1", "0.2.1"]
    for older, newer in zip(ordered, ordered[1:]):
        a, b = deb.debian_version(older), deb.debian_version(newer)
        assert subprocess.run(["dpkg", "--compare-versions", a, "lt", b]).returncode == 0, (a, b)


def test_oldest_systems_for_a_glibc():
    assert systems.oldest((2, 36)) == ["Debian 12", "Ubuntu 24.04", "Linux Mint 22", "Fedora 37",
                                       "RHEL/AlmaLinux/Rocky Linux 10"]
    assert systems.oldest((2, 35))[:3] == ["Debian 12", "Ubuntu 22.04", "Linux Mint 21"]
    assert "Debian 11" in systems.oldest((2, 28)) and "RHEL/AlmaLinux/Rocky Linux 8" in systems.oldest((2, 28))
    assert systems.runs_on((2, 36)).endswith("or newer, and a current Arch or openSUSE Tumbleweed")


# ----------------------------------------------------------------------------------------------------- ELF
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux ELF files")
def test_elf_reader_agrees_with_objdump():
    library = _system_library("libxcb-cursor.so.0") or _system_library("libz.so.1")
    if library is None or not shutil.which("objdump"):
        pytest.skip("needs objdump (binutils) and a system library to read")
    needs = elf.read(library)
    dump = subprocess.run(["objdump", "-p", str(library)], capture_output=True, text=True, check=True).stdout
    assert needs.needed == re.findall(r"^\s+NEEDED\s+(\S+)", dump, re.M)
    versions = set(re.findall(r"0x[0-9a-f]+ 0x\d+ \d+ (\S+)", dump.split("Version References:", 1)[1]))
    assert set().union(*needs.versions.values()) == versions
    assert elf.read(Path(__file__)) is None  # not an ELF file


# ---------------------------------------------------------------------------------------- a stand-in bundle
def stand_in_bundle(where: Path) -> Path:
    """A program and one library that links libxcb (not carried) and libxcb-render (carried)."""
    cursor, render_lib = _system_library("libxcb-cursor.so.0"), _system_library("libxcb-render.so.0")
    program = Path(shutil.which("true") or "/bin/true").resolve()
    if cursor is None or render_lib is None:
        pytest.skip("libxcb-cursor0 and libxcb-render0 are not installed")
    bundle = where / INFO.name
    (bundle / "_internal").mkdir(parents=True)
    shutil.copy(program, bundle / INFO.exe_name)
    shutil.copy(cursor, bundle / "_internal" / "libxcb-cursor.so.0")
    shutil.copy(render_lib, bundle / "_internal" / "libxcb-render.so.0")
    (bundle / "_internal" / "data.txt").write_text("not a library\n")
    render.write_share(bundle, INFO)
    render.write_scripts(bundle, INFO)
    (bundle / ".pinviewer-bundle").touch()
    return bundle


@needs_dpkg
def test_a_deb_from_a_bundle(tmp_path):
    bundle = stand_in_bundle(tmp_path)
    floor = elf.glibc_floor(bundle)
    package = deb.build(bundle, tmp_path / "out", INFO, work=tmp_path / "stage")
    assert package.name == f"pinviewer_{deb.debian_version(INFO.version)}_{deb.architecture()}.deb"
    assert not (tmp_path / "stage").exists()  # the staging tree is cleaned up

    def field(name):
        return subprocess.run(["dpkg-deb", "-f", str(package), name], capture_output=True, text=True,
                              check=True).stdout.strip()

    depends = [d.strip() for d in field("Depends").split(",")]
    assert depends[0] == f"libc6 (>= {floor[0]}.{floor[1]})"
    assert "libxcb1" in depends  # linked, not carried: the system must have it
    assert "libxcb-render0" not in depends and "libxcb-cursor0" not in depends  # carried by the bundle
    assert "fontconfig-config" in depends
    assert field("Package") == "pinviewer" and field("Architecture") == deb.architecture()
    assert int(field("Installed-Size")) >= sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file()) // 2048

    paths = {path for _mode, path in _listing(package)}
    listing = subprocess.run(["dpkg-deb", "-c", str(package)], capture_output=True, text=True, check=True).stdout
    assert {line.split()[1] for line in listing.splitlines()} == {"root/root"}
    app = f"/opt/pinviewer/{INFO.exe_name}"
    for path in (app, "/opt/pinviewer/_internal/libxcb-cursor.so.0", "/usr/bin/pinviewer",
                 f"/usr/share/applications/{INFO.app_id}.desktop", f"/usr/share/metainfo/{INFO.app_id}.metainfo.xml",
                 f"/usr/share/icons/hicolor/48x48/apps/{INFO.app_id}.png",
                 f"/usr/share/icons/hicolor/scalable/apps/{INFO.app_id}.svg", "/usr/share/doc/pinviewer/copyright"):
        assert path in paths, path
    for tarball_only in ("install.sh", "uninstall.sh", "share", ".pinviewer-bundle"):
        assert f"/opt/pinviewer/{tarball_only}" not in paths and f"/opt/pinviewer/{tarball_only}/" not in paths

    extracted = tmp_path / "extracted"
    subprocess.run(["dpkg-deb", "-x", str(package), str(extracted)], check=True)
    assert (extracted / "usr" / "bin" / "pinviewer").readlink() == Path(app)
    desktop = (extracted / "usr" / "share" / "applications" / f"{INFO.app_id}.desktop").read_text()
    assert "\nExec=pinviewer %F\n" in desktop and "\nMimeType=text/csv;\n" in desktop
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(["desktop-file-validate", str(extracted / "usr" / "share" / "applications" /
                                                              f"{INFO.app_id}.desktop")], capture_output=True)
        assert result.returncode == 0, result.stdout


@needs_dpkg
def test_the_maintainer_scripts(tmp_path):
    bundle = stand_in_bundle(tmp_path)
    package = deb.build(bundle, tmp_path / "out", INFO, work=tmp_path / "stage")
    control = tmp_path / "control"
    subprocess.run(["dpkg-deb", "-e", str(package), str(control)], check=True)
    postinst, postrm = (control / "postinst").read_text(), (control / "postrm").read_text()
    assert "update-desktop-database" in postinst and "gtk-update-icon-cache" in postinst
    assert "update-desktop-database" in postrm
    assert "@" not in postinst + postrm  # every placeholder filled in
    # postrm's message, as apt-get remove shows it (run with a PATH without the cache tools: it only talks)
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "cat").symlink_to(shutil.which("cat"))
    shell = shutil.which("sh")
    result = subprocess.run([shell, str(control / "postrm"), "remove"], capture_output=True, text=True,
                            env={"PATH": str(tools)})
    assert result.returncode == 0, result.stderr
    for folder in ("~/.local/share/PinViewer", "~/.config/PinViewer", "~/.cache/PinViewer",
                   "~/.local/state/PinViewer/log"):
        assert folder in result.stdout
    assert "were kept" in result.stdout and "pinviewer disconnect" in result.stdout
    assert subprocess.run(["sh", str(control / "postrm"), "upgrade"], capture_output=True,
                          text=True).stdout == ""  # an upgrade is not a removal: nothing to say


# ---------------------------------------------------------------------------------------------- the real one
def _listing(package: Path) -> list[tuple[str, str]]:
    """(mode, path) of each member, as dpkg-deb -c prints them (paths may hold spaces; links show a target)."""
    text = subprocess.run(["dpkg-deb", "-c", str(package)], capture_output=True, text=True, check=True).stdout
    members = []
    for line in text.splitlines():
        mode, _owner, _size, _day, _time, path = line.split(None, 5)
        members.append((mode, path.split(" -> ")[0].removeprefix(".")))
    return members


def _built_deb() -> Path:
    found = sorted((ROOT / "dist").glob("pinviewer_*.deb"))
    if not found or not (BUNDLE / INFO.exe_name).exists():
        pytest.skip("no built bundle and .deb in dist/ (python packaging/build.py makes them)")
    return found[-1]


@needs_dpkg
def test_the_built_deb_carries_the_whole_bundle(tmp_path):
    package = _built_deb()
    packaged = {path.removeprefix("/opt/pinviewer/") for mode, path in _listing(package)
                if path.startswith("/opt/pinviewer/") and not mode.startswith("d")}
    bundled = {str(p.relative_to(BUNDLE)) for p in BUNDLE.rglob("*") if (p.is_symlink() or not p.is_dir())
               and p.relative_to(BUNDLE).parts[0] not in deb.NOT_IN_PACKAGE}
    assert packaged == bundled
    floor = elf.glibc_floor(BUNDLE)
    depends = subprocess.run(["dpkg-deb", "-f", str(package), "Depends"], capture_output=True, text=True,
                             check=True).stdout
    assert f"libc6 (>= {floor[0]}.{floor[1]})" in depends
    for library in ("libegl1", "libxcb1", "libwayland-client0"):  # linked by Qt, left to the system
        assert library in depends
    size_kib = int(subprocess.run(["dpkg-deb", "-f", str(package), "Installed-Size"], capture_output=True,
                                  text=True, check=True).stdout)
    bundle_kib = sum(p.stat().st_size for p in BUNDLE.rglob("*") if p.is_file() and not p.is_symlink()) / 1024
    assert 0.95 * bundle_kib < size_kib < 1.05 * bundle_kib


def test_the_readme_names_the_oldest_systems_each_build_runs_on():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    install = readme.split("## Install PinViewer", 1)[1].split("\n## ", 1)[0]
    assert install.index(".deb") < install.index(".tar.gz")  # Debian/Ubuntu first, the tarball for the others
    assert "macOS 13" in install and "Windows 10" in install
    floor = elf.glibc_floor(BUNDLE) if (BUNDLE / INFO.exe_name).exists() else (2, 36)
    for system in systems.oldest(floor)[:4]:
        assert system in install, system
    assert f"glibc {systems.text(floor)}" in install
