"""The cited source is the source of the rows shown.

For any card: every file its source notes name is behind at least one figure shown, every
figure's file is named, each file exactly once; a figure's rows are exactly the file rows
that went into it. Expected rows are read here from the files themselves, never copied from
the program's output.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from scorecard import api, provenance_query
from scorecard.cards import board_for, scorecard_for
from scorecard.cli import app
from scorecard.model import Scorecard, SourceRef, Window
from scorecard.notes import SHORT_HASH, source_lines
from scorecard.periods import Month
from scorecard.provenance import cards_provenance, trace
from scorecard.provenance_query import MASK_BITS, Span
from scorecard.render.excel import render_xlsx
from scorecard.render.html import render_html
from scorecard.sources import read_extracts
from scorecard.sources.base import Extract
from scorecard.sources.local_periods import parse_period
from scorecard.store import Store

ROOT = Path(__file__).resolve().parents[1]
LOCAL = ROOT / "data" / "local" / "local-measures.csv"
SEPTEMBER = Month(2025, 9)
ORGS = ("ZA1", "ZI1", "ENG", "Y62")  # Y62: an ambulance region
CITED = re.compile(rf"([^,(]+?) \[([0-9a-f]{{{SHORT_HASH}}})\]")
runner = CliRunner()


@pytest.fixture(scope="module")
def sample() -> Iterator[Store]:
    with api.open_store(None) as store:
        yield store


@pytest.fixture(scope="module")
def cards(sample: Store) -> dict[str, Scorecard]:
    """The sample's catalogue cards (a trust, an ICB, England, an ambulance region) and its
    boards, by organisation code or definition file stem, built once."""
    catalogue = api.catalogue(None)
    built = {org: scorecard_for(sample, catalogue, org, SEPTEMBER) for org in ORGS}
    for spec in api.board_specs(None, catalogue):
        built[Path(spec.file).stem] = board_for(sample, catalogue, spec, SEPTEMBER)
    return built


def _source_notes(card: Scorecard) -> list[str]:
    return [n for n in card.sources if n.startswith("Source: ")]


def _figures(card: Scorecard) -> set[tuple[str, str]]:
    """(file, sha256) of every figure shown: each row's windows with a value."""
    return {
        (ref.file, ref.sha256)
        for row in card.all_rows()
        for w in card.windows
        if row.cell(w).value.value is not None
        for ref in card.provenance.get((row.indicator.id, row.org_code, w), ())
    }


def assert_cites_exactly_its_rows(card: Scorecard) -> None:
    """The class: notes name each file of a figure shown once, and nothing else."""
    named = [(f.strip(), h) for note in _source_notes(card) for f, h in CITED.findall(note)]
    assert len(named) == len(set(named)), f"a file is named twice: {named}"
    used = {(f, h[:SHORT_HASH]) for f, h in _figures(card)}
    assert set(named) == used, f"cited {sorted(set(named) - used)}, uncited {used - set(named)}"


def test_every_sample_card_cites_exactly_the_files_of_its_figures(
    cards: dict[str, Scorecard],
) -> None:
    assert {"trust-board", "icb-board"} <= set(cards)
    for card in cards.values():
        assert card.rows and _source_notes(card)
        assert_cites_exactly_its_rows(card)


def test_a_file_of_many_months_is_named_once(cards: dict[str, Scorecard]) -> None:
    ambsys = [n for n in _source_notes(cards["Y62"]) if "AmbSYS" in n]
    assert len(ambsys) == 1 and ambsys[0].count("AmbSYS-to-Sep-2025.csv") == 1


def test_a_dataset_no_row_uses_is_not_cited(cards: dict[str, Scorecard]) -> None:
    """An acute trust has no ambulance rows: the AmbSYS file stored beside its data, for
    the same months, is not its source; nor are last year's files for this year's figures."""
    notes = " ".join(_source_notes(cards["ZA1"]))
    assert "AmbSYS" not in notes and "2024" not in notes
    assert "Monthly-AE-September-2025.csv" in notes


def test_the_rendered_outputs_carry_the_same_notes(cards: dict[str, Scorecard]) -> None:
    for card in (cards["ZA1"], cards["trust-board"]):
        page = html.unescape(render_html(card))
        with zipfile.ZipFile(io.BytesIO(render_xlsx(card))) as book:  # notes: shared strings
            strings = html.unescape(book.read("xl/sharedStrings.xml").decode("utf-8"))
        for note in _source_notes(card):
            assert note in page and note in strings


def _local_lines(indicator: str, org: str, form: str = "month") -> dict[Month, int]:
    """Each period's line of one indicator and organisation in the local-measures file, by
    the month it is stored at: its months (a quarterly indicator's quarters), or (`form`)
    the quarters or years of its windows' own figures."""
    rows = list(csv.reader(io.StringIO(LOCAL.read_text(encoding="utf-8"))))
    mine = [(n, r) for n, r in enumerate(rows, start=1) if n > 1 and r[0] == indicator]
    forms = {parse_period(r[2])[1] for _, r in mine}  # type: ignore[index]
    finest = next(f for f in ("month", "quarter", "year") if f in forms)
    want = finest if form == "month" else form
    return {
        period[0]: n
        for n, r in mine
        if r[1] == org and (period := parse_period(r[2])) and period[1] == want
    }


def test_a_local_measure_names_its_own_rows_only(cards: dict[str, Scorecard]) -> None:
    card = cards["trust-board"]
    local = [r for r in card.rows if r.indicator.family == "local"]
    assert local
    for row in local:
        lines = _local_lines(row.indicator.id, row.org_code)
        for window in card.windows:
            cell = row.cell(window)
            if cell.value.value is None:
                continue
            refs = card.provenance[(row.indicator.id, row.org_code, window)]
            first = cell.value.first or cell.value.period
            want = sorted(n for m, n in lines.items() if first <= m <= cell.value.period)
            if cell.value.how == "own":  # the window's own figure: its own row
                own = _local_lines(row.indicator.id, row.org_code, "quarter")
                own |= _local_lines(row.indicator.id, row.org_code, "year")
                want = [own[cell.value.period]]
            got = sorted(int(n) for ref in refs for n in ref.rows.split(","))
            assert [r.file for r in refs] == [LOCAL.name] and got == want, row.indicator.id


def _extract(codes: dict[str, dict[str, float]], name: str) -> Extract:
    """A one-month A&E extract: each organisation's measures, one line each from line 2."""
    day = dt.date(2025, 9, 1)
    obs = pl.DataFrame(
        [
            {"period": day, "org_code": code, "measure": m, "value": v}
            for code, ms in codes.items()
            for m, v in ms.items()
        ],
        schema={
            "period": pl.Date,
            "org_code": pl.String,
            "measure": pl.String,
            "value": pl.Float64,
        },
    )
    orgs = pl.DataFrame(
        [
            {"period": day, "org_code": c, "org_name": c, "parent_name": None, "rows": str(n)}
            for n, c in enumerate(codes, start=2)
        ],
        schema={
            "period": pl.Date,
            "org_code": pl.String,
            "org_name": pl.String,
            "parent_name": pl.String,
            "rows": pl.String,
        },
    )
    return Extract(name, "ae_monthly_csv", "ae", "0" * 64, obs, orgs)


@pytest.mark.parametrize("bits", [MASK_BITS, 0], ids=["mask", "counted"])
def test_an_organisation_with_part_of_a_formula_is_not_named(
    bits: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """England adds up only organisations with the whole formula (compute.py drops the
    rest), so the provenance of England's figure does not name the others' rows: whether a
    month is whole is found from the measures' bits, or (a formula of more measures than a
    mask holds: here every formula) by counting them."""
    monkeypatch.setattr(provenance_query, "MASK_BITS", bits)
    catalogue = api.catalogue(None)
    ind = catalogue.indicator("ae_4hr_all_pct")
    measures = ind.numerator.measures() + (ind.denominator.measures() if ind.denominator else ())
    whole = dict.fromkeys(measures, 10.0)
    part = dict.fromkeys(ind.denominator.measures(), 10.0) if ind.denominator else {}
    ex = _extract({"AA1": whole, "BB2": part, "CC3": whole}, "Monthly-AE-September-2025.csv")
    with Store.open(None) as store:
        store.ingest([ex])
        span = Span(ind, "ENG", SEPTEMBER, SEPTEMBER)
        (ref,) = trace(store, [span])[span]
    assert ref.rows == "2,4" and ref.months == (SEPTEMBER,)


def test_the_mask_and_the_count_trace_every_sample_card_alike(
    sample: Store, cards: dict[str, Scorecard], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every figure's files and rows, and every series' files, of the sample's cards (a
    trust, an ICB, England, an ambulance region and the boards) are the same whether a
    month's whole formula is found by its measures' bits or by counting them."""
    built = list(cards.values())
    masked = cards_provenance(sample, built)
    monkeypatch.setattr(provenance_query, "MASK_BITS", 0)
    counted = cards_provenance(sample, built)
    assert masked == counted
    assert sum(len(refs) for card, _ in masked for refs in card.values()) > 100
    assert all(files for _, files in masked)


STAGES = {"ALL STAGES": "cwt_31d_combined_pct", "First Treatment": "cwt_31d_first_pct"}


def test_a_sections_figure_names_its_own_row_not_the_commissioners_others() -> None:
    """A commissioner has a row per treatment stage; each stage's figure names its own."""
    path = ROOT / "data" / "cwt" / "CWT-Commissioner-2025-07_31-DAY-ALL-CANCER.csv"
    lines = {
        (r[0], r[2]): n
        for n, r in enumerate(csv.reader(io.StringIO(path.read_text("utf-8"))), start=1)
        if n > 1 and r[0]  # not the national row (no ODS code)
    }
    catalogue = api.catalogue(None)
    month = Month(2025, 7)
    with Store.open(None) as store:
        store.ingest(read_extracts(path))
        spans = {
            (org, stage): Span(catalogue.indicator(ind), org, month, month)
            for org, stage in lines
            for s, ind in STAGES.items()
            if s == stage
        }
        traced = trace(store, spans.values())
    assert len(spans) >= 4
    for key, span in spans.items():
        (ref,) = traced[span]
        assert ref.rows == str(lines[key]), key


def test_a_workbook_figure_names_its_sheet_row(tmp_path: Path) -> None:
    """Rows are the sheet's own: the title block and blank rows above the header count."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    book = tmp_path / "board-returns.xlsx"
    header, *body = list(csv.reader(io.StringIO(LOCAL.read_text("utf-8"))))[:40]
    with xlsxwriter.Workbook(book) as wb:
        sheet = wb.add_worksheet("Safe")
        sheet.write(0, 0, "Northgate local measures")
        sheet.write(1, 0, "Returned monthly")
        top = 4  # rows 3 and 4 left blank; the header is sheet row 5
        for r, values in enumerate([header, *body]):
            for c, value in enumerate(values):
                sheet.write_string(top + r, c, value)
    want: dict[tuple[str, str, Month], int] = {}  # sheet rows: the header at top + 1
    for i, line in enumerate(body):
        month, form = parse_period(line[2]) or (None, None)
        if month is not None and (form == "month" or line[0] == "cancelled_ops_not_rebooked"):
            want[(line[0], line[1], month)] = top + 2 + i  # not a window's own figure (VTE's)
    (extract,) = read_extracts(book)
    with Store.open(None) as store:
        store.ingest([extract])
        catalogue = api.catalogue(None)
        spans = {
            key: Span(catalogue.indicator(key[0]), key[1], key[2], key[2])
            for key in want
            if key[0] in catalogue.indicators
        }
        traced = trace(store, spans.values())
    assert spans
    for key, span in spans.items():
        (ref,) = traced[span]
        assert ref.file == "board-returns.xlsx [Safe]" and ref.rows == str(want[key]), key


def test_source_notes_name_a_workbook_once_with_its_sheets() -> None:
    refs = [
        SourceRef("CWT.xlsx [31-DAY]", "a" * 64, "", "cancer", (Month(2024, 7),)),
        SourceRef("CWT.xlsx [62-DAY]", "a" * 64, "", "cancer", (Month(2024, 7),)),
        SourceRef("Other.csv", "b" * 64, "", "cancer", (Month(2024, 8),)),
    ]
    (line, provenance) = source_lines(refs, {"thresholds.toml": "c" * 64})
    assert line.count("CWT.xlsx") == 1 and "CWT.xlsx (sheets 31-DAY; 62-DAY) [aaaaaaaa]" in line
    assert "Jul 2024 to Aug 2024" in line and "Other.csv [bbbbbbbb]" in line
    assert provenance.startswith("Provenance:")
    assert source_lines([], {"thresholds.toml": "c" * 64}) == []


def test_the_manifest_lists_what_the_card_read_each_file_once(tmp_path: Path) -> None:
    db, out = tmp_path / "s.duckdb", tmp_path / "out"
    files = [*sorted((ROOT / "data" / "ae").glob("*.csv")), *(ROOT / "data" / "ambsys").glob("*")]
    for args in (
        ["ingest", *map(str, files), str(ROOT / "data" / "orgs" / "System-Mapping.csv")],
        ["build", "--org", "ZA1", "--period", "2025-09", "--out", str(out)],
    ):
        result = runner.invoke(app, [*args, "--db", str(db)])
        assert result.exit_code == 0, result.output
    manifest = json.loads((out / "scorecard-ZA1-2025-09.manifest.json").read_text())
    inputs = manifest["inputs"]
    assert len({(i["file"], i["sha256"]) for i in inputs}) == len(inputs)
    assert all(i["dataset"] == "ae" and i["format"] for i in inputs)  # no AmbSYS
    cited = {i["file"] for i in inputs if i["cited"]}
    page = (out / "scorecard-ZA1-2025-09.html").read_text(encoding="utf-8")
    assert cited and all(f in page for f in cited)
    # Last year's files are read for the trend and SPC series, not cited as a figure's.
    history = [i for i in inputs if not i["cited"]]
    assert history and all(max(i["periods"]) < "2025-04" for i in history)
    assert not any(i["file"] in page for i in history)
    table = pl.read_csv(out / "scorecard-ZA1-2025-09.csv", infer_schema=False)
    shown = {f for files in table["source_files"].drop_nulls() for f in files.split("; ")}
    assert shown == cited


REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")
def test_real_files_each_card_cites_the_files_of_its_rows(tmp_path: Path) -> None:
    """The provider-level A&E sheets for 2025/26 beside an AmbSYS sample for April 2026 and
    an RTT completed-pathways sheet: a trust's card cites the A&E sheets of its figures,
    never the AmbSYS or RTT file, at the default month and at March 2026."""
    sheets = sorted((REAL / "ae" / "provider_level_sheet").glob("*-AE.csv"))
    others = [
        REAL / "ae" / "provider_level_sheet" / "System-Mapping.csv",
        REAL / "ambsys" / "AmbSYS_sample_2026-04_current_layout.csv",
        REAL / "rtt" / "RTT-NonAdmitted-Provider-2025-09.csv",
    ]
    db = tmp_path / "real.duckdb"
    api.ingest([*sheets, *others], db)
    catalogue = api.catalogue(None)
    with Store.open(db, read_only=True) as store:
        for org in ("RRF", "ENG"):
            for period in (None, Month(2026, 3)):
                card = scorecard_for(store, catalogue, org, period)
                assert_cites_exactly_its_rows(card)
                notes = " ".join(_source_notes(card))
                # The 18-week % retired in 2015: no row shows it; the non-admitted 52-week
                # count is monitored (no standard), so its row cites the RTT sheet.
                rtt = {r.indicator.id for r in card.rows if r.indicator.family == "rtt"}
                assert rtt <= {"rtt_nonadmitted_52wk_count"}
                assert ("RTT" in notes) is bool(rtt)
                assert all(s.name in notes for s in sheets)  # the year to date's months
                # England has AmbSYS rows (April 2026), a trust none.
                assert ("AmbSYS" in notes) is (org == "ENG" and period is None)
        month = Month(2026, 3)
        card = scorecard_for(store, catalogue, "RRF", month)
        for row in card.rows:
            refs = card.provenance[(row.indicator.id, "RRF", Window.MONTH)]
            if row.indicator.family == "rtt":  # its latest month, September 2025
                assert [r.file for r in refs] == ["RTT-NonAdmitted-Provider-2025-09.csv"]
                continue
            assert [r.file for r in refs] == ["March-2026-AE.csv"] and "," not in refs[0].rows
