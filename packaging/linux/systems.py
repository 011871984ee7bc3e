"""Which Linux systems have a given glibc: the oldest release of each family that a bundle needing it runs on.

The Linux bundle carries its own libraries but not the C library, so the newest GLIBC_x.y symbol version its
files need (elf.glibc_floor) decides the oldest system it runs on. install.sh names these systems when it
refuses to install, and the README's Install section names them too (a test checks that they agree).
"""
from __future__ import annotations

# (family, [(release, glibc), ...] oldest first). Long-term releases only where a family has them: an interim
# release (Ubuntu 22.10) is out of support long before anybody installs PinViewer on it.
FAMILIES: list[tuple[str, list[tuple[str, tuple[int, int]]]]] = [
    ("Debian", [("11", (2, 31)), ("12", (2, 36)), ("13", (2, 41))]),
    ("Ubuntu", [("20.04", (2, 31)), ("22.04", (2, 35)), ("24.04", (2, 39))]),
    ("Linux Mint", [("20", (2, 31)), ("21", (2, 35)), ("22", (2, 39))]),
    ("Fedora", [("35", (2, 34)), ("36", (2, 35)), ("37", (2, 36)), ("38", (2, 37)), ("39", (2, 38)),
                ("40", (2, 39)), ("41", (2, 40)), ("42", (2, 41))]),
    ("RHEL/AlmaLinux/Rocky Linux", [("8", (2, 28)), ("9", (2, 34)), ("10", (2, 39))]),
]
ROLLING = "a current Arch or openSUSE Tumbleweed"


def oldest(floor: tuple[int, int]) -> list[str]:
    """'Debian 12', 'Ubuntu 24.04', ...: the first release of each family with glibc >= floor."""
    names = []
    for family, releases in FAMILIES:
        for release, glibc in releases:
            if glibc >= floor:
                names.append(f"{family} {release}")
                break
    return names


def runs_on(floor: tuple[int, int]) -> str:
    """One phrase for people: 'Debian 12, Ubuntu 24.04, ... or newer, and a current Arch ...'."""
    names = oldest(floor)
    return ", ".join(names) + " or newer, and " + ROLLING


def text(floor: tuple[int, int]) -> str:
    return ".".join(str(n) for n in floor)
