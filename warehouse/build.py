"""Building a new analysts' database from the loaded sources, in a file of its own.

The build never touches the published ``kinerja.duckdb``: it writes
``<warehouse>/build/kinerja-<run>.duckdb``, which ``warehouse.publish`` swaps in.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

from warehouse import audit, reference, runs, staging, views
from warehouse.layout import WarehouseLayout
from warehouse.load import SourceLoad
from warehouse.settings import BUILD_MEMORY, DUE_SOON_DAYS


@dataclass(frozen=True)
class RunInfo:
    run_id: str
    as_of: date
    started_at: datetime
    demo: bool
    due_soon_days: int = DUE_SOON_DAYS  # iku.jatuh_tempo looks this far ahead
    build_memory: str = BUILD_MEMORY  # DuckDB's memory while building (IKU_BUILD_MEMORY)
    calendar_start: date = reference.CALENDAR_START  # the earliest plausible event date


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
    return pl.DataFrame(records)


# The on-disk format of the published database: the oldest DuckDB storage version this DuckDB
# can write, so that every DuckDB 1.x client opens it (the duckdb CLI from PyPI, and the 1.x
# drivers of DBeaver, ODBC and JDBC); a 2.0 default file would open in none of them (SPEC §7).
STORAGE_VERSION = "v1.0.0"


def _load_history(con: duckdb.DuckDBPyConnection, warehouse: Path) -> None:
    """Every run's record and findings from ``<warehouse>/runs`` into the dq tables."""

    def columns(table: str) -> list[str]:  # as the table is declared (sql/0_catatan)
        return [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall()]

    records, run = runs.records(warehouse), columns("dq.run")
    if records:
        rows = [
            [
                json.dumps(r[c], ensure_ascii=False) if c == "alert" and r.get(c) else r.get(c)
                for c in run
            ]
            for r in records
        ]
        con.executemany(f"INSERT INTO dq.run VALUES ({', '.join('?' for _ in run)})", rows)
    for name, table in (("issues", "dq.issue_history"), ("validations", "dq.validation_history")):
        files = sorted(WarehouseLayout(warehouse).runs.glob(f"*/{name}.parquet"))
        if files:  # every run's, oldest first, with its run_id: the name of its folder
            con.execute(
                f"INSERT INTO {table} SELECT {', '.join(columns(table))} "
                "FROM (SELECT *, parse_filename(parse_dirpath(filename)) AS run_id "
                "FROM read_parquet(?, filename = true, union_by_name = true))",
                [[str(p) for p in files]],
            )


def _insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    if frame.is_empty():
        return
    con.from_arrow(frame.to_arrow()).insert_into(table)


Counted = dict[str, tuple[str, int]]  # per source: its staging view's digest, and its rows


def counted(con: duckdb.DuckDBPyConnection) -> Counted:
    """What a database (the published one, copied for a build) counted of each staging view
    and with which definition; nothing when it was built by code that did not say."""
    try:
        rows = con.execute("SELECT sumber, definisi, baris FROM meta.staging").fetchall()
    except duckdb.Error:
        return {}
    return {name: (definition, count) for name, definition, count in rows}


def count_staging(
    con: duckdb.DuckDBPyConnection, names: Iterable[str], known: Counted | None = None
) -> dict[str, int]:
    """Count the rows of each ``staging.<name>`` once, into ``meta.staging``: a staging view
    picks the newest valid row of each key (a window over all of a source's rows: 8.8
    million SIAKBA rows at 514 satkers), and both the run record and
    ``audit.baris_terhitung`` need the counts.

    A staging view reads only its ``mentah`` table: the count ``known`` of a source whose
    loaded rows were kept from the published database holds while the view's definition is
    the same (its digest), and is not counted again. (``audit.baris_terhitung`` still checks
    every count against the loaded rows.)"""
    con.execute("DELETE FROM meta.staging")
    for name in names:
        digest = con.execute(
            "SELECT md5(sql) FROM duckdb_views() "
            "WHERE schema_name = 'staging' AND view_name = ? AND database_name = current_database()",
            [name],
        ).fetchone()
        before = (known or {}).get(name)
        if digest is not None and before is not None and before[0] == digest[0]:
            con.execute("INSERT INTO meta.staging VALUES (?, ?, ?)", [name, *before])
        else:
            insert = f"INSERT INTO meta.staging SELECT ?, ?, count(*) FROM staging.{name}"
            con.execute(insert, [name, digest[0] if digest else None])
    return dict(con.execute("SELECT sumber, baris FROM meta.staging").fetchall())


def build_database(
    path: Path,
    warehouse: Path,
    loads: dict[str, SourceLoad],
    run: RunInfo,
) -> dict[str, int]:
    """Write a complete analysts' database to ``path``; returns staging row counts.

    It starts from a copy of the published database, if any: the loaded rows of a source
    whose exports and decisions did not change are kept as they are (``meta.muatan`` names
    the parts they came from), everything else is made afresh.

    The run's own record and findings must already be saved under ``<warehouse>/runs``.
    Raises ``audit.AuditFailed`` (after writing ``dq.audit``) when the built database breaks
    an audit: it must not be published.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)
    published = WarehouseLayout(warehouse).published
    if published.is_file():  # its loaded rows that did not change are kept (keep_loaded)
        shutil.copyfile(published, path)
    spill = path.with_name(path.name + ".tmp")
    config: dict[str, str | bool | int | float | list[str]] = {
        "storage_compatibility_version": STORAGE_VERSION,
        "memory_limit": run.build_memory,  # beyond it, DuckDB spills beside the build
        "temp_directory": str(spill),
    }
    con = duckdb.connect(str(path), config=config)
    try:
        known = counted(con)  # before keep_loaded drops the published meta schema
        kept = staging.keep_loaded(con, {n: load.parts for n, load in loads.items()})
        # One transaction up to the audits: DuckDB commits each statement of its own
        # otherwise, and the build has hundreds (the views and their comments).
        con.begin()
        reference.load(
            con, run.as_of, due_soon_days=run.due_soon_days, calendar_start=run.calendar_start
        )
        staging.create_tables(con, [load.source for n, load in loads.items() if n not in kept])
        views.build(con)  # every schema and view; the tables below fill them
        for name, load in loads.items():  # already publishable: see warehouse.load
            if name not in kept:
                staging.insert(con, load.source, load.parts)
        muatan = [(n, p.name, n in kept) for n, load in loads.items() for p in load.parts]
        names = ["sumber", "bagian", "dipakai_ulang"]
        _insert_frame(con, "meta.muatan", pl.DataFrame(muatan, names, orient="row"))
        con.execute(
            "INSERT INTO meta.run VALUES (?, ?, ?, ?)",
            [run.run_id, run.as_of, run.started_at.replace(tzinfo=None), run.demo],
        )
        _insert_frame(con, "meta.ekspor", export_rows(loads))
        _load_history(con, warehouse)
        counts = count_staging(con, loads, {n: c for n, c in known.items() if n in kept})
        # This database is seen only once it is published: so its own run says so.
        con.execute(
            "UPDATE dq.run SET status = 'diterbitkan', baris_staging = ? WHERE run_id = ?",
            [sum(counts.values()), run.run_id],
        )
        views.materialise(con)  # the analysts' iku.* as tables, computed once per run
        views.materialise(con, "laporan")  # and the reports' (read per satker)
        con.commit()
        audit.run(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)
    return counts
