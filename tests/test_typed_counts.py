"""Counts read as numbers (read_table's `typed`) never accept what the text checks refuse.

The RTT Full CSV's 108 count columns are read straight to numbers when every cell of them
is a plain whole number or blank; otherwise as text, checked cell by cell by the layout's
pandera schema. The quick way must be exactly as strict and give exactly the same figures:
- a cell read as a number is one the text checks accept, with the same value;
- a file's extract (figures, rows, warnings) or its error message is the same either way,
  for cells spoiled with everything a count cell might hold.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.errors import SourceError
from scorecard.sources import rtt_full, text
from scorecard.sources.base import Extract
from scorecard.sources.text import COUNT_PATTERN, read_table

SAMPLE = sorted((Path(__file__).resolve().parents[1] / "data" / "rtt").glob("*full-extract.csv"))
CELL = st.text(alphabet='0123456789 +-,.*\t"x_e', max_size=6)
# What a count cell might hold in a spoiled or hand-edited file.
SPOILS = ("+3", " 3", "3 ", "\t3", "", "  ", '" "', "1,234", "12,34", "-", "*", ".", "-0",
          "3.0", "1e3", "x", "007", "99999999999999999999999", "٣", "\u00a03",
          "4294967295", "4294967296", "18446744073709551616")  # fmt: skip


def _one_cell(cell: str) -> bytes:
    text = cell if '"' not in cell else '"' + cell.replace('"', '""') + '"'
    return f"name,count\nA,{text}\n".encode()


@settings(max_examples=300, deadline=None, derandomize=True)
@given(CELL)
def test_a_cell_read_as_a_number_is_one_the_text_checks_accept(cell: str) -> None:
    data = _one_cell(cell)
    try:
        _, typed = read_table("t.csv", data, counts=["count"], typed=True)
    except SourceError:
        return  # not a readable table either way (an unbalanced quote)
    _, text = read_table("t.csv", data, counts=["count"], typed=False)
    if typed.schema["c1"] != pl.UInt32:
        return  # read as text: the layout's checks decide
    number, written = typed["c1"][0], text["c1"][0]
    if number is None:
        assert written is None, (cell, written)
    else:
        assert written is not None and COUNT_PATTERN.match(written), (cell, written)
        assert float(written.replace(",", "")) == number, (cell, written, number)


def _parse(data: bytes, *, typed: bool, monkeypatch: pytest.MonkeyPatch) -> Extract | str:
    """The extract, or the error's message; `typed=False` reads every count as text."""
    with monkeypatch.context() as patch:
        if not typed:
            patch.setattr(rtt_full, "passes", lambda *_: False)
        try:
            return rtt_full.RttFullCsv().parse("rtt.csv", data, None)
        except SourceError as exc:
            return str(exc)


def _same(a: Extract | str, b: Extract | str) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    frames = ("observations", "orgs", "breakdowns")
    return a.warnings == b.warnings and all(getattr(a, f).equals(getattr(b, f)) for f in frames)


def _spoiled(lines: list[str], rng: random.Random) -> bytes:
    """A copy with a few count cells (columns from Gt 00 To 01 Weeks on) replaced."""
    header = lines[0].split(",")
    first = header.index(rtt_full.BANDS["b000"])
    rows = [line.split(",") for line in lines[1:]]
    for _ in range(rng.randint(1, 3)):
        row = rng.choice(rows)
        row[rng.randrange(first, len(header))] = rng.choice(SPOILS)
    body = [",".join(r) for r in rows]
    return ("\n".join([lines[0], *body]) + "\n").encode()


@pytest.mark.slow(seconds=4)
@pytest.mark.skipif(not SAMPLE, reason="the bundled sample's RTT Full CSV files are absent")
def test_a_file_reads_the_same_with_counts_read_either_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lines = SAMPLE[0].read_text("utf-8").splitlines()
    clean = SAMPLE[0].read_bytes()
    quick = _parse(clean, typed=True, monkeypatch=monkeypatch)
    assert isinstance(quick, Extract)
    assert _same(quick, _parse(clean, typed=False, monkeypatch=monkeypatch))
    rng = random.Random(17)
    outcomes = set()
    for _ in range(12):
        data = _spoiled(lines, rng)
        a = _parse(data, typed=True, monkeypatch=monkeypatch)
        b = _parse(data, typed=False, monkeypatch=monkeypatch)
        assert _same(a, b), (a, b)
        outcomes.add(type(a).__name__)
    assert outcomes == {"Extract", "str"}  # both kinds were tried


@pytest.mark.parametrize("typed", [True, False])
def test_empty_rows_go_and_rows_with_an_empty_first_cell_stay(typed: bool) -> None:
    """All-empty rows (spacers) carry nothing, whichever column is read as numbers."""
    data = b"count,name,other\n1,a,x\n,,\n , ,\n,b,\n\n2,c,y\n"
    _, body = read_table("t.csv", data, counts=["count"], typed=typed)
    assert body["c1"].to_list() == ["a", "b", "c"]
    assert body["_row"].to_list() == [2, 5, 7]
    assert body["c0"].to_list() == [1, None, 2] if typed else ["1", None, "2"]


NAMES = ("count", "name", "Other", "other ", "note")
CELLS = st.sampled_from(["", " ", "1", "x", '""'])


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.lists(st.sampled_from(NAMES), min_size=1, max_size=5),
    st.lists(st.lists(CELLS, min_size=5, max_size=5), max_size=6),
    st.sets(st.sampled_from(NAMES)),
    st.booleans(),
)
def test_reading_only_some_columns_keeps_the_same_rows_and_cells(
    header: list[str], rows: list[list[str]], only: set[str], typed: bool
) -> None:
    """`only` drops columns, never rows: a row with text only in a column not read (a blank
    first cell) is kept as a whole read keeps it, and the columns kept read the same."""
    width = len(header)
    data = "\n".join([",".join(header), *(",".join(r[:width]) for r in rows)]) + "\n"
    names, whole = read_table("t.csv", data.encode(), counts=["count"], typed=typed)
    _, some = read_table("t.csv", data.encode(), counts=["count"], typed=typed, only=only)
    wanted = {" ".join(n.split()).lower() for n in only}
    folded = [" ".join(n.split()).lower() for n in names]
    kept = [
        f"c{i}" for i, n in enumerate(folded) if i == 0 or (n in wanted and folded.count(n) == 1)
    ]
    assert some.columns == ["_row", *kept] or some.equals(whole), (some.columns, kept)
    assert some["_row"].to_list() == whole["_row"].to_list()
    assert some.select(*kept).equals(whole.select(*kept))


@pytest.mark.skipif(not SAMPLE, reason="the bundled sample's RTT Full CSV files are absent")
@pytest.mark.parametrize("extra", [2**32 - 1, 2**32, 2**40])
def test_a_count_too_big_to_read_as_a_number_is_read_exactly_as_text(extra: int) -> None:
    """Counts are read as 32-bit numbers when they all fit; one that does not sends the file
    down the text path, and its figure is still exact."""
    lines = SAMPLE[0].read_text("utf-8").splitlines()
    header = lines[0].split(",")
    at = {name: header.index(name) for name in ("RTT Part Type", "Treatment Function Code")}
    band, total = header.index(rtt_full.BANDS["b000"]), header.index("Total All")
    number = next(
        i
        for i, line in enumerate(lines[1:], start=1)
        if line.split(",")[at["RTT Part Type"]] == "Part_2"
        and line.split(",")[at["Treatment Function Code"]] == "C_999"
    )
    row = lines[number].split(",")
    org = row[header.index("Provider Org Code")]
    row[band] = str(int(row[band] or 0) + extra)
    row[total] = str(int(row[total]) + extra)
    spoiled = [*lines[:number], ",".join(row), *lines[number + 1 :]]

    def waiting(text: list[str]) -> float:
        ex = rtt_full.RttFullCsv().parse("rtt.csv", ("\n".join(text) + "\n").encode(), None)
        obs = ex.observations.filter(
            (pl.col("org_code") == org) & (pl.col("measure") == "rtt_incomplete_total")
        )
        return float(obs["value"].item())

    assert waiting(spoiled) == waiting(lines) + extra


SPELLINGS = st.sampled_from(["Period", "PERIOD", " period ", "Per iod", "per\tiod", "x", ""])
NAMES2 = st.sampled_from(["Org  Code", "ORG CODE", "org\tcode", "org", "code", "OrgCode"])


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.tuples(SPELLINGS, NAMES2), min_size=1, max_size=6))
def test_a_repeated_header_row_is_found_however_it_is_spelt(rows: list[tuple[str, str]]) -> None:
    """A row repeating the header, in any case or spacing, is refused, naming its line;
    every other row is read (the quick test on the first column finds no fewer rows than
    comparing every cell would)."""
    body = "\n".join(f'"{a}","{b}"' for a, b in rows)
    data = f"Period,Org Code\n{body}\n".encode()
    norm = [(" ".join(a.split()).lower(), " ".join(b.split()).lower()) for a, b in rows]
    repeats = [i + 2 for i, (a, b) in enumerate(norm) if (a, b) == ("period", "org code")]
    if repeats:
        with pytest.raises(SourceError, match=f"row {repeats[0]}: this row repeats the header"):
            read_table("t.csv", data)
    else:
        _, read = read_table("t.csv", data)
        assert read["_row"].to_list() == [i + 2 for i, r in enumerate(rows) if any(r)]


@pytest.mark.parametrize("count", ["count", "2024", ""])
def test_a_repeated_header_is_refused_whatever_the_count_column_is_named(count: str) -> None:
    data = f"name,code,{count}\nA,X,3\nname,code,{count}\nB,Y,4\n".encode()
    with pytest.raises(SourceError, match="repeats the header row"):
        read_table("t.csv", data, counts=[count], typed=True)


def _outcome(file: Path, data: bytes) -> object:
    try:
        header, body = read_table(file.name, data, counts=_counts(data), typed=True)
    except SourceError as exc:
        return str(exc)
    return header, body.rows()


def _counts(data: bytes) -> list[str]:
    """Every header cell but the first: a count column for read_table, where it can be."""
    return data.split(b"\n", 1)[0].decode("utf-8-sig").strip().split(",")[1:]


ONE_A_FAMILY = {p.parent.name: p for p in sorted(SAMPLE[0].parents[1].glob("*/*.csv"))}


@pytest.mark.parametrize("file", ONE_A_FAMILY.values(), ids=lambda p: p.name)
def test_skipping_the_repeated_header_search_never_changes_what_a_file_reads_as(
    file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The search is skipped when a column read as numbers is named with text in the header
    # (a repeat of the header row could not have been read so): every sample file, and the
    # file twice over, read the same with the search always made.
    once = file.read_bytes()
    for data in (once, once + once):
        quick = _outcome(file, data)
        with monkeypatch.context() as patch:
            patch.setattr(text, "_DIGITS", re.compile(r".*", re.DOTALL))  # never skipped
            assert _outcome(file, data) == quick
