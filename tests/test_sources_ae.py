"""A&E source adapters: real published files (when ../shared is present) and small synthetic files.

Expected values come from outside the code under test: NHS England's published national
figures, the files' own TOTAL rows read with the csv module, and cells written by the tests.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from scorecard.errors import SourceError
from scorecard.periods import MONTH_NAMES
from scorecard.sources import FORMATS, read_extract
from scorecard.sources.base import Extract

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
AE = REAL / "ae"
SHEETS = AE / "provider_level_sheet"
needs_real = pytest.mark.skipif(not AE.is_dir(), reason="../shared/data/real is absent")

# NHS England's official monthly CSVs, April-September 2025, with the national four-hour
# performance (all types, booked appointments included) to one decimal place.
OFFICIAL = {
    "Monthly-AE-April-2025.csv": ("2025-04", 74.8),
    "Monthly-AE-May-2025.csv": ("2025-05", 75.4),
    "Monthly-AE-June-2025-1-1.csv": ("2025-06", 75.5),  # 75.545% in the file
    "July-2025-CSV-9jfy4.csv": ("2025-07", 76.4),
    "August-2025-CSV-g5tyh-v2.0.csv": ("2025-08", 75.9),
    "September-2025-Csv-7hjr2.csv": ("2025-09", 75.0),
}
ATTENDANCES = ("ae_att_type1", "ae_att_type2", "ae_att_other")
OVER_4H = ("ae_over4h_type1", "ae_over4h_type2", "ae_over4h_other")


def _four_hour_pct(obs: pl.DataFrame) -> float:
    att = float(obs.filter(pl.col("measure").is_in(ATTENDANCES))["value"].sum())
    over = float(obs.filter(pl.col("measure").is_in(OVER_4H))["value"].sum())
    return 100 * (1 - over / att)


def _value(ex: Extract, org: str, measure: str) -> float:
    sel = ex.observations.filter((pl.col("org_code") == org) & (pl.col("measure") == measure))
    assert sel.height == 1, (org, measure)
    return float(sel["value"][0])


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def _month_of(name: str) -> dt.date:
    """The month a file name states (`April-2025`), read here independently of the adapter."""
    words = name.replace(".", "-").split("-")
    month = next(i for i, m in enumerate(MONTH_NAMES, 1) if m in words)
    year = next(int(w) for w in words if len(w) == 4 and w.isdigit())
    return dt.date(year, month, 1)


# ---------------------------------------------------------------------------------------------
# Real files


@needs_real
@pytest.mark.parametrize("name", list(OFFICIAL))
def test_official_csv_parses(name: str) -> None:
    rows = _csv_rows(AE / name)
    ex = read_extract(AE / name)
    assert ex.format == "ae_monthly_csv" and ex.dataset == "ae"
    assert set(ex.observations["period"]) == {_month_of(name)}
    providers = {r[1] for r in rows[1:] if r[0].upper() != "TOTAL"}
    assert set(ex.orgs["org_code"]) == providers  # the TOTAL row is not an organisation
    assert not any(p != p.strip() for p in ex.orgs["parent_name"].drop_nulls())


@needs_real
@pytest.mark.parametrize("name", list(OFFICIAL))
def test_official_csv_reproduces_published_national_four_hour(name: str) -> None:
    period, published = OFFICIAL[name]
    obs = read_extract(AE / name).observations
    pct = _four_hour_pct(obs)
    assert round(pct, 1) == published, period
    # The same figure from the file's own national row (attendances cols 5-10, over 4h 11-16).
    total = _csv_rows(AE / name)[-1]
    assert total[0].upper() == "TOTAL"
    att, over = sum(map(int, total[4:10])), sum(map(int, total[10:16]))
    assert pct == pytest.approx(100 * (1 - over / att), abs=1e-9)


@needs_real
@pytest.mark.skipif(not SHEETS.is_dir(), reason="provider sheets absent")
@pytest.mark.parametrize("path", sorted(SHEETS.glob("*-20??-AE.csv")), ids=lambda p: p.name)
def test_provider_sheet_parses(path: Path) -> None:
    rows = _csv_rows(path)
    ex = read_extract(path)
    assert ex.format == "ae_provider_sheet" and ex.dataset == "ae"
    assert set(ex.observations["period"]) == {_month_of(path.name)}
    assert set(ex.orgs["org_code"]) == {r[0] for r in rows[1:]}
    assert not any(m.startswith("ae_att_booked") for m in ex.observations["measure"])


@needs_real
@pytest.mark.parametrize("name", list(OFFICIAL))
def test_provider_sheet_agrees_with_official_csv_nationally(name: str) -> None:
    """The sheets carry later revisions for a few trusts, so agreement is to 0.03 points;
    that moves June (75.556%) and September (75.050%) across a rounding boundary."""
    period, published = OFFICIAL[name]
    month = dt.date.fromisoformat(period + "-01")
    sheet = SHEETS / f"{MONTH_NAMES[month.month - 1]}-{month.year}-AE.csv"
    official = _four_hour_pct(read_extract(AE / name).observations)
    from_sheet = _four_hour_pct(read_extract(sheet).observations)
    assert abs(from_sheet - official) < 0.03
    if period not in ("2025-06", "2025-09"):
        assert round(from_sheet, 1) == published


@needs_real
def test_rf4_april_2025_and_booked_appointments_agree_across_layouts() -> None:
    official = read_extract(AE / "Monthly-AE-April-2025.csv")
    sheet = read_extract(SHEETS / "April-2025-AE.csv")
    assert _value(official, "RF4", "ae_att_type1") == 13402
    assert _value(sheet, "RF4", "ae_att_type1") == 13402
    # Decision-to-admit over 4 hours: 713 (4-12h) + 795 (12h+) in the CSV, 1,508 in the sheet.
    assert _value(official, "RF4", "ae_dta_over4h") == 1508 == _value(sheet, "RF4", "ae_dta_over4h")
    # The sheet's type 1 count includes booked appointments; the CSV splits them out.
    raw = {r[1]: r for r in _csv_rows(AE / "Monthly-AE-April-2025.csv")}
    for org in ("RCD", "RJN", "RFF"):
        booked = int(raw[org][7])
        assert booked > 0
        assert _value(official, org, "ae_att_booked_type1") == booked
        assert _value(official, org, "ae_att_type1") == int(raw[org][4]) + booked
        assert _value(sheet, org, "ae_att_type1") == _value(official, org, "ae_att_type1")


@needs_real
def test_unrelated_layout_is_not_recognised() -> None:
    path = AE / "nhsrdatasets_ae_attendances.csv"
    with pytest.raises(SourceError) as info:
        read_extract(path)
    assert (info.value.file, info.value.row) == (path.name, 1)
    assert "no known published layout" in info.value.problem


# ---------------------------------------------------------------------------------------------
# Synthetic official CSVs, written by the tests

HEADER = [
    "Period", "Org Code", "Parent Org", "Org name",
    "A&E attendances Type 1", "A&E attendances Type 2", "A&E attendances Other A&E Department",
    "A&E attendances Booked Appointments Type 1", "A&E attendances Booked Appointments Type 2",
    "A&E attendances Booked Appointments Other Department",
    "Attendances over 4hrs Type 1", "Attendances over 4hrs Type 2",
    "Attendances over 4hrs Other Department",
    "Attendances over 4hrs Booked Appointments Type 1",
    "Attendances over 4hrs Booked Appointments Type 2",
    "Attendances over 4hrs Booked Appointments Other Department",
    "Patients who have waited 4-12 hs from DTA to admission",
    "Patients who have waited 12+ hrs from DTA to admission",
    "Emergency admissions via A&E - Type 1", "Emergency admissions via A&E - Type 2",
    "Emergency admissions via A&E - Other A&E department", "Other emergency admissions",
]  # fmt: skip
COUNTS = HEADER[4:]
# Canonical measure -> the published columns that add up to it (the spec, written out here).
MAPPING = {
    "ae_att_type1": (COUNTS[0], COUNTS[3]),
    "ae_att_type2": (COUNTS[1], COUNTS[4]),
    "ae_att_other": (COUNTS[2], COUNTS[5]),
    "ae_att_booked_type1": (COUNTS[3],),
    "ae_att_booked_type2": (COUNTS[4],),
    "ae_att_booked_other": (COUNTS[5],),
    "ae_over4h_type1": (COUNTS[6], COUNTS[9]),
    "ae_over4h_type2": (COUNTS[7], COUNTS[10]),
    "ae_over4h_other": (COUNTS[8], COUNTS[11]),
    "ae_over4h_booked_type1": (COUNTS[9],),
    "ae_over4h_booked_type2": (COUNTS[10],),
    "ae_over4h_booked_other": (COUNTS[11],),
    "ae_dta_over4h": (COUNTS[12], COUNTS[13]),
    "ae_dta_over12h": (COUNTS[13],),
    "ae_emadm_type1": (COUNTS[14],),
    "ae_emadm_type2": (COUNTS[15],),
    "ae_emadm_other": (COUNTS[16],),
    "ae_emadm_not_ae": (COUNTS[17],),
}
APRIL = "MSitAE-APRIL-2025"


def _row(code: str, period: str = APRIL, **cells: str) -> list[str]:
    """A provider row: count column j holds (j + 1) * (row's seed), overridable by name,
    except the over-4-hours columns (6 to 11), a tenth or so of their attendances."""
    seed = sum(map(ord, code))
    row = [period, code, "NHS ENGLAND LONDON ", f"TRUST {code} "]
    row += [
        str((j - 5) * seed // 10 if 6 <= j <= 11 else (j + 1) * seed) for j in range(len(COUNTS))
    ]
    for key, value in cells.items():
        row[HEADER.index(key)] = value
    return row


def _set(row: list[str], column: str, value: str) -> list[str]:
    out = list(row)
    out[HEADER.index(column)] = value
    return out


def _total(rows: list[list[str]], label: str = "TOTAL") -> list[str]:
    sums = [sum(int(r[4 + j].replace(",", "")) for r in rows) for j in range(len(COUNTS))]
    return [label] * 4 + [str(s) for s in sums]


def _write(
    tmp_path: Path,
    rows: list[list[str]],
    name: str = "ae.csv",
    header: list[str] | None = None,
    encoding: str = "utf-8",
    bom: bool = False,
) -> Path:
    lines = [header or HEADER, *rows]
    text = "".join(",".join(f'"{c}"' if "," in c else c for c in line) + "\n" for line in lines)
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    return path


def _error(path: Path, period: str | None = None) -> SourceError:
    with pytest.raises(SourceError) as info:
        read_extract(path, period)
    err = info.value
    assert err.file == path.name
    assert "\n" not in str(err) and err.one_line() == str(err)
    return err


def test_synthetic_csv_maps_every_published_column(tmp_path: Path) -> None:
    rows = [_row("AAA"), _row("BBB")]
    rows[1] = _set(rows[1], "A&E attendances Type 1", "12,345")  # thousands separator
    ex = read_extract(_write(tmp_path, [*rows, _total(rows)]))
    assert ex.format == "ae_monthly_csv"
    for row in rows:
        for measure, columns in MAPPING.items():
            want = sum(int(row[HEADER.index(c)].replace(",", "")) for c in columns)
            assert _value(ex, row[1], measure) == want, measure
    assert set(ex.observations["period"]) == {dt.date(2025, 4, 1)}
    assert ex.orgs.rows() == [  # the last column: the file row each organisation is on
        (dt.date(2025, 4, 1), "AAA", "TRUST AAA", "NHS ENGLAND LONDON", "2"),
        (dt.date(2025, 4, 1), "BBB", "TRUST BBB", "NHS ENGLAND LONDON", "3"),
    ]
    assert ex.observations.equals(ex.observations.sort("period", "org_code", "measure"))


def test_not_reported_cells_give_no_observation(tmp_path: Path) -> None:
    whole = _row("AAA")
    row = _set(whole, "Attendances over 4hrs Type 1", "-")
    row = _set(row, "Other emergency admissions", ".")
    measures = set(read_extract(_write(tmp_path, [row, _total([whole])])).observations["measure"])
    # A sum with an unreported part is not stored; the other parts' measures are.
    assert "ae_over4h_type1" not in measures and "ae_emadm_not_ae" not in measures
    assert {"ae_over4h_booked_type1", "ae_att_type1"} <= measures


def test_an_empty_count_cell_is_refused_not_dropped(tmp_path: Path) -> None:
    """Only `*`, `-` and `.` mean not published: a blank count would drop its measure."""
    rows = [_row("AAA"), _set(_row("BBB"), "Other emergency admissions", "")]
    err = _error(_write(tmp_path, [*rows, _total([_row("AAA"), _row("BBB")])]))
    assert (err.column, err.row) == ("Other emergency admissions", 3)
    assert err.problem.startswith("expected a count, got an empty cell")


def test_several_periods_in_one_file_are_refused(tmp_path: Path) -> None:
    """NHS England publishes one month per A&E CSV: two months is two files joined."""
    rows = [_row("AAA"), _row("AAA", "MSitAE-MAY-2025"), _row("BBB", "MSitAE-MAY-2025")]
    err = _error(_write(tmp_path, rows))
    assert (err.column, err.row) == ("Period", 3)
    assert "two months in one file: 2025-04 (row 2) and 2025-05 (row 3)" in err.problem


def test_header_cells_differing_in_case_or_spaces(tmp_path: Path) -> None:
    rows = [_row("AAA"), _total([_row("AAA")])]
    plain = read_extract(_write(tmp_path, rows, "plain.csv"))
    header = [f" {h.upper()} " if i % 2 else h.lower() for i, h in enumerate(HEADER)]
    loose = read_extract(_write(tmp_path, rows, "loose.csv", header=header))
    assert loose.observations.equals(plain.observations)


def test_total_row_any_case_is_checked_and_dropped(tmp_path: Path) -> None:
    rows = [_row("AAA"), _row("BBB")]
    for label in ("TOTAL", "Total", "total"):
        ex = read_extract(_write(tmp_path, [*rows, _total(rows, label)]))
        assert set(ex.orgs["org_code"]) == {"AAA", "BBB"}


def test_cp1252_and_utf8_bom_files(tmp_path: Path) -> None:
    rows = [_row("AAA", **{"Org name": "CENTRE MÉDICAL"}), _total([_row("AAA")])]
    ansi = read_extract(_write(tmp_path, rows, "ansi.csv", encoding="cp1252"))
    bom = read_extract(_write(tmp_path, rows, "bom.csv", bom=True))
    assert ansi.orgs["org_name"].to_list() == ["CENTRE MÉDICAL"]
    assert bom.orgs.equals(ansi.orgs) and bom.observations.equals(ansi.observations)


def test_missing_column(tmp_path: Path) -> None:
    gone = HEADER.index("Attendances over 4hrs Type 2")

    def drop(cells: list[str]) -> list[str]:
        return [c for i, c in enumerate(cells) if i != gone]

    err = _error(_write(tmp_path, [drop(_row("AAA"))], header=drop(HEADER)))
    assert (err.column, err.row) == ("Attendances over 4hrs Type 2", 1)
    assert err.problem.startswith("missing column") and "22 columns" in err.problem


def test_negative_count(tmp_path: Path) -> None:
    rows = [_row("AAA"), _set(_row("BBB"), "A&E attendances Type 1", "-12")]
    err = _error(_write(tmp_path, rows))
    assert (err.column, err.row) == ("A&E attendances Type 1", 3)
    assert "non-negative whole number" in err.problem and "'-12'" in err.problem


def test_non_numeric_count(tmp_path: Path) -> None:
    rows = [_row("AAA"), _row("BBB"), _set(_row("CCC"), "Other emergency admissions", "n/a")]
    err = _error(_write(tmp_path, rows))
    assert (err.column, err.row) == ("Other emergency admissions", 4)
    assert "'n/a'" in err.problem


def test_unparseable_period(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, [_row("AAA", "MSitAE-SMARCH-2025")]))
    assert (err.column, err.row) == ("Period", 2)
    assert "'MSitAE-SMARCH-2025'" in err.problem


def test_first_problem_in_file_order_and_the_rest_counted(tmp_path: Path) -> None:
    rows = [
        _row("AAA"),
        _set(_row("BBB"), "Other emergency admissions", "x"),
        _set(_row("CCC"), "A&E attendances Type 1", "y"),
    ]
    err = _error(_write(tmp_path, rows))
    assert (err.column, err.row, err.more) == ("Other emergency admissions", 3, 1)


def test_total_row_must_equal_the_providers(tmp_path: Path) -> None:
    rows = [_row("AAA"), _row("BBB")]
    column = "Patients who have waited 12+ hrs from DTA to admission"
    total = _total(rows, "Total")
    total[HEADER.index(column)] = str(int(total[HEADER.index(column)]) + 1)
    err = _error(_write(tmp_path, [*rows, total]))
    assert (err.column, err.row) == (column, 4)


def test_duplicate_org_in_one_period(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, [_row("AAA"), _row("BBB"), _row("AAA")]))
    assert err.row in (2, 4)


def test_duplicate_org_names_org_code_and_the_repeated_row(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, [_row("AAA"), _row("BBB"), _row("AAA")]))
    assert (err.column, err.row) == ("Org Code", 4)


def test_duplicate_org_under_another_spelling_of_the_period(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, [_row("AAA"), _row("AAA", "MSITAE-April-2025")]))
    assert err.row == 3


def test_several_periods_each_with_its_total_row_are_refused(tmp_path: Path) -> None:
    april, may = [_row("AAA"), _row("BBB")], [_row("AAA", "MSitAE-MAY-2025")]
    err = _error(_write(tmp_path, [*april, _total(april), *may, _total(may)]))
    assert "two months in one file" in err.problem


def test_bom_with_invalid_utf8_is_a_source_error(tmp_path: Path) -> None:
    path = _write(tmp_path, [_row("AAA", **{"Org name": "CENTRE MÉDICAL"})], encoding="cp1252")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    _error(path)


def test_row_with_too_many_cells_names_its_row(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, [_row("AAA"), [*_row("BBB"), "9"]]))
    assert err.row == 3


def test_unknown_header(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("period,org_code,type,attendances\n2019-01-01,RX1,1,5\n")
    err = _error(path)
    assert (err.column, err.row) == (None, 1)
    assert "no known published layout" in err.problem
    assert all(f.description in err.problem for f in FORMATS)


# ---------------------------------------------------------------------------------------------
# Synthetic provider-level sheets, written by the tests

T1, T2, T3 = (
    "Type 1 Departments - Major A&E",
    "Type 2 Departments - Single Specialty",
    "Type 3 Departments - Other A&E/Minor Injury Unit",
)
SHEET_HEADER = [
    "Code", "Region", "Name", T1, T2, T3, "Total attendances", T1, T2, T3,
    "Total Attendances < 4 hours", T1, T2, T3, "Total Attendances > 4 hours",
    "Percentage in 4 hours or less (all)", "Percentage in 4 hours or less (type 1)",
    "Percentage in 4 hours or less (type 2)", "Percentage in 4 hours or less (type 3)",
    "Emergency Admissions via Type 1 A&E", "Emergency Admissions via Type 2 A&E",
    "Emergency Admissions via Type 3 and 4 A&E", "Total Emergency Admissions via A&E",
    "Other Emergency admissions (i.e not via A&E)", "Total Emergency Admissions",
    "Number of patients spending >4 hours from decision to admit to admission",
    "Number of patients spending >12 hours from decision to admit to admission",
]  # fmt: skip


def _sheet_row(code: str, att: tuple[int, int, int], over: tuple[int, int, int]) -> list[str]:
    """A consistent provider row in the May 2025 style: `16,670`, `76.00%`, `-`."""
    under = tuple(a - o for a, o in zip(att, over, strict=True))
    pct = [f"{100 * u / a:.2f}%" if a else "-" for u, a in zip(under, att, strict=True)]
    ea = (att[0] // 4, att[1] // 4, att[2] // 9)
    counts = [*att, sum(att), *under, sum(under), *over, sum(over)]
    tail = [*ea, sum(ea), 500, sum(ea) + 500, over[0] // 5, over[0] // 20]
    all_pct = f"{100 * sum(under) / sum(att):.2f}%"
    return [
        code,
        "NHS England London ",
        f"Trust {code}",
        *(f"{n:,}" for n in counts),
        all_pct,
        *pct,
        *(f"{n:,}" for n in tail),
    ]


SHEET_ROWS = [
    _sheet_row("AAA", (16670, 0, 9034), (6174, 0, 0)),
    _sheet_row("BBB", (900, 50, 0), (300, 5, 0)),
]


def _sheet(tmp_path: Path, name: str, rows: list[list[str]] | None = None) -> Path:
    return _write(tmp_path, SHEET_ROWS if rows is None else rows, name, header=SHEET_HEADER)


def test_sheet_maps_counts_and_takes_the_month_from_the_file_name(tmp_path: Path) -> None:
    ex = read_extract(_sheet(tmp_path, "May-2025-AE.csv"))
    assert ex.format == "ae_provider_sheet"
    assert set(ex.observations["period"]) == {dt.date(2025, 5, 1)}

    def n(i: int) -> float:
        return float(SHEET_ROWS[0][i].replace(",", ""))

    want = {
        "ae_att_type1": n(3), "ae_att_type2": n(4), "ae_att_other": n(5),
        "ae_over4h_type1": n(11), "ae_over4h_type2": n(12), "ae_over4h_other": n(13),
        "ae_emadm_type1": n(19), "ae_emadm_type2": n(20), "ae_emadm_other": n(21),
        "ae_emadm_not_ae": n(23), "ae_dta_over4h": n(25), "ae_dta_over12h": n(26),
    }  # fmt: skip
    got = ex.observations.filter(pl.col("org_code") == "AAA")
    assert dict(zip(got["measure"], got["value"], strict=True)) == want
    assert ex.orgs.filter(pl.col("org_code") == "AAA")["parent_name"].to_list() == [
        "NHS England London"
    ]


def test_sheet_april_2025_header_and_plain_numbers(tmp_path: Path) -> None:
    header = [h.replace(" - ", " 0 ") for h in SHEET_HEADER]
    rows = [[c.replace(",", "").replace("%", "") for c in r] for r in SHEET_ROWS]
    path = _write(tmp_path, rows, "April-2025-AE.csv", header=header)
    ex = read_extract(path)
    assert ex.format == "ae_provider_sheet"
    assert set(ex.observations["period"]) == {dt.date(2025, 4, 1)}
    assert _value(ex, "AAA", "ae_att_type1") == 16670


def test_sheet_month_from_period_hint_or_an_error(tmp_path: Path) -> None:
    path = _sheet(tmp_path, "provider-data.csv")
    err = _error(path)
    assert "--period" in err.problem and "YYYY-MM" in err.problem
    ex = read_extract(path, "2025-06")
    assert set(ex.observations["period"]) == {dt.date(2025, 6, 1)}


def test_sheet_total_attendances_must_be_the_sum_of_the_types(tmp_path: Path) -> None:
    bad = list(SHEET_ROWS[1])
    bad[6] = "951"  # 900 + 50 + 0 = 950
    err = _error(_sheet(tmp_path, "May-2025-AE.csv", [SHEET_ROWS[0], bad]))
    assert (err.column, err.row) == ("Total attendances", 3)


def test_sheet_bad_percentage(tmp_path: Path) -> None:
    bad = list(SHEET_ROWS[0])
    bad[15] = "n/a"
    err = _error(_sheet(tmp_path, "May-2025-AE.csv", [bad, SHEET_ROWS[1]]))
    assert (err.column, err.row) == ("Percentage in 4 hours or less (all)", 2)
    assert "'n/a'" in err.problem


def test_sheet_negative_count(tmp_path: Path) -> None:
    bad = list(SHEET_ROWS[1])
    bad[23] = "-5"
    err = _error(_sheet(tmp_path, "May-2025-AE.csv", [SHEET_ROWS[0], bad]))
    assert (err.column, err.row) == ("Other Emergency admissions (i.e not via A&E)", 3)
    assert "'-5'" in err.problem
