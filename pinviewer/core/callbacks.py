"""The two callbacks a long job takes (reading a file, importing, syncing, computing insights): its types.

``progress(done, total, message)`` reports how far the job is; ``cancelled()`` is asked between steps and
returns True once the person pressed Cancel (the job then raises ``errors.Cancelled``). Both are optional.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

Progress: TypeAlias = Callable[[int, int, str], None]
IsCancelled: TypeAlias = Callable[[], bool]

__all__ = ["Progress", "IsCancelled"]
