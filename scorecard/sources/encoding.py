"""The bytes of a published file as text: its encoding, its line ends and its digest. Pure.

Text is UTF-8 (with or without a byte-order mark), cp1252 (Excel's "CSV" on Windows) or
UTF-16 with a byte-order mark (Excel's "Unicode text", which is tab-separated). Decoding is
strict and whole-file: a file that is valid UTF-8 is UTF-8; one that is not is read as cp1252
only when no part of it is UTF-8 (a warning says so, see cp1252_note), and a file mixing the
two is refused at the first byte that is not UTF-8 (read as cp1252 it would turn `’` into
`â€™`).
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from scorecard.errors import SourceError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)


def decode(file: str, data: bytes, *, partial: bool = False) -> str:
    """The file's text with LF line ends; see the module docstring for the encodings.

    `partial`: `data` is the first part of a file, so a character cut at its end is dropped.
    """
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = _decode(data[len(bom) :], codec, partial)
            except UnicodeDecodeError as exc:
                at = exc.start + len(bom)
                raise SourceError(
                    file,
                    f"starts with a {name} marker but is not {name} (byte offset {at:,})",
                    row=line_of(data, at) if name == "UTF-8" else None,
                ) from None
            return _lines(text)
    seen = look(data)
    if seen.nul:
        raise SourceError(
            file,
            "holds NUL bytes: a binary file (or UTF-16 text without a byte-order mark), "
            "not CSV text or an Excel workbook",
        )
    if seen.ascii:
        return _lines(data.decode("ascii"))
    try:
        text = _decode(data, "utf-8", partial)
    except UnicodeDecodeError as exc:
        text = _cp1252(file, data, exc.start)
    return _lines(text)


def _decode(data: bytes, codec: str, partial: bool) -> str:
    return codecs.getincrementaldecoder(codec)().decode(data, final=not partial)


# A well-formed UTF-8 sequence of two to four bytes (RFC 3629): in a file that is not UTF-8,
# one of these means part of the file is UTF-8 and part something else.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def line_of(data: bytes, offset: int) -> int:
    """The line number (the first is 1) of the byte at `offset`."""
    ends = b"\n" if b"\n" in data else b"\r"
    return data.count(ends, 0, offset) + 1


def _cp1252(file: str, data: bytes, bad: int) -> str:
    """`data` (not UTF-8 from byte `bad`) as cp1252, when the whole file is consistently so."""
    found = f"byte offset {bad:,} (0x{data[bad]:02X}) is not UTF-8"
    if (utf8 := _UTF8_SEQUENCE.search(data)) is not None:
        text = utf8.group().decode("utf-8")
        raise SourceError(
            file,
            f"mixed text encodings: {found}, but line {line_of(data, utf8.start()):,} holds "
            f"UTF-8 text ('{text}' at byte offset {utf8.start():,}); save the file again as "
            "UTF-8",
            row=line_of(data, bad),
        )
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise SourceError(
            file,
            f"not UTF-8 or cp1252 text: byte offset {exc.start:,} (0x{data[exc.start]:02X}) "
            "is neither",
            row=line_of(data, exc.start),
        ) from None


def cp1252_note(file: str, data: bytes) -> str | None:
    """The warning for a file read as cp1252 (not UTF-8, no byte-order mark), else None."""
    if is_ascii(data) or data.startswith(tuple(bom for bom, _, _ in _BOMS)):
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return (
            f"{file}, row {line_of(data, exc.start)}: not UTF-8 (byte offset {exc.start:,}, "
            f"0x{data[exc.start]:02X}, is the first that is not); the whole file was read as "
            "Windows-1252 (cp1252), as Excel saves CSV on Windows"
        )
    return None


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sha256(data: bytes) -> str:
    """The hex SHA-256 of `data`: worked out ahead, on another thread, inside hashing(data)."""
    ahead = _AHEAD.get(id(data))
    if ahead is not None and ahead[0] is data:
        return ahead[1].result()
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Look:
    """What one pass over a file's bytes found."""

    ascii: bool  # every byte is below 0x80
    nul: bool  # a NUL byte is somewhere
    cr: bool  # a carriage return is somewhere
    plus: bool  # a '+' is somewhere (a count read as a number would hide it: sources.text)


_PIECE = 1 << 16  # looked at four ways while it is in the processor's cache


def look(data: bytes) -> Look:
    """One pass over `data`, a piece at a time: half the time of four passes over a big
    file. Worked out once for a big file read inside hashing(data) (the text reader, its
    encoding checks and the encoding note all ask)."""
    ahead = _AHEAD.get(id(data))
    if ahead is None or ahead[0] is not data:
        return _looked(data)
    known = ahead[2]
    if not known:
        known.append(_looked(data))
    return known[0]


def _looked(data: bytes) -> Look:
    ascii, nul, cr, plus = True, False, False, False
    for at in range(0, len(data), _PIECE):
        piece = data[at : at + _PIECE]
        ascii = ascii and piece.isascii()
        nul = nul or b"\x00" in piece
        cr = cr or b"\r" in piece
        plus = plus or b"+" in piece
    return Look(ascii, nul, cr, plus)


def is_ascii(data: bytes) -> bool:
    """`data.isascii()` (look's answer)."""
    return look(data).ascii


# id(data) -> (data, its digest to come, its look once worked out); `data` is held so that
# its id is not reused.
_AHEAD: dict[int, tuple[bytes, Future[str], list[Look]]] = {}
_HASH_AHEAD = 1 << 20  # smaller files are hashed when asked


@contextmanager
def hashing(data: bytes) -> Iterator[None]:
    """Inside, a big file's sha256 is worked out on another thread while it is read
    (hashlib lets go of the interpreter lock), ready when the extract asks for it."""
    if len(data) < _HASH_AHEAD or id(data) in _AHEAD:
        yield
        return
    with ThreadPoolExecutor(1) as pool:
        _AHEAD[id(data)] = (data, pool.submit(_in_the_background, data), [])
        try:
            yield
        finally:
            del _AHEAD[id(data)]


def _in_the_background(data: bytes) -> str:
    """The digest, on a thread that gives way to the reading (on Linux, where a thread has
    its own priority): on two cores the CSV reader's threads come first, and the hashing
    takes up the time the rest of the parse leaves (most of it on one core)."""
    if sys.platform == "linux":
        with suppress(OSError):  # (a sandbox may refuse it: then it keeps its priority)
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
    return hashlib.sha256(data).hexdigest()


def utf8(file: str, data: bytes) -> bytes:
    """The file's bytes as UTF-8 with LF line ends (decode's text, encoded): a file that is
    already so (no byte-order mark, no NUL, valid UTF-8) is returned without a copy."""
    seen = look(data)
    if data.startswith(tuple(bom for bom, _, _ in _BOMS)) or seen.nul:
        return decode(file, data).encode("utf-8")
    if not seen.ascii:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return decode(file, data).encode("utf-8")
    if seen.cr:
        return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return data
