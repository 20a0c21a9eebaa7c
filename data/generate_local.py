"""Write the project's bundled sample: a SYNTHETIC local-measures file.

Nothing here is NHS data. Local measures are the figures an organisation keeps itself, which
NHS England does not publish; the file is in the tool's own local-measures layout
(scorecard/sources/local_measures.py):

* the header ``Indicator,Org Code,Period,Value,Numerator,Denominator,Plan,Comment``;
* one row per indicator, organisation and month, April 2024 to September 2025, months as
  ``YYYY-MM``, for the fictional acute trust ``ZA1`` and its ICB ``ZI1`` (data/orgs/);
* ``mrsa_cases`` and ``cdiff_cases`` (counts; C. difficile with its monthly trajectory as
  Plan), ``fft_ae_recommend`` (Friends & Family Test, A&E: Numerator and Denominator),
  ``finance_surplus`` (in-month surplus or deficit in £000s, negative for a deficit, with its
  Plan, for ZA1 and ZI1), ``elective_activity`` (ZI1, with Plan) and ``safeguarding_assured``
  (``Yes``/``No``);
* numbers of 1,000 or more with thousands separators, and a Comment on a few rows, one of them
  holding ``<script>`` and an ampersand, so that outputs are seen to escape commentary;
* ``vte_risk_assessed_pct`` (ZA1): a percentage entered as a percentage, one decimal in
  ``Value`` (no Numerator or Denominator), each month; and, for the complete quarters of
  2024/25 and for 2025-Q1, the quarter's own figure as a quarter row (written ``Q1 2024/25``
  and ``2025-Q1``, both forms the file accepts), plus the year 2024/25's own figure
  (``2024/25``): the quarters and year the board shows are then those figures, not averages;
* ``cancelled_ops_not_rebooked`` (ZA1): a quarterly count, one row a quarter (``2024-Q1`` ...
  ``2025-Q2``), written after the quarter's last month's rows.

Deterministic: a fixed seed, so two runs write byte-identical files.

Usage: ``python data/generate_local.py [--out DIR]`` (default: ``data/local/``).
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

SEED = 20240404
FIRST_MONTH = (2024, 4)
N_MONTHS = 18  # April 2024 to September 2025
FILE = "local-measures.csv"
HEADER = ("Indicator", "Org Code", "Period", "Value", "Numerator", "Denominator", "Plan", "Comment")
TRUST, ICB = "ZA1", "ZI1"
MRSA_MONTHS = ((2024, 7), (2025, 2))  # the months with a case
NOT_ASSURED = ((2024, 11), (2025, 6))  # safeguarding answered No
ELECTIVE_SEASON = {4: 0.95, 8: 0.9, 12: 0.88}  # activity plan by calendar month, else 1.0
CANCELLED = (2, 0, 4, 1, 1, 0)  # not rebooked within 28 days, Q1 2024/25 to Q2 2025/26
COMMENTS = {
    ("mrsa_cases", TRUST, (2024, 7)): "Hospital-onset case on ward 7; post-infection review held",
    ("cdiff_cases", TRUST, (2024, 12)): "Above trajectory: two linked cases, ribotyping requested",
    ("finance_surplus", TRUST, (2025, 1)): (
        "Deficit driven by agency spend & winter escalation beds <script>alert(1)</script>"
    ),
    ("safeguarding_assured", TRUST, (2024, 11)): (
        "Level 3 training below 85%; recovery plan to the Quality Committee"
    ),
    ("elective_activity", ICB, (2025, 8)): "Two theatres closed for refurbishment, 3 weeks",
}


def months() -> list[tuple[int, int]]:
    year, month = FIRST_MONTH
    out = []
    for _ in range(N_MONTHS):
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def number(x: int) -> str:
    """`1,234`, `-1,250`, `12`: whole numbers with thousands separators."""
    return f"{x:,}"


def month_rows(
    t: int, when: tuple[int, int], rng: random.Random, extra: random.Random, vtes: list[float]
) -> list[list[str]]:
    """Every row of month ``t`` (0 = April 2024), in a fixed order."""
    year, month = when
    period = f"{year}-{month:02d}"
    second_year = t >= 12  # 2025/26
    rows: list[list[str]] = []

    def add(indicator: str, org: str, value: str = "", ratio: tuple[int, int] | None = None,
            plan: str = "") -> None:  # fmt: skip
        num, den = (number(ratio[0]), number(ratio[1])) if ratio else ("", "")
        comment = COMMENTS.get((indicator, org, when), "")
        rows.append([indicator, org, period, value, num, den, plan, comment])

    add("mrsa_cases", TRUST, str(int(when in MRSA_MONTHS)))
    cdiff = max(0, round(rng.gauss(5.5, 2.0))) + (3 if when == (2024, 12) else 0)
    add("cdiff_cases", TRUST, str(cdiff), plan=str(5 if second_year else 6))
    responses = round(rng.uniform(1050, 1400))
    share = 0.79 + 0.05 * t / (N_MONTHS - 1) + rng.uniform(-0.015, 0.015)
    add("fft_ae_recommend", TRUST, ratio=(round(responses * share), responses))
    # ZA1's deficit plan: -350 a month to September 2024, -150 to March, then improving by 50
    # a month from -200 in April 2025 to a small surplus.
    trust_plan = -200 + 50 * (t - 12) if second_year else (-350 if month in range(4, 10) else -150)
    add("finance_surplus", TRUST, number(trust_plan + round(rng.gauss(-40, 180))),
        plan=number(trust_plan))  # fmt: skip
    add("finance_surplus", ICB, number(round(rng.gauss(-250, 900))), plan="0")
    activity_plan = round(9800 * ELECTIVE_SEASON.get(month, 1.0)) + (150 if second_year else 0)
    activity = round(activity_plan * (1 + rng.gauss(0.005, 0.025)))
    add("elective_activity", ICB, number(activity), plan=number(activity_plan))
    add("safeguarding_assured", TRUST, "No" if when in NOT_ASSURED else "Yes")
    # Added later, from their own random stream so the figures above stay as they were.
    vtes.append(round(min(99.9, 94.0 + 2.0 * t / (N_MONTHS - 1) + extra.uniform(-1.2, 1.2)), 1))
    add("vte_risk_assessed_pct", TRUST, f"{vtes[-1]:.1f}")
    if month in (3, 6, 9, 12):  # the quarter ends: its own figures
        rows.extend(quarter_rows(t, when, extra, vtes))
    return rows


def quarter_rows(
    t: int, when: tuple[int, int], rng: random.Random, vtes: list[float]
) -> list[list[str]]:
    """After a quarter's last month: the quarterly count, and VTE's own quarter (and year)
    figure for the quarters of 2024/25 and the first of 2025/26: near the average of its
    months, as a published figure from counts would be, but not equal to it."""
    year, month = when
    fy = year if month >= 4 else year - 1
    quarter = ((month - 4) % 12) // 3 + 1
    iso, named = f"{fy}-Q{quarter}", f"Q{quarter} {fy}/{(fy + 1) % 100:02d}"
    rows = [["cancelled_ops_not_rebooked", TRUST, iso, str(CANCELLED[t // 3]), "", "", "", ""]]
    if fy == 2024 or (fy, quarter) == (2025, 1):
        own = sum(vtes[-3:]) / 3 + rng.uniform(-0.4, 0.4)
        period = named if quarter % 2 else iso  # both forms of a quarter
        rows.append(["vte_risk_assessed_pct", TRUST, period, f"{own:.1f}", "", "", "", ""])
    if (fy, quarter) == (2024, 4):
        year_figure = sum(vtes[-12:]) / 12 + rng.uniform(-0.3, 0.3)
        figure = f"{year_figure:.1f}"
        rows.append(["vte_risk_assessed_pct", TRUST, "2024/25", figure, "", "", "", ""])
    return rows


def generate(out: Path) -> list[Path]:
    """Write the file into ``out``; return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    rng, extra = random.Random(SEED), random.Random(SEED + 1)
    vtes: list[float] = []
    path = out / FILE
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        for t, when in enumerate(months()):
            writer.writerows(month_rows(t, when, rng, extra, vtes))
    return [path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the synthetic sample local-measures file.")
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent / "local", help="folder"
    )
    args = parser.parse_args(argv)
    written = generate(args.out)
    print(f"wrote {len(written)} file to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
