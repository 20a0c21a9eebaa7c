"""A big file's SHA-256 worked out ahead on another thread (sources.encoding.hashing) is the
file's own digest, whether or not the thread may lower its own priority."""

from __future__ import annotations

import hashlib
import os

import pytest

from scorecard.sources import encoding

BIG = bytes(range(256)) * (encoding._HASH_AHEAD // 256 + 7)  # past the size hashed ahead


@pytest.mark.parametrize("refused", [False, True])
def test_the_digest_worked_out_ahead_is_the_files_own(
    monkeypatch: pytest.MonkeyPatch, refused: bool
) -> None:
    if refused:  # a sandbox that refuses a thread its own priority

        def no(*_: object) -> None:
            raise PermissionError("not here")

        monkeypatch.setattr(os, "setpriority", no)
    with encoding.hashing(BIG):
        assert id(BIG) in encoding._AHEAD  # (worked out ahead, not when asked)
        got = encoding.sha256(BIG)
    assert got == hashlib.sha256(BIG).hexdigest()
    assert id(BIG) not in encoding._AHEAD


def _varied() -> list[bytes]:
    """Big files, each with one thing to find at a piece's edges or the very end."""
    plain = b"a,b\n" * (len(BIG) // 4)
    piece = encoding._PIECE
    found = [plain, BIG]
    for at in (0, piece - 1, piece, 3 * piece + 1, len(plain) - 1):
        for byte in (b"\x00", b"\r", b"+", b"\xe9"):
            found.append(plain[:at] + byte + plain[at + 1 :])
    return found


@pytest.mark.parametrize("data", _varied())
def test_one_look_at_a_big_file_finds_what_four_passes_over_it_find(data: bytes) -> None:
    expected = encoding.Look(data.isascii(), b"\x00" in data, b"\r" in data, b"+" in data)
    assert encoding.look(data) == expected  # (outside hashing: worked out when asked)
    with encoding.hashing(data):
        assert [encoding.look(data) for _ in range(2)] == [expected, expected]
        assert encoding._AHEAD[id(data)][2] == [expected]  # (worked out once)
        assert encoding.is_ascii(data) is expected.ascii
    assert id(data) not in encoding._AHEAD
