"""Benchmark at national scale: N satkers (``national.py``), three runs of the real command,
each next to a bare DuckDB ``read_csv`` of the same files.

    .venv/bin/python tests/benchmarks/bench_national.py --satkers 50 [--keep DIR]
    make bench N=50

Runs, each `python -m flows.cli refresh` in its own process against one Prefect server this
script starts (Prefect's test harness: a real server on loopback, its memory not counted):
1. a full refresh of a new warehouse;
2. a rerun with nothing changed;
3. a rerun after one new small export (a PPID register of one satker).
The bare baseline reads every landed CSV with DuckDB (``read_csv`` per source, all files of a
source at once) and counts the rows: the floor for reading the bytes at all. Peak memory is
given twice: the run and all its worker processes together (the sum of their proportional
set sizes, sampled every second), and the largest single process (``wait4``'s maximum
resident set size). Prints a Markdown table and one JSON line.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

import duckdb  # noqa: E402
import psutil  # noqa: E402

from tests.benchmarks.national import write_landing  # noqa: E402

AS_OF = "2026-01-31"


def bare_duckdb(landing: Path) -> tuple[float, int]:
    """Seconds and rows of DuckDB reading every CSV of the landing, one read_csv per source."""
    by_source: dict[str, list[str]] = {}
    for path in sorted(landing.glob("*/*/*.csv")):
        by_source.setdefault(path.parent.name, []).append(str(path))
    con = duckdb.connect()
    started = time.monotonic()
    rows = 0
    for files in by_source.values():
        query = "SELECT count(*) FROM read_csv(?, delim = ';', header = true, union_by_name = true)"
        rows += con.execute(query, [files]).fetchone()[0]  # type: ignore[index]
    seconds = time.monotonic() - started
    con.close()
    return seconds, rows


def _tree_pss(pid: int) -> int:
    """Memory of a process and all its descendants (its worker processes): the sum of their
    proportional set sizes, so that the libraries every process maps count once."""
    try:
        root = psutil.Process(pid)
        found = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for process in found:
        with contextlib.suppress(psutil.Error):
            total += process.memory_full_info().pss
    return total


def _sample(pid: int, peak: list[int], stop: threading.Event) -> None:
    while not stop.wait(1.0):
        peak[0] = max(peak[0], _tree_pss(pid))


def run(landing: Path, warehouse: Path, env: dict[str, str]) -> dict[str, float | int]:
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "refresh", "--landing", str(landing),
         "--warehouse", str(warehouse), "--as-of", AS_OF],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stderr is not None
    peak, stop = [0], threading.Event()
    sampler = threading.Thread(target=_sample, args=(process.pid, peak, stop), daemon=True)
    sampler.start()
    errors = process.stderr.read()
    stop.set()
    sampler.join()
    _, status, usage = os.wait4(process.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.stderr.buffer.write(errors[-4000:])
        raise SystemExit(f"iku refresh exited {code}")
    return {
        "seconds": round(time.monotonic() - started, 1),
        "peak_mib": round(usage.ru_maxrss / 1024),  # the largest single process
        "peak_all_mib": round(peak[0] / 2**20),  # the run and its workers together (PSS)
    }


def new_export(landing: Path) -> Path:
    """One new small PPID register in the first satker."""
    satker = sorted(p.name for p in landing.iterdir() if p.is_dir())[0]
    path = landing / satker / "ppid" / "register_ppid_baru.csv"
    path.write_text(
        "No Registrasi;Tanggal Permohonan;Tanggal Pemberitahuan Tertulis\n"
        f"{satker}/PPID/BARU-001;05/01/2026;09/01/2026\n"
    )
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--satkers", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="folder to keep the landing and warehouse in")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="iku-national-"))
    landing, warehouse = root / "landing", root / "warehouse"
    started = time.monotonic()
    files = write_landing(landing, args.satkers)
    written = time.monotonic() - started
    size = sum(p.stat().st_size for p in files)
    print(f"landing: {args.satkers} satker, {len(files)} files, {size / 2**20:.0f} MiB "
          f"(written in {written:.0f} s)", file=sys.stderr)  # fmt: skip

    from prefect.settings import get_current_settings
    from prefect.testing.utilities import prefect_test_harness

    results: dict[str, dict[str, float | int]] = {}
    with prefect_test_harness(server_startup_timeout=180):
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        env["PREFECT_API_URL"] = str(get_current_settings().api.url)
        env.setdefault("IKU_PII_KEY", "kunci-benchmark")
        for name, prepare in (
            ("full refresh", None),
            ("no-change rerun", None),
            ("one new file", new_export),
        ):
            new = prepare(landing) if prepare else None
            bare, rows = bare_duckdb(landing)
            result = run(landing, warehouse, env)
            result |= {"bare_duckdb_seconds": round(bare, 1), "rows": rows}
            result["ratio"] = round(float(result["seconds"]) / max(bare, 0.01), 1)
            results[name] = result
            print(f"{name}: {result}" + (f" ({new.name})" if new else ""), file=sys.stderr)
    full = float(results["full refresh"]["seconds"])
    print(f"\n| N = {args.satkers} ({len(files) + 1} files, {size / 2**20:.0f} MiB) | seconds "
          "| bare DuckDB s | ratio to bare | share of full run | peak MiB, all processes "
          "| peak MiB, largest process |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['seconds']} | {r['bare_duckdb_seconds']} | {r['ratio']}× "
              f"| {float(r['seconds']) / full:.0%} | {r['peak_all_mib']} | {r['peak_mib']} |")  # fmt: skip
    print(json.dumps({"satkers": args.satkers, "files": len(files), "mib": round(size / 2**20),
                      "runs": results}))  # fmt: skip


if __name__ == "__main__":
    main()
