"""A file's encoding from its first bytes: a BOM decides; otherwise UTF-16 by its zero bytes, then UTF-8, then
Windows-1252 (Latin-1 when even that fails). A file with zero bytes in it otherwise is not text."""
from __future__ import annotations

import codecs

from pinviewer.core.errors import UnreadableFile
from pinviewer.core.formats.file_checks import HOW_TO_EXPORT

def detect_encoding(head: bytes) -> tuple[str, str, str]:
    """(codec, label, errors) from a BOM, a UTF-16 pattern of zero bytes, or trying UTF-8 then cp1252."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "UTF-8 with BOM", "replace"
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16", "UTF-16 LE with BOM", "replace"
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16", "UTF-16 BE with BOM", "replace"
    sample = head[:4096]
    if len(sample) >= 4 and sample.count(b"\x00") * 3 > len(sample):
        even = sample[0::2].count(b"\x00")
        odd = sample[1::2].count(b"\x00")
        if odd > even * 4:
            return "utf-16-le", "UTF-16 LE", "replace"
        if even > odd * 4:
            return "utf-16-be", "UTF-16 BE", "replace"
    if b"\x00" in head:
        raise UnreadableFile("This file is not a text table: it contains binary data. " + HOW_TO_EXPORT)
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(head, False)
        return "utf-8", "UTF-8", "strict"
    except UnicodeDecodeError:
        pass
    try:
        head.decode("cp1252")
        return "cp1252", "Windows-1252", "strict"
    except UnicodeDecodeError:
        return "latin-1", "Latin-1", "strict"
