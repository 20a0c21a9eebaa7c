"""Write a SYNTHETIC national month of every published layout, at real-world size.

Nothing here is NHS data: every code, name and number is invented. The files are in NHS
England's published layouts, written by the project's own sample generators in ``data/``
(loaded by path, each as a private copy whose organisation list is replaced by a national
one), except the RTT Full CSV, whose 200,000 rows a month are computed column-wise with
polars in the layout of ``data/generate_rtt.py`` (its header, parts, band shape, period
label and file name are imported from there):

* ``rtt/``: the RTT "Full CSV data file", provider x commissioner x part x treatment
  function, about 200,000 rows and 121 columns a month (``--scale 1``);
* ``ae/``: the monthly A&E CSV, about 200 providers and the national ``TOTAL`` row;
* ``cwt/``: the three commissioner cancer sheets (28-day FDS, 31-day, 62-day) per month,
  by ICB, commissioning hub and ``UNKNOWN``;
* ``dm01/``: the DM01 "Provider" sheet, about 400 providers and the England ``Total`` row;
* ``ambsys/``: the AmbSYS time series (one file, all months), 11 ambulance trusts;
* ``orgs/System-Mapping.csv``: every provider -> ICB -> region.

The country: 7 regions (NHS England's codes ``Y56`` ... ``Y63``), 42 ICBs (``ZQ01`` ...,
split over the regions as the real 42 are), about 106 sub-ICB locations (``ZS001`` ..., the
RTT commissioners), 140 acute trusts and 20 specialist trusts (``ZA0`` ..., three
characters), about 290 independent-sector providers (``ZN001`` ...), about 70 urgent care
operators (``ZU001`` ..., A&E only) and 11 ambulance trusts (``ZR1`` ...). Codes start
with ``Z`` and are not real ODS codes. ``--scale`` multiplies the ICB, sub-ICB and provider
counts (ambulance trusts and regions stay), for a quick run.

Families follow the publication lags of the bundled sample: A&E and AmbSYS end at ``--end``,
RTT a month before, DM01 and cancer two months before; each covers ``--months`` months.
Every published total is the exact sum of its parts (the adapters check them). Deterministic:
the same arguments write byte-identical files (``random.Random`` seeded from ``--seed``, and
polars' arithmetic; no clock, no hashing).

Usage: ``python benchmarks/generate_national.py --out DIR [--months 36] [--seed 1]
[--end 2025-09] [--scale 1.0] [--only rtt,ae,...]``; prints the time and bytes per family.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import itertools
import random
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import polars as pl

from scorecard.regions import REGIONS

DATA = Path(__file__).resolve().parent.parent / "data"
FAMILIES = ("rtt", "ae", "cwt", "dm01", "ambsys", "orgs")
LAG = {"ae": 0, "ambsys": 0, "rtt": 1, "dm01": 2, "cwt": 2}  # months behind --end


def load_generator(name: str) -> ModuleType:
    """A private copy of ``data/<name>.py``: its globals can be replaced without side effects."""
    path = DATA / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_national_{name}", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the sample generator {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


AE = load_generator("generate")
RTT = load_generator("generate_rtt")
DM01 = load_generator("generate_dm01")
CWT = load_generator("generate_cwt")
AMB = load_generator("generate_ambsys")
ORGS = load_generator("generate_orgs")

# ---------------------------------------------------------------------------------------
# The country: regions, ICBs, sub-ICB locations and providers.

ICBS_PER_REGION = {"Y63": 4, "Y62": 3, "Y60": 11, "Y61": 6, "Y56": 5, "Y59": 6, "Y58": 7}
AMBULANCE_REGIONS = ("Y63", "Y63", "Y62", "Y60", "Y60", "Y61", "Y56", "Y59", "Y59", "Y59", "Y58")
COUNTS = {"sub_icb": 106, "acute": 140, "specialist": 20, "independent": 290, "urgent": 70}
_PLACE_STARTS = """
    Ash Bar Bel Black Bram Bright Brook Cal Castle Cold Corn Crow Dal Dun East Elm Fair Fern
    Glen Gold Green Hart Haw High Holm King Lang Lark Lin Long Marsh Mill Moor New North Oak
    Old Pen Queen Raven Red River Rose Rye Salt Sand Shep South Stan Stone Sum Thorn West
    White Wick Wil Wind Wood
"""
_PLACE_ENDS = """
    bury by caster combe dale field ford gate ham hill holme hurst ley mere minster mouth
    port stead ton wick worth
"""
_PREFIXES = tuple(_PLACE_STARTS.split())
_SUFFIXES = tuple(_PLACE_ENDS.split())
_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class Icb:
    code: str
    name: str  # upper case, as RTT and the cancer sheets write it
    region: str  # region code
    weight: float  # relative population


@dataclass(frozen=True)
class SubIcb:
    code: str
    name: str  # as RTT writes a commissioner: NHS ... ICB - ZS001
    icb: str
    weight: float


@dataclass(frozen=True)
class Org:
    """A provider: an acute, specialist, independent, urgent care or ambulance trust."""

    code: str
    name: str  # upper case
    kind: str
    icb: str
    size: float  # relative size within its kind


@dataclass(frozen=True)
class Nation:
    icbs: tuple[Icb, ...]
    sub_icbs: tuple[SubIcb, ...]
    orgs: tuple[Org, ...]

    def icb(self, code: str) -> Icb:
        return next(i for i in self.icbs if i.code == code)

    def kind(self, *kinds: str) -> list[Org]:
        return sorted((o for o in self.orgs if o.kind in kinds), key=lambda o: o.code)

    def region_of(self, org: Org) -> str:
        return self.icb(org.icb).region


def _places(rng: random.Random) -> Iterator[str]:
    names = [p + s for p in _PREFIXES for s in _SUFFIXES]
    rng.shuffle(names)
    return iter(names)


def _spread(total: int, weights: Sequence[float], minimum: int = 1) -> list[int]:
    """`total` items shared out in proportion to `weights`, each at least `minimum`."""
    counts = [minimum] * len(weights)
    extra = max(0, total - minimum * len(weights))
    raw = [extra * w / sum(weights) for w in weights]
    counts = [c + int(r) for c, r in zip(counts, raw, strict=True)]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    for i in order[: max(0, minimum * len(weights) + extra - sum(counts))]:
        counts[i] += 1
    return counts


def _scaled(n: int, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(n * scale))


def _trust_name(kind: str, place: str, rng: random.Random) -> str:
    place = place.upper()
    patterns = {
        "acute": (
            "{} HOSPITALS NHS FOUNDATION TRUST",
            "{} UNIVERSITY HOSPITALS NHS TRUST",
            "{} TEACHING HOSPITALS NHS FOUNDATION TRUST",
            "{} AND DISTRICT GENERAL HOSPITAL NHS TRUST",
        ),
        "specialist": (
            "{} EYE HOSPITAL NHS FOUNDATION TRUST",
            "{} ORTHOPAEDIC HOSPITAL NHS FOUNDATION TRUST",
            "{} CHILDREN'S HOSPITAL NHS FOUNDATION TRUST",
            "{} HEART AND CHEST HOSPITAL NHS FOUNDATION TRUST",
        ),
        "independent": (
            "{} TREATMENT CENTRE LIMITED",
            "{} SURGICAL PARTNERS LLP",
            "{} PRIVATE HOSPITAL LTD",
            "{} DIAGNOSTICS AND DAY SURGERY LTD",
        ),
        "urgent": (
            "{} COMMUNITY URGENT CARE CIC",
            "{} WALK-IN CENTRE",
            "{} URGENT TREATMENT CENTRE",
        ),
        "ambulance": (
            "{} AMBULANCE SERVICE NHS TRUST",
            "{} AMBULANCE SERVICE NHS FOUNDATION TRUST",
        ),
    }
    return rng.choice(patterns[kind]).format(place)


def build_nation(seed: int, scale: float) -> Nation:
    """Every organisation, deterministic from `seed`."""
    rng = random.Random(f"{seed}-orgs")
    places = _places(rng)
    icbs: list[Icb] = []
    for region, n in ICBS_PER_REGION.items():
        for _ in range(_scaled(n, scale)):
            name = f"NHS {next(places)} AND {next(places)} INTEGRATED CARE BOARD".upper()
            icbs.append(Icb(f"ZQ{len(icbs) + 1:02d}", name, region, rng.uniform(0.5, 2.2)))
    sub_icbs: list[SubIcb] = []
    per_icb = _spread(_scaled(COUNTS["sub_icb"], scale), [i.weight for i in icbs])
    for icb, n in zip(icbs, per_icb, strict=True):
        for _ in range(n):
            code = f"ZS{len(sub_icbs) + 1:03d}"
            short = icb.name.removesuffix(" INTEGRATED CARE BOARD")
            sub_icbs.append(SubIcb(code, f"{short} ICB - {code}", icb.code, rng.uniform(0.5, 1.5)))
    orgs: list[Org] = []
    trust_codes = (f"Z{a}{b}" for a in "ABCDEFGHJKLMP" for b in _CODE_CHARS)
    for kind in ("acute", "specialist", "independent", "urgent"):
        per = _spread(_scaled(COUNTS[kind], scale), [i.weight for i in icbs], minimum=0)
        for icb, n in zip(icbs, per, strict=True):
            for _ in range(n):
                if kind in ("acute", "specialist"):
                    code = next(trust_codes)
                else:
                    prefix = "ZN" if kind == "independent" else "ZU"
                    code = f"{prefix}{sum(o.kind == kind for o in orgs) + 1:03d}"
                name = _trust_name(kind, next(places), rng)
                orgs.append(Org(code, name, kind, icb.code, rng.uniform(0.4, 1.6)))
    for n, region in enumerate(AMBULANCE_REGIONS):
        home = rng.choice([i for i in icbs if i.region == region])
        code = f"ZR{_CODE_CHARS[n + 1]}"
        orgs.append(
            Org(
                code,
                _trust_name("ambulance", next(places), rng),
                "ambulance",
                home.code,
                rng.uniform(0.6, 1.4),
            )
        )
    return Nation(tuple(icbs), tuple(sub_icbs), tuple(orgs))


# ---------------------------------------------------------------------------------------
# Months and file writing.


def month_span(end: tuple[int, int], months: int, lag: int) -> list[tuple[int, int]]:
    """`months` (year, month) pairs, oldest first, ending `lag` months before `end`."""
    index = end[0] * 12 + end[1] - 1 - lag
    return [divmod(i, 12) for i in range(index - months + 1, index + 1)]


def _ym(pair: tuple[int, int]) -> tuple[int, int]:
    return pair[0], pair[1] + 1


def _write_csv(path: Path, header: Sequence[str], rows: Iterator[Sequence[str]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path.stat().st_size


@dataclass
class Written:
    """What one family wrote."""

    family: str
    files: int = 0
    rows: int = 0
    bytes: int = 0
    seconds: float = 0.0

    def csv(self, path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """Write one CSV file and count it."""
        self.bytes += _write_csv(path, header, iter(rows))
        self.files, self.rows = self.files + 1, self.rows + len(rows)


# ---------------------------------------------------------------------------------------
# A&E: data/generate.py with the national providers.


def ae_providers(nation: Nation, seed: int) -> tuple[object, ...]:
    rng = random.Random(f"{seed}-ae-providers")
    out = []
    for org in nation.orgs:
        region = REGIONS[nation.region_of(org)].upper()
        parent = f"NHS ENGLAND {region}" + ("" if region == "LONDON" else " ")
        u = rng.uniform
        if org.kind == "acute" and u(0, 1) < 0.86:  # most acute trusts run a type 1 department
            t1 = round(13000 * org.size)
            start = u(0.30, 0.50)
            out.append(
                AE.Provider(
                    org.code,
                    parent,
                    org.name,
                    type1=t1,
                    type2=round(u(300, 1500)) if u(0, 1) < 0.3 else 0,
                    other=round(u(2000, 9000)),
                    booked_share=u(0.02, 0.05),
                    breach1_start=start,
                    breach1_end=start - u(0, 0.08),
                    breach2=u(0.03, 0.06),
                    breach_other=u(0.015, 0.04),
                    dta12=round(t1 * u(0.005, 0.03)),
                    other_admissions=u(0.06, 0.11),
                    type2_admissions=u(0.005, 0.01),
                    other_dept_admissions=u(0.008, 0.012),
                )
            )
        elif org.kind == "specialist" and "EYE" in org.name:
            out.append(
                AE.Provider(
                    org.code,
                    parent,
                    org.name,
                    type2=round(5000 * org.size),
                    breach2=u(0.02, 0.04),
                    other_admissions=0.04,
                    type2_admissions=0.001,
                )
            )
        elif org.kind == "urgent":
            out.append(
                AE.Provider(
                    org.code,
                    parent,
                    org.name,
                    other=round(5500 * org.size),
                    breach_other=u(0.005, 0.03),
                )
            )
    rng.shuffle(out)  # the published file is not sorted
    return tuple(out)


def write_ae(
    nation: Nation, out: Path, spans: dict[str, list[tuple[int, int]]], seed: int
) -> Written:
    AE.PROVIDERS = ae_providers(nation, seed)
    span = spans["ae"]
    AE.N_MONTHS = max(2, len(span))
    rng = random.Random(f"{seed}-ae")
    done = Written("ae")
    for t, pair in enumerate(span):
        year, month = _ym(pair)
        rows = AE.month_rows(t, year, month, rng)
        path = out / "ae" / AE.file_name(year, month)
        done.csv(path, AE.HEADER, rows)
    return done


# ---------------------------------------------------------------------------------------
# DM01: data/generate_dm01.py with the national providers.


def dm01_trusts(nation: Nation, seed: int) -> tuple[object, ...]:
    rng = random.Random(f"{seed}-dm01-trusts")
    independents = nation.kind("independent")
    reporting = {o.code for o in rng.sample(independents, k=round(len(independents) * 0.83))}
    out = []
    for org in nation.kind("acute", "specialist", "independent"):
        if org.kind == "independent" and org.code not in reporting:
            continue
        base = {"acute": 16000, "specialist": 3000, "independent": 1200}[org.kind]
        region = nation.region_of(org)
        name = ORGS.title_case(org.name).replace(" And ", " and ").replace(" Of ", " of ")
        start = rng.uniform(0.005, 0.30)
        out.append(
            DM01.Trust(
                region,
                f"{REGIONS[region]} Commissioning Region",
                org.code,
                name,
                round(base * org.size),
                start,
                max(0.002, start * rng.uniform(0.5, 1.1)),
            )
        )
    return tuple(out)


def write_dm01(
    nation: Nation, out: Path, spans: dict[str, list[tuple[int, int]]], seed: int
) -> Written:
    DM01.TRUSTS = dm01_trusts(nation, seed)
    span = spans["dm01"]
    DM01.N_MONTHS = max(2, len(span))
    rng = random.Random(f"{seed}-dm01")
    done = Written("dm01")
    for t, pair in enumerate(span):
        year, month = _ym(pair)
        rows = DM01.month_rows(t, rng)
        path = out / "dm01" / f"DM01-Provider-{year}-{month:02d}.csv"
        done.csv(path, DM01.HEADER, rows)
    return done


# ---------------------------------------------------------------------------------------
# Cancer: data/generate_cwt.py with the national commissioners.

NATIONAL_CWT = (280000, 58000, 28000)  # people a month: FDS told, 31-day, 62-day treated


def cwt_commissioners(nation: Nation, seed: int) -> tuple[object, ...]:
    rng = random.Random(f"{seed}-cwt-commissioners")
    total = sum(i.weight for i in nation.icbs)
    out = []
    for icb in nation.icbs:
        size = tuple(round(n * icb.weight / total) for n in NATIONAL_CWT)
        start = (rng.uniform(0.70, 0.78), rng.uniform(0.88, 0.93), rng.uniform(0.60, 0.72))
        end = tuple(min(0.97, s + rng.uniform(0.0, 0.06)) for s in start)
        out.append(CWT.Commissioner(icb.code, icb.name, size, start, end, rng.random() < 0.6))
    hubs = ("NORTHERN", "CENTRAL", "SOUTHERN")
    for n, hub in enumerate(hubs[: max(1, round(3 * min(1.0, len(nation.icbs) / 42)))]):
        out.append(
            CWT.Commissioner(
                f"ZX{n + 1}",
                f"{hub} - H&J COMMISSIONING HUB",
                (40, 6, 4),
                (0.70, 0.95, 0.60),
                (0.72, 0.95, 0.65),
                False,
            )
        )
    out.append(
        CWT.Commissioner(
            "UNKNOWN", "UNKNOWN", (700, 380, 170), (0.73, 0.90, 0.70), (0.74, 0.91, 0.71), False
        )
    )
    return tuple(out)


def write_cwt(
    nation: Nation, out: Path, spans: dict[str, list[tuple[int, int]]], seed: int
) -> Written:
    CWT.COMMISSIONERS = cwt_commissioners(nation, seed)
    span = spans["cwt"]
    CWT.N_MONTHS = max(2, len(span))
    rng = random.Random(f"{seed}-cwt")
    done = Written("cwt")
    parts_rng = random.Random(f"{seed}-cwt-parts")
    for t, pair in enumerate(span):
        year, month = _ym(pair)
        for name, header, rows in CWT.month_sheets(t, rng, parts_rng):
            path = out / "cwt" / f"CWT-Commissioner-{year}-{month:02d}_{name}.csv"
            done.csv(path, header, rows)
    return done


# ---------------------------------------------------------------------------------------
# AmbSYS: data/generate_ambsys.py's trust and England rows, 11 trusts in 7 regions.


def amb_trusts(nation: Nation, seed: int) -> list[object]:
    rng = random.Random(f"{seed}-ambsys-trusts")
    out = []
    for org in nation.kind("ambulance"):
        u = rng.uniform
        region = nation.region_of(org)
        c1, c2 = u(430, 520), u(28, 40)
        retired = (u(0.001, 0.03), u(0.005, 0.4), u(0.0003, 0.1)) if rng.random() < 0.6 else None
        out.append(
            AMB.Trust(
                org.code,
                region,
                REGIONS[region],
                org.name,
                round(75000 * org.size),
                c1,
                c1 - u(0, 25),
                c2,
                c2 - u(0, 5),
                u(1.2, 1.9),
                u(2.0, 2.8),
                u(2, 6),
                u(0.14, 0.24),
                u(0.56, 0.65),
                u(0.03, 0.09),
                u(0.09, 0.11),
                retired,
            )
        )
    return out


def write_ambsys(
    nation: Nation, out: Path, spans: dict[str, list[tuple[int, int]]], seed: int
) -> Written:
    trusts = amb_trusts(nation, seed)
    span = spans["ambsys"]
    AMB.N_MONTHS = max(2, len(span))
    draw = AMB.Draw(random.Random(f"{seed}-ambsys"))

    def rows() -> Iterator[list[str]]:
        for t, pair in enumerate(span):
            year, month = _ym(pair)
            ids = [str(year), str(month)]
            by_trust = {tr.code: AMB.trust_row(tr, t, month, draw) for tr in trusts}
            yield [
                *ids,
                "Eng",
                "Eng",
                "England",
                *AMB._cells(AMB.england_row([*by_trust.values()])),
            ]
            for tr in sorted(trusts, key=lambda tr: tr.code):
                yield [*ids, tr.region_code, tr.code, tr.name, *AMB._cells(by_trust[tr.code])]
            for region in sorted({tr.region_code for tr in trusts}):
                members = [by_trust[tr.code] for tr in trusts if tr.region_code == region]
                name = REGIONS[region]
                yield [*ids, name, region, name, *AMB._cells(AMB.england_row(members))]

    year, month = _ym(span[-1])
    path = out / "ambsys" / AMB.file_name(year, month)
    size = _write_csv(path, AMB.HEADER, rows())
    regions = len({tr.region_code for tr in trusts})
    return Written("ambsys", 1, len(span) * (1 + len(trusts) + regions), size)


# ---------------------------------------------------------------------------------------
# System-Mapping: data/generate_orgs.py's layout, every provider of every family.


def write_orgs(nation: Nation, out: Path) -> Written:
    rows = []
    for region in sorted(REGIONS, key=lambda r: REGIONS[r]):
        for icb in sorted((i for i in nation.icbs if i.region == region), key=lambda i: i.name):
            members = sorted((o for o in nation.orgs if o.icb == icb.code), key=lambda o: o.name)
            rows.extend(
                [
                    o.code,
                    ORGS.title_case(o.name),
                    icb.code,
                    ORGS.title_case(icb.name),
                    f"{REGIONS[region]} Commissioning Region",
                ]
                for o in members
            )
    size = _write_csv(out / "orgs" / ORGS.FILE_NAME, ORGS.HEADER, iter(rows))
    return Written("orgs", 1, len(rows), size)


# ---------------------------------------------------------------------------------------
# RTT Full CSV: data/generate_rtt.py's layout and arithmetic, column-wise.

TFCS: tuple[object, ...] = tuple(
    RTT.Specialty(code, name, share, offset, dta)
    for code, name, share, offset, dta in (
        ("C_100", "General Surgery Service", 0.09, -3.0, 0.30),
        ("C_101", "Urology Service", 0.05, -4.0, 0.28),
        ("C_110", "Trauma and Orthopaedic Service", 0.11, -9.0, 0.32),
        ("C_120", "Ear Nose and Throat Service", 0.06, -6.0, 0.22),
        ("C_130", "Ophthalmology Service", 0.08, 4.0, 0.28),
        ("C_140", "Oral Surgery Service", 0.04, -5.0, 0.25),
        ("C_150", "Neurosurgical Service", 0.01, -6.0, 0.30),
        ("C_160", "Plastic Surgery Service", 0.02, -4.0, 0.30),
        ("C_170", "Cardiothoracic Surgery Service", 0.005, 2.0, 0.35),
        ("C_300", "General Internal Medicine Service", 0.02, 10.0, 0.04),
        ("C_301", "Gastroenterology Service", 0.05, -2.0, 0.10),
        ("C_320", "Cardiology Service", 0.04, 3.0, 0.08),
        ("C_330", "Dermatology Service", 0.05, -1.0, 0.05),
        ("C_340", "Respiratory Medicine Service", 0.02, 6.0, 0.04),
        ("C_400", "Neurology Service", 0.03, -3.0, 0.03),
        ("C_410", "Rheumatology Service", 0.02, 5.0, 0.02),
        ("C_430", "Elderly Medicine Service", 0.01, 12.0, 0.03),
        ("C_502", "Gynaecology Service", 0.07, -2.0, 0.18),
        ("X02", "Other - Medical Services", 0.10, 4.0, 0.07),
        ("X03", "Other - Mental Health Services", 0.01, 8.0, 0.02),
        ("X04", "Other - Paediatric Services", 0.04, 2.0, 0.12),
        ("X05", "Other - Surgical Services", 0.04, -1.0, 0.20),
        ("X06", "Other - Other Services", 0.025, 6.0, 0.05),
    )
)
_TFC_INDEX = {s.code: i for i, s in enumerate(TFCS)}  # type: ignore[attr-defined]
SPECIALIST_TFCS = (
    ("C_130", "X05"),
    ("C_110", "C_160", "X05"),
    ("X04", "C_100", "C_120", "C_110"),
    ("C_320", "C_170", "C_340"),
)
INDEPENDENT_TFCS = ("C_100", "C_101", "C_110", "C_120", "C_130", "C_140", "C_301", "C_502", "X05")
N_BANDS = len(RTT.BANDS)
PART_CODES = tuple(p for p, _ in RTT.PARTS)
TOTAL_POS = 99  # sorts the C_999 row after the treatment functions
CHUNK_PROVIDERS = 40


def _cumulative(within: float) -> list[float]:
    shares = RTT._shape(within)
    out = list(itertools.accumulate(shares))
    out[-1] = 1.0
    return out


CUM_IN, CUM_OUT = _cumulative(1.0), _cumulative(0.0)  # shape(w) = w*in + (1-w)*out


@dataclass(frozen=True)
class RttDesign:
    """Who treats whom, in which specialties, and how big each list is (fixed over months)."""

    providers: pl.DataFrame  # pos, code, name, icb, icb_name, waiting, growth, w_start, w_end
    cells: pl.DataFrame  # pos, commissioner, tfc, base (share of the list), offset, dta
    commissioners: pl.DataFrame  # commissioner, c_parent, c_parent_name, c_name


def rtt_design(nation: Nation, seed: int) -> RttDesign:
    rng = random.Random(f"{seed}-rtt-design")
    providers = nation.kind("acute", "specialist", "independent")
    subs = list(nation.sub_icbs)
    prov_rows, cell_rows = [], []
    for pos, org in enumerate(providers):
        u = rng.uniform
        region = nation.region_of(org)
        home = [s for s in subs if s.icb == org.icb]
        near = [s for s in subs if s.icb != org.icb and nation.icb(s.icb).region == region]
        far = [s for s in subs if nation.icb(s.icb).region != region]
        if org.kind == "acute":
            waiting = 45000 * org.size
            tfcs = [s for s in TFCS if rng.random() < 0.85 or s.code in ("C_100", "X02")]  # type: ignore[attr-defined]
            n_other, home_share, other_tfcs = 28, 0.88, (3, 6)
        elif org.kind == "specialist":
            waiting = 14000 * org.size
            tfcs = [TFCS[_TFC_INDEX[c]] for c in rng.choice(SPECIALIST_TFCS)]
            n_other, home_share, other_tfcs = 40, 0.40, (1, 3)
        else:
            waiting = 3500 * org.size
            chosen = rng.sample(INDEPENDENT_TFCS, k=rng.randint(2, 5))
            tfcs = [TFCS[_TFC_INDEX[c]] for c in sorted(chosen, key=_TFC_INDEX.__getitem__)]
            n_other, home_share, other_tfcs = rng.randint(3, 6), 0.80, (1, 3)
        pool = near + far if org.kind == "specialist" else near * 3 + far
        others: list[SubIcb] = []
        while pool and len(others) < min(n_other, len(set(near + far))):
            pick = rng.choice(pool)
            if pick not in others:
                others.append(pick)
        shares: dict[str, tuple[float, list[object]]] = {}
        home_w = sum(s.weight for s in home)
        for s in home:
            shares[s.code] = (home_share * s.weight / home_w, tfcs)
        other_w = [rng.uniform(0.1, 1.0) for _ in others]
        rest = 1.0 - home_share - (0.003 if org.kind == "acute" else 0.0)
        for s, w in zip(others, other_w, strict=True):
            k = min(len(tfcs), rng.randint(*other_tfcs))
            subset = sorted(rng.sample(tfcs, k=k), key=lambda x: _TFC_INDEX[x.code])  # type: ignore[attr-defined]
            shares[s.code] = (rest * w / sum(other_w), subset)
        if org.kind == "acute" and rng.random() < 0.5:
            shares[RTT.NON_ENGLISH] = (0.003, tfcs[:2])
        start = u(0.52, 0.70)
        prov_rows.append(
            (
                pos,
                org.code,
                org.name,
                org.icb,
                nation.icb(org.icb).name,
                waiting,
                u(0.0, 0.08),
                start,
                start + u(-0.02, 0.07),
            )
        )
        for code, (share, subset) in shares.items():
            weight = sum(s.share for s in subset)  # type: ignore[attr-defined]
            for s in subset:
                cell_rows.append(
                    (
                        pos,
                        code,
                        _TFC_INDEX[s.code],
                        share * s.share / weight,  # type: ignore[attr-defined]
                        s.offset,
                        s.dta,
                    )
                )  # type: ignore[attr-defined]
    prov = pl.DataFrame(
        prov_rows,
        schema=["pos", "code", "name", "icb", "icb_name", "waiting", "growth", "w_start", "w_end"],
        orient="row",
    )
    cells = pl.DataFrame(
        cell_rows, schema=["pos", "commissioner", "tfc", "base", "offset", "dta"], orient="row"
    )
    icb_names = {i.code: i.name for i in nation.icbs}
    comm = pl.DataFrame(
        [(s.code, s.icb, icb_names[s.icb], s.name) for s in subs]
        + [(RTT.NON_ENGLISH, None, None, None)],
        schema=["commissioner", "c_parent", "c_parent_name", "c_name"],
        orient="row",
    )
    return RttDesign(prov, cells, comm)


def _bands(n: pl.Expr, w: pl.Expr, u: pl.Expr, prefix: str) -> list[pl.Expr]:
    """105 weekly bands of `n` pathways with share `w` within 18 weeks.

    Dithered cumulative rounding: band k is floor(cum_k + u) - floor(cum_{k-1} + u), so the
    bands are whole, never negative, and add up to floor(n + u), an unbiased rounding of n.
    """
    cum = [(n * (w * a + (1.0 - w) * b) + u).floor() for a, b in zip(CUM_IN, CUM_OUT, strict=True)]
    prev = [u.floor(), *cum[:-1]]
    return [
        (c - p).cast(pl.Int64).alias(f"{prefix}{k:03d}")
        for k, (c, p) in enumerate(zip(cum, prev, strict=True))
    ]


def _month_cells(
    design: RttDesign, t: int, months: int, month: int, rng: random.Random
) -> pl.DataFrame:
    """Every (provider, commissioner, treatment function) cell's parts for one month."""
    n = design.cells.height
    draws = {
        name: [rng.random() for _ in range(n)]
        for name in (
            "act",
            "noise",
            "wait",
            "u_adm",
            "u_non",
            "u_wait",
            "u_dta",
            "u_new",
            "u_unk1",
            "u_unk2",
        )
    }
    progress = t / max(1, months - 1)
    c = pl.col
    frame = design.cells.join(
        design.providers.select("pos", "waiting", "growth", "w_start", "w_end"), on="pos"
    )
    frame = (
        frame.with_columns(pl.Series(k, v) for k, v in draws.items())
        .with_columns(
            size=c("waiting") * c("base") * (1.0 + c("growth") * progress),
            activity=RTT.ACTIVITY[month] * (1.0 + 0.04 * (2.0 * c("act") - 1.0)),
            within=(
                c("w_start")
                + (c("w_end") - c("w_start")) * progress
                - RTT.WINTER.get(month, 0.0)
                + c("offset") / 100.0
                + 0.008 * (2.0 * c("noise") - 1.0)
            ).clip(0.30, 0.95),
        )
        .with_columns(
            wait_n=c("size") * (1.0 + 0.01 * (2.0 * c("wait") - 1.0)),
            adm_n=c("size") * pl.max_horizontal(c("dta"), pl.lit(0.05)) * 0.20 * c("activity"),
            non_n=c("size") * 0.17 * c("activity"),
        )
    )
    frame = frame.with_columns(
        *_bands(c("wait_n"), c("within"), c("u_wait"), "w"),
        *_bands(c("adm_n"), (c("within") - 0.06).clip(0.30, 1.0), c("u_adm"), "a"),
        *_bands(c("non_n"), (c("within") + 0.14).clip(0.0, 0.95), c("u_non"), "n"),
        new=(c("size") * 0.23 * c("activity") + c("u_new")).floor().cast(pl.Int64),
        unk_a=(c("adm_n") * 0.003 + c("u_unk1")).floor().cast(pl.Int64),
        unk_n=(c("non_n") * 0.004 + c("u_unk2")).floor().cast(pl.Int64),
    )
    # With a decision to admit: a subset of each band, a larger share the longer the wait.
    return frame.with_columns(
        pl.min_horizontal(
            c(f"w{k:03d}"),
            (c(f"w{k:03d}") * (c("dta") * (0.8 + 0.012 * min(k, 52))).clip(0.0, 1.0) + c("u_dta"))
            .floor()
            .cast(pl.Int64),
        ).alias(f"d{k:03d}")
        for k in range(N_BANDS)
    )


VALUES = [*(f"v{k:03d}" for k in range(N_BANDS)), "known", "unknown", "total_all"]


def _part(frame: pl.DataFrame, part: int, prefix: str | None, unknown: str | None) -> pl.DataFrame:
    c = pl.col
    keys = [c("pos"), c("commissioner"), c("tfc"), pl.lit(part).alias("part")]
    if prefix is None:  # new periods: Total All only
        zeros = [pl.lit(0, pl.Int64).alias(v) for v in VALUES[:-1]]
        return frame.select(*keys, *zeros, c("new").alias("total_all"))
    bands = [c(f"{prefix}{k:03d}").alias(f"v{k:03d}") for k in range(N_BANDS)]
    known = pl.sum_horizontal(f"{prefix}{k:03d}" for k in range(N_BANDS))
    unk = c(unknown) if unknown else pl.lit(0, pl.Int64)
    return frame.select(
        *keys, *bands, known.alias("known"), unk.alias("unknown"), (known + unk).alias("total_all")
    )


def rtt_month_frames(
    design: RttDesign, t: int, months: int, year: int, month: int, rng: random.Random
) -> Iterator[pl.DataFrame]:
    """One month's rows in the published column order, a chunk of providers at a time."""
    cells = _month_cells(design, t, months, month, rng)
    tfc = pl.DataFrame(
        {
            "tfc": [*range(len(TFCS)), TOTAL_POS],
            "tfc_code": [*(s.code for s in TFCS), RTT.TOTAL_TFC[0]],  # type: ignore[attr-defined]
            "tfc_name": [*(s.name for s in TFCS), RTT.TOTAL_TFC[1]],
        },  # type: ignore[attr-defined]
    )
    parts = pl.DataFrame(
        {
            "part": range(len(RTT.PARTS)),
            "part_code": PART_CODES,
            "part_name": [d for _, d in RTT.PARTS],
        }
    )
    c = pl.col
    completed = c("part").is_in([0, 1])
    n_prov = design.providers.height
    for first in range(0, n_prov, CHUNK_PROVIDERS):
        chunk = cells.filter(c("pos").is_between(first, first + CHUNK_PROVIDERS - 1))
        rows = pl.concat(
            [
                _part(chunk, 0, "a", "unk_a"),
                _part(chunk, 1, "n", "unk_n"),
                _part(chunk, 2, "w", None),
                _part(chunk, 3, "d", None),
                _part(chunk, 4, None, None),
            ]
        )
        totals = (
            rows.group_by("pos", "commissioner", "part")
            .agg(c(VALUES).sum())
            .with_columns(tfc=pl.lit(TOTAL_POS, pl.Int64))
        )
        rows = pl.concat([rows, totals.select(rows.columns)]).sort(
            "pos", "commissioner", "part", "tfc"
        )
        rows = rows.with_columns(
            *(
                pl.when(c("part") == 4).then(None).otherwise(c(v)).alias(v)
                for v in VALUES[:N_BANDS]
            ),
            *(pl.when(completed).then(c(v)).otherwise(None).alias(v) for v in ("known", "unknown")),
        )
        rows = (
            rows.join(
                design.providers.select("pos", "code", "name", "icb", "icb_name"),
                on="pos",
                how="left",
                maintain_order="left",
            )
            .join(design.commissioners, on="commissioner", how="left", maintain_order="left")
            .join(parts, on="part", how="left", maintain_order="left")
            .join(tfc, on="tfc", how="left", maintain_order="left")
        )
        ids = [
            pl.lit(RTT.period_label(year, month)),
            c("icb"),
            c("icb_name"),
            c("code"),
            c("name"),
            c("c_parent"),
            c("c_parent_name"),
            c("commissioner"),
            c("c_name"),
            c("part_code"),
            c("part_name"),
            c("tfc_code"),
            c("tfc_name"),
        ]
        yield rows.select(
            *(e.alias(h) for e, h in zip(ids, RTT.ID_HEADER, strict=True)),
            *(c(v).alias(h) for v, h in zip(VALUES, RTT.HEADER[len(RTT.ID_HEADER) :], strict=True)),
        )


def write_rtt(
    nation: Nation, out: Path, spans: dict[str, list[tuple[int, int]]], seed: int
) -> Written:
    design = rtt_design(nation, seed)
    span = spans["rtt"]
    rng = random.Random(f"{seed}-rtt")
    done = Written("rtt")
    (out / "rtt").mkdir(parents=True, exist_ok=True)
    for t, pair in enumerate(span):
        year, month = _ym(pair)
        path = out / "rtt" / RTT.file_name(year, month)
        with path.open("wb") as fh:
            for i, frame in enumerate(rtt_month_frames(design, t, len(span), year, month, rng)):
                frame.write_csv(fh, include_header=i == 0, line_terminator="\n")
                done.rows += frame.height
        done.files += 1
        done.bytes += path.stat().st_size
    return done


# ---------------------------------------------------------------------------------------


def check_layouts() -> None:
    """Every column the adapters require is in the header written (fails loudly if not)."""
    from scorecard.sources import ae_monthly, ambsys, dm01_provider, rtt_full, system_mapping
    from scorecard.sources.text import normalise

    for header, adapter in (
        (RTT.HEADER, rtt_full),
        (AE.HEADER, ae_monthly),
        (DM01.HEADER, dm01_provider),
        (AMB.HEADER, ambsys),
        (ORGS.HEADER, system_mapping),
    ):
        have = {normalise(h) for h in header}
        missing = [c for c in adapter.PUBLISHED.values() if normalise(c) not in have]
        if missing:
            raise SystemExit(f"{adapter.__name__}: the header written lacks {missing}")


def generate(
    out: Path,
    months: int,
    seed: int,
    end: tuple[int, int],
    scale: float,
    only: Sequence[str] = FAMILIES,
) -> list[Written]:
    """Write every family's files under `out`; return what each wrote."""
    check_layouts()
    nation = build_nation(seed, scale)
    spans = {family: month_span(end, months, lag) for family, lag in LAG.items()}
    writers: dict[str, Callable[[], Written]] = {
        "rtt": lambda: write_rtt(nation, out, spans, seed),
        "ae": lambda: write_ae(nation, out, spans, seed),
        "cwt": lambda: write_cwt(nation, out, spans, seed),
        "dm01": lambda: write_dm01(nation, out, spans, seed),
        "ambsys": lambda: write_ambsys(nation, out, spans, seed),
        "orgs": lambda: write_orgs(nation, out),
    }
    done = []
    for family in only:
        start = time.perf_counter()
        written = writers[family]()
        written.seconds = time.perf_counter() - start
        done.append(written)
    return done


def _month_arg(text: str) -> tuple[int, int]:
    year, _, month = text.partition("-")
    if not (year.isdigit() and month.isdigit() and 1 <= int(month) <= 12):
        raise argparse.ArgumentTypeError(f"expected YYYY-MM, got {text!r}")
    return int(year), int(month)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument("--months", type=int, default=36, help="months per family (36)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
    parser.add_argument("--end", type=_month_arg, default=(2025, 9), help="A&E's last month")
    parser.add_argument("--scale", type=float, default=1.0, help="organisation counts (1.0)")
    parser.add_argument("--only", default=",".join(FAMILIES), help="families, comma separated")
    args = parser.parse_args(argv)
    only = [f for f in args.only.split(",") if f]
    unknown = sorted(set(only) - set(FAMILIES))
    if unknown or args.months < 1 or args.scale <= 0:
        parser.error(
            f"--only: unknown {unknown}; known {', '.join(FAMILIES)}"
            if unknown
            else "--months and --scale must be positive"
        )
    start = time.perf_counter()
    done = generate(args.out, args.months, args.seed, args.end, args.scale, only)
    print(f"{'family':8} {'files':>6} {'rows':>12} {'MB':>10} {'seconds':>8}")
    for w in done:
        print(f"{w.family:8} {w.files:6d} {w.rows:12,d} {w.bytes / 1e6:10.1f} {w.seconds:8.1f}")
    total = sum(w.bytes for w in done)
    print(
        f"{'total':8} {sum(w.files for w in done):6d} {sum(w.rows for w in done):12,d} "
        f"{total / 1e6:10.1f} {time.perf_counter() - start:8.1f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
