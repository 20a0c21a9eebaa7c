"""Every organisation's scorecard in one batch: one computation for all of them gives the
same cards, and the batch build (in this process or in worker processes) the same files,
byte for byte, as building each organisation on its own; a batch is written all or none."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard import api, disk_sync
from scorecard.cli import app
from scorecard.errors import OutputError
from scorecard.outputs import render_all

runner = CliRunner()


@pytest.mark.slow(seconds=40)
def test_the_batch_gives_each_organisations_own_card(alone: dict[str, bytes]) -> None:
    """Every card of `every_scorecard` renders to the files of the same card built alone
    (`alone`: `scorecard_for` one organisation at a time, every output written)."""
    catalogue = api.catalogue(None)
    with api.open_store(None) as store:
        cards = list(api.every_scorecard(store, catalogue, None))
    codes = [c.org_code for c in cards]
    assert codes == sorted(codes)
    assert {"ENG", "ZA1", "ZI1", "Y62"} <= set(codes)
    assert len({_written_order(name)[0] for name in alone}) == len(cards)
    for card in cards:
        stem = f"scorecard-{card.org_code}-{card.period.iso()}"
        outputs = render_all(card, stem)
        assert outputs == {name: alone.get(name) for name in outputs}, card.org_code
        assert f"{stem}.manifest.json" in alone, card.org_code


def test_build_every_org_writes_every_card(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", "--every-org", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    pages = sorted(p.name for p in tmp_path.glob("*.html") if ".fragment" not in p.name)
    assert "scorecard-ENG-2025-09.html" in pages and "scorecard-ZA1-2025-09.html" in pages
    assert len(list(tmp_path.glob("*.manifest.json"))) == len(pages) >= 10
    both = runner.invoke(app, ["build", "--every-org", "--org", "ZA1"])
    assert both.exit_code == 1 and "give one" in both.stderr


COMMAND = "scorecard build --every-org"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _one_by_one(out: Path) -> dict[str, bytes]:
    """Every card of the sample built alone, as `build --org` builds it (with a manifest)."""
    catalogue = api.catalogue(None)
    with api.open_store(None) as store:
        for org, month in api.card_months(store, catalogue, None).items():
            card = api.scorecard_for(store, catalogue, org, None)
            assert card.period == month, org
            api.build(card, out, info=api.build_info(store, card.period, COMMAND))
    return _files(out)


@pytest.fixture(scope="module")
def alone(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return _one_by_one(tmp_path_factory.mktemp("alone"))


@pytest.mark.parametrize("workers", [1, 2])
def test_the_batch_writes_the_bytes_each_card_built_alone_writes(
    alone: dict[str, bytes], tmp_path: Path, workers: int
) -> None:
    """In this process or in worker processes, every file of every card (pages, fragments,
    tables, workbooks, manifests) is byte for byte the one-card build's."""
    catalogue = api.catalogue(None)
    ticks: list[None] = []
    with api.open_store(None) as store:
        months = api.card_months(store, catalogue, None)
        built = api.build_every(
            store, catalogue, months, tmp_path, COMMAND, workers=workers,
            progress=lambda: ticks.append(None),
        )  # fmt: skip
    assert [b.org_code for b in built] == sorted(months) and len(ticks) == len(months)
    assert [p.name for b in built for p in b.paths] == sorted(alone, key=_written_order)
    assert _files(tmp_path) == alone


def _written_order(name: str) -> tuple[str, int]:
    """A card's files in the order a build writes them: by card, then page, fragment, CSV,
    Parquet, workbook, manifest."""
    kinds = [".fragment.html", ".html", ".csv", ".parquet", ".xlsx", ".manifest.json"]
    kind = next(k for k in kinds if name.endswith(k))
    order = [".html", ".fragment.html", ".csv", ".parquet", ".xlsx", ".manifest.json"]
    return name.removesuffix(kind), order.index(kind)


def _previous(out: Path) -> dict[str, bytes]:
    """An earlier build's files in `out` (one card's, made different), and what they are."""
    out.mkdir(parents=True, exist_ok=True)
    for name in ("scorecard-ZA1-2025-09.html", "scorecard-ENG-2025-09.csv"):
        (out / name).write_bytes(b"an earlier build")
    return _files(out)


def test_a_card_that_cannot_be_written_leaves_the_previous_outputs_whole(
    tmp_path: Path,
) -> None:
    """A worker cannot write one card's file (a folder has its name): the command fails in
    one line, the earlier files are as they were, and no file of the batch is left."""
    before = _previous(tmp_path)
    (tmp_path / "scorecard-ZI1-2025-09.xlsx").mkdir()
    result = runner.invoke(app, ["build", "--every-org", "--out", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert "scorecard-ZI1-2025-09.xlsx: cannot write: a folder has this name" in result.stderr
    assert "none of the" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert _files(tmp_path) == before


@pytest.mark.parametrize("flush", ["one flush of the filesystem", "a flush a file"])
def test_a_disk_that_fills_as_the_batch_is_synced_writes_none_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flush: str
) -> None:
    """Every card is rendered and written to temporary files; the disk fills as they are
    flushed (by Linux's syncfs, or file by file where there is none): nothing is renamed
    into place, and the temporary files are removed."""
    before = _previous(tmp_path)
    real, done = os.fsync, [0]

    def fsync(fd: int) -> None:
        done[0] += 1
        if done[0] > 20:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd)

    def syncfs(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    if flush == "a flush a file":
        monkeypatch.setattr(disk_sync, "syncfs", lambda: None)
    else:
        monkeypatch.setattr(disk_sync, "syncfs", lambda: syncfs)
    monkeypatch.setattr(os, "fsync", fsync)
    catalogue = api.catalogue(None)
    with api.open_store(None) as store:
        months = api.card_months(store, catalogue, None)
        with pytest.raises(OutputError, match="No space left on device; none of the"):
            api.build_every(store, catalogue, months, tmp_path, COMMAND, workers=2)
    assert _files(tmp_path) == before


@pytest.mark.parametrize("workers", [1, 2])
def test_a_batch_stopped_part_way_leaves_the_previous_outputs_and_nothing_of_its_own(
    tmp_path: Path, workers: int
) -> None:
    """Ctrl-C (here, from the progress callback once the first cards are rendered): the
    running cards finish, their temporary files are removed, nothing is renamed."""
    before = _previous(tmp_path)
    catalogue = api.catalogue(None)

    def stop() -> None:
        raise KeyboardInterrupt

    with api.open_store(None) as store:
        months = api.card_months(store, catalogue, None)
        with pytest.raises(KeyboardInterrupt):
            api.build_every(store, catalogue, months, tmp_path, COMMAND, workers=workers,
                            progress=stop)  # fmt: skip
    assert _files(tmp_path) == before
