"""Make every icon file from the one drawing, resources/icons/pinviewer.svg.

    python packaging/make_icons.py           # (re)write the PNG, ICO and ICNS files
    python packaging/make_icons.py --check   # exit 1 if any of them is missing or older than the SVG

Writes
  resources/icons/pinviewer-<N>.png   N = 16 ... 512: the window icon at run time and the Linux hicolor icons
  packaging/icons/pinviewer.ico       Windows: the .exe's icon and the installer's (PNG entries, Vista and later)
  packaging/icons/pinviewer.icns      macOS: the .app's icon (PNG entries, 16 px to 1024 px)

Rendering uses QtSvg's QSvgRenderer (in pyside6-essentials) and the ICO and ICNS containers are written here,
so the script needs nothing beyond the app's own dependencies. Each PNG carries the SVG's SHA-256 in a text
chunk ("Source"), which is how ``--check`` and the tests know it was made from the current drawing. The output
is byte-for-byte reproducible, so re-running the script on an unchanged SVG leaves git clean.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import struct
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "pinviewer.svg"
PNG_DIR = ROOT / "resources" / "icons"
ICO = ROOT / "packaging" / "icons" / "pinviewer.ico"
ICNS = ROOT / "packaging" / "icons" / "pinviewer.icns"

# The freedesktop hicolor sizes that desktops ask for; also enough for QIcon to pick a crisp one anywhere.
PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)  # 20 and 40: Windows' 125 % small icons
# ICNS element types holding PNG data, with their pixel size (the @2x ones reuse the same bitmaps).
ICNS_TYPES = (("icp4", 16), ("icp5", 32), ("icp6", 64), ("ic07", 128), ("ic08", 256), ("ic09", 512),
              ("ic10", 1024), ("ic11", 32), ("ic12", 64), ("ic13", 256), ("ic14", 512))
SOURCE_KEY = "Source"


def svg_digest(svg: Path = SVG) -> str:
    return hashlib.sha256(svg.read_bytes()).hexdigest()


def png_path(size: int) -> Path:
    return PNG_DIR / f"pinviewer-{size}.png"


def _qt_app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.instance() or QGuiApplication([sys.argv[0]])


def render_png(size: int, svg: Path = SVG) -> bytes:
    """The SVG drawn at size x size pixels, as PNG bytes tagged with the SVG's digest."""
    _qt_app()
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not an SVG that Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    image.setText(SOURCE_KEY, f"pinviewer.svg sha256={svg_digest(svg)}")
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise SystemExit("Qt could not write a PNG (is the PNG image plugin missing?)")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico whose entries are PNG images (what Pillow writes too; Windows Vista and later)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        blob = pngs[size]
        dim = 0 if size >= 256 else size  # 0 means 256 in the directory entry
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        blobs += blob
        offset += len(blob)
    return header + entries + blobs


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """An Apple .icns: a container of (type, length, PNG) elements."""
    body = b"".join(kind.encode("ascii") + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
                    for kind, size in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def read_ico(data: bytes) -> dict[int, bytes]:
    """The PNG entries of an .ico written by ico_bytes, by size (for the tests and --check)."""
    _, kind, count = struct.unpack_from("<HHH", data, 0)
    assert kind == 1, "not an icon file"
    out = {}
    for i in range(count):
        width, _, _, _, _, _, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        out[width or 256] = data[offset:offset + length]
    return out


def read_icns(data: bytes) -> dict[str, bytes]:
    """The elements of an .icns, by type."""
    assert data[:4] == b"icns" and struct.unpack_from(">I", data, 4)[0] == len(data), "not an icns file"
    out, pos = {}, 8
    while pos < len(data):
        kind = data[pos:pos + 4].decode("ascii")
        length = struct.unpack_from(">I", data, pos + 4)[0]
        out[kind] = data[pos + 8:pos + length]
        pos += length
    return out


def png_source(data: bytes) -> str | None:
    """The Source text of a PNG made here, read straight from its text chunks."""
    pos = 8
    while pos + 8 <= len(data):
        length = struct.unpack_from(">I", data, pos)[0]
        kind = data[pos + 4:pos + 8]
        if kind in (b"tEXt", b"zTXt"):  # Qt compresses texts longer than 40 characters
            key, _, value = data[pos + 8:pos + 8 + length].partition(b"\0")
            if kind == b"zTXt":
                value = zlib.decompress(value[1:])  # one byte of compression method, then zlib
            if key.decode("latin-1") == SOURCE_KEY:
                return value.decode("latin-1")
        if kind == b"IEND":
            break
        pos += 12 + length
    return None


def outputs() -> list[Path]:
    return [png_path(s) for s in PNG_SIZES] + [ICO, ICNS]


def stale(svg: Path = SVG) -> list[str]:
    """What is missing or was made from another version of the SVG (empty when everything is current)."""
    wanted = f"pinviewer.svg sha256={svg_digest(svg)}"
    problems = []
    for size in PNG_SIZES:
        path = png_path(size)
        if not path.exists():
            problems.append(f"{path.relative_to(ROOT)} is missing")
        elif png_source(path.read_bytes()) != wanted:
            problems.append(f"{path.relative_to(ROOT)} was not made from the current SVG")
    for path, entries in ((ICO, lambda d: read_ico(d).values()), (ICNS, lambda d: read_icns(d).values())):
        if not path.exists():
            problems.append(f"{path.relative_to(ROOT)} is missing")
        elif any(png_source(blob) != wanted for blob in entries(path.read_bytes())):
            problems.append(f"{path.relative_to(ROOT)} was not made from the current SVG")
    return problems


def make_all(svg: Path = SVG) -> list[Path]:
    sizes = sorted(set(PNG_SIZES) | set(ICO_SIZES) | {size for _, size in ICNS_TYPES})
    pngs = {size: render_png(size, svg) for size in sizes}
    written = []
    for size in PNG_SIZES:
        png_path(size).write_bytes(pngs[size])
        written.append(png_path(size))
    ICO.parent.mkdir(parents=True, exist_ok=True)
    ICO.write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    ICNS.write_bytes(icns_bytes(pngs))
    return written + [ICO, ICNS]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that every icon file is current")
    args = parser.parse_args(argv)
    if args.check:
        problems = stale()
        for line in problems:
            print(line, file=sys.stderr)
        if problems:
            print("Run: python packaging/make_icons.py", file=sys.stderr)
        return 1 if problems else 0
    for path in make_all():
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
