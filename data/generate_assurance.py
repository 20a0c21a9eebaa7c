"""Write the bundled sample's provider assurance answers: a SYNTHETIC local-measures file.

Nothing here is NHS data: the organisations (data/orgs/) and every answer are invented. The
file is in the tool's own local-measures layout (scorecard/sources/local_measures.py), one
row per question, organisation and month, April 2024 to September 2025, for the North West
system's three providers: ``ZA1`` (Northgate Hospitals), ``ZE5`` (Brightwater Community
Urgent Care) and ``ZR1`` (Northgate Ambulance Service). It feeds the sample trust board's
provider assurance matrix (scorecards/trust-board.toml):

* ``cqc_registered``, ``serious_incidents_reported``, ``safeguarding_compliance``:
  ``Yes``/``No`` (indicators/assurance.toml);
* ``never_events``: a count, any one of which is Red.

In September 2025 two cells are Red (``ZE5`` reported serious incidents late; ``ZR1`` had a
never event), each with a comment, one holding an ampersand and Markdown.

Deterministic: fixed answers, UTF-8, LF line ends; two runs write byte-identical files.

Usage: ``python data/generate_assurance.py [--out DIR]`` (default: ``data/assurance/``).
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

FIRST_MONTH = (2024, 4)
N_MONTHS = 18  # April 2024 to September 2025
FILE = "provider-assurance.csv"
HEADER = ("Indicator", "Org Code", "Period", "Value", "Numerator", "Denominator", "Plan", "Comment")
ORGS = ("ZA1", "ZE5", "ZR1")
QUESTIONS = (
    "cqc_registered", "serious_incidents_reported", "never_events", "safeguarding_compliance"
)  # fmt: skip
SEP = (2025, 9)
# The answers that are not the expected one: (indicator, org) -> months.
NO = {
    ("serious_incidents_reported", "ZE5"): ((2024, 12), SEP),
    ("serious_incidents_reported", "ZA1"): ((2025, 2),),
    ("cqc_registered", "ZE5"): ((2024, 6), (2024, 7)),
    ("safeguarding_compliance", "ZR1"): ((2025, 1),),
}
NEVER_EVENTS = {("ZA1", (2024, 10)): 1, ("ZR1", SEP): 1, ("ZA1", (2025, 5)): 1}
COMMENTS = {
    ("serious_incidents_reported", "ZE5", SEP): (
        "Two incidents were reported late (5 and 7 working days) during the move to the new "
        "incident reporting system & its training backlog."
    ),
    ("never_events", "ZR1", SEP): (
        "Wrong-route medication; the patient was unharmed. A **patient safety incident "
        "investigation** has been commissioned."
    ),
    ("cqc_registered", "ZE5", (2024, 6)): "Condition on the regulated activity at one site.",
}


def months() -> list[tuple[int, int]]:
    year, month = FIRST_MONTH
    out = []
    for _ in range(N_MONTHS):
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def rows() -> list[list[str]]:
    """Every row, month by month, in a fixed order."""
    out: list[list[str]] = []
    for when in months():
        period = f"{when[0]}-{when[1]:02d}"

        def add(
            indicator: str, org: str, value: str, when: tuple[int, int] = when, period: str = period
        ) -> None:
            comment = COMMENTS.get((indicator, org, when), "")
            out.append([indicator, org, period, value, "", "", "", comment])

        for question in QUESTIONS:
            for org in ORGS:
                if question == "never_events":
                    add(question, org, str(NEVER_EVENTS.get((org, when), 0)))
                else:
                    add(question, org, "No" if when in NO.get((question, org), ()) else "Yes")
    return out


def generate(out: Path) -> list[Path]:
    """Write the file into ``out``; return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / FILE
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows())
    return [path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the synthetic provider assurance file.")
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent / "assurance", help="folder"
    )
    args = parser.parse_args(argv)
    written = generate(args.out)
    print(f"wrote {len(written)} file to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
