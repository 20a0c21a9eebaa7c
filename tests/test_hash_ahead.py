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
