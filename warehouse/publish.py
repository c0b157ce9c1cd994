"""Publishing: swap a finished build in as ``<warehouse>/kinerja.duckdb`` atomically (SPEC §6).

Readers that hold the old file open keep reading the old file (its inode lives on until they
close it); new readers see the new one; nobody ever sees a half-built database, and a reader
never blocks the swap because the published file is never opened for writing. The previous
databases are kept under ``archive/`` (hard links, no copies) for ``iku rollback``.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from warehouse.history import fsync_path
from warehouse.layout import WarehouseLayout
from warehouse.settings import KEEP_DATABASES


class PublishError(RuntimeError):
    pass


def published_path(warehouse: Path) -> Path:
    return WarehouseLayout(warehouse).published


def verify(build: Path) -> str:
    """The build opens read-only and holds the contract view; returns its run id."""
    con = duckdb.connect(str(build), read_only=True)
    try:
        con.execute("SELECT count(*) FROM iku.capaian").fetchone()
        row = con.execute("SELECT run_id FROM meta.run").fetchone()
    finally:
        con.close()
    if row is None:
        raise PublishError(f"{build.name} has no meta.run")
    return str(row[0])


def archives(warehouse: Path) -> list[Path]:
    """Previous databases, newest first."""
    return sorted(WarehouseLayout(warehouse).archive.glob("kinerja-*.duckdb"), reverse=True)


def _archive_current(warehouse: Path) -> None:
    current = published_path(warehouse)
    if not current.exists():
        return
    stamp = datetime.fromtimestamp(current.stat().st_mtime, UTC).strftime("%Y%m%dT%H%M%S%f")
    target = WarehouseLayout(warehouse).archive / f"kinerja-{stamp}.duckdb"
    target.parent.mkdir(exist_ok=True)
    if not target.exists():
        os.link(current, target)


def _swap(new: Path, warehouse: Path) -> Path:
    target = published_path(warehouse)
    # A WAL beside the published name would be replayed into the new file: there must be none
    # (the published database is only ever opened read-only), so a stray one is removed.
    target.with_name(target.name + ".wal").unlink(missing_ok=True)
    fsync_path(new)
    os.replace(new, target)
    fsync_path(warehouse)
    return target


def publish(build: Path, warehouse: Path, keep: int = KEEP_DATABASES) -> Path:
    """Atomically replace the published database with ``build``; returns its path."""
    if build.with_name(build.name + ".wal").exists():
        raise PublishError(f"{build.name} still has a WAL: the build was not checkpointed")
    verify(build)
    _archive_current(warehouse)
    target = _swap(build, warehouse)
    for old in archives(warehouse)[keep:]:  # the oldest beyond ``keep`` go
        old.unlink(missing_ok=True)
    return target


def rollback(warehouse: Path, to: str | None = None) -> tuple[Path, str]:
    """Bring back an archived database: the newest, or the one of run ``to``. The current
    one is archived first, so a rollback can itself be undone. Returns the archive restored
    and its run id."""
    previous = archives(warehouse)
    if not previous:
        raise PublishError("tidak ada database sebelumnya di arsip untuk dikembalikan")
    ids = [verify(p) for p in previous]
    kept = dict(zip(reversed(ids), reversed(previous), strict=True))  # run id -> newest archive
    run_id = to if to is not None else ids[0]
    if run_id not in kept:
        raise PublishError(
            f"run {run_id} tidak ada di arsip; yang dapat dikembalikan: "
            + ", ".join(sorted(kept, reverse=True))
        )
    chosen = kept[run_id]
    staged = chosen.with_name(f".rollback-{chosen.name}")
    os.link(chosen, staged)
    _archive_current(warehouse)
    _swap(staged, warehouse)
    chosen.unlink()
    return chosen, run_id
