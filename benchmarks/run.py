"""National-scale benchmark: ingest, every organisation's scorecard, memory, growth.

Not a timed test: it prints figures. Each step runs in a fresh process (multiprocessing,
spawn) and reports its own peak resident memory (``getrusage``), so one step's memory never
hides another's. Steps:

1. generate: ``generate_national.py`` writes ``--months`` national months of every layout
   (skipped when the work folder already holds the same data);
2. ingest, one national month of each source: ``api.ingest`` into a new store (rows a
   second, and its parse / store split), against DuckDB's own ``read_csv`` of the same file
   into a table of a new database (the ratio is scorecard / DuckDB);
3. growth: the store is filled newest months first, 12, then 36, then 120 months (up to
   ``--months``), so every size builds the same latest period; at each size: the ingest
   time and one organisation's scorecard from a warm store (``api.scorecard_for`` +
   ``api.build``), and a copy of the store is kept. Then every organisation's scorecard in
   one batch as ``scorecard build --every-org`` builds it (``api.card_months`` +
   ``api.build_every``, which computes every indicator once for all organisations and
   roll-up levels, then builds the cards in worker processes and writes them all or none:
   providers, commissioners, ICBs, regions, England) from each size's copy, the sizes in
   turn ``--repeat`` times, the fastest run of each counting; each run is capped by
   ``--budget`` seconds, after which the batch is stopped (writing nothing) and the total
   estimated from the cards rendered by then (and said so);
4. pandas: the RTT incomplete-pathways 18-week percentage of one national month, read and
   computed with plain pandas, against ``api.ingest`` + ``api.values`` of the same indicator,
   each in a new process with its libraries loaded before the clock starts, the two in turn
   ``--repeat`` times, the fastest of each counting;
5. with ``--profile``: cProfile of one national RTT month's ingest and of one warm build.

Usage: ``python benchmarks/run.py --months 36`` (under 15 minutes on 2 cores), or
``--quick`` for a smoke run (3 months, a tenth of the organisations) in about a minute.
Data and stores go to ``--work`` (default: a folder in the system temporary directory).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import cProfile
import csv
import json
import multiprocessing
import os
import platform
import pstats
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import first_use
import generate_national as gn

HERE = Path(__file__).resolve().parent
SIZES = (12, 36, 120)
INDICATOR = "rtt_incomplete_18wk_pct"
WITHIN_18 = [f"Gt {w:02d} To {w + 1:02d} Weeks SUM 1" for w in range(18)]
Result = dict[str, Any]


# ---------------------------------------------------------------------------------------
# Running a step in a fresh process and reading its peak memory.


def _measured(name: str, args: tuple[Any, ...]) -> Result:
    result: Result = STEPS[name](*args)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def run_step(name: str, *args: Any) -> Result:
    """Run STEPS[name](*args) in a new process; its result gains `peak_mb`."""
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        return pool.submit(_measured, name, args).result()


# ---------------------------------------------------------------------------------------
# Steps (each runs in its own process).


def step_generate(out: str, months: int, seed: int, end: tuple[int, int], scale: float) -> Result:
    done = gn.generate(Path(out), months, seed, end, scale)
    return {"families": [vars(w) for w in done]}


def step_ingest(files: list[str], db: str, repeat: int = 1) -> Result:
    """api.ingest of the files into a new store, after a warm-up parse; then parse alone.

    Each is timed `repeat` times; the fastest counts (the least disturbed by other work).
    """
    from scorecard import api
    from scorecard.sources import read_extracts

    paths = [Path(f) for f in files]
    for p in paths:  # warm-up: the one-time imports and schema builds of a layout
        read_extracts(p)
    ingest, parse, values = [], [], 0
    for _ in range(repeat):
        Path(db).unlink(missing_ok=True)
        start = time.perf_counter()
        results = api.ingest(paths, Path(db))
        ingest.append(time.perf_counter() - start)
        values = sum(r.rows for r in results)
    for _ in range(repeat):
        start = time.perf_counter()
        for p in paths:
            read_extracts(p)
        parse.append(time.perf_counter() - start)
    return {"seconds": min(ingest), "parse": min(parse), "values": values, "runs": ingest}


def step_duckdb(file: str, db: str, repeat: int = 1) -> Result:
    import duckdb  # noqa: TID251 - the reference the ingest is measured against

    times, rows = [], None
    for _ in range(repeat):
        Path(db).unlink(missing_ok=True)
        con = duckdb.connect(db)
        start = time.perf_counter()
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [file])
        times.append(time.perf_counter() - start)
        rows = con.execute("SELECT count(*) FROM t").fetchone()
        con.close()
    return {"seconds": min(times), "rows": int(rows[0]) if rows else 0, "runs": times}


def step_fill(batches: list[list[str]], db: str) -> Result:
    """Ingest one batch (a month's files) per api.ingest call into an existing store."""
    from scorecard import api

    times = []
    for batch in batches:
        start = time.perf_counter()
        api.ingest([Path(f) for f in batch], Path(db))
        times.append(time.perf_counter() - start)
    return {"seconds": sum(times), "batches": len(times)}


def _render_split(card: Any) -> dict[str, float]:
    """Seconds per output format for one card, where the renderers are importable."""
    try:
        from scorecard.render.excel import render_xlsx
        from scorecard.render.html import render_html
        from scorecard.render.page import render_page
        from scorecard.render.tables import csv_bytes, parquet_bytes
    except ImportError:
        return {}
    out = {}
    for name, fn in (
        ("page", render_page),
        ("fragment", render_html),
        ("csv", csv_bytes),
        ("parquet", parquet_bytes),
        ("xlsx", render_xlsx),
    ):
        start = time.perf_counter()
        fn(card)
        out[name] = time.perf_counter() - start
    return out


def _build_one(api: Any, store: Any, catalogue: Any, org: str, out: Path) -> Result:
    """One card: wall-clock seconds to compute and to render and write, and CPU seconds."""
    cpu, start = time.process_time(), time.perf_counter()
    card = api.scorecard_for(store, catalogue, org, None)
    middle = time.perf_counter()
    api.build(card, out)
    end = time.perf_counter()
    return {
        "compute": middle - start,
        "render": end - middle,
        "total": end - start,
        "cpu": time.process_time() - cpu,
    }


def step_warm(db: str, orgs: list[str], out: str, repeat: int = 1) -> Result:
    """Open the store and build England (cold); then each org once to warm up and `repeat`
    times more, the fastest counting."""
    from scorecard import api

    start = time.perf_counter()
    catalogue = api.catalogue(None)
    with api.open_store(Path(db)) as store:
        _build_one(api, store, catalogue, "ENG", Path(out))
        cold = time.perf_counter() - start
        warm = {}
        for org in orgs:
            _build_one(api, store, catalogue, org, Path(out))
            runs = [_build_one(api, store, catalogue, org, Path(out)) for _ in range(repeat)]
            warm[org] = min(runs, key=lambda r: r["total"])
        split = _render_split(api.scorecard_for(store, catalogue, orgs[0], None))
    return {"cold": cold, "warm": warm, "render_split": split}


class _OverBudget(Exception):
    """Raised from the progress callback to stop a batch past --budget (nothing is written)."""


def step_all(db: str, out: str, budget: float) -> Result:
    """Every organisation's scorecard in one batch, as `scorecard build --every-org` builds
    it (api.card_months + api.build_every: one computation for every organisation and
    roll-up level, then the cards built by worker processes and written all or none) into
    an empty folder. Past `budget` seconds the batch is stopped (nothing is written) and the
    total estimated from the cards rendered by then."""
    from scorecard import api, parallel
    from scorecard.batch import workers_wanted

    parallel.allow()  # this script's main is guarded, as the scorecard command's is
    shutil.rmtree(out, ignore_errors=True)
    catalogue = api.catalogue(None)
    cpu = time.process_time()
    with api.open_store(Path(db)) as store:
        codes = sorted(store.org_names())
        levels = {c: store.hierarchy().levels[c].value for c in codes}
        start = time.perf_counter()
        months = api.card_months(store, catalogue, None)
        done = [0]

        def progress() -> None:
            done[0] += 1
            if budget and time.perf_counter() - start > budget:
                raise _OverBudget

        try:
            built = api.build_every(
                store, catalogue, months, Path(out), "benchmark", progress=progress
            )
        except _OverBudget:
            built = []
        seconds = time.perf_counter() - start
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    html = sum(p.stat().st_size for p in Path(out).glob("*.html"))
    complete = bool(built)
    levels_count = {lv: sum(v == lv for v in levels.values()) for lv in set(levels.values())}
    return {
        "orgs": len(months),
        "built": [
            {
                "org": b.org_code,
                "level": levels[b.org_code],
                "compute": b.compute,
                "render": b.render,
                "total": b.compute + b.render,
                "cpu": b.cpu,
            }
            for b in built
        ],
        "done": done[0],
        "complete": complete,
        "without_data": len(codes) - len(months),
        "seconds": seconds,
        "cpu": time.process_time() - cpu + children.ru_utime + children.ru_stime,
        "workers": workers_wanted(None),
        "workers_peak_mb": children.ru_maxrss / 1024,
        "html_bytes": html,
        "levels": levels_count,
    }


def step_peers(db: str) -> Result:
    """Every organisation's standing among its peers, for every indicator of the latest
    month, in each window (one computation), then every NOF metric's league table (rows,
    ranks, Making Data Count icons and scores) for the month."""
    from scorecard import api
    from scorecard.benchmark.league import league
    from scorecard.benchmark.nof import METRICS
    from scorecard.benchmark.standings import standings_frame
    from scorecard.compute import compute_values
    from scorecard.model import Window

    catalogue = api.catalogue(None)
    with api.open_store(Path(db)) as store:
        month = store.months()[-1]
        start = time.perf_counter()
        inds = list(catalogue.indicators.values())
        values = compute_values(store, inds, month, month)
        frame = standings_frame(store, inds, values, month, month)
        ranks = time.perf_counter() - start
        leagues = 0
        for metric in METRICS:
            table = league(store, catalogue, metric.indicator_id, month, metric.window)
            leagues += len(table.entries)
        seconds = time.perf_counter() - start
    ranked = frame.filter(frame["rank"].is_not_null())
    windows = len(Window)
    return {
        "month": month.iso(),
        "rows": ranked.height,
        "indicators": len(inds),
        "windows": windows,
        "ranks": ranks,
        "league_rows": leagues,
        "seconds": seconds,
    }


def step_pandas(file: str) -> Result:
    try:
        import pandas as pd
    except ImportError:
        return {"skipped": "pandas not installed; skipped"}
    start = time.perf_counter()
    frame = pd.read_csv(file, low_memory=False)
    keep = frame[
        (frame["RTT Part Type"] == "Part_2") & (frame["Treatment Function Code"] == "C_999")
    ]
    rows = pd.DataFrame(
        {
            "org": keep["Provider Org Code"],
            "within": keep[WITHIN_18].fillna(0).sum(axis=1),
            "total": keep["Total All"],
        }
    )
    sums = rows.groupby("org")[["within", "total"]].sum()
    sums.loc["ENG"] = sums.sum()
    pct = 100.0 * sums["within"] / sums["total"]
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "values": {str(k): float(v) for k, v in pct.items()},
        "version": pd.__version__,
    }


def step_scorecard_18wk(file: str, db: str) -> Result:
    # Every module the work uses is imported before the clock starts, as pandas is for the
    # pandas script: both time the work, not the loading of the libraries. That includes
    # pandera's polars backends, which pandera itself loads on the first check (with its
    # hypothesis strategies where hypothesis is installed).
    import pandera.backends.polars.register

    import scorecard.sources.reading
    import scorecard.store
    import scorecard.tables  # noqa: F401
    from scorecard import api
    from scorecard.model import Window

    pandera.backends.polars.register.register_polars_backends()

    Path(db).unlink(missing_ok=True)
    start = time.perf_counter()
    api.ingest([Path(file)], Path(db))
    catalogue = api.catalogue(None)
    with api.open_store(Path(db)) as store:
        frame = api.values(store, catalogue, api.Query(indicator=INDICATOR), Window.MONTH)
    seconds = time.perf_counter() - start
    values = {
        str(r["org_code"]): float(r["value"]) for r in frame.iter_rows(named=True) if r["value"]
    }
    return {"seconds": seconds, "values": values}


def _profile_table(profile: cProfile.Profile, top: int) -> list[list[str]]:
    stats = pstats.Stats(profile)
    rows = []
    for (file, line, func), (_, calls, tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append((cumtime, tottime, calls, f"{_short(file)}:{line}({func})"))
    rows.sort(reverse=True)
    return [[f"{c:.2f}", f"{t:.2f}", str(n), name] for c, t, n, name in rows[:top]]


def _short(file: str) -> str:
    for marker in ("site-packages/", "scorecard/", "benchmarks/"):
        if marker in file:
            return (marker if marker != "site-packages/" else "") + file.split(marker, 1)[1]
    return Path(file).name


def step_profile(rtt_file: str, db: str, top: int) -> Result:
    from scorecard import api
    from scorecard.sources import read_extracts

    read_extracts(Path(rtt_file))  # warm-up, as in step_ingest
    Path(db).unlink(missing_ok=True)
    ingest = cProfile.Profile()
    start = time.perf_counter()
    ingest.runcall(api.ingest, [Path(rtt_file)], Path(db))
    ingest_s = time.perf_counter() - start
    return {"ingest_s": ingest_s, "ingest": _profile_table(ingest, top)}


def step_profile_build(db: str, org: str, out: str, top: int) -> Result:
    from scorecard import api

    catalogue = api.catalogue(None)
    with api.open_store(Path(db)) as store:
        _build_one(api, store, catalogue, org, Path(out))  # warm up
        build = cProfile.Profile()
        start = time.perf_counter()
        build.runcall(_build_one, api, store, catalogue, org, Path(out))
        seconds = time.perf_counter() - start
    return {"build_s": seconds, "build": _profile_table(build, top)}


STEPS: dict[str, Callable[..., Result]] = {
    f.__name__.removeprefix("step_"): f
    for f in (
        step_generate,
        step_ingest,
        step_duckdb,
        step_fill,
        step_warm,
        step_all,
        step_peers,
        step_pandas,
        step_scorecard_18wk,
        step_profile,
        step_profile_build,
    )
}


# ---------------------------------------------------------------------------------------
# Files: which generated files make up a month, and AmbSYS cut to a window of months.


def month_files(data: Path, months: int, end: tuple[int, int]) -> list[dict[str, list[Path]]]:
    """For each month position (oldest first), each family's files of that publication."""
    spans = {f: gn.month_span(end, months, lag) for f, lag in gn.LAG.items()}
    out = []
    for i in range(months):
        ae, rtt, dm01, cwt = (gn._ym(spans[f][i]) for f in ("ae", "rtt", "dm01", "cwt"))
        out.append(
            {
                "rtt": [data / "rtt" / gn.RTT.file_name(*rtt)],
                "ae": [data / "ae" / gn.AE.file_name(*ae)],
                "cwt": [
                    data / "cwt" / f"CWT-Commissioner-{cwt[0]}-{cwt[1]:02d}_{name}.csv"
                    for name in gn.CWT.FILES
                ],
                "dm01": [
                    data / "dm01" / f"DM01-{sheet}-{dm01[0]}-{dm01[1]:02d}.csv"
                    for sheet in ("Provider", "ProviderByTest")
                ],
            }
        )
    return out


def ambsys_window(
    data: Path, months: int, end: tuple[int, int], first: int, last: int, out: Path
) -> Path:
    """The AmbSYS series cut to month positions first..last (inclusive), as published."""
    span = [gn._ym(p) for p in gn.month_span(end, months, gn.LAG["ambsys"])][first : last + 1]
    keep = {(str(y), str(m)) for y, m in span}
    source = next((data / "ambsys").glob("AmbSYS-to-*.csv"))
    path: Path = out / f"ambsys-{first}-{last}" / gn.AMB.file_name(*span[-1])
    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        source.open(encoding="utf-8", newline="") as src,
        path.open("w", encoding="utf-8", newline="") as dst,
    ):
        reader, writer = csv.reader(src), csv.writer(dst, lineterminator="\n")
        writer.writerow(next(reader))
        writer.writerows(row for row in reader if (row[0], row[1]) in keep)
    return path


def data_rows(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b"")) - 1


# ---------------------------------------------------------------------------------------
# Printing.


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def say(text: str = "") -> None:
    print(text, flush=True)


def machine() -> str:
    versions = []
    for package in ("polars", "duckdb", "pandera", "great-tables", "pyarrow", "pandas"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} not installed")
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB memory"
    return (
        f"{os.cpu_count()} CPUs{memory}; {platform.system()}; Python {platform.python_version()}; "
        f"{', '.join(versions)}; scorecard {_commit()}"
    )


def _commit() -> str:
    import scorecard

    where = str(Path(scorecard.__file__).resolve().parent)

    def git(*words: str) -> str:
        done = subprocess.run(["git", "-C", where, *words], capture_output=True, text=True)
        done.check_returncode()
        return done.stdout.strip()

    try:
        head = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", ".")
    except (OSError, subprocess.CalledProcessError):
        return "(not a git checkout)"
    return f"commit {head}" + (" with uncommitted changes" if dirty else "")


def _mb(n: float) -> str:
    return f"{n:,.0f}"


def _s(n: float) -> str:
    return f"{n:.2f}" if n < 10 else f"{n:.1f}"


# ---------------------------------------------------------------------------------------
# The benchmark.


def ensure_data(work: Path, args: argparse.Namespace) -> Path:
    data = work / "data"
    stamp = {"months": args.months, "seed": args.seed, "end": list(args.end), "scale": args.scale}
    manifest = data / "manifest.json"
    if manifest.exists() and json.loads(manifest.read_text()) == stamp:
        say(f"## Data\n\nreusing the generated data ({stamp})")
        return data
    shutil.rmtree(data, ignore_errors=True)
    result = run_step("generate", str(data), args.months, args.seed, args.end, args.scale)
    manifest.write_text(json.dumps(stamp))
    say(
        f"## Data: generate_national.py --months {args.months} --seed {args.seed} "
        f"--end {args.end[0]}-{args.end[1]:02d} --scale {args.scale}\n"
    )
    rows = [
        [w["family"], w["files"], f"{w['rows']:,}", f"{w['bytes'] / 1e6:,.1f}", _s(w["seconds"])]
        for w in result["families"]
    ]
    total = sum(w["seconds"] for w in result["families"])
    rows.append(
        [
            "total",
            sum(w["files"] for w in result["families"]),
            f"{sum(w['rows'] for w in result['families']):,}",
            f"{sum(w['bytes'] for w in result['families']) / 1e6:,.1f}",
            _s(total),
        ]
    )
    say(table(["family", "files", "rows", "MB", "seconds"], rows))
    say(f"\npeak memory {_mb(result['peak_mb'])} MB")
    return data


def bench_ingest(work: Path, data: Path, args: argparse.Namespace) -> Result:
    latest = month_files(data, args.months, args.end)[-1]
    amb = ambsys_window(data, args.months, args.end, args.months - 1, args.months - 1, work)
    sources = [
        ("RTT Full CSV", latest["rtt"][0]),
        ("A&E CSV", latest["ae"][0]),
        *((f"cancer {p.stem.split('_', 1)[1]}", p) for p in latest["cwt"]),
        ("DM01 provider", latest["dm01"][0]),
        ("DM01 provider by test", latest["dm01"][1]),
        ("AmbSYS (one month)", amb),
        ("System-Mapping", data / "orgs" / "System-Mapping.csv"),
    ]
    say(f"\n## Ingest: one national month of each source (fastest of {args.repeat})\n")
    rows, out = [], {}
    for label, path in sources:
        n = data_rows(path)
        ours = run_step("ingest", [str(path)], str(work / "one.duckdb"), args.repeat)
        duck = run_step("duckdb", str(path), str(work / "duck.duckdb"), args.repeat)
        ratio = ours["seconds"] / duck["seconds"]
        out[label] = {"rows": n, "scorecard": ours, "duckdb": duck}
        rows.append(
            [
                label,
                f"{n:,}",
                f"{path.stat().st_size / 1e6:.1f}",
                _s(ours["seconds"]),
                f"{n / ours['seconds']:,.0f}",
                _s(ours["parse"]),
                _s(max(0.0, ours["seconds"] - ours["parse"])),
                _s(duck["seconds"]),
                f"{n / duck['seconds']:,.0f}",
                f"{ratio:.1f}x",
                _mb(ours["peak_mb"]),
                _mb(duck["peak_mb"]),
            ]
        )
    say(
        table(
            [
                "source",
                "rows",
                "MB",
                "ingest s",
                "rows/s",
                "parse s",
                "store s",
                "DuckDB s",
                "DuckDB rows/s",
                "ratio",
                "peak MB",
                "DuckDB peak MB",
            ],
            rows,
        )
    )
    return out


def _pick_orgs(db: Path) -> list[str]:
    """A provider (the largest acute trust code present), an ICB, a region and England."""
    from scorecard.hierarchy import Level
    from scorecard.store import Store

    with Store.open(db, read_only=True) as store:
        levels = store.hierarchy().levels
        codes = sorted(levels)
    first = {lv: next((c for c in codes if levels[c] is lv), None) for lv in Level}
    provider = next(
        (c for c in codes if c.startswith("ZA") and levels[c] is Level.ORGANISATION),
        first[Level.ORGANISATION],
    )
    picks = [provider, first[Level.ICB], first[Level.REGION], "ENG"]
    return [p for p in picks if p is not None]


def bench_growth(work: Path, data: Path, args: argparse.Namespace) -> list[Result]:
    sizes = [n for n in SIZES if n < args.months] + [args.months]
    if args.months < SIZES[0]:
        sizes = sorted({max(1, args.months // 3), args.months})
    months = month_files(data, args.months, args.end)
    db = work / "growth.duckdb"
    db.unlink(missing_ok=True)
    done, filled, ingest_total, out = 0, [], 0.0, []
    for size in sizes:
        first, last = args.months - size, args.months - 1 - done
        batches = [
            [str(p) for ps in months[i].values() for p in ps] for i in range(first, last + 1)
        ]
        batches[-1].append(str(ambsys_window(data, args.months, args.end, first, last, work)))
        if not done:
            batches[-1].append(str(data / "orgs" / "System-Mapping.csv"))
        fill = run_step("fill", batches, str(db))
        ingest_total += fill["seconds"]
        done = size
        filled.append(fill)
        orgs = _pick_orgs(db)
        warm = run_step("warm", str(db), orgs, str(work / "out-warm"), args.repeat)
        shutil.rmtree(work / "out-warm", ignore_errors=True)
        shutil.copyfile(db, work / f"store-{size}.duckdb")  # kept for the batch builds
        out.append(
            {
                "months": size,
                "fill": fill,
                "ingest_total": ingest_total,
                "store_mb": db.stat().st_size / 1e6,
                "warm": warm,
            }
        )
    every = bench_every(work, sizes, args)
    for r in out:
        r["all"] = every[r["months"]]
        report_size(r)
    report_growth(out)
    out[-1]["peers"] = peers = run_step("peers", str(work / f"store-{sizes[-1]}.duckdb"))
    say(
        f"\nbenchmarking, {sizes[-1]}-month store, {peers['month']}: every organisation's "
        f"standing among its peers for {peers['indicators']} indicators in {peers['windows']} "
        f"windows ({peers['rows']:,} ranked values) {_s(peers['ranks'])} s; with the league "
        f"table of every NOF metric ({peers['league_rows']:,} rows, each with its rating and "
        f"SPC) {_s(peers['seconds'])} s (target < 10 s), peak {_mb(peers['peak_mb'])} MB"
    )
    return out


def bench_every(work: Path, sizes: list[int], args: argparse.Namespace) -> dict[int, Result]:
    """Every organisation's scorecard from each size's store, the sizes taken in turn
    `--repeat` times (12, 36, 120, 12, 36, ...), so that a spell when the machine is slow
    falls on every size alike; for each size the fastest run counts."""
    runs: dict[int, list[Result]] = {size: [] for size in sizes}
    for _ in range(args.repeat):
        for size in sizes:
            if runs[size] and not runs[size][-1]["complete"]:
                continue  # over --budget once: estimated, not run again
            out = work / f"out-{size}"
            runs[size].append(
                run_step("all", str(work / f"store-{size}.duckdb"), str(out), args.budget)
            )
            shutil.rmtree(out, ignore_errors=True)
    best = {}
    for size, done in runs.items():
        fastest = min(done, key=lambda r: (not r["complete"], r["seconds"]))
        best[size] = fastest | {
            "runs": [r["seconds"] for r in done],
            "peak_mb": max(r["peak_mb"] for r in done),
            "workers_peak_mb": max(r["workers_peak_mb"] for r in done),
        }
    return best


def _all_figures(every: Result) -> tuple[float, float, float, bool]:
    """(seconds for every organisation, wall-clock and CPU seconds per organisation (the
    batch's, over all its processes), estimated?)."""
    cards = max(1, every["done"])
    per, cpu = every["seconds"] / cards, every["cpu"] / cards
    complete = bool(every["complete"])
    return (every["seconds"] if complete else per * every["orgs"]), per, cpu, not complete


def _build_peak(every: Result) -> float:
    """The batch's peak memory, all processes: the parent's and each worker's largest."""
    return float(every["peak_mb"] + every["workers"] * every["workers_peak_mb"])


def report_size(r: Result) -> None:
    every, warm = r["all"], r["warm"]
    total, per, cpu, estimated = _all_figures(every)
    say(f"\n## Store of {r['months']} month{'s' if r['months'] != 1 else ''}\n")
    say(
        f"ingest of the months added: {_s(r['fill']['seconds'])} s in {r['fill']['batches']} "
        f"monthly batches (peak {_mb(r['fill']['peak_mb'])} MB); store {r['store_mb']:,.0f} MB"
    )
    say(f"open store + catalogue + England's first scorecard (cold): {_s(warm['cold'])} s")
    rows = [
        [org, _s(w["compute"]), _s(w["render"]), _s(w["total"]), _s(w["cpu"])]
        for org, w in warm["warm"].items()
    ]
    say(
        "\none organisation from a warm store (api.scorecard_for, then api.build: all five "
        f"outputs; fastest of the repeats; target < 2 s), peak {_mb(warm['peak_mb'])} MB:\n"
    )
    say(table(["org", "compute s", "render+write s", "total s", "CPU s"], rows))
    if warm["render_split"]:
        split = ", ".join(f"{k} {v:.3f}" for k, v in warm["render_split"].items())
        say(f"\nrender only, seconds per output ({next(iter(warm['warm']))}): {split}")
    built = every["built"]
    counts = ", ".join(f"{n} {level}" for level, n in sorted(every["levels"].items()))
    skipped = every.get("without_data")
    if skipped:
        counts += f"; {skipped} with no figures in the months a card reads, skipped"
    say(
        f"\nevery organisation ({every['orgs']} cards; codes in the store: {counts}), "
        f"api.build_every with {every['workers']} worker processes: built {len(built)} in "
        f"{_s(every['seconds'])} s{_runs(every)} (target < 15 s at 36 months), peak "
        f"{_mb(_build_peak(every))} MB (this process {_mb(every['peak_mb'])} MB, the largest "
        f"worker {_mb(every['workers_peak_mb'])} MB; target < 2 GB); "
        f"{'estimated' if estimated else 'measured'} total {_s(total)} s; per organisation "
        f"{per:.3f} s wall-clock, {cpu:.3f} s CPU over all processes; HTML written "
        f"{every['html_bytes'] / 1e6:,.0f} MB\n"
    )
    say("each card in its worker (assembling and tracing, its share of its chunk's; then")
    say("rendering and writing its files to temporary files):\n")
    rows = []
    for level in sorted({b["level"] for b in built}):
        mine = [b for b in built if b["level"] == level]
        times = [b["total"] for b in mine]
        compute = sum(b["compute"] for b in mine)
        rows.append(
            [
                level,
                every["levels"][level],
                len(mine),
                _s(statistics.mean(times)),
                _s(statistics.median(times)),
                _s(max(times)),
                _s(statistics.mean(b["cpu"] for b in mine)),
                f"{100 * compute / sum(times):.0f}%",
            ]
        )
    header = [
        "level",
        "orgs",
        "built",
        "mean s",
        "median s",
        "max s",
        "mean CPU s",
        "compute share",
    ]
    say(table(header, rows))


def _runs(every: Result) -> str:
    runs = every.get("runs", [])
    if len(runs) < 2:
        return ""
    return f" (fastest of {len(runs)} runs: {', '.join(_s(r) for r in runs)} s)"


def report_growth(results: list[Result]) -> None:
    say("\n## Growth with months stored\n")
    rows = []
    for r in results:
        total, per, cpu, estimated = _all_figures(r["all"])
        warm = [w["total"] for w in r["warm"]["warm"].values()]
        rows.append(
            [
                r["months"],
                _s(r["ingest_total"]),
                f"{r['store_mb']:,.0f}",
                _mb(r["fill"]["peak_mb"]),
                _s(statistics.median(warm)),
                _s(max(warm)),
                f"{per:.2f}",
                f"{cpu:.2f}",
                _s(total) + (" (est.)" if estimated else ""),
                _mb(max(r["warm"]["peak_mb"], _build_peak(r["all"]))),
            ]
        )
    header = [
        "months",
        "ingest s (all)",
        "store MB",
        "ingest peak MB",
        "one org warm s (median)",
        "one org warm s (max)",
        "s per org (all)",
        "CPU s per org (all)",
        "every org s",
        "build peak MB",
    ]
    say(table(header, rows))
    if len(results) > 1:
        base = results[0]
        first = _all_figures(base["all"])
        first_warm = statistics.median(w["total"] for w in base["warm"]["warm"].values())
        for r in results[1:]:
            figures = _all_figures(r["all"])
            warm = statistics.median(w["total"] for w in r["warm"]["warm"].values())
            paired = _paired(base["all"], r["all"])
            rounds = (
                f"median of the {len(paired)} rounds' ratios {statistics.median(paired):.2f}x "
                f"({', '.join(f'{x:.2f}' for x in paired)}), "
                if paired
                else ""
            )
            say(
                f"\n{r['months']} months against {base['months']}: every-organisation build "
                f"{rounds}fastest runs {figures[1] / first[1]:.2f}x wall-clock per "
                f"organisation, {figures[2] / first[2]:.2f}x CPU; one organisation warm "
                f"(median) {warm / first_warm:.2f}x"
            )


def _paired(base: Result, other: Result) -> list[float]:
    """Each round's every-organisation time against the base size's in the same round (the
    two ran minutes apart, so they share the machine's state); none if a run was capped."""
    if not (base.get("complete") and other.get("complete")):
        return []
    return [b / a for a, b in zip(base.get("runs", []), other.get("runs", []), strict=False)]


def bench_pandas(work: Path, data: Path, args: argparse.Namespace) -> Result:
    rtt = month_files(data, args.months, args.end)[-1]["rtt"][0]
    say("\n## RTT incomplete pathways within 18 weeks, one national month: pandas vs scorecard\n")
    theirs_runs: list[Result] = []
    ours_runs: list[Result] = []
    for _ in range(args.repeat):  # in turn, each in a new process; the fastest of each counts
        theirs_runs.append(run_step("pandas", str(rtt)))
        if "skipped" in theirs_runs[0]:
            say(theirs_runs[0]["skipped"])
            return theirs_runs[0]
        ours_runs.append(run_step("scorecard_18wk", str(rtt), str(work / "pandas.duckdb")))
    theirs = _fastest(theirs_runs)
    ours = _fastest(ours_runs)
    common = set(theirs["values"]) & set(ours["values"])
    diff = max((abs(theirs["values"][k] - ours["values"][k]) for k in common), default=float("nan"))
    say(
        table(
            ["implementation", "seconds", "peak MB", "organisations"],
            [
                [
                    f"pandas {theirs['version']} (read_csv, filter, groupby)",
                    _s(theirs["seconds"]),
                    _mb(theirs["peak_mb"]),
                    len(theirs["values"]),
                ],
                [
                    "scorecard (api.ingest + api.values, with ICB/region roll-ups)",
                    _s(ours["seconds"]),
                    _mb(ours["peak_mb"]),
                    len(ours["values"]),
                ],
            ],
        )
    )
    say(
        f"\nratio scorecard / pandas: {ours['seconds'] / theirs['seconds']:.2f}x (the fastest of "
        f"{len(ours_runs)} runs each, taken in turn: pandas {_each(theirs_runs)} s, scorecard "
        f"{_each(ours_runs)} s); {len(common)} organisations in both, largest difference "
        f"{diff:.2g} percentage points"
    )
    return {"pandas": theirs, "scorecard": ours}


def _fastest(runs: list[Result]) -> Result:
    """The fastest of `runs`, with every run's seconds and the largest peak memory."""
    best = min(runs, key=lambda r: float(r["seconds"]))
    return best | {
        "runs": [r["seconds"] for r in runs],
        "peak_mb": max(r["peak_mb"] for r in runs),
    }


def _each(runs: list[Result]) -> str:
    """Each run's seconds: `0.81, 0.95`."""
    return ", ".join(f"{r['seconds']:.2f}" for r in runs)


def report_targets(results: Result) -> None:
    """Each figure of issues 7, 14 and 17 against its target, in one table."""
    rows: list[list[str]] = []

    def add(what: str, got: float, shown: str, target: float, said: str) -> None:
        rows.append([what, shown, said, "yes" if got <= target else "**no**"])

    sample = results["sample"]
    add(
        "sample: first `scorecard build` after install",
        sample["first_build"],
        f"{sample['first_build']:.2f} s",
        first_use.FIRST_BUILD,
        f"< {first_use.FIRST_BUILD:.0f} s",
    )
    for target in sorted({t for _, _, t in first_use.READS}):
        named = {n for n, _, t in first_use.READS if t == target}
        slowest = max(
            (kv for kv in sample["reads"].items() if kv[0] in named), key=lambda kv: kv[1]
        )
        add(f"sample: slowest of {', '.join(sorted(named))}", slowest[1],
            f"{slowest[1]:.2f} s ({slowest[0]})", target, f"< {target:.0f} s")  # fmt: skip
    rtt = results["ingest"]["RTT Full CSV"]
    ratio = rtt["scorecard"]["seconds"] / rtt["duckdb"]["seconds"]
    add("RTT national month ingest against DuckDB's read_csv", ratio,
        f"{ratio:.2f}x ({_s(rtt['scorecard']['seconds'])} s, {_s(rtt['duckdb']['seconds'])} s)",
        1.5, "at most 1.5x")  # fmt: skip
    pandas = results["pandas"]
    if "seconds" in pandas["pandas"]:
        ratio = pandas["scorecard"]["seconds"] / pandas["pandas"]["seconds"]
        add("ingest + values against the pandas script", ratio,
            f"{ratio:.2f}x ({_s(pandas['scorecard']['seconds'])} s, "
            f"{_s(pandas['pandas']['seconds'])} s)", 1.0, "at most 1.0x")  # fmt: skip
    sizes = {r["months"]: r for r in results["growth"]}
    top = sizes[max(sizes)]
    every = _all_figures(top["all"])[0]
    warm = max(w["total"] for w in top["warm"]["warm"].values())
    peak = max(
        max(r["fill"]["peak_mb"], r["warm"]["peak_mb"], _build_peak(r["all"]))
        for r in sizes.values()
    )
    months = top["months"]
    add(f"every organisation, {months} months", every, f"{_s(every)} s", 15.0, "< 15 s")
    add(f"one warm card (slowest), {months} months", warm, f"{_s(warm)} s", 2.0, "< 2 s")
    add("peak memory (any step, all its processes)", peak, f"{_mb(peak)} MB", 2048, "< 2 GB")
    if 12 in sizes and 36 in sizes:
        paired = _paired(sizes[12]["all"], sizes[36]["all"])
        grown = statistics.median(paired) if paired else (
            _all_figures(sizes[36]["all"])[1] / _all_figures(sizes[12]["all"])[1]
        )  # fmt: skip
        add("growth 12 to 36 months, every organisation", grown, f"{grown:.2f}x", 1.2,
            "at most 1.2x")  # fmt: skip
    if "tests" in results:
        total = sum(results["tests"].values())
        add("the README's test command after the install", total, f"{total:.0f} s",
            first_use.TESTS, f"< {first_use.TESTS:.0f} s")  # fmt: skip
    say("\n## Against the targets\n")
    say(table(["figure", "measured", "target", "met"], rows))


def bench_profile(work: Path, data: Path, args: argparse.Namespace) -> Result:
    rtt = month_files(data, args.months, args.end)[-1]["rtt"][0]
    db = work / "growth.duckdb"
    org = _pick_orgs(db)[0]
    ingest = run_step("profile", str(rtt), str(work / "profile.duckdb"), args.top)
    build = run_step("profile_build", str(db), org, str(work / "out-profile"), args.top)
    header = ["cumulative s", "own s", "calls", "function"]
    say(
        "\n## Profile: api.ingest of one national RTT month "
        f"({_s(ingest['ingest_s'])} s under cProfile)\n"
    )
    say(table(header, ingest["ingest"]))
    say(f"\n## Profile: one warm build of {org} ({_s(build['build_s'])} s under cProfile)\n")
    say(table(header, build["build"]))
    return {"ingest": ingest, "build": build}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=36, help="largest store, months (36)")
    parser.add_argument("--quick", action="store_true", help="3 months, --scale 0.1")
    parser.add_argument("--scale", type=float, default=1.0, help="organisation counts (1.0)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--end", type=gn._month_arg, default=(2025, 9), help="YYYY-MM")
    parser.add_argument(
        "--budget",
        type=float,
        default=120.0,
        help="seconds for the every-organisation build at each size; 0: no limit",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=5,
        help="timings of each source ingest, warm build and every-organisation build; "
        "the fastest counts (5)",
    )
    parser.add_argument("--work", type=Path, help="folder for data and stores (kept)")
    parser.add_argument("--profile", action="store_true", help="cProfile ingest and one build")
    parser.add_argument("--top", type=int, default=15, help="profile rows (15)")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    parser.add_argument(
        "--tests", action="store_true", help="also time the README's test command (~3 min)"
    )
    parser.add_argument(
        "--sample-only", action="store_true", help="only the bundled sample's commands"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.months, args.scale, args.repeat = 3, 0.1, 1
        args.budget = min(args.budget or 10.0, 10.0)
    work = (
        args.work
        or Path(tempfile.gettempdir()) / f"scorecard-bench-{args.months}-{args.scale}-{args.seed}"
    )
    work.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    say(f"# scorecard national benchmark\n\n{machine()}\n")
    results: Result = {"sample": first_use.sample(args.repeat)}
    first_use.report_sample(results["sample"], say, table)
    if args.tests:
        results["tests"] = first_use.tests()
        first_use.report_tests(results["tests"], say, table)
    if args.sample_only:
        return 0
    data = ensure_data(work, args)
    results["ingest"] = bench_ingest(work, data, args)
    results["growth"] = bench_growth(work, data, args)
    results["pandas"] = bench_pandas(work, data, args)
    if args.profile:
        results["profile"] = bench_profile(work, data, args)
    report_targets(results)
    say(f"\ntotal wall-clock {time.perf_counter() - start:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
