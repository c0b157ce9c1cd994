"""The record of every run, kept under ``<warehouse>/runs/<run_id>/`` outside the database.

The published database is rebuilt each run, so the history of runs (when, what was read,
what was wrong, whether it was published, which alerts went out) lives in small files that
every build loads into the ``dq`` schema: ``run.json`` and ``issues.parquet`` /
``validations.parquet``. Each file is written to a temporary name and renamed into place.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polars as pl

from warehouse.history import atomic_write

RUNS = "runs"


def run_dir(warehouse: Path, run_id: str) -> Path:
    return warehouse / RUNS / run_id


def write_record(warehouse: Path, run_id: str, **fields: Any) -> dict[str, Any]:
    """Create or update ``run.json`` of a run with ``fields``; returns the whole record."""
    path = run_dir(warehouse, run_id) / "run.json"
    record: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {"run_id": run_id}
    record.update(fields)
    body = json.dumps(record, indent=2, ensure_ascii=False, default=str).encode()
    atomic_write(path, lambda handle: handle.write(body))
    return record


def write_frame(warehouse: Path, run_id: str, name: str, frame: pl.DataFrame) -> None:
    atomic_write(run_dir(warehouse, run_id) / f"{name}.parquet", frame.write_parquet)


def records(warehouse: Path) -> list[dict[str, Any]]:
    """Every run's record, oldest first."""
    found = []
    for path in sorted((warehouse / RUNS).glob("*/run.json")):
        try:
            found.append(json.loads(path.read_text()))
        except (OSError, json.JSONDecodeError):
            continue  # a record being written right now, or damaged: skip it
    return found


def frames(warehouse: Path, name: str) -> pl.DataFrame | None:
    """All runs' ``<name>.parquet`` stacked, with their run_id; None when there are none."""
    parts = []
    for path in sorted((warehouse / RUNS).glob(f"*/{name}.parquet")):
        frame = pl.read_parquet(path)
        parts.append(frame.with_columns(pl.lit(path.parent.name).alias("run_id")))
    return pl.concat(parts, how="diagonal_relaxed") if parts else None


LOCK = ".iku-run.lock"


class RunLockedError(RuntimeError):
    """Another run holds the warehouse."""


@contextmanager
def exclusive(warehouse: Path) -> Iterator[None]:
    """Hold the warehouse for one run. The lock is an flock: the kernel releases it when the
    process ends, however it ends, so a killed run never leaves a stale lock behind."""
    warehouse.mkdir(parents=True, exist_ok=True)
    with (warehouse / LOCK).open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            raise RunLockedError(
                f"run lain sedang berjalan di {warehouse} (pid {holder}); coba lagi nanti"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


DOCS = "dq-docs"
KEEP_DOCS = 30  # runs whose Great Expectations Data Docs are kept


def prune_docs(warehouse: Path, keep: int = KEEP_DOCS) -> list[str]:
    """Keep the Data Docs of the last ``keep`` runs (run ids sort by start time)."""
    folders = sorted((p for p in (warehouse / DOCS).glob("*") if p.is_dir()), reverse=True)
    removed = []
    for folder in folders[keep:]:
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(f"{DOCS}/{folder.name}")
    return removed


def recover(warehouse: Path, current: str) -> list[str]:
    """Clean up after runs that were killed: half-written build files and temporary files
    go, and runs still marked as running are marked as stopped. Call under ``exclusive``."""
    cleaned = []
    for path in [
        *(warehouse / "build").glob("*"),
        *(warehouse / "history").glob("*/*/.tmp-*"),
        *(warehouse / RUNS).glob("*/.tmp-*"),
        *(warehouse / "archive").glob(".rollback-*"),
    ]:
        if path.is_file():
            path.unlink(missing_ok=True)
            cleaned.append(str(path.relative_to(warehouse)))
    for record in records(warehouse):
        if record.get("status") == "berjalan" and record.get("run_id") != current:
            write_record(warehouse, str(record["run_id"]), status="terhenti")
            cleaned.append(f"run {record['run_id']} ditandai terhenti")
    return cleaned
