"""Publishing: swap a finished build in as ``<warehouse>/kinerja.duckdb`` atomically (SPEC §6).

Readers that hold the old file open keep reading the old file; new readers see the new
one; nobody ever sees a half-built database, and a reader never blocks the swap.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

PUBLISHED = "kinerja.duckdb"


def published_path(warehouse: Path) -> Path:
    return warehouse / PUBLISHED


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def verify(build: Path) -> None:
    """The build opens read-only and holds the contract view; raises otherwise."""
    con = duckdb.connect(str(build), read_only=True)
    try:
        con.execute("SELECT count(*) FROM iku.capaian").fetchone()
    finally:
        con.close()


def publish(build: Path, warehouse: Path) -> Path:
    """Atomically replace the published database with ``build``; returns its path."""
    wal = build.with_name(build.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{build.name} still has a WAL: the build was not checkpointed")
    verify(build)
    _fsync(build)
    target = published_path(warehouse)
    os.replace(build, target)
    _fsync(warehouse)
    return target
