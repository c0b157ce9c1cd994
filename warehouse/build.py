"""Building a new analysts' database from the loaded sources, in a file of its own.

The build never touches the published ``kinerja.duckdb``: it writes
``<warehouse>/build/kinerja-<run>.duckdb``, which ``warehouse.publish`` swaps in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

from sources import SOURCES
from warehouse import audit, reference, runs, staging, views
from warehouse.load import SourceLoad
from warehouse.pii import Pseudonymiser


@dataclass(frozen=True)
class RunInfo:
    run_id: str
    as_of: date
    started_at: datetime
    demo: bool


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
CREATE TABLE dq.run (
  run_id VARCHAR, dimulai_pada TIMESTAMP, selesai_pada TIMESTAMP, tanggal_posisi DATE,
  mode_demo BOOLEAN, status VARCHAR, file_baru BIGINT, file_dibaca BIGINT, file_ditolak BIGINT,
  baris_staging BIGINT, baris_dikarantina BIGINT, peringatan BIGINT, alert VARCHAR
);
COMMENT ON TABLE dq.run IS 'Riwayat setiap run: kapan, berapa file dan baris, temuan, diterbitkan atau tidak, alert';
COMMENT ON COLUMN dq.run.run_id IS 'Pengenal run';
COMMENT ON COLUMN dq.run.dimulai_pada IS 'Waktu run dimulai (UTC)';
COMMENT ON COLUMN dq.run.selesai_pada IS 'Waktu run selesai (UTC); kosong bila run terhenti';
COMMENT ON COLUMN dq.run.tanggal_posisi IS 'Tanggal posisi (--as-of) run';
COMMENT ON COLUMN dq.run.mode_demo IS 'Benar bila run memakai data dan kunci demo';
COMMENT ON COLUMN dq.run.status IS 'berjalan, dibangun, diterbitkan, gagal, atau terhenti (run yang mati di tengah jalan)';
COMMENT ON COLUMN dq.run.file_baru IS 'Jumlah file ekspor baru yang mendarat pada run ini';
COMMENT ON COLUMN dq.run.file_dibaca IS 'Jumlah file ekspor di arsip riwayat yang dibaca';
COMMENT ON COLUMN dq.run.file_ditolak IS 'Jumlah file yang ditolak seluruhnya';
COMMENT ON COLUMN dq.run.baris_staging IS 'Jumlah baris di semua tabel staging';
COMMENT ON COLUMN dq.run.baris_dikarantina IS 'Jumlah baris yang dikarantina (error)';
COMMENT ON COLUMN dq.run.peringatan IS 'Jumlah temuan berstatus warning';
COMMENT ON COLUMN dq.run.alert IS 'Hasil pengiriman ringkasan ke admin per kanal (email, webhook)';
CREATE TABLE dq.issue_history (
  run_id VARCHAR, source VARCHAR, kode_satker VARCHAR, file_name VARCHAR, sha256 VARCHAR,
  row_number BIGINT, column_name VARCHAR, rule VARCHAR, severity VARCHAR, message VARCHAR,
  file_baru BOOLEAN
);
COMMENT ON TABLE dq.issue_history IS 'Temuan kualitas data semua run (riwayat); dq.issues memuat run yang membangun database ini';
COMMENT ON COLUMN dq.issue_history.run_id IS 'Run yang menemukan';
COMMENT ON COLUMN dq.issue_history.source IS 'Sumber data';
COMMENT ON COLUMN dq.issue_history.kode_satker IS 'Kode satker';
COMMENT ON COLUMN dq.issue_history.file_name IS 'Nama file ekspor';
COMMENT ON COLUMN dq.issue_history.sha256 IS 'Sidik sha256 file di arsip riwayat';
COMMENT ON COLUMN dq.issue_history.row_number IS 'Nomor baris di file (seperti di Excel); NULL untuk temuan tingkat file';
COMMENT ON COLUMN dq.issue_history.column_name IS 'Kolom yang bermasalah, bila ada';
COMMENT ON COLUMN dq.issue_history.rule IS 'Aturan yang dilanggar';
COMMENT ON COLUMN dq.issue_history.severity IS 'error (baris dikarantina atau file ditolak) atau warning (tetap dimuat)';
COMMENT ON COLUMN dq.issue_history.message IS 'Penjelasan dalam bahasa Indonesia, tanpa data pribadi';
COMMENT ON COLUMN dq.issue_history.file_baru IS 'Benar bila file mendarat pada run itu';
CREATE VIEW dq.issues AS
SELECT source, file_name, row_number, rule, severity, message, kode_satker, column_name, sha256, file_baru
FROM dq.issue_history WHERE run_id = (SELECT run_id FROM meta.run);
COMMENT ON VIEW dq.issues IS 'Temuan kualitas data run yang membangun database ini: file ditolak, baris dikarantina, peringatan';
CREATE TABLE dq.validation_history (
  run_id VARCHAR, source VARCHAR, kode_satker VARCHAR, file_name VARCHAR, rule VARCHAR,
  severity VARCHAR, expectation VARCHAR, rows_checked BIGINT, rows_failed BIGINT
);
COMMENT ON TABLE dq.validation_history IS 'Hasil setiap ekspektasi Great Expectations per file per run (riwayat)';
COMMENT ON COLUMN dq.validation_history.run_id IS 'Run yang memeriksa';
COMMENT ON COLUMN dq.validation_history.source IS 'Sumber data';
COMMENT ON COLUMN dq.validation_history.kode_satker IS 'Kode satker';
COMMENT ON COLUMN dq.validation_history.file_name IS 'Nama file ekspor';
COMMENT ON COLUMN dq.validation_history.rule IS 'Aturan';
COMMENT ON COLUMN dq.validation_history.severity IS 'error atau warning';
COMMENT ON COLUMN dq.validation_history.expectation IS 'Jenis ekspektasi Great Expectations';
COMMENT ON COLUMN dq.validation_history.rows_checked IS 'Jumlah baris yang diperiksa';
COMMENT ON COLUMN dq.validation_history.rows_failed IS 'Jumlah baris yang melanggar';
"""

RUN_COLUMNS = (
    "run_id", "dimulai_pada", "selesai_pada", "tanggal_posisi", "mode_demo", "status",
    "file_baru", "file_dibaca", "file_ditolak", "baris_staging", "baris_dikarantina",
    "peringatan", "alert",
)  # fmt: skip


def _comment_view_like_table(con: duckdb.DuckDBPyConnection, view: str, table: str) -> None:
    """A view that shows a table's columns carries the same column comments."""
    schema, name = table.split(".")
    shown = {c for (c,) in con.execute(f"SELECT column_name FROM (DESCRIBE {view})").fetchall()}
    for column, comment in con.execute(
        "SELECT column_name, comment FROM duckdb_columns() WHERE schema_name = ? AND table_name = ?",
        [schema, name],
    ).fetchall():
        if comment and column in shown:
            literal = "'" + comment.replace("'", "''") + "'"
            con.execute(f"COMMENT ON COLUMN {view}.{column} IS {literal}")


def _load_history(con: duckdb.DuckDBPyConnection, warehouse: Path) -> None:
    """Every run's record and findings from ``<warehouse>/runs`` into the dq tables."""
    records = runs.records(warehouse)
    if records:
        rows = [
            [
                json.dumps(r.get(c), ensure_ascii=False) if c == "alert" and r.get(c) else r.get(c)
                for c in RUN_COLUMNS
            ]
            for r in records
        ]
        placeholders = ", ".join("?" for _ in RUN_COLUMNS)
        con.executemany(f"INSERT INTO dq.run VALUES ({placeholders})", rows)
    for name, table in (("issues", "dq.issue_history"), ("validations", "dq.validation_history")):
        frame = runs.frames(warehouse, name)
        if frame is not None:
            columns = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall()]
            _insert_frame(con, table, frame.select(columns))


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


def _quarantine_view(con: duckdb.DuckDBPyConnection) -> None:
    """``dq.quarantine``: every quarantined row of every source, from the loaded rows."""
    parts = []
    for source in SOURCES.values():
        fields = ", ".join(name for _, name in staging.published_columns(source))
        parts.append(
            f"SELECT '{source.name}' AS source, kode_satker, nama_file AS file_name, "
            f"nomor_baris::BIGINT AS row_number, aturan AS rules, pesan AS messages, "
            f"to_json(struct_pack({fields})) AS data "
            f"FROM {staging.SCHEMA}.{source.name} WHERE NOT sah"
        )
    con.execute("CREATE VIEW dq.quarantine AS " + " UNION ALL ".join(parts))
    comments = {
        None: "Baris yang dikarantina run ini (tidak dihitung IKU kecuali sebagai butir tidak "
        "tepat waktu), dengan alasannya; NIK disamarkan, data pribadi lain dibuang. Termasuk "
        "semua baris file yang ditolak karena terlalu banyak baris salah.",
        "source": "Sumber data",
        "kode_satker": "Kode satker",
        "file_name": "Nama file ekspor",
        "row_number": "Nomor baris di file",
        "rules": "Aturan yang dilanggar, dipisah koma",
        "messages": "Penjelasan per aturan",
        "data": "Isi baris (kolom yang boleh diterbitkan) sebagai JSON",
    }
    for column, text in comments.items():
        literal = "'" + text.replace("'", "''") + "'"
        target = "VIEW dq.quarantine" if column is None else f"COLUMN dq.quarantine.{column}"
        con.execute(f"COMMENT ON {target} IS {literal}")


def build_database(
    path: Path,
    warehouse: Path,
    loads: dict[str, SourceLoad],
    run: RunInfo,
    pseudonymiser: Pseudonymiser,
) -> dict[str, int]:
    """Write a complete analysts' database to ``path``; returns staging row counts.

    The run's own record and findings must already be saved under ``<warehouse>/runs``.
    Raises ``audit.AuditFailed`` (after writing ``dq.audit``) when the built database breaks
    an audit: it must not be published.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)
    counts: dict[str, int] = {}
    con = duckdb.connect(str(path))
    try:
        reference.load(con, run.as_of)
        staging.create_tables(con)
        for load in loads.values():
            rows = load.rows if load.rows is not None else pl.DataFrame()
            if not rows.is_empty():
                staging.insert(con, load.source, pseudonymiser.publishable(load.source, rows))
        _run_script(con, META_DDL)
        con.execute(
            "INSERT INTO meta.run VALUES (?, ?, ?, ?)",
            [run.run_id, run.as_of, run.started_at.replace(tzinfo=None), run.demo],
        )
        _insert_frame(con, "meta.ekspor", export_rows(loads))
        _run_script(con, DQ_DDL)
        _comment_view_like_table(con, "dq.issues", "dq.issue_history")
        _load_history(con, warehouse)
        # This database is seen only once it is published: so its own run says so.
        con.execute("UPDATE dq.run SET status = 'diterbitkan' WHERE run_id = ?", [run.run_id])
        _quarantine_view(con)
        views.build(con)
        for name in loads:
            (counts[name],) = con.execute(f"SELECT count(*) FROM staging.{name}").fetchone() or (0,)
        audit.run(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return counts
