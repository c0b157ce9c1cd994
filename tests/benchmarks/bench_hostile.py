"""Benchmark: peak memory and time of one `iku refresh` over the demo landing plus every hostile
file of ``tests/hostile.py`` and two valid CSVs just under the file-size limit, in two sources
that the run reads at the same time (the worst case of its memory bound).

    .venv/bin/python tests/benchmarks/bench_hostile.py [--big-mib 60] [--keep DIR]

The run is the real command (`python -m flows.cli refresh`) in its own process, against a
Prefect server this script starts with Prefect's test harness (so the server's memory is not
counted). The peak is that process's maximum resident set size, from ``wait4``. Prints one
JSON line at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

from sources.demo import write_demo  # noqa: E402
from tests.hostile import write_hostile  # noqa: E402

BIG = {
    "ppid": (
        "No Registrasi;Tanggal Permohonan;Tanggal Pemberitahuan Tertulis;Pekerjaan\n",
        "B-{n:09d};03/03/2025;10/03/2025;Wiraswasta di Buntok\n",
    ),
    "tahapan": (
        "Kode Tahapan;Jadwal Mulai;Jadwal Selesai;Realisasi Mulai;Realisasi Selesai\n",
        "T-{n:09d};01/03/2025;10/03/2025;01/03/2025;10/03/2025\n",
    ),
}


def big_export(path: Path, source: str, size: int) -> None:
    """A valid export of about ``size`` bytes (the largest file a run may meet)."""
    head, row = BIG[source]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as out:
        out.write(head)
        n, written = 0, 0
        while written < size:
            line = row.format(n=n)
            out.write(line)
            written += len(line)
            n += 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--big-mib", type=int, default=60, help="size of each large valid CSV")
    parser.add_argument("--keep", type=Path, help="folder to keep the landing and warehouse in")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="iku-hostile-"))
    landing, warehouse = root / "landing", root / "warehouse"
    write_demo(landing)
    expected = write_hostile(landing, root / "outside", big_bytes=(64 << 20) + 1)
    for source in BIG:
        big_export(
            landing / "6204" / source / f"{source}_besar_valid.csv", source, args.big_mib << 20
        )

    from prefect.settings import get_current_settings
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        env["PREFECT_API_URL"] = str(get_current_settings().api.url)
        env.setdefault("IKU_PII_KEY", "kunci-benchmark")  # demo files and more: not a demo
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "flows.cli", "refresh", "--landing", str(landing),
             "--warehouse", str(warehouse), "--as-of", "2026-01-31"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - started
    result = {
        "exit": os.waitstatus_to_exitcode(status),
        "seconds": round(seconds, 1),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
        "hostile_files": len(expected),
        "big_valid_csvs": {source: args.big_mib for source in BIG},
        "self_peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
