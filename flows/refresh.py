"""The nightly run as a Prefect flow ``iku-nightly`` (its tasks: ``flows.tasks``; after the
swap, ``flows.after``):
pull → land → read and check (per source, concurrently) → build → publish → report → alert.

Orchestration only: every step is a plain function of ``warehouse`` or ``sources``.
"""

# No ``from __future__ import annotations`` here: Prefect builds the flow's parameter model
# from these annotations in the process that runs a deployment, where string annotations
# cannot be resolved ("RefreshModel is not fully defined; you should define Path").
import shutil
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any, cast

from prefect import flow
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from flows.after import publish_and_report, say_done, tell_failure
from flows.tasks import (
    RefreshResult,
    build,
    land_exports,
    progress,
    pull_sources,
    read_all,
)
from sources.demo import is_demo_landing
from sources.model import CheckContext
from warehouse import findings, runs
from warehouse.build import RunInfo
from warehouse.cache import ExportCache
from warehouse.history import History
from warehouse.layout import WarehouseLayout
from warehouse.pii import DEMO_KEY, DEMO_WARNING, Pseudonymiser, resolve_key
from warehouse.reference import known_satkers, sakip_grades, voting_days
from warehouse.settings import Settings
from warehouse.validator import Validator

FLOW_NAME = "iku-nightly"


# Two sources are read at a time: the machine this runs on has two cores, and each source in
# flight holds its largest export in memory (the bound on a run's memory, README "Limits").
@flow(name=FLOW_NAME, task_runner=ThreadPoolTaskRunner(max_workers=2))  # type: ignore[arg-type]
def refresh(
    landing: Path = Path("data/landing"),
    warehouse: Path = Path("data/warehouse"),
    as_of: date | None = None,
    demo: bool = False,
) -> RefreshResult:
    """One full nightly run over ``landing`` into ``<warehouse>/kinerja.duckdb``."""
    started = datetime.now(UTC)
    run_id = runs.new_run_id(started)
    today = runs.today_wib()
    runs.write_record(  # first of all: every run, a refused one too, shows in `iku status`
        warehouse,
        run_id,
        dimulai_pada=started.replace(tzinfo=None).isoformat(),
        tanggal_posisi=(as_of or today).isoformat(),
        status="berjalan",
    )
    with runs.logged(warehouse), runs.failure_recorded(warehouse, run_id):
        as_of = runs.check_as_of(as_of or today, today)
        settings = Settings.load()
        demo = demo or is_demo_landing(landing)
        key = resolve_key(settings.pii_key.get_secret_value() if settings.pii_key else None, demo)
        if key == DEMO_KEY:
            progress.say("demo", DEMO_WARNING)
        runs.write_record(warehouse, run_id, mode_demo=demo)
        run = RunInfo(
            run_id,
            as_of,
            started,
            demo,
            settings.due_soon_days,
            settings.build_memory,
            settings.min_event_date,  # the working-day calendar reaches back as far
        )
        with runs.exclusive(warehouse):
            try:
                for note in runs.recover(warehouse, run.run_id):
                    progress.say("recover", f"pemulihan: {note}", note=note)
                runs.prune_docs(warehouse, settings.keep_docs)
                return _run(run, landing, warehouse, settings, key)
            except Exception as exc:
                tell_failure(run, warehouse, exc, settings)
                raise


def _run(
    run: RunInfo, landing: Path, warehouse: Path, settings: Settings, key: str
) -> RefreshResult:
    """Everything up to the swap must succeed for the run to publish; what follows the swap
    (Data Docs, artifacts, the LKjIP reports, alerts) is best effort: a failure there is a warning."""
    record = partial(runs.write_record, warehouse, run.run_id)
    pulls = pull_sources(
        settings.pull_sources, landing, settings.pull_limits, settings.pull_retry_delays
    )
    layout = WarehouseLayout(warehouse)
    history = History(layout.history)
    landed, exports = land_exports(landing, history, settings.max_file_bytes)
    validator = Validator(layout.docs_of(run.run_id), stores=layout.checks(run.run_id))
    context = CheckContext(run.as_of, voting_days(), sakip_grades=sakip_grades())
    cache = ExportCache(layout.cache)
    parts = layout.parts(run.run_id)
    pseudonymiser = Pseudonymiser(key)
    loads = read_all(exports, history, settings, validator, context, parts, pseudonymiser, cache)
    cache.prune(exports, used=[p for load in loads.values() for p in load.parts])

    satkers = {e.kode_satker for e in exports}
    stale = findings.freshness_rows(loads, run.as_of, settings.freshness_days, satkers)
    told = runs.last_completed(warehouse)  # exports kept since: new to the admins
    new = {e.sha256 for e in exports if told is None or datetime.fromisoformat(e.landed_at) > told}
    issues = findings.issue_rows(
        loads,
        landed.problems,
        new,
        [
            *stale,
            *findings.unknown_satker_rows(loads, known_satkers()),
            *findings.pull_rows(pulls),
        ],
        settings.max_findings_per_rule,
    )
    runs.write_frame(warehouse, run.run_id, "issues", issues)
    runs.write_frame(warehouse, run.run_id, "validations", findings.validation_rows(loads))
    totals = findings.totals(loads, landed.problems, issues)
    record(file_baru=len(new), **totals.record())

    build_path = layout.build(run.run_id)
    # quote: not walked by Prefect looking for futures (every file of every source: 6 s at 514)
    counts = build(build_path, warehouse, cast(Any, quote(loads)), run)  # unquoted by Prefect
    shutil.rmtree(parts, ignore_errors=True)
    totals = replace(totals, rows_staged=sum(counts.values()))
    record(status="dibangun", baris_staging=totals.rows_staged)
    published, docs, reports, alert_results, after = publish_and_report(
        run, warehouse, build_path, issues, loads, validator, settings, totals.files_read
    )
    say_done(run.run_id, published, totals)
    return RefreshResult(
        run_id=run.run_id,
        as_of=run.as_of,
        published=published,
        new_exports=len(landed.new),
        staging_rows=counts,
        rejected_files=totals.files_rejected,
        error_rows=totals.rows_quarantined,
        warnings=totals.warnings,
        docs=docs,
        alerts=alert_results,
        pulls=pulls,
        flow_run_id=flow_run.id,
        after_publish=after,
        reports=reports,
    )
