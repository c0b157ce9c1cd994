"""Benchmark: read and validate one generated `siakba` export of N rows (default 1,000,000).

    .venv/bin/python tests/benchmarks/bench_validation.py [--rows N] [--keep DIR]

Writes a semicolon CSV as an office would (dd/mm/yyyy dates, NIK as text), then times
``read_exports`` (parse and type every cell) and ``Validator.check`` (Great Expectations
on pandas, the suite derived from the declaration) separately, and reports the peak memory of
the process (VmHWM) after each phase. Prints one JSON line at the end.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sources import SOURCES  # noqa: E402
from sources.model import CheckContext  # noqa: E402
from sources.read import read_exports  # noqa: E402
from sources.sheet import ReadLimits  # noqa: E402
from warehouse.imports import great_expectations  # noqa: E402
from warehouse.quality import FileToCheck  # noqa: E402
from warehouse.validator import Validator  # noqa: E402
from warehouse.verdict import decide  # noqa: E402


def peak_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def generate(path: Path, rows: int) -> CheckContext:
    """A KPPS export: 7 members per TPS, ~1 in 1,000 rows breaking one rule or another."""
    n = pl.int_range(0, rows, eager=True)
    tps = n // 7
    desa = 6204012001 + (tps // 20) % 9000
    number = tps % 20 + 1
    born = pl.date_range(date(1970, 1, 1), date(2005, 12, 31), "1d", eager=True)
    birth = born.gather((n * 7919) % len(born))
    female = (n % 2) == 1
    frame = pl.DataFrame(
        {"n": n, "tps": tps, "desa": desa, "nomor": number, "lahir": birth, "p": female}
    )
    day = pl.col("lahir").dt.day() + pl.when(pl.col("p")).then(40).otherwise(0)
    nik = pl.concat_str(
        [
            pl.lit("620401"),
            day.cast(pl.String).str.zfill(2),
            pl.col("lahir").dt.month().cast(pl.String).str.zfill(2),
            (pl.col("lahir").dt.year() % 100).cast(pl.String).str.zfill(2),
            (pl.col("n") % 10_000).cast(pl.String).str.zfill(4),
        ]
    )
    # Every 1,000th row gets a NIK whose birth digits disagree (an error to quarantine).
    nik = (
        pl.when(pl.col("n") % 1000 == 999)
        .then(nik.str.replace(r"^(\d{6})\d\d", "${1}99"))
        .otherwise(nik)
    )
    out = frame.select(
        pl.format("R{}", pl.col("n")).alias("No Registrasi"),
        pl.lit("Pemilu 2024").alias("Jenis Pemilihan"),
        nik.alias("NIK"),
        pl.format("Anggota {}", pl.col("n")).alias("Nama Lengkap"),
        pl.when(pl.col("p")).then(pl.lit("P")).otherwise(pl.lit("L")).alias("Jenis Kelamin"),
        pl.col("lahir").dt.strftime("%d/%m/%Y").alias("Tanggal Lahir"),
        pl.lit("SMA/Sederajat").alias("Pendidikan Terakhir"),
        pl.col("desa").cast(pl.String).alias("Kode Desa"),
        pl.col("nomor").cast(pl.String).str.zfill(3).alias("Nomor TPS"),
        pl.when(pl.col("n") % 7 == 0)
        .then(pl.lit("Ketua"))
        .otherwise(pl.lit("Anggota"))
        .alias("Jabatan"),
        pl.lit("Lulus").alias("Status Seleksi"),
        pl.lit("25/01/2024").alias("Tanggal Pelantikan"),
    )
    out.write_csv(path, separator=";")
    desa_codes = frozenset(str(d) for d in frame["desa"].unique().to_list())
    keys = frame.select(pl.format("Pemilu 2024|{}|{}", "desa", "nomor")).to_series().unique()
    return CheckContext(
        as_of=date(2025, 12, 31),
        voting_days={"Pemilu 2024": date(2024, 2, 14)},
        desa={"6204": desa_codes},
        tps={"6204": frozenset(keys.to_list())},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, default=None, help="keep the CSV in this folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="iku-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "siakba.csv"

    started = time.perf_counter()
    context = generate(path, args.rows)
    generated = time.perf_counter() - started
    print(
        f"generated {args.rows:,} rows ({path.stat().st_size / 2**20:.0f} MiB) in {generated:.1f} s",
        file=sys.stderr,
    )
    validator = Validator()
    great_expectations()  # imported once per run, not per file: not part of the timing
    baseline = peak_mib()

    started = time.perf_counter()
    limits = ReadLimits(max_file_bytes=2 * path.stat().st_size, as_of=context.as_of)
    (result,) = read_exports([path], SOURCES["siakba"], limits)
    read_s = time.perf_counter() - started
    after_read = peak_mib()
    print(
        f"read {result.rows.height:,} rows in {read_s:.1f} s, peak {after_read:.0f} MiB",
        file=sys.stderr,
    )

    started = time.perf_counter()
    file = FileToCheck("6204", path.name, result.rows)
    found = validator.check(SOURCES["siakba"], [file], context)[0]
    result = decide(SOURCES["siakba"], result, found.issues, 0.2)
    validate_s = time.perf_counter() - started
    after_validate = peak_mib()
    print(f"validated in {validate_s:.1f} s, peak {after_validate:.0f} MiB", file=sys.stderr)

    errors = len(result.error_rows())
    print(
        json.dumps(
            {
                "rows": result.rows.height,
                "csv_mib": round(path.stat().st_size / 2**20, 1),
                "read_s": round(read_s, 2),
                "validate_s": round(validate_s, 2),
                "rows_in_error": errors,
                "peak_mib_before_read": round(baseline),
                "peak_mib_after_read": round(after_read),
                "peak_mib_after_validate": round(after_validate),
            }
        )
    )
    if args.keep is None:
        path.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
