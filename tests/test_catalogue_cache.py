"""`load_catalogue` keeps what it built, by each file's path and bytes: the same files give
the same catalogue without reading them again, and any change to any file's bytes (even
one that keeps the file's size and time) is read afresh; a file that is refused is refused
every time."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from scorecard.definitions import load_catalogue
from scorecard.errors import DefinitionError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "indicators", tmp_path / "indicators")
    shutil.copy(ROOT / "thresholds.toml", tmp_path)
    return tmp_path


def _same_size_edit(path: Path, old: str, new: str) -> None:
    """Replace `old` by `new` (as long), keeping the file's times."""
    assert len(old) == len(new)
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_the_same_bytes_give_the_same_catalogue(config: Path) -> None:
    first = load_catalogue(config)
    assert load_catalogue(config) is first


def test_a_changed_file_is_read_again(config: Path) -> None:
    first = load_catalogue(config)
    ae = config / "indicators" / "ae.toml"
    name = first.indicators["ae_4hr_all_pct"].name
    _same_size_edit(ae, name, name.upper())
    second = load_catalogue(config)
    assert second is not first
    assert second.indicators["ae_4hr_all_pct"].name == name.upper()
    assert second.files["indicators/ae.toml"] != first.files["indicators/ae.toml"]


def test_a_refused_file_is_refused_every_time(config: Path) -> None:
    load_catalogue(config)
    (config / "thresholds.toml").write_text("[[not valid", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(DefinitionError, match="not valid TOML"):
            load_catalogue(config)
    (config / "thresholds.toml").unlink()
    with pytest.raises(DefinitionError, match="file not found"):
        load_catalogue(config)
