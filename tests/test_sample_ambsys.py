"""The bundled synthetic AmbSYS sample (data/ambsys/) and its generator (data/generate_ambsys.py).

The field roles (which A-fields add up, which are means and which are centiles) are written
out here, not taken from the generator, and are checked against NHS England's real file.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import sys
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

from scorecard import api
from scorecard.cli import app
from scorecard.periods import Month

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "ambsys"
FILE = SAMPLE / "AmbSYS-to-Sep-2025.csv"
REAL = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "real"
    / "ambsys"
    / "AmbSYS_sample_2026-04_current_layout.csv"
)
# (count, total seconds, mean, 90th centile), as published.
TIMED = [
    ("A8", "A24", "A25", "A26"),
    ("A9", "A27", "A28", "A29"),
    ("A10", "A30", "A31", "A32"),
    ("A11", "A33", "A34", "A35"),
    ("A12", "A36", "A37", "A38"),
    ("A128", "A129", "A130", "A131"),
    ("A132", "A133", "A134", "A135"),
    ("A74", "A82", "A83", "A84"),
    ("A78", "A94", "A95", "A96"),
    ("A115", "A116", "A117", "A118"),
    ("A75", "A85", "A86", "A87"),
    ("A79", "A97", "A98", "A99"),
    ("A119", "A120", "A121", "A122"),
    ("A76", "A88", "A89", "A90"),
    ("A80", "A100", "A101", "A102"),
    ("A77", "A91", "A92", "A93"),
    ("A81", "A103", "A104", "A105"),
    ("A49", "A50", "A51", "A52"),
    ("A13", "A14", "A15", "A16"),
    ("A106", "A107", "A108", "A109"),
    ("A140", "A141", "A142", "A143"),
]
NOT_ADDITIVE = {"A3", "A4", "A114", "A5", "A6", *(f for g in TIMED for f in g[2:])}
UNUSED = {f"A{n}" for n in range(57, 74)}
# Identities that hold in the published file: total = sum of parts.
IDENTITIES = [
    ("A7", ("A17", "A56")),
    ("A56", ("A53", "A54", "A55")),
    ("A17", ("A18", "A19", "A21", "A22")),
    ("A132", ("A136", "A137", "A138", "A139")),
    ("A8", ("A74", "A78", "A115")),
    ("A24", ("A82", "A94", "A116")),
    ("A10", ("A75", "A79", "A119")),
    ("A30", ("A85", "A97", "A120")),
]
TRUSTS = {"ZR1": "Y62", "ZR2": "Y56", "ZR3": "Y60"}
REGIONS = {"Y56": "London", "Y60": "Midlands", "Y62": "North West"}
runner = CliRunner()


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_ambsys", ROOT / "data" / "generate_ambsys.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    lines = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8"), newline="")))
    return lines[0], [dict(zip(lines[0], r, strict=True)) for r in lines[1:]]


HEADER, ROWS = _read(FILE)
FIELDS = HEADER[5:]
ADDITIVE = [f for f in FIELDS if f not in NOT_ADDITIVE | UNUSED]


def _n(cell: str) -> int:
    return 0 if cell == "." else int(cell)


def _months() -> list[tuple[str, str]]:
    return list(dict.fromkeys((r["Year"], r["Month"]) for r in ROWS))


def _month(year: str, month: str) -> list[dict[str, str]]:
    return [r for r in ROWS if (r["Year"], r["Month"]) == (year, month)]


def test_regenerates_byte_identical(tmp_path: Path) -> None:
    assert _load().main(["--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in SAMPLE.glob("*.csv")) == [FILE.name]
    assert sorted(p.name for p in tmp_path.glob("*.csv")) == [FILE.name]
    assert (tmp_path / FILE.name).read_bytes() == FILE.read_bytes()


def test_header_is_the_published_one() -> None:
    if not REAL.is_file():
        pytest.skip(f"real NHS England file not available: {REAL}")
    real = REAL.read_bytes().split(b"\n", 1)[0]
    assert FILE.read_bytes().split(b"\n", 1)[0] == real
    assert len(HEADER) == 153


def test_field_roles_hold_in_the_real_file() -> None:
    """The roles this test assumes are those of NHS England's published rows."""
    if not REAL.is_file():
        pytest.skip(f"real NHS England file not available: {REAL}")
    _, real = _read(REAL)
    england, trusts = real[0], [r for r in real[1:] if not r["Org Code"].startswith("Y")]
    for field in ADDITIVE:
        assert _n(england[field]) == sum(_n(r[field]) for r in trusts), field
    for r in real:
        for count, total, mean, _ in TIMED:
            if _n(r[count]):
                assert abs(int(r[mean]) - int(r[total]) / int(r[count])) <= 0.5, mean
        for whole, parts in IDENTITIES:
            assert _n(r[whole]) == sum(_n(r[p]) for p in parts), whole


def test_byte_format_and_cells() -> None:
    data = FILE.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
    assert data.endswith(b"\n") and not data.endswith(b"\n\n")
    for r in ROWS:
        for field in FIELDS:
            cell = r[field]
            assert cell == "." or (cell.isdigit() and str(int(cell)) == cell), (field, cell)
        assert all(r[f] == "." for f in UNUSED)


def test_months_and_row_order() -> None:
    months = _months()
    assert months[0] == ("2024", "4") and months[-1] == ("2025", "9") and len(months) == 18
    for year, month in months:
        rows = _month(year, month)
        got = [(r["Region"], r["Org Code"], r["Org Name"]) for r in rows]
        assert got[0] == ("Eng", "Eng", "England")
        assert [g[1] for g in got[1:4]] == ["ZR1", "ZR2", "ZR3"]
        assert all(g[0] == TRUSTS[g[1]] and g[2] == g[2].upper() for g in got[1:4])
        assert "AMBULANCE SERVICE" in got[1][2]
        assert got[4:] == [(name, code, name) for code, name in sorted(REGIONS.items())]
        by_code = {r["Org Code"]: r for r in rows}
        for trust, region in TRUSTS.items():  # one trust per region: the rows repeat it
            assert [by_code[region][f] for f in FIELDS] == [by_code[trust][f] for f in FIELDS]


def test_england_is_the_sum_of_the_trusts() -> None:
    for year, month in _months():
        rows = _month(year, month)
        england, trusts = rows[0], rows[1:4]
        for field in ADDITIVE:
            cells = [r[field] for r in trusts]
            expected = "." if set(cells) == {"."} else str(sum(_n(c) for c in cells))
            assert england[field] == expected, (year, month, field)
        for count, total, mean, centile in TIMED:
            assert int(england[mean]) == round(int(england[total]) / int(england[count]))
            # A centile is never a sum: it lies between the trusts' own.
            values = [int(r[centile]) for r in trusts if r[centile] != "."]
            assert min(values) <= int(england[centile]) <= max(values), (month, centile)


def test_means_identities_and_centiles_in_every_row() -> None:
    for r in ROWS:
        assert int(r["A3"]) == round(int(r["A2"]) / int(r["A1"]))
        for count, total, mean, centile in TIMED:
            if r[count] == "0":
                assert r[total] == "0" and r[mean] == r[centile] == ".", (r["Org Code"], count)
                continue
            assert abs(int(r[mean]) - int(r[total]) / int(r[count])) <= 0.5, mean
            assert int(r[centile]) >= int(r[mean]), centile
        for whole, parts in IDENTITIES:
            assert _n(r[whole]) == sum(_n(r[p]) for p in parts), (r["Org Code"], whole)
        assert int(r["A9"]) <= int(r["A8"]) and int(r["A110"]) <= int(r["A106"])
        assert int(r["A4"]) <= int(r["A114"]) <= int(r["A5"]) <= int(r["A6"])


def test_response_times_are_realistic() -> None:
    minutes = dict.fromkeys(("A25", "A26", "A31", "A32"), 60.0) | {"A35": 3600.0, "A38": 3600.0}
    ranges = {
        "A25": (7.0, 9.5),  # C1 mean, minutes
        "A26": (12.5, 17.0),  # C1 90th centile
        "A31": (27.0, 46.0),  # C2 mean
        "A32": (55.0, 105.0),  # C2 90th centile
        "A35": (2.5, 6.5),  # C3 90th centile, hours
        "A38": (3.5, 8.5),  # C4 90th centile, hours
    }
    for r in ROWS:
        for field, (low, high) in ranges.items():
            assert low <= int(r[field]) / minutes[field] <= high, (r["Org Code"], field)
    c2 = {(r["Org Code"], r["Year"], r["Month"]): int(r["A31"]) for r in ROWS}
    for org in ("Eng", *TRUSTS):
        assert c2[(org, "2024", "12")] > c2[(org, "2024", "9")] + 300  # a winter peak
        assert c2[(org, "2024", "12")] > c2[(org, "2025", "9")] + 300
    meets = {org for (org, _, _), seconds in c2.items() if seconds <= 30 * 60}
    assert {"ZR1", "Y62"} <= meets and not {"ZR2", "ZR3"} & meets  # one trust meets 30 min


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ambsys") / "ambsys.duckdb"
    result = runner.invoke(app, ["ingest", str(FILE), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _values(db: Path, org: str, indicator: str) -> list[dict[str, str]]:
    args = ["values", "--db", str(db), "--org", org, "--indicator", indicator]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_england_and_region_means_are_their_published_rows(db: Path) -> None:
    """England's and each region's own rows, as published (they equal their trusts' sums)."""
    for org, code in (("ENG", "Eng"), *((r, r) for r in REGIONS)):
        got = _values(db, org, "amb_c1_mean")
        assert [r["period"] for r in got] == [f"{y}-{int(m):02d}" for y, m in _months()]
        for row, (year, month) in zip(got, _months(), strict=True):
            (own,) = [r for r in _month(year, month) if r["Org Code"] == code]
            assert (row["numerator"], row["denominator"]) == (own["A24"], own["A8"])
            assert round(float(row["value"])) == int(own["A25"])
        if org == "ENG":
            trusts = _month(year, month)[1:4]
            assert int(own["A24"]) == sum(int(r["A24"]) for r in trusts)


def test_no_icb_has_an_ambulance_figure_and_the_icb_board_names_its_trust() -> None:
    """The bundled System-Mapping puts each ambulance trust in an ICB; no ICB gets its figures
    (NHS England publishes none). The sample ICB board's ambulance row monitors ZR1."""
    sample = runner.invoke(app, ["values", "--indicator", "amb_c2_mean", "--period", "2025-09"])
    assert sample.exit_code == 0, sample.output
    orgs = {r["org_code"] for r in csv.DictReader(io.StringIO(sample.stdout))}
    assert orgs == {*TRUSTS, *REGIONS, "ENG"}
    catalogue = api.catalogue()
    spec = api.board_spec(ROOT / "scorecards" / "icb-board.toml", catalogue)
    with api.open_store(None) as store:
        card = api.board_for(store, catalogue, spec, Month(2025, 9))
    ambulance = {(r.org_code, r.org_name) for r in card.rows if r.indicator.family == "ambsys"}
    assert ambulance == {("ZR1", "Northgate Ambulance Service NHS Trust")}


def test_centiles_are_stored_as_published(db: Path) -> None:
    for org, field, indicator in (("ENG", "A26", "amb_c1_p90"), ("ZR2", "A32", "amb_c2_p90")):
        code = "Eng" if org == "ENG" else org
        published = [r[field] for r in ROWS if r["Org Code"] == code]
        assert [r["value"] for r in _values(db, org, indicator)] == published
    # Category 2: standard 18 minutes, interim 30 minutes (Amber between): ZR1 reaches Amber.
    ratings = {org: {r["rating"] for r in _values(db, org, "amb_c2_mean")} for org in TRUSTS}
    assert ratings == {"ZR1": {"Amber", "Red"}, "ZR2": {"Red"}, "ZR3": {"Red"}}


def test_an_older_layout_without_the_later_fields_is_read(tmp_path: Path) -> None:
    """A file of an older AmbSYS layout lacks fields NHS England added later (A114, the call
    answer 90th centile, from April 2019): those figures are not published in it, which is
    not an error. Ingest says which; everything else is stored."""
    keep = [i for i, name in enumerate(HEADER) if name not in ("A114", "A17")]
    rows = csv.reader(io.StringIO(FILE.read_text(encoding="utf-8")))
    text = "".join(",".join(r[i] for i in keep) + "\n" for r in rows)
    older = tmp_path / "AmbSYS-to-Sep-2025.csv"
    older.write_text(text, encoding="utf-8")
    path = tmp_path / "older.duckdb"
    result = runner.invoke(app, ["ingest", str(older), "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert (
        f"{older.name}: no column A17, A114 (an older AmbSYS layout): not published in it, "
        "so not stored" in result.stderr
    )
    (mean,) = [r for r in _values(path, "ENG", "amb_call_answer_mean") if r["period"] == "2025-09"]
    (own,) = [r for r in _month("2025", "9") if r["Org Code"] == "Eng"]
    assert (mean["numerator"], mean["denominator"]) == (own["A2"], own["A1"])
    for indicator in ("amb_call_answer_p90", "amb_hear_treat_pct"):
        args = ["values", "--db", str(path), "--org", "ENG", "--indicator", indicator]
        refused = runner.invoke(app, args)
        assert refused.exit_code == 1 and "no figures" in refused.stderr, refused.output


def test_call_answer_and_outcome_indicators_read_the_sample(db: Path) -> None:
    """The generated fields feed the call-answer and incident-outcome indicators as the real
    ones do (tests/test_real_ambsys.py): the mean is A2 / A1 (the published A3), the centile
    A114 as published, each rate its part over all incidents (A7)."""
    for org in ("ENG", "ZR2"):
        own = [r for r in ROWS if r["Org Code"] == ("Eng" if org == "ENG" else org)]
        mean = _values(db, org, "amb_call_answer_mean")
        assert [round(float(r["value"])) for r in mean] == [int(r["A3"]) for r in own]
        p90 = _values(db, org, "amb_call_answer_p90")
        assert [r["value"] for r in p90] == [r["A114"] for r in own]
        for indicator, field in (("amb_hear_treat_pct", "A17"), ("amb_conveyed_ed_pct", "A53")):
            rates = _values(db, org, indicator)
            assert [(r["numerator"], r["denominator"]) for r in rates] == [
                (r[field], r["A7"]) for r in own
            ]
            assert all(10 < float(r["value"]) < 60 for r in rates)
