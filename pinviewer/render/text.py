"""Text as it goes onto paper: what a title may hold that must not reach the painter as it is.

``paintable(text)`` is called wherever the summary paints or measures text (``canvas.Canvas``). It
removes the invisible characters that reorder text (bidirectional embeddings, overrides, isolates and marks:
a right-to-left override in a Pin title would print everything after it backwards) and turns control
characters (a newline, a tab, an escape) into spaces. The letters themselves are left alone: Arabic or Hebrew
still run right to left by the Unicode rules, and Qt's font fallback finds a font for Chinese, Japanese,
Korean, Thai or emoji wherever the system has one (see the README's font notes).
"""
from __future__ import annotations

import re

# bidirectional formatting characters (Unicode's Bidi_Control) and the zero-width marks around them
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def paintable(text: str) -> str:
    """``text`` without bidirectional control characters, control characters made spaces (see the module)."""
    if not text:
        return text
    if _BIDI.search(text):
        text = _BIDI.sub("", text)
    if _CONTROL.search(text):
        text = _CONTROL.sub(" ", text)
    return text


__all__ = ["paintable"]
