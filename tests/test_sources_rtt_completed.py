"""The RTT completed-pathways sheet adapter (scorecard/sources/rtt_completed.py) on small files.

Each file has the published header (bands to `104 plus`, or to `52 plus` before 2016) and a
few rows whose band cells are written here, so expected values are read off the test.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.errors import SourceError
from scorecard.sources import detect_format, read_extract
from scorecard.sources.base import Extract
from scorecard.sources.rtt_completed import RttCompletedSheet
from scorecard.sources.rtt_incomplete import RttIncompleteSheet
from scorecard.store import Store

PROVIDER = ("Region Code", "Provider Code", "Provider Name")
CCG = ("Area Team Code", "CCG Code", "CCG Name")
COMMISSIONER = ("Region Code", "Commissioner Code", "Commissioner Name")
KNOWN = "Total number of completed pathways (with a known clock start)"
ALL = "Total number of completed pathways (all)"
NAME = "RTT-NonAdmitted-Provider-2025-09.csv"
runner = CliRunner()


def bands(last: int = 104) -> list[str]:
    return [f">{w}-{w + 1}" for w in range(last)] + [f"{last} plus"]


def header(last: int = 104, org: tuple[str, str, str] = PROVIDER) -> list[str]:
    tail = ["Total 52 plus weeks", "Total 78 plus weeks", "Total 65 plus weeks"]
    return [
        *org, "Treatment Function Code", "Treatment Function", *bands(last),
        "Patients with unknown clock start date", ALL, KNOWN,
        "Average (median) waiting time (in weeks)", "95th percentile waiting time (in weeks)",
        *(tail if last == 104 else []),
    ]  # fmt: skip


def row(
    counts: Mapping[int, int], *, org: str = "ZP1", tfc: str = "C_999", unknown: int = 0,
    last: int = 104,
) -> list[str]:  # fmt: skip
    """One row as published: totals and long-wait columns agree with the bands."""
    cells = [counts.get(w, 0) for w in range(last + 1)]
    known = sum(cells)
    over = [sum(cells[t:]) for t in (52, 78, 65)] if last == 104 else []
    return [
        "Y01", org, f"TRUST {org}", tfc, "Total" if tfc.endswith("999") else "Some Service",
        *map(str, cells), str(unknown), str(known + unknown), str(known), "-", "-",
        *map(str, over),
    ]  # fmt: skip


def write(
    tmp_path: Path, rows: list[list[str]], name: str = NAME, head: list[str] | None = None
) -> Path:
    path = tmp_path / name
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(head or header())
    writer.writerows(rows)
    path.write_text(text.getvalue(), encoding="utf-8")
    return path


def values(ex: Extract, org: str = "ZP1") -> dict[str, float]:
    assert ex.format == "rtt_completed_sheet"
    obs = ex.observations.filter(pl.col("org_code") == org)
    return dict(zip(obs["measure"], obs["value"], strict=True))


def measures(path: Path, org: str = "ZP1") -> dict[str, float]:
    return values(read_extract(path), org)


def error(path: Path) -> SourceError:
    with pytest.raises(SourceError) as info:
        read_extract(path)
    assert "\n" not in str(info.value)
    return info.value


def set_cell(cells: list[str], column: str, value: str, head: list[str] | None = None) -> None:
    cells[(head or header()).index(column)] = value


def test_non_admitted_measures_and_the_18_week_boundary(tmp_path: Path) -> None:
    ex = read_extract(write(tmp_path, [row({0: 1, 17: 5, 18: 7, 104: 2}, unknown=3)]))
    assert (ex.format, ex.dataset, ex.scope) == ("rtt_completed_sheet", "rtt", "nonadmitted")
    assert {str(d) for d in ex.observations["period"]} == {"2025-09-01"}
    # >17-18 is within 18 weeks, >18-19 is not; the denominator excludes unknown clock starts.
    assert values(ex) == {
        "rtt_nonadmitted_within_18wk": 6,
        "rtt_nonadmitted_known": 15,
        "rtt_nonadmitted_over_52wk": 2,  # the 104 plus band
    }


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("RTT-NonAdmitted-Provider-2025-09.csv", "nonadmitted"),
        ("Non-Admitted-Commissioner-2025-09.csv", "nonadmitted"),
        ("rtt_nonadmitted_2025-09.csv", "nonadmitted"),
        ("Admitted-Provider-2025-09.csv", "admitted"),
        ("RTT ADMITTED unadjusted 2025-09.csv", "admitted"),
    ],
)
def test_admitted_or_not_comes_from_the_file_name(tmp_path: Path, name: str, kind: str) -> None:
    ex = read_extract(write(tmp_path, [row({2: 30, 40: 10})], name))
    assert ex.scope == kind
    assert values(ex) == {
        f"rtt_{kind}_within_18wk": 30,
        f"rtt_{kind}_known": 40,
        f"rtt_{kind}_over_52wk": 0,
    }


def test_a_name_without_admitted_is_rejected(tmp_path: Path) -> None:
    err = error(write(tmp_path, [row({2: 30})], "RTT-Completed-Provider-2025-09.csv"))
    assert err.file == "RTT-Completed-Provider-2025-09.csv"
    assert '"Admitted" or "NonAdmitted" in the file name' in err.problem


def test_adjusted_admitted_figures_are_refused(tmp_path: Path) -> None:
    err = error(write(tmp_path, [row({2: 30})], "Admitted-Adjusted-Provider-2015-03.csv"))
    assert "unadjusted" in err.problem


def test_nhs_england_short_month_in_the_name(tmp_path: Path) -> None:
    path = write(tmp_path, [row({1: 4})], "NonAdmitted-Provider-Sep25-XLSX-4M-87700.csv")
    ex = read_extract(path)
    assert {str(d) for d in ex.observations["period"]} == {"2025-09-01"}
    assert {str(d) for d in read_extract(path, "2025-08").observations["period"]} == {
        "2025-08-01"
    }  # --period wins
    nameless = write(tmp_path, [row({1: 4})], "NonAdmitted-Provider.csv")
    assert "--period" in error(nameless).problem


@pytest.mark.parametrize(("org", "tfc"), [(CCG, "IP999"), (COMMISSIONER, "NP999")])
def test_52_plus_layout(tmp_path: Path, org: tuple[str, str, str], tfc: str) -> None:
    head = header(52, org)
    rows = [row({3: 10, 17: 2, 51: 1, 52: 4}, tfc=tfc, last=52, unknown=1)]
    rows.append(row({3: 99}, tfc=tfc.replace("999", "100"), last=52))
    ex = read_extract(write(tmp_path, rows, "Admitted-Commissioner-Mar15-XLS-1K.csv", head))
    assert values(ex) == {
        "rtt_admitted_within_18wk": 12,
        "rtt_admitted_known": 17,
        "rtt_admitted_over_52wk": 4,  # the 52 plus band
    }
    assert {str(d) for d in ex.observations["period"]} == {"2015-03-01"}
    assert ex.breakdowns is not None  # the specialty row is a part, keyed without its prefix
    assert set(ex.breakdowns["breakdown"]) == {"100"}
    # It does not add up to the whole (99 of 17): stored as published, with a warning.
    assert any("do not add up to the all-specialties row" in w for w in ex.warnings)


def test_pre_2016_within_18_weeks_column_is_checked(tmp_path: Path) -> None:
    head = [*header(52), "Total (with a known clock start) within 18 weeks"]
    good = [*row({3: 10, 20: 5}, tfc="AP999", last=52), "10"]
    got = measures(write(tmp_path, [good], "Admitted-2015-03.csv", head))
    assert got["rtt_admitted_within_18wk"] == 10
    bad = [*row({3: 10, 20: 5}, tfc="AP999", last=52), "15"]
    err = error(write(tmp_path, [bad], "Admitted-2015-03.csv", head))
    assert (err.column, err.row) == ("Total (with a known clock start) within 18 weeks", 2)
    assert "15 is not the sum of the bands >0-1 ... >17-18 (10)" in err.problem


def test_specialty_rows_are_never_added(tmp_path: Path) -> None:
    rows = [row({3: 40}, tfc="C_100"), row({3: 60, 60: 9}, tfc="C_110"), row({3: 100, 60: 9})]
    ex = read_extract(write(tmp_path, rows))
    assert values(ex) == {
        "rtt_nonadmitted_within_18wk": 100,
        "rtt_nonadmitted_known": 109,
        "rtt_nonadmitted_over_52wk": 9,
    }
    # The specialty rows are the parts, beside the whole (they add up to it: no warning).
    assert ex.breakdowns is not None and not ex.warnings
    parts = {
        (m, k): v for m, k, v in ex.breakdowns.select("measure", "breakdown", "value").iter_rows()
    }
    assert set(ex.breakdowns["dimension"]) == {"treatment_function"}
    assert parts == {
        ("rtt_nonadmitted_known", "100"): 40,
        ("rtt_nonadmitted_within_18wk", "100"): 40,
        ("rtt_nonadmitted_over_52wk", "100"): 0,
        ("rtt_nonadmitted_known", "110"): 69,
        ("rtt_nonadmitted_within_18wk", "110"): 60,
        ("rtt_nonadmitted_over_52wk", "110"): 9,
    }


def test_a_bad_cell_in_a_specialty_row_is_refused(tmp_path: Path) -> None:
    """The specialty rows are read (they are the parts), so their cells are checked too."""
    specialty = row({3: 40}, tfc="C_100")
    set_cell(specialty, ">5-6", "n/a")
    err = error(write(tmp_path, [specialty, row({3: 40})]))
    assert (err.column, err.row) == (">5-6", 2)


def without(tmp_path: Path, column: str) -> Path:
    """A one-row file with `column` left out of the header and the row."""
    head, cells = header(), row({1: 4})
    drop = head.index(column)
    return write(tmp_path, [cells[:drop] + cells[drop + 1 :]], head=head[:drop] + head[drop + 1 :])


@pytest.mark.parametrize("column", [">30-31", "Patients with unknown clock start date"])
def test_missing_column(tmp_path: Path, column: str) -> None:
    err = error(without(tmp_path, column))
    assert (err.file, err.column, err.row) == (NAME, column, 1)
    assert "missing column" in err.problem


@pytest.mark.parametrize("value", ["-5", "n/a", "1.5"])
def test_bad_count(tmp_path: Path, value: str) -> None:
    bad = row({1: 4}, org="ZP2")
    set_cell(bad, ">12-13", value)
    err = error(write(tmp_path, [row({1: 4}), bad]))
    assert (err.file, err.column, err.row) == (NAME, ">12-13", 3)
    assert "non-negative whole number" in err.problem and f"'{value}'" in err.problem
    assert str(err).startswith(f"{NAME}, column '>12-13', row 3: ")


def test_duplicate_organisation(tmp_path: Path) -> None:
    rows = [row({1: 4}), row({1: 4}, org="ZP2"), row({1: 5})]
    err = error(write(tmp_path, rows))
    assert (err.column, err.row) == ("Treatment Function Code", 4)  # reported at the repeat
    assert "the same organisation and treatment function appear twice" in err.problem


def test_bands_must_add_up_to_the_known_total(tmp_path: Path) -> None:
    bad = row({1: 4, 30: 2})
    set_cell(bad, KNOWN, "7")
    set_cell(bad, ALL, "7")
    err = error(write(tmp_path, [row({1: 4}, org="ZP2"), bad]))
    assert (err.column, err.row) == (KNOWN, 3)
    assert "7 is not the sum of the weekly bands >0-1 ... 104 plus (6)" in err.problem
    assert len(str(err)) < 200  # one short line, not 105 column names


def test_known_and_unknown_must_add_up_to_all(tmp_path: Path) -> None:
    bad = row({1: 4}, unknown=2)
    set_cell(bad, ALL, "5")
    err = error(write(tmp_path, [bad]))
    assert (err.column, err.row) == (ALL, 2)
    assert "5 is not the sum of the known-clock-start total and" in err.problem


@pytest.mark.parametrize(("column", "first"), [(f"Total {t} plus weeks", t) for t in (52, 65, 78)])
def test_long_wait_totals_must_match_their_bands(tmp_path: Path, column: str, first: int) -> None:
    bad = row({1: 4, 60: 1, 70: 2, 90: 3})
    set_cell(bad, column, "100")
    err = error(write(tmp_path, [bad]))
    assert (err.column, err.row) == (column, 2)
    assert f"the bands >{first}-{first + 1} ... 104 plus" in err.problem


def test_no_all_specialties_rows(tmp_path: Path) -> None:
    err = error(write(tmp_path, [row({1: 4}, tfc="C_100")]))
    assert err.column == "Treatment Function Code" and "C_999" in err.problem


def test_incomplete_and_completed_sheets_do_not_steal_each_other(tmp_path: Path) -> None:
    incomplete = [
        *PROVIDER, "Treatment Function Code", "Treatment Function", *bands(),
        "Total number of incomplete pathways", "Total within 18 weeks", "% within 18 weeks",
    ]  # fmt: skip
    assert RttCompletedSheet().match(incomplete) == 0.0
    assert RttIncompleteSheet().match(header()) == 0.0
    assert RttCompletedSheet().match(header()) == 1.0
    national = header()[3:]  # no organisation columns: recognised, then rejected
    assert detect_format("x.csv", ",".join(national).encode()).name == "rtt_completed_sheet"
    err = error(write(tmp_path, [row({1: 4})[3:]], head=national))
    assert (err.column, "missing column") == ("Region Code", err.problem[:14])


def test_admitted_and_non_admitted_of_one_month_stay_side_by_side(tmp_path: Path) -> None:
    db = str(tmp_path / "rtt.duckdb")
    admitted = write(tmp_path, [row({1: 8, 20: 2})], "Admitted-Provider-2025-09.csv")
    non = write(tmp_path, [row({1: 30, 20: 10})])
    result = runner.invoke(app, ["ingest", str(admitted), str(non), "--db", db])
    assert result.exit_code == 0, result.output
    again = runner.invoke(app, ["ingest", str(admitted), "--db", db])
    assert again.exit_code == 0 and "already stored, unchanged" in again.output
    with Store.open(Path(db), read_only=True) as store:
        assert len(store.active_loads()) == 2
    for indicator, expected in [
        ("rtt_admitted_18wk_pct", ("8", "10")),
        ("rtt_nonadmitted_18wk_pct", ("30", "40")),
    ]:
        args = ["values", "--db", db, "--org", "ZP1", "--period", "2025-09"]
        out = runner.invoke(app, [*args, "--indicator", indicator])
        assert out.exit_code == 0, out.output
        (got,) = csv.DictReader(io.StringIO(out.stdout))
        assert (got["numerator"], got["denominator"]) == expected
