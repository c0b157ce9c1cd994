"""Everything the job keeps under ``<warehouse>/``, named in one place (SPEC §1).

kinerja.duckdb          the analysts' database (published by swap)
archive/                previous databases, for ``iku rollback``
build/kinerja-<run>.duckdb   a database being built
build/mentah-<run>/     loaded rows of a run not kept in cache/ (embedded defaults, failures)
build/gx-<run>/         Great Expectations' stores of a run, until its Data Docs are written
history/<satker>/<source>/   every landed export, by sha256 (the database is rebuilt from it)
history/landing.json   the sha256 of each landing file, by its size, times and inode
cache/<satker>/<source>/     what reading and checking each export gave (warehouse.cache)
runs/<run>/             each run's record and findings
logs/iku.log            the run log (rotated)
dq-docs/<run>/          Great Expectations Data Docs of a run
laporan/<satker>/       the LKjIP reports: lkjip_<satker>_<year>.{html,pdf,xlsx}
.iku-run.lock           held by the run in progress
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class WarehouseLayout:
    root: Path

    @property
    def published(self) -> Path:
        return self.root / "kinerja.duckdb"

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    @property
    def builds(self) -> Path:
        return self.root / "build"

    def build(self, run_id: str) -> Path:
        return self.builds / f"kinerja-{run_id}.duckdb"

    def parts(self, run_id: str) -> Path:
        """Loaded rows of a run that are not kept in the cache, until its build."""
        return self.builds / f"mentah-{run_id}"

    def checks(self, run_id: str) -> Path:
        """What Great Expectations validated in a run, until its Data Docs are written."""
        return self.builds / f"gx-{run_id}"

    @property
    def history(self) -> Path:
        return self.root / "history"

    @property
    def runs(self) -> Path:
        return self.root / "runs"

    def run(self, run_id: str) -> Path:
        return self.runs / run_id

    @property
    def log_file(self) -> Path:
        return self.root / "logs" / "iku.log"

    @property
    def docs(self) -> Path:
        return self.root / "dq-docs"

    def docs_of(self, run_id: str) -> Path:
        return self.docs / run_id

    @property
    def cache(self) -> Path:
        return self.root / "cache"

    @property
    def laporan(self) -> Path:
        return self.root / "laporan"

    @property
    def lock(self) -> Path:
        return self.root / ".iku-run.lock"
