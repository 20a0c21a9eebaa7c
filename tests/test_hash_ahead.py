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


@pytest.mark.parametrize("data", [bytes(range(128)) * (len(BIG) // 128), BIG])
def test_whether_a_big_file_is_ascii_is_asked_once_and_answered_truly(data: bytes) -> None:
    expected = data.isascii()
    with encoding.hashing(data):
        assert [encoding.is_ascii(data) for _ in range(2)] == [expected, expected]
        assert encoding._AHEAD[id(data)][2] == {"ascii": expected}
    assert encoding.is_ascii(data) is expected and id(data) not in encoding._AHEAD
