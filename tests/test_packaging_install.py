"""The tarball route on Linux: install.sh and uninstall.sh, run for real on a stand-in bundle in a home of their own.

The bundle's program is a small shell script (the real one is exercised by .ci/run's ci_install.sh); everything
else is what a user gets: the scripts as build.py renders them, the desktop files, real mimeapps.list files, and
GLib's own answer (``gio mime``) to "which app opens a CSV file" where gio is installed.
"""
from __future__ import annotations

import importlib.util
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32" or shutil.which("sh") is None,
                                reason="POSIX shell scripts")

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
render = _load("render", PACKAGING / "linux" / "render.py")
systems = _load("systems", PACKAGING / "linux" / "systems.py")
INFO = appinfo.load()
FLOOR = (2, 36)
CSV_APP = "libreoffice-calc.desktop"


def make_bundle(where: Path, calls: Path | None = None) -> Path:
    """An unpacked PinViewer folder whose program records its arguments (to see `pinviewer disconnect` run)."""
    bundle = where / "PinViewer"
    (bundle / "_internal").mkdir(parents=True)
    program = bundle / "pinviewer"
    record = f'echo "$*" >> "{calls}"\n' if calls else ""
    program.write_text(f"#!/bin/sh\n{record}echo PinViewer fake\n")
    program.chmod(0o755)
    render.write_share(bundle, INFO)
    render.write_scripts(bundle, INFO, glibc=FLOOR)
    (bundle / ".pinviewer-bundle").touch()
    return bundle


def system_with_a_csv_app(root: Path) -> Path:
    """A data folder like /usr/share with one app that opens CSV files, and its MIME cache."""
    apps = root / "applications"
    apps.mkdir(parents=True)
    (apps / CSV_APP).write_text("[Desktop Entry]\nType=Application\nName=Calc\nExec=true %U\n"
                                "MimeType=text/csv;application/vnd.oasis.opendocument.spreadsheet;\n")
    (apps / "mimeinfo.cache").write_text(f"[MIME Cache]\ntext/csv={CSV_APP};\n")
    return root


def user_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A person's environment: their own home, XDG folders under it, no PinViewer overrides."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {"HOME": str(home), "PATH": os.environ["PATH"], "LC_ALL": "C.UTF-8",
           "XDG_DATA_DIRS": str(tmp_path / "system-share"), "XDG_CONFIG_DIRS": str(tmp_path / "etc-xdg")}
    env.update(extra)
    return env


def run(script: Path, env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([str(script), *args], env=env, capture_output=True, text=True, timeout=60,
                            stdin=subprocess.DEVNULL)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def tools_without(tmp_path: Path, *left_out: str) -> str:
    """A PATH with the usual tools but not ``left_out`` (gio, xdg-mime...), to test the script's fallbacks."""
    folder = tmp_path / "bin-without"
    folder.mkdir()
    for name in ("sh", "sed", "awk", "tr", "cut", "head", "grep", "mkdir", "cp", "mv", "rm", "ln", "dirname",
                 "basename", "readlink", "cat", "getconf", "ldd", "touch", "env", "update-desktop-database"):
        found = shutil.which(name)
        if found and name not in left_out:
            (folder / name).symlink_to(found)
    return str(folder)


def fake_getconf(tmp_path: Path, text: str) -> str:
    folder = tmp_path / "fake-getconf"
    folder.mkdir()
    (folder / "getconf").write_text(f"#!/bin/sh\necho '{text}'\n")
    (folder / "getconf").chmod(0o755)
    return f"{folder}:{os.environ['PATH']}"


def mimeapps_default(path: Path) -> str | None:
    if not path.exists():
        return None
    section = None
    for line in path.read_text().splitlines():
        if line.startswith("["):
            section = line
        elif section == "[Default Applications]" and line.startswith("text/csv="):
            return line.split("=", 1)[1].split(";")[0]
    return None


# ------------------------------------------------------------------------------------------------ install
def test_install_and_uninstall_under_a_prefix(tmp_path):
    bundle = make_bundle(tmp_path / "unpacked")
    prefix = tmp_path / "home with space" / ".local"
    env = user_env(tmp_path, PREFIX=str(prefix))
    run(bundle / "install.sh", env)

    app_dir = prefix / "lib" / "pinviewer"
    assert (app_dir / "pinviewer").exists() and (app_dir / ".pinviewer-bundle").exists()
    assert os.readlink(prefix / "bin" / "pinviewer") == str(app_dir / "pinviewer")
    desktop = (prefix / "share" / "applications" / f"{INFO.app_id}.desktop").read_text()
    assert f'Exec="{app_dir / "pinviewer"}" %F' in desktop  # a path with a space is quoted
    assert f"TryExec={app_dir / 'pinviewer'}" in desktop
    assert (prefix / "share" / "icons" / "hicolor" / "48x48" / "apps" / f"{INFO.app_id}.png").exists()
    if shutil.which("desktop-file-validate"):
        path = prefix / "share" / "applications" / f"{INFO.app_id}.desktop"
        assert subprocess.run(["desktop-file-validate", str(path)]).returncode == 0

    run(bundle / "install.sh", env)  # again: an update
    run(app_dir / "uninstall.sh", env, "--keep-token")
    assert not app_dir.exists() and not (prefix / "bin" / "pinviewer").exists()
    assert not (prefix / "share" / "applications" / f"{INFO.app_id}.desktop").exists()
    assert not list((prefix / "share" / "icons").rglob(f"{INFO.app_id}.*"))


def test_install_leaves_a_folder_it_did_not_make_alone(tmp_path):
    bundle = make_bundle(tmp_path)
    prefix = tmp_path / "prefix"
    (prefix / "lib" / "pinviewer").mkdir(parents=True)
    (prefix / "lib" / "pinviewer" / "precious.txt").write_text("mine")
    result = run(bundle / "install.sh", user_env(tmp_path, PREFIX=str(prefix)), check=False)
    assert result.returncode == 1 and "leaving it alone" in result.stderr
    assert (prefix / "lib" / "pinviewer" / "precious.txt").read_text() == "mine"


@pytest.mark.parametrize("getconf, refused", [("glibc 2.35", True), ("glibc 2.31", True), ("glibc 1.99", True),
                                              ("glibc 2.36", False), ("glibc 2.39", False), ("glibc 3.0", False)])
def test_install_checks_the_c_library_first(tmp_path, getconf, refused):
    """Ubuntu 22.04 / Mint 21 (glibc 2.35) get a sentence naming the version and the systems that have it,
    and nothing is installed; a new enough system installs."""
    bundle = make_bundle(tmp_path / "unpacked")
    env = user_env(tmp_path, PATH=fake_getconf(tmp_path, getconf))
    result = run(bundle / "install.sh", env, check=False)
    installed = tmp_path / "home" / ".local" / "lib" / "pinviewer"
    if refused:
        assert result.returncode == 1
        message = result.stderr
        assert "glibc) 2.36 or newer" in message and getconf.split()[1] in message
        for system in systems.oldest(FLOOR):
            assert system in message
        assert "Ubuntu 24.04" in message and "Debian 12" in message and "Nothing was installed" in message
        assert not installed.exists() and not (tmp_path / "home" / ".local" / "share").exists()
    else:
        assert result.returncode == 0, result.stderr
        assert installed.is_dir()


def test_install_refuses_a_system_without_glibc(tmp_path):
    """musl systems (Alpine): no getconf answer, no glibc ldd -> refused in words, not a crash later."""
    bundle = make_bundle(tmp_path / "unpacked")
    path = tools_without(tmp_path, "getconf", "ldd")
    result = run(bundle / "install.sh", user_env(tmp_path, PATH=path), check=False)
    assert result.returncode == 1 and "this system has none" in result.stderr


def test_install_honours_xdg_data_home(tmp_path):
    bundle = make_bundle(tmp_path / "unpacked")
    data = tmp_path / "my data"
    env = user_env(tmp_path, XDG_DATA_HOME=str(data))
    run(bundle / "install.sh", env)
    assert (data / "applications" / f"{INFO.app_id}.desktop").exists()
    assert (data / "metainfo" / f"{INFO.app_id}.metainfo.xml").exists()
    assert (data / "icons" / "hicolor" / "scalable" / "apps" / f"{INFO.app_id}.svg").exists()
    assert not (tmp_path / "home" / ".local" / "share").exists()  # nothing in the default place
    app_dir = tmp_path / "home" / ".local" / "lib" / "pinviewer"
    run(app_dir / "uninstall.sh", dict(env, XDG_DATA_HOME=str(tmp_path / "elsewhere")), "--keep-token")
    # uninstall.sh removes from where install.sh put things, even if the variable changed since
    assert not list(data.rglob(f"{INFO.app_id}*")) and not app_dir.exists()


# -------------------------------------------------------------------------------------------- Open With
def _gio_default_and_apps(env: dict) -> tuple[str | None, str]:
    result = subprocess.run(["gio", "mime", "text/csv"], env=env, capture_output=True, text=True, timeout=30)
    default = None
    for line in result.stdout.splitlines():
        if line.startswith("Default application for"):
            default = line.rsplit(":", 1)[1].strip()
    return default, result.stdout


@pytest.mark.parametrize("without", [(), ("gio", "xdg-mime")], ids=["asks-gio", "reads-mime-caches"])
def test_install_adds_open_with_but_keeps_the_csv_default(tmp_path, without):
    """No default set: a desktop would now pick PinViewer (a user's own entries come first). install.sh writes down
    the app it picks today, so PinViewer is only one more choice under Open With."""
    system_with_a_csv_app(tmp_path / "system-share")
    bundle = make_bundle(tmp_path / "unpacked")
    env = user_env(tmp_path)
    if without:
        env["PATH"] = tools_without(tmp_path, *without)
    elif not shutil.which("gio"):
        pytest.skip("gio is not installed (Debian: libglib2.0-bin)")
    result = run(bundle / "install.sh", env)
    mimeapps = tmp_path / "home" / ".config" / "mimeapps.list"
    assert mimeapps_default(mimeapps) == CSV_APP
    assert f"CSV files still open with {CSV_APP}" in result.stdout
    desktop = tmp_path / "home" / ".local" / "share" / "applications" / f"{INFO.app_id}.desktop"
    assert "MimeType=text/csv;" in desktop.read_text()  # listed under Open With
    if shutil.which("gio"):  # what GNOME (GLib) itself now says, with the user's folders
        gio_env = dict(env, PATH=os.environ["PATH"])
        default, listing = _gio_default_and_apps(gio_env)
        assert default == CSV_APP
        assert f"{INFO.app_id}.desktop" in listing.split("Registered applications:", 1)[1]

    app_dir = tmp_path / "home" / ".local" / "lib" / "pinviewer"
    run(app_dir / "uninstall.sh", env, "--keep-token")
    assert mimeapps_default(mimeapps) is None  # the line install.sh added is gone again


def test_install_leaves_a_chosen_csv_default_alone(tmp_path):
    system_with_a_csv_app(tmp_path / "system-share")
    config = tmp_path / "home" / ".config"
    config.mkdir(parents=True)
    chosen = "[Added Associations]\ntext/plain=gedit.desktop;\n\n[Default Applications]\ntext/csv=gnumeric.desktop\n"
    (config / "mimeapps.list").write_text(chosen)
    bundle = make_bundle(tmp_path / "unpacked")
    env = user_env(tmp_path)
    result = run(bundle / "install.sh", env)
    assert (config / "mimeapps.list").read_text() == chosen
    assert "still open with" not in result.stdout
    run(tmp_path / "home" / ".local" / "lib" / "pinviewer" / "uninstall.sh", env, "--keep-token")
    assert (config / "mimeapps.list").read_text() == chosen


def test_install_adds_to_an_existing_mimeapps_list_without_losing_lines(tmp_path):
    system_with_a_csv_app(tmp_path / "system-share")
    config = tmp_path / "home" / ".config"
    config.mkdir(parents=True)
    before = "[Default Applications]\ntext/html=firefox.desktop\n\n[Added Associations]\ntext/plain=gedit.desktop;\n"
    (config / "mimeapps.list").write_text(before)
    bundle = make_bundle(tmp_path / "unpacked")
    env = dict(user_env(tmp_path), PATH=tools_without(tmp_path, "gio", "xdg-mime"))
    run(bundle / "install.sh", env)
    after = (config / "mimeapps.list").read_text()
    assert mimeapps_default(config / "mimeapps.list") == CSV_APP
    assert "text/html=firefox.desktop" in after and "text/plain=gedit.desktop;" in after
    run(tmp_path / "home" / ".local" / "lib" / "pinviewer" / "uninstall.sh", env, "--keep-token")
    assert (config / "mimeapps.list").read_text() == before


# ---------------------------------------------------------------------------------------------- uninstall
def _folders_of_the_app(env: dict) -> dict[str, str]:
    """Where PinViewer itself keeps things under ``env`` (pinviewer.paths, run as the app would)."""
    code = ("from pinviewer import paths\n"
            "print(paths.data_dir()); print(paths.config_dir()); print(paths.cache_dir()); print(paths.log_dir())")
    out = subprocess.run([sys.executable, "-c", code], env=dict(env, PYTHONPATH=str(ROOT)), capture_output=True,
                         text=True, check=True).stdout.split("\n")
    return dict(zip(("history", "settings", "cache", "logs"), out))


@pytest.mark.parametrize("overrides", [
    {},
    {"XDG_DATA_HOME": "data home", "XDG_CONFIG_HOME": "conf", "XDG_CACHE_HOME": "cache", "XDG_STATE_HOME": "state"},
    {"PINVIEWER_HOME": "portable"},
], ids=["defaults", "xdg", "pinviewer-home"])
def test_uninstall_names_the_four_kept_folders_where_the_app_keeps_them(tmp_path, overrides):
    bundle = make_bundle(tmp_path / "unpacked")
    env = user_env(tmp_path, **{k: str(tmp_path / v) for k, v in overrides.items()})
    run(bundle / "install.sh", env)
    result = run(tmp_path / "home" / ".local" / "lib" / "pinviewer" / "uninstall.sh", env, "--keep-token")
    folders = _folders_of_the_app(env)
    for label, folder in folders.items():
        assert f"{label:<9} {folder}\n" in result.stdout, (label, folder, result.stdout)
    assert "were kept" in result.stdout
    assert "secret-tool clear service PinViewer" in result.stdout  # the token stays; how to remove it later
    assert Path(folders["history"]).is_dir()  # made by the app's paths above, and left alone


def test_uninstall_disconnect_removes_the_token_while_the_program_is_there(tmp_path):
    calls = tmp_path / "calls.txt"
    bundle = make_bundle(tmp_path / "unpacked", calls=calls)
    env = user_env(tmp_path)
    run(bundle / "install.sh", env)
    result = run(tmp_path / "home" / ".local" / "lib" / "pinviewer" / "uninstall.sh", env, "--disconnect")
    assert calls.read_text().split("\n")[0] == "disconnect"
    assert "secret-tool" not in result.stdout
    assert not (tmp_path / "home" / ".local" / "lib" / "pinviewer").exists()


def test_uninstall_keep_token_does_not_touch_the_keyring(tmp_path):
    calls = tmp_path / "calls.txt"
    bundle = make_bundle(tmp_path / "unpacked", calls=calls)
    env = user_env(tmp_path)
    run(bundle / "install.sh", env)
    run(tmp_path / "home" / ".local" / "lib" / "pinviewer" / "uninstall.sh", env, "--keep-token")
    assert not calls.exists()


@pytest.mark.parametrize("answer, disconnected", [("y\n", True), ("\n", False)])
def test_uninstall_asks_about_the_token_in_a_terminal(tmp_path, answer, disconnected):
    calls = tmp_path / "calls.txt"
    bundle = make_bundle(tmp_path / "unpacked", calls=calls)
    env = user_env(tmp_path)
    run(bundle / "install.sh", env)
    controller, terminal = pty.openpty()
    process = subprocess.Popen([str(tmp_path / "home" / ".local" / "lib" / "pinviewer" / "uninstall.sh")], env=env,
                               stdin=terminal, stdout=terminal, stderr=terminal)
    os.close(terminal)
    output = b""
    while b"[y/N]" not in output:
        output += os.read(controller, 1024)
    assert b"pinviewer disconnect" in output
    os.write(controller, answer.encode())
    assert process.wait(30) == 0
    try:
        while chunk := os.read(controller, 4096):
            output += chunk
    except OSError:  # the terminal closes with the script
        pass
    os.close(controller)
    assert calls.exists() is disconnected
    assert b"were kept" in output


def test_uninstall_without_an_install_says_so(tmp_path):
    bundle = make_bundle(tmp_path / "unpacked")
    result = run(bundle / "uninstall.sh", user_env(tmp_path), check=False)
    assert result.returncode == 1 and "nothing was removed" in result.stderr
