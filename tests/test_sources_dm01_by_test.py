"""The DM01 "Provider by Test" layout: each provider's Total row is the whole, its test rows
the parts (diagnostic_test), and the file is refused in one line where they disagree."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from scorecard.dimensions import DIMENSIONS, diagnostics, find, label
from scorecard.errors import SourceError
from scorecard.sources import detect_format, read_extract
from scorecard.sources.dm01_by_test import Dm01ProviderByTestCsv

DATA = Path(__file__).resolve().parents[1] / "data" / "dm01"
SAMPLE = DATA / "DM01-ProviderByTest-2024-04.csv"
HEADER = SAMPLE.read_text().splitlines()[0]
LAYOUT = Dm01ProviderByTestCsv()
TRUST = "Y56,London Commissioning Region,ZB2,Rivermead University Hospitals NHS Trust"


def _row(lead: str, test_id: str, name: str, counts: list[int]) -> str:
    """A row: list, 6+, 13+ from 14 bands (`counts`), then planned, unscheduled, tests."""
    bands, activity = counts[:14], counts[14:]
    waiting, over6 = sum(bands), sum(bands[6:])
    pct = f"{over6 / waiting:.15g}" if over6 else "0"
    cells = [waiting, over6, bands[13], pct, *bands, *activity]
    return ",".join([lead, test_id, name, *map(str, cells)])


MRI = [10, 5, 5, 4, 3, 2, 2, 1, 1, 0, 0, 0, 0, 1, 7, 8, 30]
CT = [20, 6, 4, 2, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 3, 40, 50]
TOTAL = [a + b for a, b in zip(MRI, CT, strict=True)]


def _text(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _file(
    mri: str = "Magnetic Resonance Imaging", total: list[int] | None = None, extra: str = ""
) -> bytes:
    rows = [
        _row(",,,Total", "", "", total or TOTAL),
        _row(TRUST, "1", mri, MRI),
        _row(TRUST, "2", "Computed Tomography", CT),
        _row(TRUST, "16", "Total", total or TOTAL),
    ]
    return _text(*rows, *([extra] if extra else []))


def _parse(data: bytes, name: str = "DM01-ProviderByTest-2024-04.csv") -> object:
    return LAYOUT.parse(name, data, None)


def _refused(data: bytes) -> SourceError:
    with pytest.raises(SourceError) as info:
        LAYOUT.parse("DM01-ProviderByTest-2024-04.csv", data, None)
    return info.value


def test_total_row_is_the_whole_and_each_test_a_part() -> None:
    ex = LAYOUT.parse("DM01-ProviderByTest-2024-04.csv", _file(), None)
    assert (ex.format, ex.dataset, ex.scope) == ("dm01_provider_by_test_csv", "dm01", "by_test")
    whole = dict(ex.observations.select("measure", "value").iter_rows())
    assert whole["dm01_waiting_list"] == sum(TOTAL[:14]) == 69
    assert whole["dm01_waiting_6wk_plus"] == 6 and whole["dm01_waiting_13wk_plus"] == 1
    assert whole["dm01_activity_planned"] == 10 and whole["dm01_activity_waiting_list"] == 80
    assert ex.breakdowns is not None
    parts = {
        (m, b): v for m, b, v in ex.breakdowns.select("measure", "breakdown", "value").iter_rows()
    }
    assert parts[("dm01_waiting_list", "mri")] == 34 and parts[("dm01_waiting_list", "ct")] == 35
    assert parts[("dm01_activity_unscheduled", "ct")] == 40
    assert set(ex.breakdowns["dimension"]) == {"diagnostic_test"}
    assert ex.breakdowns.height == 2 * 6
    assert ex.orgs["rows"].to_list() == ["5"]  # the whole comes from the Total row


def test_detected_apart_from_the_provider_sheet() -> None:
    assert detect_format("x.csv", _file()).name == "dm01_provider_by_test_csv"
    provider = (DATA / "DM01-Provider-2024-04.csv").read_bytes()
    assert detect_format("x.csv", provider).name == "dm01_provider_csv"


def test_the_sample_reads_whole_and_parts() -> None:
    ex = read_extract(SAMPLE)
    assert ex.breakdowns is not None
    assert sorted(ex.orgs["org_code"]) == ["ZA1", "ZB2", "ZC3", "ZD4"]
    parts = ex.breakdowns.group_by("org_code", "measure").agg(pl.col("value").sum())
    joined = parts.join(ex.observations, on=["org_code", "measure"], suffix="_whole")
    assert joined.height == 24 and (joined["value"] == joined["value_whole"]).all()
    zd4 = ex.breakdowns.filter(pl.col("org_code") == "ZD4")
    assert sorted(set(zd4["breakdown"])) == ["ct", "mri", "ultrasound"]


def test_names_match_whatever_their_case_spacing_and_dashes() -> None:
    assert diagnostics.key("Urodynamics - pressures and flows") == "urodynamics"
    assert diagnostics.key(" NON-OBSTETRIC  ultrasound ") == "ultrasound"
    assert diagnostics.key("Cardiology \u2013 Echocardiography") == "echocardiography"
    assert diagnostics.key("MRI") == "mri" and diagnostics.key("mri") == "mri"
    assert diagnostics.key("Total") is None and diagnostics.is_total(" TOTAL ")
    assert diagnostics.key("Holter monitoring") is None
    assert len(set(diagnostics.IDS.values())) == 15 and diagnostics.TOTAL_ID == 16
    assert label("diagnostic_test", "mri") == "Magnetic Resonance Imaging"
    assert find(("diagnostic_test",), "computed tomography") == [("diagnostic_test", "ct")]
    assert set(DIMENSIONS["diagnostic_test"].labels) == set(diagnostics.LABELS)
    ex = LAYOUT.parse("DM01-ProviderByTest-2024-04.csv", _file("magnetic resonance imaging"), None)
    assert ex.breakdowns is not None and "mri" in set(ex.breakdowns["breakdown"])


def test_an_unknown_test_is_refused_naming_its_row() -> None:
    err = _refused(_file("Holter monitoring"))
    assert (err.row, err.column) == (3, "Diagnostic Test Name")
    assert err.more == 0  # the Total row is not also said not to add up
    line = err.one_line()
    assert "\n" not in line and "'Holter monitoring'" in line
    assert "expected one of the 15 DM01 diagnostic tests (Magnetic Resonance Imaging" in line


def test_tests_that_do_not_add_up_to_the_total_row_are_refused() -> None:
    total = [*TOTAL[:14], 11, 48, 80]  # planned: the tests add up to 10
    rows = [
        _row(",,,Total", "", "", total),
        _row(TRUST, "1", "Magnetic Resonance Imaging", MRI),
        _row(TRUST, "2", "Computed Tomography", CT),
        _row(TRUST, "16", "Total", total),
    ]
    err = _refused(_text(*rows))
    assert (err.row, err.column) == (5, "Planned tests / procedures")
    assert "expected the sum of provider ZB2's 2 test rows (10), got '11'" in err.one_line()


def test_a_provider_without_its_total_row_is_refused() -> None:
    rows = [
        _row(",,,Total", "", "", TOTAL),
        _row(TRUST, "1", "Magnetic Resonance Imaging", MRI),
        _row(TRUST, "2", "Computed Tomography", CT),
    ]
    err = _refused(_text(*rows))
    assert err.row == 4 and "provider ZB2 has test rows but no Total row" in err.problem


def test_england_row_must_add_up_the_providers_total_rows() -> None:
    rows = [
        _row(",,,Total", "", "", [*TOTAL[:16], 81]),
        _row(TRUST, "1", "Magnetic Resonance Imaging", MRI),
        _row(TRUST, "2", "Computed Tomography", CT),
        _row(TRUST, "16", "Total", TOTAL),
    ]
    err = _refused(_text(*rows))
    assert err.row == 2 and "the providers add up to 80" in err.problem


def test_without_an_england_row_or_with_two_it_is_refused() -> None:
    lines = _file().decode().splitlines()
    assert "no England Total row" in _refused(_text(*lines[2:])).problem
    assert "a second England Total row" in _refused(_text(*lines[1:], lines[1])).problem


def test_a_test_twice_for_one_provider_is_refused() -> None:
    err = _refused(_file(extra=_row(TRUST, "1", "MRI", MRI)))
    assert err.row == 6
    assert "the same Provider Code and diagnostic test appear twice" in err.one_line()


def test_each_row_keeps_the_sheets_own_sums() -> None:
    bad = _file().decode().replace(",34,5,1,", ",35,5,1,", 1)  # MRI's list: bands say 34
    err = _refused(bad.encode())
    assert (err.row, err.column) == (3, "Total Waiting List")


def test_a_suppressed_test_cell_leaves_that_part_out_and_is_said() -> None:
    lines = _file().decode().splitlines()
    cells = lines[2].split(",")
    cells[-3] = "-"  # MRI planned not published: the Total row cannot be checked on it
    ex = LAYOUT.parse("DM01-ProviderByTest-2024-04.csv", _text(*lines[1:2], ",".join(cells),
                      *lines[3:]), None)  # fmt: skip
    assert ex.breakdowns is not None
    mri = ex.breakdowns.filter(pl.col("breakdown") == "mri")
    assert "dm01_activity_planned" not in set(mri["measure"]) and mri.height == 5
    assert any("1 cell suppressed" in w for w in ex.warnings)


def test_the_month_comes_from_the_file_name_or_period() -> None:
    ex = LAYOUT.parse("DM01-ProviderByTest-2020-03.csv", _file(), None)
    assert str(ex.observations["period"][0]) == "2020-03-01"
    with pytest.raises(SourceError, match="--period"):
        LAYOUT.parse("by-test.csv", _file(), None)


def test_a_bad_cell_is_said_once_not_again_as_a_total_that_does_not_add_up() -> None:
    lines = _file().decode().splitlines()
    cells = lines[2].split(",")
    cells[-3] = "seven"
    err = _refused(_text(*lines[1:2], ",".join(cells), *lines[3:]))
    assert (err.row, err.column, err.more) == (3, "Planned tests / procedures", 0)
