"""The local-measures adapter, on small files written here in its layout.

Every expected figure is a hand sum of cells the test writes; every bad file must fail with one
line naming the file, the column, the row and what was expected.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import polars as pl
import pytest
from pandera.errors import SchemaError
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.errors import SourceError
from scorecard.periods import Month
from scorecard.sources import detect_format, read_extract, read_extracts
from scorecard.sources.base import Extract, ObservationSchema
from scorecard.sources.local_measures import HEADER, LocalMeasures
from scorecard.sources.local_periods import parse_period
from scorecard.store import Store

ROOT = Path(__file__).resolve().parents[1]
ORGS = ROOT / "data" / "orgs" / "System-Mapping.csv"
SCRIPT = "Agency spend & winter beds <script>alert(1)</script>"
runner = CliRunner()
Row = list[str]

GOOD: list[Row] = [
    ["mrsa_cases", "ZA1", "2025-04", "1", "", "", "", "Post-48h case; review held"],
    ["finance_surplus", "ZA1", "2025-04", "-1,250", "", "", "-500", SCRIPT],
    ["finance_surplus", "ZI1", "2025-04", "310.5", "", "", "0", ""],
    ["fft_ae_recommend", "za1", "Apr-25", "", "1,100", "1,300", "", ""],
    ["safeguarding_assured", "ZA1", "April 2025", "Yes", "", "", "", ""],
    ["safeguarding_assured", "ZA1", "2025-05", "no", "", "", "", "Training below 85%"],
    ["fft_ae_recommend", "ZA1", "2025-05", "", "950", "1,200", "", ""],
    ["fft_ae_recommend", "ZA1", "2025-06", "", "1,010", "1,190", "", ""],
]


def _text(rows: list[Row], header: tuple[str, ...] = HEADER) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([list(header), *rows])
    return out.getvalue()


def write(tmp_path: Path, rows: list[Row], name: str = "local.csv") -> Path:
    path = tmp_path / name
    path.write_text(_text(rows), encoding="utf-8")
    return path


def parse(rows: list[Row], name: str = "local.csv") -> Extract:
    return LocalMeasures().parse(name, _text(rows).encode(), None)


def figures(ex: Extract) -> dict[tuple[str, str, str], float]:
    return {(Month.from_date(p).iso(), org, m): v for p, org, m, v in ex.observations.iter_rows()}


def fails(rows: list[Row]) -> SourceError:
    with pytest.raises(SourceError) as info:
        parse(rows)
    err = info.value
    assert "\n" not in str(err) and str(err).startswith("local.csv, ")
    return err


# ---------------------------------------------------------------- reading


def test_figures_are_stored_as_measures_named_after_the_indicator() -> None:
    ex = parse(GOOD)
    assert (ex.format, ex.dataset, ex.basis, ex.scope) == (
        "local_measures",
        "local",
        "provider",
        "local",
    )
    got = figures(ex)
    assert got[("2025-04", "ZA1", "mrsa_cases_value")] == 1
    assert ("2025-04", "ZA1", "mrsa_cases_plan") not in got  # no plan given
    assert got[("2025-04", "ZA1", "finance_surplus_value")] == -1250  # a deficit
    assert got[("2025-04", "ZA1", "finance_surplus_plan")] == -500
    assert got[("2025-04", "ZI1", "finance_surplus_value")] == 310.5
    assert got[("2025-04", "ZI1", "finance_surplus_plan")] == 0
    assert got[("2025-04", "ZA1", "fft_ae_recommend_numerator")] == 1100  # org upper-cased
    assert got[("2025-04", "ZA1", "fft_ae_recommend_denominator")] == 1300
    assert got[("2025-04", "ZA1", "safeguarding_assured_value")] == 1  # Yes
    assert got[("2025-05", "ZA1", "safeguarding_assured_value")] == 0  # no
    assert len(got) == 13


def test_organisations_are_named_by_their_code() -> None:
    orgs = parse(GOOD).orgs
    assert orgs.filter(pl.col("org_code") == "ZI1").row(0, named=True)["org_name"] == "ZI1"
    assert orgs["parent_name"].is_null().all()


def test_comments_are_kept_verbatim() -> None:
    comments = parse(GOOD).comments
    assert comments is not None
    assert comments.columns == ["period", "org_code", "indicator_id", "comment"]
    assert comments["comment"].to_list() == [  # by month, organisation and indicator
        SCRIPT,
        "Post-48h case; review held",
        "Training below 85%",
    ]


@pytest.mark.parametrize(
    "text", ["2025-04", "2025-04-01", "Apr-25", "Apr 2025", "April 2025", "APRIL-2025", "apr 25"]
)
def test_period_forms(text: str) -> None:
    assert parse_period(text) == (Month(2025, 4), "month")


@pytest.mark.parametrize(
    "text", ["2025-4", "2025-13", "2025-04-15", "04/2025", "Sept 25", "Q1 2025/27", "202504"]
)
def test_periods_not_guessed_at(text: str) -> None:
    assert parse_period(text) is None


def test_empty_lines_are_ignored() -> None:
    text = _text(GOOD[:2]).replace("\n", "\n\n", 1) + "\n,,,,,,,\n"
    ex = LocalMeasures().parse("local.csv", text.encode(), None)
    assert ex.observations.height == 3


def test_indicator_ids_are_not_checked_against_the_catalogue() -> None:
    ex = parse([["no_such_indicator", "ZA1", "2025-04", "3", "", "", "", ""]])
    assert figures(ex) == {("2025-04", "ZA1", "no_such_indicator_value"): 3}


def test_the_layout_is_recognised_by_its_header() -> None:
    assert detect_format("any-name.csv", _text(GOOD).encode()).name == "local_measures"
    assert LocalMeasures().match([h.upper() for h in reversed(HEADER)]) == 1.0
    assert LocalMeasures().match(["Indicator", "Org Code", "Value"]) < 0.5


def test_nhs_england_adapters_still_refuse_negative_values() -> None:
    obs = parse(GOOD).observations
    with pytest.raises(SchemaError, match="greater_than_or_equal_to"):
        ObservationSchema.validate(obs)


# ---------------------------------------------------------------- refusals


def _row(**cells: str) -> Row:
    base = dict(zip(HEADER, ["mrsa_cases", "ZA1", "2025-05", "", "", "", "", ""], strict=True))
    base.update({k.replace("_", " "): v for k, v in cells.items()})
    return [base[h] for h in HEADER]


@pytest.mark.parametrize(
    ("row", "column", "expected"),
    [
        (_row(Value="1", Numerator="2", Denominator="3"), "Value", "not both, got '1'"),
        (_row(Value="1", Numerator="2"), "Value", "not both"),
        (_row(), "Value", "expected a Value, or a Numerator and Denominator"),
        (_row(Numerator="2"), "Denominator", "expected a Denominator: the row gives a Numerator"),
        (_row(Denominator="2"), "Numerator", "expected a Numerator: the row gives a Denominator"),
        (_row(Numerator="2", Denominator="0"), "Denominator", "above 0, got '0'"),
        (_row(Period="2025-13", Value="1"), "Period", "expected a month as YYYY-MM"),
        (_row(Period="2025 Q1", Value="1"), "Period", "got '2025 Q1'"),
        (_row(Period="", Value="1"), "Period", "expected a value, got an empty cell"),
        (_row(Value="12x"), "Value", "expected a number (like -1,234.5) or Yes/No, got '12x'"),
        (_row(Value="1,2"), "Value", "got '1,2'"),
        (_row(Value="Maybe"), "Value", "or Yes/No, got 'Maybe'"),
        (_row(Value="£1,200"), "Value", "without a £ or % sign, got '£1,200'"),
        (_row(Value="85%"), "Value", "without a £ or % sign, got '85%'"),
        (_row(Value="1", Plan="£5"), "Plan", "without a £ or % sign"),
        (_row(Value="1", Plan="five"), "Plan", "expected a number (like -1,234.5), got 'five'"),
        (_row(Numerator="-2", Denominator="3"), "Numerator", "not negative, got '-2'"),
        (_row(Numerator="2", Denominator="Yes"), "Denominator", "not negative, got 'Yes'"),
        (_row(Indicator="MRSA Cases", Value="1"), "Indicator", "expected an id like mrsa_cases"),
        (_row(Org_Code="Z", Value="1"), "Org Code", "expected an ODS code, got 'Z'"),
    ],
)
def test_bad_rows_are_refused_naming_column_and_row(row: Row, column: str, expected: str) -> None:
    err = fails([GOOD[0], row])
    assert (err.column, err.row) == (column, 3), str(err)
    assert expected in str(err)


@pytest.mark.parametrize(
    "repeat",
    [
        ["mrsa_cases", "ZA1", "2025-04", "0", "", "", "", ""],
        ["mrsa_cases", "za1", "Apr-25", "0", "", "", "", ""],  # the same month, spelt otherwise
    ],
)
def test_a_repeated_indicator_org_and_month_is_refused(repeat: Row) -> None:
    err = fails([GOOD[0], GOOD[1], repeat])
    assert (err.column, err.row) == ("Period", 4)
    assert "duplicate row" in str(err)


def test_an_indicator_is_given_one_way_on_every_row() -> None:
    err = fails([GOOD[3], ["fft_ae_recommend", "ZA1", "2025-05", "84.6", "", "", "", ""]])
    assert (err.column, err.row) == ("Value", 3)
    assert "expected a Numerator and Denominator, as on row 2 for fft_ae_recommend" in str(err)
    err = fails([GOOD[4], ["safeguarding_assured", "ZA1", "2025-05", "1", "", "", "", ""]])
    assert "expected Yes or No in Value, as on row 2" in str(err)


def test_every_problem_is_counted() -> None:
    err = fails([_row(Value="£1"), _row(Period="2025-06"), _row(Period="2025-07", Value="x")])
    assert err.row == 2 and err.more == 2
    assert str(err).endswith("(and 2 more problems)")


def test_a_missing_column_and_an_empty_file_are_refused() -> None:
    with pytest.raises(SourceError, match=r"column 'Plan', row 1: missing column"):
        LocalMeasures().parse("local.csv", _text([], HEADER[:6] + HEADER[7:]).encode(), None)
    with pytest.raises(SourceError, match=r"row 2: no rows below the header"):
        LocalMeasures().parse("local.csv", _text([]).encode(), None)


# ---------------------------------------------------------------- in the store


def test_comments_are_stored_and_returned(tmp_path: Path) -> None:
    with Store.open(None) as store:
        store.ingest([read_extract(write(tmp_path, GOOD))])
        said = store.comments("ZA1", Month(2025, 4), Month(2025, 5))
        assert said.rows() == [
            (Month(2025, 4).first_day(), "finance_surplus", SCRIPT),  # verbatim, unescaped
            (Month(2025, 4).first_day(), "mrsa_cases", "Post-48h case; review held"),
            (Month(2025, 5).first_day(), "safeguarding_assured", "Training below 85%"),
        ]
        assert store.comments("ZI1", Month(2025, 4), Month(2025, 5)).height == 0


def test_files_are_scoped_by_name_so_two_files_of_a_month_sit_side_by_side(
    tmp_path: Path,
) -> None:
    infections = write(tmp_path, GOOD[:1], "infections.csv")
    finance = write(tmp_path, GOOD[1:3], "finance.csv")
    with Store.open(None) as store:
        store.ingest([read_extract(infections), read_extract(finance)])
        assert {(ld.file, ld.period.iso()) for ld in store.active_loads()} == {
            ("infections.csv", "2025-04"),
            ("finance.csv", "2025-04"),
        }
        corrected = write(tmp_path, [[*GOOD[1][:3], "-1,300", *GOOD[1][4:]]], "finance.csv")
        [result] = store.ingest([read_extract(corrected)])
        assert result.action == "replaced" and result.replaced_file == "finance.csv"
        measures = store.con.sql("SELECT measure FROM current_observations ORDER BY 1").fetchall()
        assert [m for (m,) in measures] == [
            "finance_surplus_plan", "finance_surplus_value", "mrsa_cases_value"
        ]  # fmt: skip
        # The same figure in a file of another name: a later version (v2 in its name) is
        # used in its place, and the first is kept.
        again = write(tmp_path, [[*GOOD[0][:3], "7", *GOOD[0][4:]]], "infections-v2.csv")
        [result] = store.ingest([read_extract(again)])
        assert (result.action, result.replaced_file) == ("replaced", "infections.csv")
        assert any("1 figure differs from infections.csv" in w for w in result.warnings)
        used = store.con.sql(
            "SELECT value FROM current_observations WHERE measure = 'mrsa_cases_value'"
        ).fetchall()
        assert used == [(7.0,)]


def test_values_are_numerator_over_denominator_hand_sums(tmp_path: Path) -> None:
    db = tmp_path / "local.duckdb"
    ingest = runner.invoke(app, ["ingest", str(write(tmp_path, GOOD)), str(ORGS), "--db", str(db)])
    assert ingest.exit_code == 0, ingest.output
    args = ["values", "--db", str(db), "--indicator", "fft_ae_recommend", "--org", "ZA1"]
    month = list(csv.DictReader(io.StringIO(runner.invoke(app, args).stdout)))
    assert [(r["period"], r["numerator"], r["denominator"]) for r in month] == [
        ("2025-04", "1100", "1300"),
        ("2025-05", "950", "1200"),
        ("2025-06", "1010", "1190"),
    ]
    for r in month:
        assert float(r["value"]) == pytest.approx(
            100 * float(r["numerator"]) / float(r["denominator"])
        )
    quarter = runner.invoke(app, [*args, "--period", "2025-06", "--window", "quarter"])
    [q] = list(csv.DictReader(io.StringIO(quarter.stdout)))
    assert (float(q["numerator"]), float(q["denominator"])) == (
        1100 + 950 + 1010,
        1300 + 1200 + 1190,
    )
    assert float(q["value"]) == pytest.approx(100 * 3060 / 3690)


def test_a_bad_file_fails_the_ingest_with_one_line(tmp_path: Path) -> None:
    bad = write(tmp_path, [GOOD[0], _row(Value="85%")])
    result = runner.invoke(app, ["ingest", str(bad), "--db", str(tmp_path / "s.duckdb")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "error: local.csv, column 'Value', row 3: expected a plain number, "
        "without a £ or % sign, got '85%'"
    ]


# ---------------------------------------------------------------- an .xlsx workbook


def _xlsx(path: Path, sheets: dict[str, list[list[str | float]]]) -> Path:
    """A minimal workbook of inline-text and number cells (python-calamine only reads)."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    n = range(1, len(sheets) + 1)

    def cell(r: int, c: int, v: str | float) -> str:
        ref = f"{chr(65 + c)}{r}"
        if isinstance(v, float):
            return f'<c r="{ref}"><v>{v!r}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(v)}</t></is></c>' if v else ""

    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                f'ContentType="{ct}.worksheet+xml"/>'
                for i in n
            )
            + "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
            f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook {ns} xmlns:r="{rel}"><sheets>'
            + "".join(
                f'<sheet name="{s}" sheetId="{i}" r:id="rId{i}"/>'
                for i, s in zip(n, sheets, strict=True)
            )
            + "</sheets></workbook>",
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{pkg}">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="{rel}/worksheet" '
                f'Target="worksheets/sheet{i}.xml"/>'
                for i in n
            )
            + "</Relationships>",
        )
        for i, rows in zip(n, sheets.values(), strict=True):
            body = "".join(
                f'<row r="{r}">{"".join(cell(r, c, v) for c, v in enumerate(row))}</row>'
                for r, row in enumerate(rows, start=1)
            )
            z.writestr(
                f"xl/worksheets/sheet{i}.xml",
                f"<worksheet {ns}><sheetData>{body}</sheetData></worksheet>",
            )
    return path


TITLE: list[str | float] = ["Local measures, board return"]


def test_an_xlsx_workbook_is_read_sheet_by_sheet(tmp_path: Path) -> None:
    book = _xlsx(
        tmp_path / "board.xlsx",
        {
            "Notes": [["Filled in by the performance team"]],
            "Infections": [TITLE, [], list(HEADER), ["mrsa_cases", "ZA1", "2025-04-01", 1.0]],
            "Finance": [
                TITLE,
                list(HEADER),
                ["safeguarding_assured", "ZA1", "Apr-25", "Yes"],
                ["finance_surplus", "ZA1", "2025-04", -1250.0, "", "", -500.0, SCRIPT],
            ],
        },
    )
    skipped: list[str] = []
    extracts = read_extracts(book, None, skipped)
    assert skipped == ["board.xlsx, sheet Notes: no known layout, skipped"]
    assert [(e.file, e.scope) for e in extracts] == [
        ("board.xlsx [Infections]", "board [Infections]"),
        ("board.xlsx [Finance]", "board [Finance]"),
    ]
    assert figures(extracts[1]) == {
        ("2025-04", "ZA1", "finance_surplus_plan"): -500,
        ("2025-04", "ZA1", "finance_surplus_value"): -1250,
        ("2025-04", "ZA1", "safeguarding_assured_value"): 1,
    }
    with Store.open(None) as store:  # the two sheets of one month sit side by side
        assert [r.action for r in store.ingest(extracts)] == ["stored", "stored"]
        assert store.comments("ZA1", Month(2025, 4), Month(2025, 4))["comment"].to_list() == [
            SCRIPT
        ]


def test_an_xlsx_error_names_the_sheet_and_its_row(tmp_path: Path) -> None:
    book = _xlsx(
        tmp_path / "board.xlsx",
        {"Finance": [TITLE, [], list(HEADER), ["finance_surplus", "ZA1", "2025-04", "£1,250"]]},
    )
    with pytest.raises(SourceError) as info:
        read_extracts(book)
    assert str(info.value).startswith("board.xlsx [Finance], column 'Value', row 4: ")


def test_an_xlsx_sheet_ending_in_a_yes_no_row_keeps_it(tmp_path: Path) -> None:
    book = _xlsx(
        tmp_path / "board.xlsx",
        {
            "Board": [
                list(HEADER),
                ["mrsa_cases", "ZA1", "2025-04", 0.0],
                ["safeguarding_assured", "ZA1", "Apr-25", "No"],
            ]
        },
    )
    [extract] = read_extracts(book)
    assert extract.observations.height == 2
