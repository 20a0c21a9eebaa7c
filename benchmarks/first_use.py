"""What a new user meets first: the bundled sample's commands, and the test suite.

Each command runs as the README has a new user run it: the project is installed into a new
virtual environment (`pip install .`, timed apart), and each command is a new process of its
`scorecard`, from the project folder, with the sample store's cache in a fresh folder
(SCORECARD_CACHE), so the first `scorecard build` builds the cache as it does after an
install, and the commands after it read the cache. Wall-clock seconds, fastest of `repeat`
for the commands that read the cache (the first build happens once per run). The new
environment holds only what the project depends on (not this one's pandas, say, which
pandera would import at every start).
`tests` times the README's test command after the install (ruff, ruff format, mypy,
pytest), in this folder's environment.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIRST_BUILD = 5.0  # seconds: `scorecard build` after install
READ = 2.0  # seconds: any read command on the sample
TESTS = 180.0  # seconds: the README's test command
READS = (  # (command, its words, target seconds): builds write files, the others only read
    ("scorecard build (cache built)", ["build", "--out", "{out}"], FIRST_BUILD),
    ("scorecard build --org ZA1", ["build", "--org", "ZA1", "--out", "{out}"], FIRST_BUILD),
    ("scorecard values --org ENG", ["values", "--org", "ENG"], READ),
    (
        "scorecard explain ae_4hr_all_pct --org ZA1",
        ["explain", "ae_4hr_all_pct", "--org", "ZA1"],
        READ,
    ),
    ("scorecard indicators", ["indicators"], READ),
)


def _run(words: list[str], env: dict[str, str], command: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run([str(command), *words], cwd=ROOT, env=env, capture_output=True)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise RuntimeError(f"scorecard {' '.join(words)}: {done.stderr.decode()[-400:]}")
    return seconds


def sample(repeat: int) -> dict[str, Any]:
    """The first `scorecard build` (empty cache), then each read command (fastest of
    `repeat`)."""
    with tempfile.TemporaryDirectory() as tmp:
        venv = Path(tmp) / "venv"
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(ROOT)]
        subprocess.run(pip, check=True, capture_output=True)
        install = time.perf_counter() - start
        command = venv / "bin" / "scorecard"
        env = {**os.environ, "SCORECARD_CACHE": str(Path(tmp) / "cache")}
        env.pop("VIRTUAL_ENV", None)
        out = str(Path(tmp) / "out")
        first = _run(["build", "--out", out], env, command)
        reads = {
            name: min(_run([w.format(out=out) for w in words], env, command) for _ in range(repeat))
            for name, words, _ in READS
        }
    return {"install": install, "first_build": first, "reads": reads}


def tests() -> dict[str, float]:
    """The README's test command's steps after the install, each timed."""
    steps = {
        "ruff check": ["ruff", "check", "."],
        "ruff format --check": ["ruff", "format", "--check", "."],
        "mypy": ["mypy"],
        "pytest": ["pytest", "-q"],
    }
    times: dict[str, float] = {}
    for name, words in steps.items():
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", *words], cwd=ROOT, check=True, capture_output=True)
        times[name] = time.perf_counter() - start
    return times


def report_sample(found: dict[str, Any], say: Any, table: Any) -> None:
    rows = [["scorecard build (first, builds the sample cache)", f"{found['first_build']:.2f}",
             f"< {FIRST_BUILD:.0f}", _met(found["first_build"], FIRST_BUILD)]]  # fmt: skip
    targets = {name: target for name, _, target in READS}
    rows += [
        [name, f"{seconds:.2f}", f"< {targets[name]:.0f}", _met(seconds, targets[name])]
        for name, seconds in found["reads"].items()
    ]
    say("\n## The bundled sample, as a new user runs it (a new process each, seconds)\n")
    say(f"`pip install .` into a new virtual environment: {found['install']:.1f} s\n")
    say(table(["command", "seconds", "target", "met"], rows))


def report_tests(found: dict[str, float], say: Any, table: Any) -> None:
    total = sum(found.values())
    rows = [[name, f"{s:.1f}"] for name, s in found.items()]
    rows.append(["all, after the install", f"{total:.1f}"])
    say("\n## The README's test command (after `pip install -e '.[dev]'`), seconds\n")
    say(table(["step", "seconds"], rows))
    say(f"\ntarget < {TESTS:.0f} s with the install: {_met(total, TESTS)} without it")


def _met(seconds: float, target: float) -> str:
    return "yes" if seconds < target else "**no**"
