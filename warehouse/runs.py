"""The record of every run, kept under ``<warehouse>/runs/<run_id>/`` outside the database.

The published database is rebuilt each run, so the history of runs (when, what was read,
what was wrong, whether it was published, which alerts went out) lives in small files that
every build loads into the ``dq`` schema: ``run.json`` and ``issues.parquet`` /
``validations.parquet``. Each file is written to a temporary name and renamed into place.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import polars as pl

from sources.personal import masked
from warehouse.disk import explain
from warehouse.history import atomic_write, read_json, write_json
from warehouse.layout import WarehouseLayout
from warehouse.publish import PublishError, published_path, verify

WIB = ZoneInfo("Asia/Jakarta")


def today_wib() -> date:
    """Today in Asia/Jakarta: the default as-of date (SPEC §1)."""
    return datetime.now(WIB).date()


def new_run_id(started: datetime) -> str:
    """A run's id: its start in UTC, to the second, and six random hex digits."""
    return started.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]


def write_record(warehouse: Path, run_id: str, **fields: Any) -> None:
    """Create or update ``run.json`` of a run with ``fields``."""
    path = WarehouseLayout(warehouse).run(run_id) / "run.json"
    # Damaged (a disk error), the record starts again: a failure is still recorded as one.
    record = read_json(path) or {"run_id": run_id}
    record.update(fields)
    write_json(path, record, indent=2)


def write_frame(warehouse: Path, run_id: str, name: str, frame: pl.DataFrame) -> None:
    atomic_write(WarehouseLayout(warehouse).run(run_id) / f"{name}.parquet", frame.write_parquet)


def records(warehouse: Path) -> list[dict[str, Any]]:
    """Every run's record, oldest first."""
    found = (read_json(p) for p in sorted(WarehouseLayout(warehouse).runs.glob("*/run.json")))
    return [record for record in found if record is not None]  # a damaged one is skipped


def last_completed(warehouse: Path) -> datetime | None:
    """When the last run that published went through all its steps ended (UTC): the
    exports kept after it are new to the admins. A run killed or stopped after it landed
    them told no one of them."""
    ends = []
    for record in records(warehouse):
        if record.get("status") == "diterbitkan" and isinstance(record.get("selesai_pada"), str):
            with contextlib.suppress(ValueError):  # a time that cannot be read: not counted
                ends.append(datetime.fromisoformat(record["selesai_pada"]).replace(tzinfo=UTC))
    return max(ends, default=None)


class AsOfError(ValueError):
    """An as-of date outside the dates a run can be computed for."""


def check_as_of(as_of: date, today: date) -> date:
    """The as-of date of a run lies between 2000-01-01 and five years after today: far
    enough for the next election cycle's dates, near enough that a year typed with two digits
    swapped (2062 for 2026) is refused, not run."""
    latest = today + timedelta(days=5 * 365)
    if not date(2000, 1, 1) <= as_of <= latest:
        raise AsOfError(
            f"tanggal posisi {as_of.isoformat()} di luar rentang 2000-01-01 s.d. "
            f"{latest.isoformat()}"
        )
    return as_of


class _LogFile(RotatingFileHandler):
    """The job's log file. A line the disk refuses (full, read-only) is given up silently:
    logging's default prints a traceback on the terminal for each such line, pages of them
    over the one line that says why the run failed (which names the disk's problem)."""

    def handleError(self, record: logging.LogRecord) -> None:
        if not isinstance(sys.exc_info()[1], OSError):
            super().handleError(record)

    def close(self) -> None:
        # The lines the disk refused are still in the file's buffer: closing would raise
        # for them at the run's end, over a run that went well otherwise.
        with contextlib.suppress(OSError):
            super().close()


class _Masked(logging.Formatter):
    """A line of the job's log with the personal data in it masked (SPEC §5): the traceback
    of an unforeseen error quotes what the exception says, which can be a cell's value."""

    def format(self, record: logging.LogRecord) -> str:
        return masked(super().format(record))


@contextmanager
def logged(warehouse: Path) -> Iterator[Path]:
    """For the duration of a run, the job's log (its progress, Prefect's messages, and the
    traceback of every unexpected error) is appended to ``<warehouse>/logs/iku.log``
    (``iku.log.1`` … ``iku.log.5`` hold the older lines)."""
    path = WarehouseLayout(warehouse).log_file
    path.parent.mkdir(parents=True, exist_ok=True)
    # Rotated at 10 MiB, five old files kept: a nightly job must not fill the disk with its log.
    handler = _LogFile(path, maxBytes=10 << 20, backupCount=5, encoding="utf-8", delay=True)
    handler.setLevel(logging.INFO)
    handler.setFormatter(_Masked("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    iku = logging.getLogger("iku")
    iku.setLevel(logging.INFO)
    logging.getLogger().addHandler(handler)
    try:
        yield path
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()


@contextmanager
def failure_recorded(warehouse: Path, run_id: str) -> Iterator[None]:
    """A run that ends in an exception is recorded as ``gagal`` with its cause, so every run,
    failed ones too, shows in ``iku status``; the traceback goes to the log."""
    try:
        yield
    except BaseException as exc:
        # What the failed run wrote in build/ goes first: on a full disk that is the room its
        # log and record need, and the space is the server's again at once, not next run.
        discard_build(warehouse, run_id)
        logging.getLogger("iku").exception("run %s gagal", run_id)
        fields = {"kesalahan": explain(exc, warehouse)}
        record = read_json(WarehouseLayout(warehouse).run(run_id) / "run.json") or {}
        # Failed after its swap, it stays published: the record may not say so yet (the
        # disk full right after the swap), the published database does.
        if record.get("status") == "diterbitkan" or published_run(warehouse) == run_id:
            fields["status"] = "diterbitkan"
        else:
            fields |= {
                "status": "gagal",
                "selesai_pada": datetime.now(UTC).replace(tzinfo=None).isoformat(),
            }
        write_record(warehouse, run_id, **fields)
        raise


class RunLockedError(RuntimeError):
    """Another run holds the warehouse."""


@contextmanager
def exclusive(warehouse: Path) -> Iterator[None]:
    """Hold the warehouse for one run. The lock is an flock: the kernel releases it when the
    process ends, however it ends, so a killed run never leaves a stale lock behind."""
    warehouse.mkdir(parents=True, exist_ok=True)
    with WarehouseLayout(warehouse).lock.open("a+") as handle:
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


def prune_docs(warehouse: Path, keep: int) -> list[str]:
    """Keep the Data Docs of the last ``keep`` runs (run ids sort by start time)."""
    docs = WarehouseLayout(warehouse).docs
    folders = sorted((p for p in docs.glob("*") if p.is_dir()), reverse=True)
    removed = []
    for folder in folders[keep:]:
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(str(folder.relative_to(warehouse)))
    return removed


def recover(warehouse: Path, current: str) -> list[str]:
    """Clean up after runs that were killed: half-written build files and temporary files
    go, and runs still marked as running are marked as stopped. Call under ``exclusive``."""
    cleaned = []
    layout = WarehouseLayout(warehouse)
    for path in [
        *layout.builds.glob("*"),
        *layout.history.glob("*/*/.tmp-*"),
        *layout.history.glob(".tmp-*"),
        *layout.runs.glob("*/.tmp-*"),
        *layout.laporan.glob(".tmp-*"),  # (a report or the fingerprints, half written)
        *layout.laporan.glob("*/.tmp-*"),
        *layout.archive.glob(".rollback-*"),
    ]:
        if _remove(path):  # (build/mentah-<run>: a killed run's loaded rows)
            cleaned.append(str(path.relative_to(warehouse)))
    published = published_run(warehouse)
    for record in records(warehouse):
        run_id = str(record.get("run_id"))
        if record.get("status") in ("berjalan", "dibangun") and run_id != current:
            # Killed after the swap but before its record said so: it was published.
            status = "diterbitkan" if run_id == published else "terhenti"
            write_record(warehouse, run_id, status=status)
            cleaned.append(f"run {run_id} ditandai {status}")
    return cleaned


def discard_build(warehouse: Path, run_id: str) -> None:
    """Remove what run ``run_id`` left in ``build/``: its database, WAL and spill files, its
    loaded rows and its Great Expectations stores (each named with the run id)."""
    for path in WarehouseLayout(warehouse).builds.glob(f"*{run_id}*"):
        _remove(path)


def _remove(path: Path) -> bool:
    """Remove a file or a folder; whether there was one."""
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    elif path.is_file():
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
    else:
        return False
    return True


def published_run(warehouse: Path) -> str | None:
    """The run id of the published database, or None."""
    path = published_path(warehouse)
    if not path.exists():
        return None
    try:
        return verify(path)
    except (duckdb.Error, PublishError):
        return None
