"""Write the sample trust board's own files: a SYNTHETIC risk register and domain narratives.

Nothing here is NHS data: Northgate Hospitals NHS Foundation Trust (``ZA1``), its risks,
owners and every word are invented. These are the board's configuration, kept beside its
definition (scorecards/trust-board.toml names them), not published figures:

* ``risks/2025-08.csv`` and ``risks/2025-09.csv``: the corporate risk register for August and
  September 2025, in the layout scorecard reads (``ID,Title,Domain,Owner,Likelihood,Impact,
  Target Likelihood,Target Impact,Controls,Actions,Review Date``; scorecard/risks/read.py).
  Between the two months one risk's score goes up (CR01), two go down (CR02, CR10), one is
  new (CR08) and one is closed (CR09); risks name the board's domains by their ids, and two
  are linked to none. Every band is used, and text holds an ampersand.
* ``narratives.csv``: each domain's self-assessment for August and September 2025
  (``Domain,Period,Narrative``; scorecard/narrative.py), with limited Markdown.

Deterministic: fixed text, UTF-8, LF line ends; two runs write byte-identical files.

Usage: ``python data/generate_board.py [--out DIR]`` (default: ``scorecards/trust-board/``).
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

RISK_HEADER = (
    "ID", "Title", "Domain", "Owner", "Likelihood", "Impact", "Target Likelihood",
    "Target Impact", "Controls", "Actions", "Review Date",
)  # fmt: skip
NARRATIVE_HEADER = ("Domain", "Period", "Narrative")
COO, CN, CFO = "Chief Operating Officer", "Chief Nurse", "Chief Finance Officer"
ESTATES = "Director of Estates & Facilities"
# id: (title, domain, owner, target likelihood, target impact, controls, actions)
RISKS: dict[str, tuple[str, str, str, int, int, str, str]] = {
    "CR01": (
        "Registered nurse staffing on medical wards below safe levels",
        "safe",
        CN,
        2,
        4,
        "Daily safe staffing huddle; e-rostering; bank and agency escalation",
        "International recruitment cohort starts November; retention scheme",
    ),
    "CR02": (
        "Four-hour A&E performance below the 78% operational standard",
        "responsive",
        COO,
        2,
        3,
        "Same-day emergency care; streaming at the front door",
        "Second triage nurse at weekends; SDEC open to 10pm",
    ),
    "CR03": (
        "Elective recovery behind the operating plan",
        "responsive",
        COO,
        2,
        3,
        "Weekly theatre utilisation review; validation of the waiting list",
        "Theatre ventilation works complete by October",
    ),
    "CR04": (
        "Financial plan deficit not delivered",
        "well-led",
        CFO,
        3,
        4,
        "Monthly grip and control panel; vacancy control",
        "Cost improvement schemes to the Finance Committee; agency cap",
    ),
    "CR05": (
        "Cyber attack disrupting clinical systems",
        "",
        "Chief Digital Officer",
        2,
        5,
        "Network segmentation; offline backups; phishing training",
        "Replace unsupported servers by March",
    ),
    "CR06": (
        "C. difficile cases above the annual threshold",
        "safe",
        "Director of Infection Prevention and Control",
        2,
        2,
        "Antimicrobial stewardship rounds; deep clean programme",
        "Ribotyping of linked cases; ward 7 decant",
    ),
    "CR07": (
        "Theatre ventilation backlog maintenance",
        "well-led",
        ESTATES,
        1,
        4,
        "Planned preventative maintenance; temporary air handling units",
        "Capital bid for replacement plant",
    ),
    "CR08": (
        "Winter escalation beds not staffed",
        "responsive",
        COO,
        3,
        3,
        "Winter plan agreed with the ICB; escalation triggers",
        "Recruit a winter bank pool; virtual ward expansion",
    ),
    "CR09": (
        "A&E Friends & Family Test below 85% recommending",
        "caring",
        CN,
        1,
        2,
        "Real-time patient feedback; volunteer wayfinding",
        "Refresh the waiting area",
    ),
    "CR10": (
        "Complaint responses beyond 25 working days",
        "caring",
        "Director of Corporate Affairs",
        1,
        3,
        "Weekly complaints tracker",
        "Extra case handler for six months",
    ),
    "CR11": (
        "Patient and visitor car parking capacity",
        "",
        ESTATES,
        1,
        2,
        "Park and ride; staff parking permits",
        "Multi-storey planning application",
    ),
}
# month: id -> (likelihood, impact, review date)
SCORES: dict[str, dict[str, tuple[int, int, str]]] = {
    "2025-08": {
        "CR01": (4, 3, "2025-09-30"), "CR02": (4, 4, "2025-09-30"), "CR03": (3, 3, "2025-10-31"),
        "CR04": (4, 5, "2025-09-30"), "CR05": (3, 5, "2025-12-31"), "CR06": (3, 3, "2025-09-30"),
        "CR07": (2, 4, "2025-11-30"), "CR09": (2, 2, "2025-09-30"), "CR10": (3, 3, "2025-09-30"),
        "CR11": (1, 3, "2026-03-31"),
    },
    "2025-09": {
        "CR01": (4, 4, "2025-10-31"), "CR02": (3, 4, "2025-10-31"), "CR03": (3, 3, "2025-10-31"),
        "CR04": (4, 5, "2025-10-31"), "CR05": (3, 5, "2025-12-31"), "CR06": (3, 3, "2025-10-31"),
        "CR07": (2, 4, "2025-11-30"), "CR08": (4, 4, "2025-10-31"), "CR10": (2, 3, "2025-10-31"),
        "CR11": (1, 3, "2026-03-31"),
    },
}  # fmt: skip
NARRATIVES: tuple[tuple[str, str, str], ...] = (
    ("safe", "2025-08", "Infection prevention is **on track**: no MRSA case this year."),
    ("safe", "2025-09",
     "We are **partially assured**. No MRSA case this year, but C. difficile is above "
     "trajectory.\n- Ward 7 decanted for a deep clean\n- Nurse staffing risk (CR01) raised "
     "to 16"),
    ("responsive", "2025-08", "Four-hour performance met the *78%* plan for a second month."),
    ("responsive", "2025-09",
     "We are **not assured** on urgent care: four-hour performance fell after the school "
     "holidays. Elective waits continue to improve.\n- Winter escalation beds risk added "
     "(CR08)"),
    ("caring", "2025-08", "Friends & Family Test responses steady."),
    ("caring", "2025-09",
     "We are **assured**: complaint response times have improved and the Friends & Family "
     "risk is closed."),
    ("well-led", "2025-08", "The deficit is in line with plan."),
    ("well-led", "2025-09",
     "We are **partially assured**: the in-month deficit is better than plan, but the "
     "full-year plan remains at risk (CR04)."),
)  # fmt: skip


def _write(path: Path, header: tuple[str, ...], rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def generate(out: Path) -> list[Path]:
    """Write the register files and the narratives into ``out``; return their paths."""
    written = []
    for month, scores in SCORES.items():
        rows = []
        for rid, (lk, im, review) in scores.items():
            title, domain, owner, tl, ti, controls, actions = RISKS[rid]
            rows.append([rid, title, domain, owner, str(lk), str(im), str(tl), str(ti),
                         controls, actions, review])  # fmt: skip
        written.append(_write(out / "risks" / f"{month}.csv", RISK_HEADER, rows))
    written.append(_write(out / "narratives.csv", NARRATIVE_HEADER, [list(n) for n in NARRATIVES]))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the sample trust board's own files.")
    default = Path(__file__).resolve().parents[1] / "scorecards" / "trust-board"
    parser.add_argument("--out", type=Path, default=default, help="folder")
    args = parser.parse_args(argv)
    written = generate(args.out)
    print(f"wrote {len(written)} files to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
