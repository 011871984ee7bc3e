"""What a bundle's ELF files ask of the system: the libraries they link (DT_NEEDED) and the symbol versions they
need from them (.gnu.version_r), read straight from the files (no binutils needed).

deb.py turns this into the .deb's Depends (the libraries the bundle links but does not carry) and the glibc
floor that install.sh checks before it installs anything.
"""
from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

SHT_DYNAMIC = 6
SHT_GNU_VERNEED = 0x6FFFFFFE
DT_NEEDED = 1
GLIBC_VERSION = re.compile(r"GLIBC_(\d+)\.(\d+)(?:\.(\d+))?$")


@dataclass
class ElfNeeds:
    path: Path
    needed: list[str] = field(default_factory=list)  # sonames, in link order
    versions: dict[str, set[str]] = field(default_factory=dict)  # soname -> symbol versions needed from it


def _string(table: bytes, offset: int) -> str:
    end = table.find(b"\0", offset)
    return table[offset:end if end >= 0 else len(table)].decode("utf-8", "replace")


def read(path: Path) -> ElfNeeds | None:
    """The needs of one ELF file, or None if it is not an ELF file (scripts, data, Python modules...)."""
    with open(path, "rb") as handle:
        if handle.read(4) != b"\x7fELF":
            return None
        data = b"\x7fELF" + handle.read()
    is64 = data[4] == 2
    order = "<" if data[5] == 1 else ">"
    if is64:
        shoff, = struct.unpack_from(order + "Q", data, 0x28)
        shentsize, shnum, _shstrndx = struct.unpack_from(order + "HHH", data, 0x3A)
        section_format, dyn_format = order + "IIQQQQIIQQ", order + "qQ"
    else:
        shoff, = struct.unpack_from(order + "I", data, 0x20)
        shentsize, shnum, _shstrndx = struct.unpack_from(order + "HHH", data, 0x2E)
        section_format, dyn_format = order + "IIIIIIIIII", order + "iI"
    sections = [struct.unpack_from(section_format, data, shoff + i * shentsize) for i in range(shnum)]
    # (name, type, flags, addr, offset, size, link, info, addralign, entsize)

    def body(index: int) -> bytes:
        section = sections[index]
        return data[section[4]:section[4] + section[5]]

    found = ElfNeeds(Path(path))
    dyn_size = struct.calcsize(dyn_format)
    for section in sections:
        kind, offset, size, link, info = section[1], section[4], section[5], section[6], section[7]
        if kind == SHT_DYNAMIC:
            strings = body(link)
            for at in range(offset, offset + size - dyn_size + 1, dyn_size):
                tag, value = struct.unpack_from(dyn_format, data, at)
                if tag == 0:
                    break
                if tag == DT_NEEDED:
                    found.needed.append(_string(strings, value))
        elif kind == SHT_GNU_VERNEED:
            strings = body(link)
            at = offset
            for _ in range(info):  # Elf_Verneed entries, each with a chain of Elf_Vernaux
                _version, count, file_name, aux, next_ = struct.unpack_from(order + "HHIII", data, at)
                versions = found.versions.setdefault(_string(strings, file_name), set())
                aux_at = at + aux
                for _ in range(count):
                    _hash, _flags, _other, name, aux_next = struct.unpack_from(order + "IHHII", data, aux_at)
                    versions.add(_string(strings, name))
                    aux_at += aux_next
                if not next_:
                    break
                at += next_
    return found


def scan(folder: Path) -> list[ElfNeeds]:
    """Every ELF file under ``folder`` (symlinks skipped: they point at files scanned anyway)."""
    results = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            needs = read(path)
            if needs is not None:
                results.append(needs)
    return results


def carried(folder: Path) -> set[str]:
    """The library file names a bundle carries (a soname it carries needs nothing from the system)."""
    return {p.name for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


def system_needs(folder: Path) -> set[str]:
    """Sonames the bundle's files link that the bundle itself does not carry: the system must provide them."""
    have = carried(folder)
    return {soname for needs in scan(folder) for soname in needs.needed if soname not in have}


def glibc_floor(folder: Path) -> tuple[int, int] | None:
    """The newest GLIBC_x.y symbol version any file of the bundle needs: the oldest glibc it runs on."""
    best = None
    for needs in scan(folder):
        for names in needs.versions.values():
            for name in names:
                match = GLIBC_VERSION.match(name)
                if match:
                    version = (int(match.group(1)), int(match.group(2)))
                    best = version if best is None or version > best else best
    return best


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "dist/PinViewer")
    floor = glibc_floor(target)
    print("glibc floor:", ".".join(map(str, floor)) if floor else "none")
    print("from the system:", " ".join(sorted(system_needs(target))))
