"""Write the bundled sample's analyst commentary: a SYNTHETIC commentary file.

Nothing here is NHS data: the organisations (ZA1 Northgate Hospitals NHS Foundation Trust,
ZI1 its fictional ICB) and every word are invented. The file has the layout scorecard reads
for commentary (`Indicator,Org Code,Period,Commentary`, one row per indicator, organisation
and month) and shows what the exception report does with it: limited Markdown (**bold**,
*italic*, `- ` bullets, line breaks) rendered, everything else escaped, including a
deliberate `<script>` that must appear as text. Each comment is keyed to the month its row
shows (cancer lags A&E by two months, so its comment is for July).

The output is deterministic (fixed text, UTF-8, LF line ends).

Usage: ``python data/generate_commentary.py [--out DIR]`` (default: ``data/commentary/``).
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

HEADER = ("Indicator", "Org Code", "Period", "Commentary")
COMMENTS: tuple[tuple[str, str, str, str], ...] = (
    (
        "ae_4hr_all_pct",
        "ZA1",
        "2025-09",
        "Four-hour performance fell to **79.9%** as attendances rose after the school holidays.\n"
        "- Same-day emergency care extended to 10pm from 1 September\n"
        "- Second triage nurse rostered at weekends",
    ),
    (
        "cwt_62d_combined_pct",
        "ZI1",
        "2025-07",
        "62-day performance is *below the 75% plan*. Urology and lower GI pathways account "
        "for most breaches; the ICB's cancer alliance recovery plan is on the October agenda.",
    ),
    (
        "fft_ae_recommend",
        "ZA1",
        "2025-09",
        "Fewer patients would recommend A&E in long-wait months. Free-text themes: waiting "
        "times & communication. Note for testers: <script>alert(1)</script> is shown as text.",
    ),
    (
        "elective_activity",
        "ZI1",
        "2025-09",
        "Activity is 1.8% under plan after theatre ventilation works at Northgate; "
        "recovery expected by November.",
    ),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = Path(__file__).resolve().parent
    parser.add_argument("--out", type=Path, default=here / "commentary")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "commentary-2025-09.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(COMMENTS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
