"""Readers for the files PinViewer imports: sniffing, one module per format, a registry, column mappings.

Entry points: ``detect(path) -> Detection`` and ``read(path, *, mapping=None, period=None, progress=None,
cancelled=None) -> ImportBatch``; ``READERS`` lists the registered readers. Everything here is Qt-free.

The registry (and every reader with it) is imported on first use, not with the package: the store and the
analysis need only ``formats.model``, and a report or a summary never reads a file.
"""
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # what __getattr__ hands out, for the type checker
    from pinviewer.core.formats.registry import READERS, Detection, Reader, detect, read

__all__ = ["READERS", "Detection", "Reader", "detect", "read"]


def __getattr__(name: str) -> object:
    if name in __all__:
        from pinviewer.core.formats import registry

        return getattr(registry, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
