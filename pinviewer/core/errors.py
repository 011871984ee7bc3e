"""Expected problems, each with a sentence a blogger understands (docs/ARCHITECTURE.md, rule 6)."""
from __future__ import annotations


class PinviewerError(Exception):
    """An expected problem. str(error) is shown to the user as it is."""


class UnreadableFile(PinviewerError):
    """The file cannot be read as a table at all (empty, binary, cut off...)."""


class UnknownFormat(PinviewerError):
    """A readable table, but not one PinViewer recognises without a column mapping."""


class BadData(PinviewerError):
    """The table is recognised but some of its values are wrong; nothing was imported."""


class StoreError(PinviewerError):
    """The local history could not be read or written."""


class Cancelled(PinviewerError):
    """The user cancelled; nothing was changed."""

    def __init__(self, message: str = "Cancelled. Nothing was changed.") -> None:
        super().__init__(message)
