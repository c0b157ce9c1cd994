"""Building a new analysts' database from the loaded sources, in a file of its own.

The build never touches the published ``kinerja.duckdb``: it writes
``<warehouse>/build/kinerja-<run>.duckdb``, which ``warehouse.publish`` swaps in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

from sources.read import Issue
from warehouse import reference, staging, views
from warehouse.history import LandingProblem
from warehouse.load import SourceLoad
from warehouse.pii import Pseudonymiser

DQ_ISSUE_COLUMNS: dict[str, pl.DataType | type[pl.DataType]] = {
    "source": pl.String,
    "kode_satker": pl.String,
    "file_name": pl.String,
    "sha256": pl.String,
    "row_number": pl.Int64,
    "column_name": pl.String,
    "rule": pl.String,
    "severity": pl.String,
    "message": pl.String,
}


@dataclass(frozen=True)
class RunInfo:
    run_id: str
    as_of: date
    started_at: datetime
    demo: bool


def issue_rows(loads: dict[str, SourceLoad], problems: list[LandingProblem]) -> pl.DataFrame:
    """Every issue of this run, one row each, in the shape of ``dq.issues``."""
    records: list[dict[str, object]] = []
    for name, load in loads.items():
        for file in load.files:
            issue: Issue
            for issue in file.result.issues:
                records.append(
                    {
                        "source": name,
                        "kode_satker": file.export.kode_satker,
                        "file_name": file.export.file_name,
                        "sha256": file.export.sha256,
                        "row_number": issue.row_number,
                        "column_name": issue.column,
                        "rule": issue.rule,
                        "severity": issue.severity,
                        "message": issue.message,
                    }
                )
    for problem in problems:
        parts = Path(problem.path).parts
        records.append(
            {
                "source": parts[1] if len(parts) > 2 else None,
                "kode_satker": parts[0] if len(parts) > 1 else None,
                "file_name": parts[-1],
                "sha256": None,
                "row_number": None,
                "column_name": None,
                "rule": "lokasi_file_salah",
                "severity": "error",
                "message": problem.message,
            }
        )
    return pl.DataFrame(records, schema=DQ_ISSUE_COLUMNS)


def export_rows(loads: dict[str, SourceLoad]) -> pl.DataFrame:
    """One row per export read for this run: what it gave."""
    records = []
    for name, load in loads.items():
        for file in load.files:
            e = file.export
            records.append(
                {
                    "kode_satker": e.kode_satker,
                    "sumber": name,
                    "nama_file": e.file_name,
                    "sha256": e.sha256,
                    "ukuran_byte": e.size,
                    "waktu_file": e.modified.replace(tzinfo=None),
                    "diterima_pada": datetime.fromisoformat(e.landed_at).replace(tzinfo=None),
                    "baris_dibaca": file.rows_read,
                    "baris_valid": file.rows_valid,
                    "ditolak": file.result.rejected,
                }
            )
    schema: dict[str, pl.DataType | type[pl.DataType]] = {
        "kode_satker": pl.String,
        "sumber": pl.String,
        "nama_file": pl.String,
        "sha256": pl.String,
        "ukuran_byte": pl.Int64,
        "waktu_file": pl.Datetime("us"),
        "diterima_pada": pl.Datetime("us"),
        "baris_dibaca": pl.Int64,
        "baris_valid": pl.Int64,
        "ditolak": pl.Boolean,
    }
    return pl.DataFrame(records, schema=schema)


META_DDL = """
CREATE SCHEMA meta;
CREATE TABLE meta.run (
  run_id VARCHAR, tanggal_posisi DATE, dimulai_pada TIMESTAMP, mode_demo BOOLEAN
);
COMMENT ON TABLE meta.run IS 'Run yang membangun database ini';
COMMENT ON COLUMN meta.run.run_id IS 'Pengenal run';
COMMENT ON COLUMN meta.run.tanggal_posisi IS 'Tanggal posisi data (--as-of) yang dipakai IKU';
COMMENT ON COLUMN meta.run.dimulai_pada IS 'Waktu run dimulai (UTC)';
COMMENT ON COLUMN meta.run.mode_demo IS 'Benar bila dibangun dari data demo dengan kunci demo';
CREATE TABLE meta.ekspor (
  kode_satker VARCHAR, sumber VARCHAR, nama_file VARCHAR, sha256 VARCHAR, ukuran_byte BIGINT,
  waktu_file TIMESTAMP, diterima_pada TIMESTAMP, baris_dibaca BIGINT, baris_valid BIGINT,
  ditolak BOOLEAN
);
COMMENT ON TABLE meta.ekspor IS 'Setiap file ekspor di arsip riwayat yang dibaca untuk database ini';
COMMENT ON COLUMN meta.ekspor.kode_satker IS 'Kode satker (folder landing)';
COMMENT ON COLUMN meta.ekspor.sumber IS 'Sumber data (folder landing)';
COMMENT ON COLUMN meta.ekspor.nama_file IS 'Nama file saat mendarat';
COMMENT ON COLUMN meta.ekspor.sha256 IS 'Sidik sha256 isi file (alamat di arsip riwayat)';
COMMENT ON COLUMN meta.ekspor.ukuran_byte IS 'Ukuran file dalam byte';
COMMENT ON COLUMN meta.ekspor.waktu_file IS 'Waktu modifikasi file (UTC); yang terbaru menang per kunci';
COMMENT ON COLUMN meta.ekspor.diterima_pada IS 'Waktu file masuk arsip riwayat (UTC)';
COMMENT ON COLUMN meta.ekspor.baris_dibaca IS 'Jumlah baris data yang dibaca';
COMMENT ON COLUMN meta.ekspor.baris_valid IS 'Jumlah baris tanpa kesalahan';
COMMENT ON COLUMN meta.ekspor.ditolak IS 'Benar bila seluruh file ditolak';
"""

DQ_DDL = """
CREATE SCHEMA dq;
CREATE TABLE dq.issue_run (
  source VARCHAR, kode_satker VARCHAR, file_name VARCHAR, sha256 VARCHAR, row_number BIGINT,
  column_name VARCHAR, rule VARCHAR, severity VARCHAR, message VARCHAR
);
CREATE VIEW dq.issues AS SELECT * FROM dq.issue_run;
COMMENT ON TABLE dq.issue_run IS 'Temuan kualitas data run ini (tabel dasar dq.issues)';
COMMENT ON VIEW dq.issues IS 'Temuan kualitas data run yang membangun database ini: file ditolak, baris dikarantina, peringatan';
COMMENT ON COLUMN dq.issues.source IS 'Sumber data';
COMMENT ON COLUMN dq.issues.kode_satker IS 'Kode satker';
COMMENT ON COLUMN dq.issues.file_name IS 'Nama file ekspor';
COMMENT ON COLUMN dq.issues.sha256 IS 'Sidik sha256 file di arsip riwayat';
COMMENT ON COLUMN dq.issues.row_number IS 'Nomor baris di file (seperti di Excel); NULL untuk temuan tingkat file';
COMMENT ON COLUMN dq.issues.column_name IS 'Kolom yang bermasalah, bila ada';
COMMENT ON COLUMN dq.issues.rule IS 'Aturan yang dilanggar';
COMMENT ON COLUMN dq.issues.severity IS 'error (baris dikarantina atau file ditolak) atau warning (tetap dimuat)';
COMMENT ON COLUMN dq.issues.message IS 'Penjelasan dalam bahasa Indonesia, tanpa data pribadi';
"""


def _run_script(con: duckdb.DuckDBPyConnection, script: str) -> None:
    for statement in script.split(";\n"):
        if statement.strip():
            con.execute(statement)


def _insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    if frame.is_empty():
        return
    con.register("_frame", frame.to_arrow())
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM _frame")
    finally:
        con.unregister("_frame")


def build_database(
    path: Path,
    loads: dict[str, SourceLoad],
    problems: list[LandingProblem],
    run: RunInfo,
    pseudonymiser: Pseudonymiser,
) -> dict[str, int]:
    """Write a complete analysts' database to ``path``; returns staging row counts."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    counts: dict[str, int] = {}
    con = duckdb.connect(str(path))
    try:
        reference.load(con, run.as_of)
        staging.create_tables(con)
        for name, load in loads.items():
            rows = load.rows if load.rows is not None else pl.DataFrame()
            if rows.is_empty():
                counts[name] = 0
                continue
            counts[name] = staging.insert(
                con, load.source, pseudonymiser.publishable(load.source, rows)
            )
        _run_script(con, META_DDL)
        con.execute(
            "INSERT INTO meta.run VALUES (?, ?, ?, ?)",
            [run.run_id, run.as_of, run.started_at.replace(tzinfo=None), run.demo],
        )
        _insert_frame(con, "meta.ekspor", export_rows(loads))
        _run_script(con, DQ_DDL)
        _insert_frame(con, "dq.issue_run", issue_rows(loads, problems))
        views.build(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return counts
