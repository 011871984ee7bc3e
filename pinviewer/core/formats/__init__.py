"""Readers for the files PinViewer imports: sniffing, one module per format, a registry, column mappings.

Entry points: ``detect(path) -> Detection`` and ``read(path, *, mapping=None, period=None, progress=None,
cancelled=None) -> ImportBatch``; ``READERS`` lists the registered readers. Everything here is Qt-free.
"""
from pinviewer.core.formats.registry import READERS, Detection, Reader, detect, read

__all__ = ["READERS", "Detection", "Reader", "detect", "read"]
