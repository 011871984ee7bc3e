"""Which Qt plugins, libraries and catalogues PinViewer's bundle leaves out (used by the spec and packaging/hooks).

Qt's PyInstaller hooks copy every plugin of each Qt module the app imports. A widgets app that draws with the
raster engine needs far fewer; each plugin left out here also leaves out the system libraries it links
(the GTK 3 platform theme alone brings GTK, ATK, cairo, pango and gdk-pixbuf: about 20 MB).

Kept on purpose: the xcb and Wayland platforms (with Wayland's decorations and shells), offscreen and minimal
(the smoke test, headless runs), the XDG desktop portal theme (native file dialogs under Flatpak/GNOME/KDE),
input methods (compose, ibus: accents and CJK input), CUPS print support (the app prints), SVG and ICO images.
"""
from __future__ import annotations

from pathlib import PurePath

# whole plugin folders
DROP_PLUGIN_DIRS = frozenset({
    "qmltooling", "sqldrivers", "designer", "egldeviceintegrations", "generic", "networkinformation", "tls",
    "vectorimageformats", "wayland-graphics-integration-server", "wayland-graphics-integration-client",
    "xcbglintegrations",  # OpenGL integration: the app paints with the raster engine, never with OpenGL
})
# single plugins, by folder: file stems without "lib"/"q" prefixes
DROP_PLUGINS = {
    "platforms": frozenset({"eglfs", "linuxfb", "vnc", "vkkhrdisplay", "minimalegl"}),
    "platformthemes": frozenset({"gtk3"}),  # pulls in all of GTK 3; the portal theme gives native dialogs
}
KEEP_IMAGE_FORMATS = frozenset({"svg", "ico"})  # PNG is built into QtGui
DROP_LIB_PREFIXES = tuple(f"{prefix}Qt6{name}" for prefix in ("lib", "") for name in (
    "Qml", "Quick", "Sql", "Designer", "Help", "Test", "Pdf", "VirtualKeyboard", "ShaderTools", "Labs",
    "WaylandCompositor", "Concurrent", "EglFSDeviceIntegration", "EglFsKmsSupport"))
# (QtOpenGL and QtOpenGLWidgets stay: pyqtgraph imports both when it is imported.)


def _stem(name: str) -> str:
    stem = name.split(".")[0]
    for prefix in ("lib", "q"):
        stem = stem.removeprefix(prefix)
    return stem


def keep(dest: str) -> bool:
    """False for a bundle path (``PySide6/Qt/plugins/platforms/libqvnc.so``...) that the app does not need."""
    parts = PurePath(dest.replace("\\", "/")).parts
    if not parts:
        return True
    name = parts[-1]
    if "plugins" in parts[:-1]:
        at = parts.index("plugins")
        kind = parts[at + 1] if at + 2 < len(parts) else ""
        if kind in DROP_PLUGIN_DIRS or _stem(name) in DROP_PLUGINS.get(kind, ()):
            return False
        if kind == "imageformats" and _stem(name) not in KEEP_IMAGE_FORMATS:
            return False
    if name.startswith(DROP_LIB_PREFIXES):
        return False
    if "translations" in parts[:-1] and name.endswith(".qm"):
        # Qt's own catalogues (7 MB): the app installs no QTranslator yet (docs/ARCHITECTURE.md: strings go
        # through tr(), no translations yet).
        # When it does, keep qtbase_*.qm here: Qt's standard dialogs read them.
        return False
    if any(p in ("tests", "examples") for p in parts[:-1]):
        return False  # test suites and examples that hooks collect as data
    return True


def trim(entries):
    """Filter a hook's (source, dest_dir) list or a spec's TOC of (dest, source, kind) tuples."""
    out = []
    for entry in entries:
        src, dest = entry[0], entry[1]
        # hooks give (source file, destination folder); TOCs give (destination file, source file, type)
        path = f"{dest}/{PurePath(src).name}" if len(entry) == 2 else src
        if keep(path):
            out.append(entry)
    return out
