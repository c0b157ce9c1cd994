"""The nightly refresh as a Prefect flow: land → read → build → publish.

Orchestration only: every step is a plain function of ``warehouse`` or ``sources``.
"""

from __future__ import annotations

import sys
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from sources import SOURCES
from warehouse import report
from warehouse.build import RunInfo, build_database
from warehouse.history import Export, History, LandingReport
from warehouse.load import SourceLoad, load_source
from warehouse.pii import DEMO_KEY, DEMO_WARNING, Pseudonymiser, resolve_key
from warehouse.publish import publish
from warehouse.settings import Settings


@dataclass
class RefreshResult:
    """What one run did, for the CLI and for tests."""

    run_id: str
    as_of: date
    published: Path | None
    new_exports: int
    staging_rows: dict[str, int] = field(default_factory=dict)
    rejected_files: list[str] = field(default_factory=list)
    error_rows: int = 0
    warnings: int = 0


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@task(name="land-exports", cache_policy=NO_CACHE)
def land_exports(landing: Path, history: History) -> LandingReport:
    landed = history.land(landing)
    _say(
        f"landing: {len(landed.new)} file baru, {len(landed.unchanged)} sudah ada, "
        f"{len(landed.problems)} bermasalah"
    )
    return landed


@task(name="read-source", task_run_name="read-{source_name}", cache_policy=NO_CACHE)
def read_source(
    source_name: str, exports: list[Export], history: History, max_error_ratio: float
) -> SourceLoad:
    load = load_source(SOURCES[source_name], exports, history.root, max_error_ratio)
    read = sum(f.rows_read for f in load.files)
    valid = sum(f.rows_valid for f in load.files)
    rejected = sum(f.result.rejected for f in load.files)
    rows = load.rows.height if load.rows is not None else 0
    extra = " (data bawaan)" if load.defaults_used else ""
    _say(
        f"{source_name:>9}: {len(load.files)} file ({rejected} ditolak), {read} baris dibaca, "
        f"{valid} valid, {rows} baris staging{extra}"
    )
    return load


@task(name="build-database", cache_policy=NO_CACHE)
def build(
    path: Path, loads: dict[str, SourceLoad], landed: LandingReport, run: RunInfo, key: str
) -> dict[str, int]:
    return build_database(path, loads, landed.problems, run, Pseudonymiser(key))


@task(name="publish", cache_policy=NO_CACHE)
def publish_build(path: Path, warehouse: Path) -> Path:
    return publish(path, warehouse)


@flow(name="iku-refresh")
def refresh(
    landing: Path,
    warehouse: Path,
    as_of: date,
    demo: bool = False,
) -> RefreshResult:
    """One full nightly run over ``landing`` into ``<warehouse>/kinerja.duckdb``."""
    settings = Settings()
    key = resolve_key(settings.pii_key.get_secret_value() if settings.pii_key else None, demo)
    if key == DEMO_KEY:
        _say(DEMO_WARNING)
    run = RunInfo(
        run_id=datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6],
        as_of=as_of,
        started_at=datetime.now(UTC),
        demo=demo,
    )
    history = History(warehouse / "history")
    landed = land_exports(landing, history)

    exports = history.exports()
    futures = {
        name: read_source.submit(
            name, [e for e in exports if e.source == name], history, settings.max_error_ratio
        )
        for name in SOURCES
    }
    loads = {name: future.result() for name, future in futures.items()}

    build_path = warehouse / "build" / f"kinerja-{run.run_id}.duckdb"
    counts = build(build_path, loads, landed, run, key)
    published = publish_build(build_path, warehouse)

    files = [f for load in loads.values() for f in load.files]
    return RefreshResult(
        run_id=run.run_id,
        as_of=as_of,
        published=published,
        new_exports=len(landed.new),
        staging_rows=counts,
        rejected_files=[
            f"{f.export.kode_satker}/{f.export.source}/{f.export.file_name}"
            for f in files
            if f.result.rejected
        ]
        + [p.path for p in landed.problems],
        error_rows=sum(len(f.result.error_rows()) for f in files if not f.result.rejected),
        warnings=sum(1 for f in files for i in f.result.issues if i.severity == "warning"),
    )


__all__ = ["RefreshResult", "refresh", "report"]
