"""The Debian/Ubuntu package, made with dpkg-deb from the very bundle build.py made (no second build).

    python packaging/linux/deb.py [BUNDLE] [OUT_DIR]     # dist/PinViewer -> dist/pinviewer_<version>_<arch>.deb

What goes where:
    /opt/pinviewer/                       the bundle's program and libraries (pinviewer, _internal/)
    /usr/bin/pinviewer                    a link to /opt/pinviewer/pinviewer
    /usr/share/applications/<APP_ID>.desktop       the menu entry, Exec=pinviewer %F (Open With for CSV files)
    /usr/share/metainfo/<APP_ID>.metainfo.xml      AppStream details for software centres
    /usr/share/icons/hicolor/*/apps/<APP_ID>.*     the icons
    /usr/share/doc/pinviewer/copyright
Depends: the system libraries the bundle's files link and the bundle does not carry (read from the ELF files,
each mapped to the Debian package that holds it on the build machine), libc6 at least the newest glibc symbol
version the bundle needs, and fontconfig-config (the bundled fontconfig reads /etc/fonts; it also brings a
font). postinst/postrm refresh the menu and icon caches; postrm says which folders of each user's were kept.
"""
from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGING = HERE.parent
ROOT = PACKAGING.parent
sys.path.insert(0, str(PACKAGING))
sys.path.insert(0, str(HERE))
import appinfo  # noqa: E402
import elf  # noqa: E402
import render  # noqa: E402

PACKAGE = "pinviewer"
INSTALL_DIR = Path("opt") / PACKAGE
# Libraries of the C library itself: one Depends on libc6 with the glibc floor covers them.
LIBC_SONAMES = re.compile(r"^(ld-linux.*|libc|libm|libdl|libpthread|librt|libresolv|libutil|libanl|libnsl)\.so")
EXTRA_DEPENDS = ["fontconfig-config"]
# The bundle's share/ folder and the tarball's scripts belong to the tarball route; the package puts the
# desktop files under /usr/share itself.
NOT_IN_PACKAGE = {"share", "install.sh", "uninstall.sh", ".pinviewer-bundle"}


class DebError(SystemExit):
    pass


def debian_version(version: str) -> str:
    """PEP 440 -> Debian ordering: 0.2.0rc1 -> 0.2.0~rc1 (before 0.2.0), 0.2.0.post1 -> 0.2.0+post1."""
    match = re.fullmatch(r"(\d+(?:\.\d+)*)(?:[.-]?(a|b|rc|alpha|beta|c|pre|preview)(\d*))?(?:[.-]?(post|rev|r)(\d*))?"
                         r"(?:[.-]?dev(\d*))?(?:\+(.*))?", version.lower())
    if not match:
        raise DebError(f"deb.py: cannot turn the version {version!r} into a Debian version")
    release, pre, pre_n, post, post_n, dev, local = match.groups()
    pre = {"alpha": "a", "beta": "b", "c": "rc", "pre": "rc", "preview": "rc"}.get(pre, pre)
    text = release
    if pre:
        text += f"~{pre}{pre_n or 0}"
    if post:
        text += f"+post{post_n or 0}"
    if dev is not None:  # before everything of its release: 0.2.0.dev1 < 0.2.0a1 ("~~" sorts before "~a")
        text += f"{'~' if pre or post else '~~'}dev{dev or 0}"
    if local:
        text += "+" + re.sub(r"[^A-Za-z0-9.+~]", ".", local)
    return text


def architecture() -> str:
    try:
        return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return {"x86_64": "amd64", "aarch64": "arm64"}.get(os.uname().machine, os.uname().machine)


def package_of(soname: str) -> str:
    """The Debian package that holds ``soname`` on this machine (multiarch folder preferred)."""
    result = subprocess.run(["dpkg-query", "-S", f"*/{soname}"], capture_output=True, text=True)
    multiarch = sysconfig.get_config_var("MULTIARCH") or ""
    owners = []
    for line in result.stdout.splitlines():
        if line.startswith("diversion by") or ": " not in line:
            continue
        packages, path = line.split(": ", 1)
        if Path(path).name != soname:
            continue
        for package in packages.split(", "):
            owners.append((multiarch not in path, package.split(":")[0]))
    if not owners:
        raise DebError(f"deb.py: the bundle links {soname}, which it does not carry and no installed package "
                       "provides here; install that library and build again, so the package can depend on it")
    return sorted(owners)[0][1]


def depends(bundle: Path, floor: tuple[int, int]) -> list[str]:
    packages = {"libc6"}
    for soname in elf.system_needs(bundle):
        if not LIBC_SONAMES.match(soname):
            packages.add(package_of(soname))
    packages.discard("libc6")
    return [f"libc6 (>= {floor[0]}.{floor[1]})"] + sorted(packages | set(EXTRA_DEPENDS))


def installed_size_kib(tree: Path) -> int:
    """What dpkg shows as Installed-Size: each file rounded up to a KiB, each folder and link one KiB."""
    total = 0
    for path in tree.rglob("*"):
        if path.is_symlink() or path.is_dir():
            total += 1
        else:
            total += math.ceil(path.stat().st_size / 1024)
    return total


def _description(info) -> str:
    summary = info.summary.rstrip(".")
    body = ("PinViewer reads the analytics files you download from Pinterest and Google Analytics (or syncs "
            "with the Pinterest API), keeps every number in a history on your own computer, longer than the "
            "90 days Pinterest shows, and puts what turns into business first: saves, outbound clicks and "
            "conversions. It works offline and prints a one-page PDF summary.")
    words, lines, line = body.split(), [], ""
    for word in words:
        if len(line) + len(word) + 1 > 78:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return summary + "\n" + "\n".join(" " + text for text in lines)


def control(info, version: str, arch: str, size_kib: int, depends_: list[str]) -> str:
    maintainer = os.environ.get("PINVIEWER_DEB_MAINTAINER") or f"{info.org} <packaging@pinviewer.invalid>"
    fields = [
        ("Package", PACKAGE), ("Version", version), ("Architecture", arch), ("Maintainer", maintainer),
        ("Installed-Size", str(size_kib)), ("Depends", ", ".join(depends_)),
        ("Suggests", "gnome-keyring | kwalletmanager, libsecret-tools"),
        ("Section", "utils"), ("Priority", "optional"),
    ]
    homepage = _homepage()
    if homepage:
        fields.append(("Homepage", homepage))
    fields.append(("Description", _description(info)))
    return "".join(f"{key}: {value}\n" for key, value in fields)


def _homepage() -> str | None:
    import tomllib

    urls = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"].get("urls", {})
    for name, url in urls.items():
        if name.lower() in ("homepage", "repository", "source"):
            return url
    return None


def _place(source: Path, target: Path) -> None:
    """Hard-link (the bundle is 200+ MB; a copy would double the disk and the time), else copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def stage(bundle: Path, info, tree: Path) -> None:
    if tree.exists():
        shutil.rmtree(tree)
    app = tree / INSTALL_DIR
    for source in sorted(bundle.rglob("*")):
        relative = source.relative_to(bundle)
        if relative.parts[0] in NOT_IN_PACKAGE:
            continue
        target = app / relative
        if source.is_symlink():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(os.readlink(source), target)
        elif source.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            _place(source, target)
    (tree / "usr" / "bin").mkdir(parents=True)
    os.symlink(f"/{INSTALL_DIR}/{info.exe_name}", tree / "usr" / "bin" / PACKAGE)
    render.write_share(tree / "usr", info)  # Exec=pinviewer %F: the command on PATH
    doc = tree / "usr" / "share" / "doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
        f"Upstream-Name: {info.name}\n\n"
        f"Files: *\nCopyright: {info.org}\nLicense: {info.license}\n\n"
        f"Files: {INSTALL_DIR}/_internal/*\n"
        "Copyright: the authors of each bundled component\n"
        "License: various\n"
        " The program carries Python (PSF License), Qt and PySide6 (LGPL-3), numpy, pandas and pyqtgraph\n"
        " (BSD/MIT), keyring and platformdirs (MIT), and the Debian libraries they link, each under its\n"
        " own licence.\n", encoding="utf-8")
    # Owner root (dpkg-deb --root-owner-group); modes as Debian expects: folders 755, files 644, programs 755.
    for path in tree.rglob("*"):
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755)
        else:
            executable = path.stat().st_mode & 0o111 or path.suffix == ".so" or ".so." in path.name
            path.chmod(0o755 if executable else 0o644)
    debian = tree / "DEBIAN"
    debian.mkdir()
    for name in ("postinst", "postrm"):
        script = debian / name
        script.write_text(render.fill((HERE / "debian" / name).read_text(encoding="utf-8"),
                                      {"APP_ID": info.app_id, "APP_NAME": info.name}), encoding="utf-8")
        script.chmod(0o755)


def build(bundle: Path, out_dir: Path, info=None, work: Path | None = None) -> Path:
    info = info or appinfo.load()
    if not shutil.which("dpkg-deb"):
        raise DebError("deb.py: dpkg-deb is not installed (Debian: apt-get install dpkg); the .deb was not made")
    floor = elf.glibc_floor(bundle)
    if floor is None:
        raise DebError(f"deb.py: no ELF file in {bundle} needs glibc: is that really the built bundle?")
    arch, version = architecture(), debian_version(info.version)
    tree = work or ROOT / "build" / "deb" / f"{PACKAGE}_{version}_{arch}"
    started = time.perf_counter()
    stage(bundle, info, tree)
    size = installed_size_kib(tree) - installed_size_kib(tree / "DEBIAN")
    (tree / "DEBIAN" / "control").write_text(control(info, version, arch, size, depends(bundle, floor)),
                                             encoding="utf-8")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{PACKAGE}_{version}_{arch}.deb"
    # zstd: 74 MiB in ~40 s here, where xz -6 makes 62 MiB in ~210 s; every dpkg since Debian 12 and
    # Ubuntu 21.10 reads it, and the bundle needs Debian 12 / Ubuntu 24.04 anyway.
    command = ["dpkg-deb", "--root-owner-group", "-Zzstd", "-z12", "--threads-max=2", "--build", str(tree),
               str(target)]
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(tree)
    print(f"built {target.name}: {target.stat().st_size / 2**20:.0f} MiB, Installed-Size {size / 1024:.0f} MiB, "
          f"glibc >= {floor[0]}.{floor[1]}, in {time.perf_counter() - started:.0f} s")
    return target


if __name__ == "__main__":
    bundle_arg = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist" / "PinViewer"
    out_arg = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "dist"
    build(bundle_arg, out_arg)
