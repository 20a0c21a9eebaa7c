"""Write the project's bundled sample: a SYNTHETIC provider -> ICB -> region lookup.

Nothing here is NHS data. The providers are the fictional organisations of the other sample
generators (``ZA1`` ... ``ZF6`` from ``generate.py``, the ambulance trusts ``ZR1`` ... ``ZR3``
from ``generate_ambsys.py``), mapped to three fictional integrated care boards ``ZI1``-``ZI3``
(not real ODS codes). The file mimics the "System-Mapping" sheet that accompanies NHS
England's monthly A&E provider workbook, saved as CSV, exactly:

* the header ``Code,Name,ICB Code,ICB Name,Region Name``;
* names in that sheet's title case (``And``/``Of`` capitalised, ``CIC`` as ``Cic``, ``NHS``
  kept), ICB names like ``NHS Northgate And Brightwater Integrated Care Board``, regions
  as ``North West Commissioning Region``; standard CSV quoting (a name with a comma is
  quoted); UTF-8 without BOM, LF line ends;
* rows grouped by region and ICB (the published file runs East of England, London,
  Midlands, then the northern and southern regions), ICBs by name, providers by name;
* an ambulance trust is listed like any other provider, under the ICB it is based in (the
  published file lists South Western Ambulance Service under NHS Devon ICB), so the
  sample's ambulance trusts are included.

Mapping: North West ``ZI1`` (``ZA1``, ``ZE5``, ``ZR1``), London ``ZI2`` (``ZB2``, ``ZD4``,
``ZR2``), Midlands ``ZI3`` (``ZC3``, ``ZF6``, ``ZR3``); the ICBs are the provider parents of
the RTT sample (``generate_rtt.py``). The lookup carries no month. Deterministic (no
randomness at all): two runs write byte-identical files.

Usage: ``python data/generate_orgs.py [--out DIR]`` (default: ``data/orgs/``).
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

FILE_NAME = "System-Mapping.csv"
HEADER: tuple[str, ...] = ("Code", "Name", "ICB Code", "ICB Name", "Region Name")

# ICB code -> (ICB name, region name), in the order the file lists them.
ICBS: dict[str, tuple[str, str]] = {
    "ZI2": ("NHS Rivermead And Kingsmere Integrated Care Board", "London Commissioning Region"),
    "ZI3": (
        "NHS Eastmoor, Weald And Fernleigh Integrated Care Board",
        "Midlands Commissioning Region",
    ),
    "ZI1": (
        "NHS Northgate And Brightwater Integrated Care Board",
        "North West Commissioning Region",
    ),
}

# (code, name as the sample's own files write it, ICB code)
PROVIDERS: tuple[tuple[str, str, str], ...] = (
    ("ZA1", "NORTHGATE HOSPITALS NHS FOUNDATION TRUST", "ZI1"),
    ("ZB2", "RIVERMEAD UNIVERSITY HOSPITALS NHS TRUST", "ZI2"),
    ("ZC3", "EASTMOOR AND WEALD HOSPITALS NHS TRUST", "ZI3"),
    ("ZD4", "KINGSMERE EYE HOSPITAL NHS FOUNDATION TRUST", "ZI2"),
    ("ZE5", "BRIGHTWATER COMMUNITY URGENT CARE CIC", "ZI1"),
    ("ZF6", "FERNLEIGH WALK-IN CENTRE", "ZI3"),
    ("ZR1", "NORTHGATE AMBULANCE SERVICE NHS TRUST", "ZI1"),
    ("ZR2", "RIVERMEAD AMBULANCE SERVICE NHS TRUST", "ZI2"),
    ("ZR3", "EASTMOOR AMBULANCE SERVICE NHS FOUNDATION TRUST", "ZI3"),
)

_KEEP = {"NHS": "NHS"}  # words the sheet keeps in capitals


def title_case(name: str) -> str:
    """An upper-case name in the sheet's style: every word capitalised, ``NHS`` kept.

    ``WALK-IN`` becomes ``Walk-In`` and ``CIC`` becomes ``Cic``, as in the published sheet
    (``First Community Health And Care Cic``).
    """
    words = []
    for word in name.split(" "):
        parts = [_KEEP.get(p, p.capitalize()) for p in word.split("-")]
        words.append("-".join(parts))
    return " ".join(words)


def rows() -> list[list[str]]:
    """The lookup's data rows: by ICB in the file's order, then by provider name."""
    out: list[list[str]] = []
    for icb, (icb_name, region) in ICBS.items():
        members = sorted(title_case(name) for _, name, i in PROVIDERS if i == icb)
        codes = {title_case(name): code for code, name, _ in PROVIDERS}
        out.extend([codes[name], name, icb, icb_name, region] for name in members)
    return out


def generate(out: Path) -> list[Path]:
    """Write the lookup into ``out`` (created if needed); return the path written."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / FILE_NAME
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows())
    return [path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write the synthetic sample provider -> ICB -> region lookup."
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent / "orgs",
        help="folder to write into (default: data/orgs/ beside this script)",
    )
    args = parser.parse_args(argv)
    out: Path = args.out
    written = generate(out)
    print(f"wrote {len(written)} file to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
