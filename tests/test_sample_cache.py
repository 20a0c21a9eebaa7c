"""The bundled sample's store is built once, kept in the cache under a key of everything it
was built from, and never used stale."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard import api, sample_cache
from scorecard.cli import app
from scorecard.store import Store

runner = CliRunner()


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    """A copy of two sample files, to change without touching the package's."""
    out = []
    for source in api.sample_files()[:2]:
        target = tmp_path / "data" / source.parent.name / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        out.append(target)
    return out


def test_the_key_changes_with_any_byte_or_name_of_the_sample(files: list[Path]) -> None:
    key = sample_cache.sample_key(files)
    assert sample_cache.sample_key(files) == key
    files[0].write_bytes(files[0].read_bytes() + b"\n")
    changed = sample_cache.sample_key(files)
    assert changed != key
    renamed = files[1].with_name("other.csv")
    files[1].rename(renamed)
    assert sample_cache.sample_key([files[0], renamed]) not in (key, changed)


def test_the_store_is_built_once_then_reused(
    files: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(sample_cache.CACHE_VARIABLE, str(tmp_path / "cache"))
    built: list[Path] = []

    def fill(store: Store) -> None:
        built.append(Path("x"))

    first = sample_cache.sample_store(files, fill)
    again = sample_cache.sample_store(files, fill)
    assert first is not None and first == again and len(built) == 1
    assert [p.name for p in first.parent.iterdir()] == [first.name]  # no temporary left
    # A changed sample is a new key: built again, and the stale store is not used (removed).
    files[0].write_bytes(files[0].read_bytes() + b"\n")
    fresh = sample_cache.sample_store(files, fill)
    assert fresh is not None and fresh != first and len(built) == 2
    assert not first.exists()


def test_a_cache_that_cannot_be_written_means_the_sample_is_built_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv(sample_cache.CACHE_VARIABLE, str(blocked))
    assert sample_cache.sample_store(api.sample_files()[:1], lambda store: None) is None
    local = [p for p in api.sample_files() if p.parent.name == "local"]
    monkeypatch.setattr(api, "sample_files", lambda: local)  # a small sample, built quickly
    result = runner.invoke(app, ["values", "--org", "ZA1", "--indicator", "mrsa_cases"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("indicator_id,org_code,period")
