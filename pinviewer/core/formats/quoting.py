"""What a message may quote of a file: cells cut to a length, nothing that reorders or hides text, no control
character (a message reaches a terminal, a dialog and the log)."""
from __future__ import annotations

import re

QUOTE_LIMIT = 80  # characters of a cell a message quotes at most

# C0 and C1 control characters (tab and newline too: a quoted cell is one line), DEL, and the characters that
# reorder text (bidirectional embeddings, overrides, isolates and marks) or hide it (zero-width, BOM)
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]")
_UNSAFE_KEEP_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069"
                                "\ufeff\ufff9-\ufffb]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def printable(text: object, *, keep_lines: bool = False) -> str:
    """``text`` with every control or reordering character written as ``\\uXXXX``: safe to print in a terminal
    (no escape sequence reaches it) and to show anywhere (nothing reverses what follows). ``keep_lines`` keeps
    newlines and tabs (a message of several lines)."""
    text = str(text)
    pattern = _UNSAFE_KEEP_LINES if keep_lines else _UNSAFE
    return pattern.sub(_escape, text) if pattern.search(text) else text


def quote_cell(value: object, limit: int = QUOTE_LIMIT) -> str:
    """A cell as a message quotes it: stripped, at most ``limit`` characters (then '…'), made printable."""
    text = value.strip() if isinstance(value, str) else ("" if value is None else str(value).strip())
    if len(text) > limit:
        text = text[:limit].rstrip() + "…"
    return printable(text)


MESSAGE_LIMIT = 600  # characters of one message at most
_LONG = QUOTE_LIMIT + 2  # a quoted cell longer than a message may quote
_QUOTED = re.compile(rf"'([^'\n]{{{_LONG},}})'|“([^”\n]{{{_LONG},}})”")


def _shorten_quoted(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        return "'" + match.group(1)[:QUOTE_LIMIT].rstrip() + "…'"
    return "“" + match.group(2)[:QUOTE_LIMIT].rstrip() + "…”"


def tidy_message(text: object) -> str:
    """A message as a person may see it: quoted values ('…' and “…”) cut to about 80 characters, the whole at
    most MESSAGE_LIMIT characters, and no control or reordering character (see ``printable``)."""
    text = str(text)
    if len(text) > QUOTE_LIMIT:
        text = _QUOTED.sub(_shorten_quoted, text)
        if len(text) > MESSAGE_LIMIT:
            text = text[:MESSAGE_LIMIT].rstrip() + "…"
    return printable(text, keep_lines=True)
