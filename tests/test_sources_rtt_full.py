"""The RTT Full CSV data file adapter (scorecard/sources/rtt_full.py) on small files made here.

Each file has the published 121-column header and a few rows; every row states its cells
explicitly, so the expected values are read off the test, not recomputed by the adapter.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Mapping
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from scorecard.api import ingest
from scorecard.cli import app
from scorecard.errors import SourceError
from scorecard.sources import read_extract
from scorecard.store import Store

BANDS = [f"Gt {w:02d} To {w + 1:02d} Weeks SUM 1" for w in range(104)] + ["Gt 104 Weeks SUM 1"]
HEADER = [
    "Period",
    "Provider Parent Org Code",
    "Provider Parent Name",
    "Provider Org Code",
    "Provider Org Name",
    "Commissioner Parent Org Code",
    "Commissioner Parent Name",
    "Commissioner Org Code",
    "Commissioner Org Name",
    "RTT Part Type",
    "RTT Part Description",
    "Treatment Function Code",
    "Treatment Function Name",
    *BANDS,
    "Total",
    "Patients with unknown clock start date",
    "Total All",
]
DESCRIPTIONS = {
    "Part_1A": "Completed Pathways For Admitted Patients",
    "Part_1B": "Completed Pathways For Non-Admitted Patients",
    "Part_2": "Incomplete Pathways",
    "Part_2A": "Incomplete Pathways with DTA",
    "Part_3": "New RTT Periods - All Patients",
}
runner = CliRunner()


def row(
    part: str,
    bands: Mapping[int, int] | None = None,
    *,
    tfc: str = "C_999",
    provider: str = "ZP1",
    commissioner: str = "ZS1",
    period: str = "RTT-May-2025",
    unknown: int = 0,
) -> list[str]:
    """One row as published: incomplete parts leave Total and unknown empty; Part_3 has
    only Total All; completed parts state Total (the bands) and Total All (+ unknown)."""
    counts = dict(bands or {})
    cells = [str(counts.get(w, 0)) for w in range(105)]
    known = sum(counts.values())
    if part in ("Part_1A", "Part_1B"):
        tail = [str(known), str(unknown), str(known + unknown)]
    elif part == "Part_3":
        cells, tail = [""] * 105, ["", "", str(known)]
    else:
        tail = ["", "", str(known)]
    name = "Total" if tfc == "C_999" else "Some Service"
    return [
        period, "ZI1", "NHS TEST INTEGRATED CARE BOARD", provider, f"TRUST {provider}",
        "ZI1", "NHS TEST INTEGRATED CARE BOARD", commissioner, f"NHS TEST ICB - {commissioner}",
        part, DESCRIPTIONS[part], tfc, name, *cells, *tail,
    ]  # fmt: skip


def write(tmp_path: Path, rows: list[list[str]], name: str = "rtt.csv") -> Path:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def measures(path: Path, org: str = "ZP1") -> dict[str, float]:
    ex = read_extract(path)
    assert ex.format == "rtt_full_csv"
    obs = ex.observations.filter(pl.col("org_code") == org)
    return dict(zip(obs["measure"], obs["value"], strict=True))


def error(path: Path) -> SourceError:
    with pytest.raises(SourceError) as info:
        read_extract(path)
    assert "\n" not in str(info.value)
    return info.value


def test_only_the_all_specialties_rows_count(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        [
            row("Part_2", {3: 40}, tfc="C_100"),
            row("Part_2", {3: 60, 30: 9}, tfc="C_110"),
            row("Part_2", {3: 100, 30: 9}),
        ],
    )
    got = measures(path)
    assert got["rtt_incomplete_total"] == 109  # not 218: specialties are never added
    assert got["rtt_incomplete_within_18wk"] == 100


def test_a_specialty_row_that_disagrees_does_not_change_the_whole(tmp_path: Path) -> None:
    """The whole is C_999 as published; the specialty row is stored as its part, with a
    warning that they do not add up."""
    ex = read_extract(write(tmp_path, [row("Part_2", {3: 5}, tfc="C_100"), row("Part_2", {3: 7})]))
    obs = ex.observations.filter(pl.col("measure") == "rtt_incomplete_total")
    assert obs["value"].to_list() == [7]
    assert ex.breakdowns is not None
    parts = ex.breakdowns.filter(pl.col("measure") == "rtt_incomplete_total")
    assert parts.select("breakdown", "value").rows() == [("100", 5)]
    (warning,) = ex.warnings
    assert warning.startswith("rtt.csv: the treatment-function rows do not add up to the ")
    assert "(ZP1, Total All, Part_2 rows: 5 against 7; " in warning


def test_a_bad_cell_in_a_specialty_row_of_a_stored_part_is_refused(tmp_path: Path) -> None:
    bad = row("Part_2", {3: 5}, tfc="C_100")
    bad[HEADER.index("Gt 03 To 04 Weeks SUM 1")] = "n/a"
    with pytest.raises(SourceError) as info:
        read_extract(write(tmp_path, [bad, row("Part_2", {3: 5})]))
    assert (info.value.column, info.value.row) == ("Gt 03 To 04 Weeks SUM 1", 2)


def test_specialty_rows_of_parts_not_stored_are_not_read(tmp_path: Path) -> None:
    """Part_2A and Part_3 specialty rows give nothing: a bad cell there changes nothing."""
    bad = row("Part_2A", {3: 5}, tfc="C_100")
    bad[HEADER.index("Gt 03 To 04 Weeks SUM 1")] = "n/a"
    assert measures(write(tmp_path, [bad, row("Part_2", {3: 7})]))["rtt_incomplete_total"] == 7


def test_a_provider_adds_its_rows_over_commissioners(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        [
            row("Part_2", {1: 10, 20: 5}, commissioner="ZS1"),
            row("Part_2", {1: 3, 40: 2}, commissioner="ZS2"),
            row("Part_2", {1: 1}, commissioner="NONC"),
            row("Part_2", {1: 50}, provider="ZP2"),
        ],
    )
    got = measures(path)
    assert (got["rtt_incomplete_total"], got["rtt_incomplete_within_18wk"]) == (21, 14)
    assert measures(path, "ZP2")["rtt_incomplete_total"] == 50


def test_part_2a_is_not_added_to_part_2(tmp_path: Path) -> None:
    path = write(tmp_path, [row("Part_2", {2: 30, 25: 10}), row("Part_2A", {2: 8, 25: 6})])
    got = measures(path)
    assert (got["rtt_incomplete_total"], got["rtt_incomplete_within_18wk"]) == (40, 30)


def test_18_week_boundary(tmp_path: Path) -> None:
    path = write(tmp_path, [row("Part_2", {0: 1, 17: 5, 18: 7})])
    assert HEADER[13 + 17] == "Gt 17 To 18 Weeks SUM 1"  # within 18 weeks
    assert HEADER[13 + 18] == "Gt 18 To 19 Weeks SUM 1"  # not
    got = measures(path)
    assert (got["rtt_incomplete_within_18wk"], got["rtt_incomplete_total"]) == (6, 13)


def test_long_wait_counts(tmp_path: Path) -> None:
    bands = {51: 1, 52: 2, 64: 4, 65: 8, 77: 16, 78: 32, 103: 64, 104: 128}
    got = measures(write(tmp_path, [row("Part_2", bands)]))
    assert got["rtt_incomplete_over_52wk"] == 2 + 4 + 8 + 16 + 32 + 64 + 128
    assert got["rtt_incomplete_over_65wk"] == 8 + 16 + 32 + 64 + 128
    assert got["rtt_incomplete_over_78wk"] == 32 + 64 + 128
    assert got["rtt_incomplete_over_104wk"] == 128
    assert got["rtt_incomplete_total"] == 255


def test_completed_pathways_use_total_as_denominator(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        [
            row("Part_1A", {5: 60, 30: 30}, unknown=10),  # Total 90, Total All 100
            row("Part_1B", {2: 150, 17: 40, 18: 10}, unknown=25),  # Total 200, Total All 225
            row("Part_3", {0: 999}),  # new periods: only Total All, not read
        ],
    )
    got = measures(path)
    assert (got["rtt_admitted_within_18wk"], got["rtt_admitted_known"]) == (60, 90)
    assert (got["rtt_nonadmitted_within_18wk"], got["rtt_nonadmitted_known"]) == (190, 200)
    assert "rtt_incomplete_total" not in got  # no Part_2 rows: not stored, not zero


def test_empty_band_cells_count_as_zero(tmp_path: Path) -> None:
    """Published files leave some band cells empty; the sums still reconcile."""
    sparse = row("Part_2", {4: 12, 60: 3})
    for i, name in enumerate(HEADER):
        if name in BANDS and sparse[i] == "0":
            sparse[i] = ""
    got = measures(write(tmp_path, [sparse]))
    assert (got["rtt_incomplete_total"], got["rtt_incomplete_over_52wk"]) == (15, 3)


def test_period_spellings(tmp_path: Path) -> None:
    rows = [row("Part_2", {1: 4}, period="RTT-August-2025"), row("Part_2", {1: 5}, provider="ZP2")]
    rows[1][0] = "RTT-AUGUST-2025"
    ex = read_extract(write(tmp_path, rows))
    assert {str(d) for d in ex.observations["period"]} == {"2025-08-01"}


def test_each_spelling_of_a_period_is_read_as_its_month(tmp_path: Path) -> None:
    """Two spellings of one month are one month; a second month is refused at its first row,
    whichever way either is spelt."""
    rows = [
        row("Part_2", {1: 4}, period="rtt-august-2025"),
        row("Part_2", {1: 5}, provider="ZP2", period="RTT-AUGUST-2025"),
        row("Part_2", {1: 6}, provider="ZP3", period="RTT-July-2025"),
        row("Part_2", {1: 7}, provider="ZP4", period="RTT-JULY-2025"),
    ]
    err = error(write(tmp_path, rows))
    assert (err.column, err.row) == ("Period", 4)
    assert "two months in one file: 2025-08 (row 2) and 2025-07 (row 4)" in err.problem


def test_missing_column(tmp_path: Path) -> None:
    path = write(tmp_path, [row("Part_2", {1: 4})])
    drop = HEADER.index("Gt 30 To 31 Weeks SUM 1")
    lines = [line.split(",") for line in path.read_text().splitlines()]
    path.write_text(
        "".join(",".join(c for i, c in enumerate(x) if i != drop) + "\n" for x in lines)
    )
    err = error(path)
    assert (err.file, err.column, err.row) == ("rtt.csv", "Gt 30 To 31 Weeks SUM 1", 1)
    assert "missing column" in err.problem


def test_negative_count(tmp_path: Path) -> None:
    bad = row("Part_2", {1: 4})
    bad[HEADER.index("Gt 12 To 13 Weeks SUM 1")] = "-5"
    err = error(write(tmp_path, [row("Part_2", {1: 4}, provider="ZP2"), bad]))
    assert (err.file, err.column, err.row) == ("rtt.csv", "Gt 12 To 13 Weeks SUM 1", 3)
    assert "non-negative whole number" in err.problem and "'-5'" in err.problem
    assert str(err).startswith("rtt.csv, column 'Gt 12 To 13 Weeks SUM 1', row 3: ")


def test_unparseable_period(tmp_path: Path) -> None:
    rows = [row("Part_2", {1: 4}), row("Part_2", {1: 4}, provider="ZP2", period="RTT-Smay-2025")]
    err = error(write(tmp_path, rows))
    assert (err.file, err.column, err.row) == ("rtt.csv", "Period", 3)
    assert "RTT-April-2025" in err.problem and "'RTT-Smay-2025'" in err.problem


def test_bands_must_add_up_to_total_all(tmp_path: Path) -> None:
    bad = row("Part_2", {1: 4, 30: 2})
    bad[-1] = "7"
    err = error(write(tmp_path, [row("Part_1A", {1: 4}), bad]))
    assert (err.file, err.column, err.row) == ("rtt.csv", "Total All", 3)
    assert "7 is not the sum of the 105 weekly bands (6)" in err.problem
    assert len(str(err)) < 200  # one short line, not 105 column names


def test_completed_bands_must_add_up_to_total(tmp_path: Path) -> None:
    bad = row("Part_1B", {1: 4, 30: 2}, unknown=1)
    bad[-3:] = ["5", "1", "6"]  # Total says 5, the bands say 6; Total + unknown = Total All
    err = error(write(tmp_path, [bad]))
    assert (err.column, err.row) == ("Total", 2)
    completed = row("Part_1A", {1: 4}, unknown=1)
    completed[-1] = "4"  # Total All should be Total 4 + unknown 1
    err = error(write(tmp_path, [completed], "b.csv"))
    assert (err.file, err.column, err.row) == ("b.csv", "Total All", 2)


def test_every_row_that_does_not_add_up_is_reported_at_once(tmp_path: Path) -> None:
    """The three sums are asked of every row together; every rule broken is reported, at the
    first row that breaks it, with the count of the others."""
    incomplete = row("Part_2", {1: 4, 30: 2})
    incomplete[-1] = "7"  # the bands say 6
    admitted = row("Part_1A", {1: 4}, provider="ZP2", unknown=1)
    admitted[-3] = "3"  # Total says 3, the bands say 4 (Total All 5 = 3 + 1 is not checked)
    nonadmitted = row("Part_1B", {2: 9}, provider="ZP3", unknown=2)
    nonadmitted[-1] = "12"  # Total All should be 9 + 2
    fine = row("Part_2", {3: 1}, provider="ZP4")
    err = error(write(tmp_path, [incomplete, fine, admitted, nonadmitted]))
    got = [(p.row, p.column) for p in err.problems]
    assert got == [(2, "Total All"), (4, "Total"), (4, "Total All")]  # (row 5 breaks the last too)
    assert "7 is not the sum of the 105 weekly bands (6)" in err.problem
    assert "5 is not the sum of Total and Patients with unknown clock start date (4)" in str(
        err.problems[2].rule
    )
    # Four in all: row 5's Total All is counted with row 4's, not lost.
    assert str(err).endswith("(and 3 more problems)")
    assert err.problems[2].one_line().endswith("(and 1 more row)")
    assert err.lines()[-1] == "4 problems in 1 file"


def test_total_all_must_be_stated(tmp_path: Path) -> None:
    blank = row("Part_2", {1: 4}, provider="ZP2")
    blank[-1] = ""
    err = error(write(tmp_path, [row("Part_2", {1: 4}), blank]))
    assert (err.column, err.row) == ("Total All", 3)


def test_duplicated_row(tmp_path: Path) -> None:
    rows = [row("Part_2", {1: 4}), row("Part_2A", {1: 2}), row("Part_2", {1: 4})]
    err = error(write(tmp_path, rows))
    assert (err.file, err.row) == ("rtt.csv", 4)  # reported at the repeat
    assert err.column == "Treatment Function Code" and "twice" in err.problem


def test_no_all_specialties_rows(tmp_path: Path) -> None:
    err = error(write(tmp_path, [row("Part_2", {1: 4}, tfc="C_100")]))
    assert err.column == "Treatment Function Code" and "C_999" in err.problem


def test_cli_error_is_one_line_and_store_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    good = write(tmp_path, [row("Part_2", {1: 4, 20: 1})], "good.csv")
    ingest([good], db)
    with Store.open(db, read_only=True) as store:
        before = store.snapshot()
    june = write(tmp_path, [row("Part_2", {1: 9}, period="RTT-June-2025")], "june.csv")
    bad = row("Part_2", {1: 4}, period="RTT-July-2025")
    bad[HEADER.index("Gt 01 To 02 Weeks SUM 1")] = "-4"
    result = runner.invoke(
        app, ["ingest", str(june), str(write(tmp_path, [bad], "bad.csv")), "--db", str(db)]
    )
    assert result.exit_code == 1
    message = result.stderr.strip()
    assert "\n" not in message and "Traceback" not in result.output
    assert "bad.csv" in message and "Gt 01 To 02 Weeks SUM 1" in message and "row 2" in message
    with Store.open(db, read_only=True) as store:
        assert store.snapshot() == before  # june.csv was valid but is not stored either
        assert [m.iso() for m in store.months()] == ["2025-05"]


def test_a_name_that_differs_between_parts_is_the_first_rows_whatever_the_order(
    tmp_path: Path,
) -> None:
    """Where a provider's rows name it differently, the name stored is its first row's:
    never one that depends on how the rows were grouped (it did, with 150 providers)."""
    parts = ["Part_2", "Part_1A", "Part_1B"]
    rows = []
    for n in range(150):
        for part in parts:
            cells = row(part, {3: n + 1}, provider=f"ZP{n:03d}")
            cells[4] = f"TRUST ZP{n:03d} ({part})"  # the name, as this part's rows spell it
            cells[1] = f"Z{part[-2:]}"  # and the parent
            rows.append(cells)
    for shuffle in range(3):
        order = rows[:] if not shuffle else random.Random(shuffle).sample(rows, len(rows))
        first: dict[str, tuple[str, str]] = {}
        for cells in order:
            first.setdefault(cells[3], (cells[4], cells[1]))
        path = write(tmp_path, order, f"rtt-{shuffle}.csv")
        for _ in range(2):
            orgs = read_extract(path).orgs
            got = {
                o: (n, p) for o, n, p in orgs.select("org_code", "org_name", "parent_name").rows()
            }
            assert got == first
