"""The nightly run as a Prefect flow ``iku-nightly``:
pull → land → read and check (per source, concurrently) → build → publish → alert.

Orchestration only: every step is a plain function of ``warehouse`` or ``sources``.
"""

# No ``from __future__ import annotations`` here: Prefect builds the flow's parameter model
# from these annotations in the process that runs a deployment, where string annotations
# cannot be resolved ("RefreshModel is not fully defined; you should define Path").
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

import polars as pl
from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run, task_run
from prefect.task_runners import ThreadPoolTaskRunner

from flows.progress import Progress
from sources import SOURCES
from sources.demo import is_demo_landing
from sources.sheet import ReadLimits
from warehouse import alerts, escape, findings, report, runs
from warehouse.build import RunInfo, build_database
from warehouse.history import Export, History, LandingReport
from warehouse.load import References, SourceLoad, load_source
from warehouse.pii import DEMO_KEY, DEMO_WARNING, Pseudonymiser, resolve_key
from warehouse.publish import publish
from warehouse.pull import (
    DEFAULT_LIMITS,
    Location,
    PullError,
    PullLimits,
    PullResult,
    parse_locations,
    pull_location,
    retry_transient,
)
from warehouse.quality import Validator
from warehouse.reference import sakip_grades, satker_names, voting_days
from warehouse.settings import Settings

FLOW_NAME = "iku-nightly"
WIB = ZoneInfo("Asia/Jakarta")
# Reference sources are read first: the checks of the others look codes up in them.
REFERENCE_SOURCES = ("wilayah", "tps")
progress = Progress()
log = logging.getLogger("iku")
T = TypeVar("T")


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
    docs: Path | None = None
    alerts: list[dict[str, object]] = field(default_factory=list)
    pulls: list[PullResult] = field(default_factory=list)
    flow_run_id: str | None = None
    after_publish: list[str] = field(default_factory=list)  # warnings of the steps after the swap


@task(
    name="pull",
    task_run_name="pull-{location.kode_satker}-{location.source}",
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=[2, 10],
    retry_condition_fn=retry_transient,  # only transient failures: a 404 is not asked again
)
def pull(location: Location, landing: Path, limits: PullLimits = DEFAULT_LIMITS) -> PullResult:
    return pull_location(location, landing, limits)


def pull_sources(locations: list[Location], landing: Path, limits: PullLimits) -> list[PullResult]:
    """Every configured source at once; one that stays down does not stop the others."""
    futures = [(loc, pull.submit(loc, landing, limits)) for loc in locations]
    results = []
    for location, future in futures:
        try:
            result = future.result()
        except PullError as exc:  # still failing after the task's retries
            result = PullResult(location, exc.copied, [], str(exc))
        where = f"{location.kode_satker}/{location.source}"
        if result.error:  # quotes file names and URLs from the source: one inert line
            text = f"tarik {where}: GAGAL ({escape.plain(result.error)})"
        else:
            text = f"tarik {where}: {len(result.copied)} file baru, {len(result.unchanged)} sama"
        progress.say(
            "pull",
            text,
            satker=location.kode_satker,
            source=location.source,
            copied=len(result.copied),
            error=None if result.error is None else escape.plain(result.error),
        )
        results.append(result)
    return results


@task(name="land-exports", cache_policy=NO_CACHE)
def land_exports(landing: Path, history: History, max_file_bytes: int) -> LandingReport:
    landed = history.land(landing, max_file_bytes)
    progress.say(
        "land",
        f"landing: {len(landed.new)} file baru, {len(landed.unchanged)} sudah ada, "
        f"{len(landed.problems)} bermasalah",
        new=len(landed.new),
        unchanged=len(landed.unchanged),
        problems=len(landed.problems),
    )
    return landed


@task(name="read-and-check", task_run_name="read-and-check-{source_name}", cache_policy=NO_CACHE)
def read_source(
    source_name: str,
    exports: list[Export],
    history: History,
    max_error_ratio: float,
    validator: Validator,
    references: References,
    limits: ReadLimits,
    satkers: frozenset[str],
) -> SourceLoad:
    load = load_source(
        SOURCES[source_name], exports, history.root, max_error_ratio, validator, references, limits,
        satkers=satkers,
    )  # fmt: skip
    read = sum(f.rows_read for f in load.files)
    valid = sum(f.rows_valid for f in load.files)
    rejected = sum(f.result.rejected for f in load.files)
    rows = load.keys_staged
    extra = " (data bawaan)" if load.defaults_used else ""
    progress.say(
        "source",
        f"{source_name:>9}: {len(load.files)} file ({rejected} ditolak), {read} baris dibaca, "
        f"{valid} lolos pemeriksaan, {rows} baris staging{extra}",
        source=source_name,
        files=len(load.files),
        rejected=rejected,
        rows_read=read,
        rows_valid=valid,
        rows_staged=rows,
    )
    return load


@task(name="build-database", cache_policy=NO_CACHE)
def build(
    path: Path,
    warehouse: Path,
    loads: dict[str, SourceLoad],
    run: RunInfo,
    key: str,
) -> dict[str, int]:
    return build_database(path, warehouse, loads, run, Pseudonymiser(key))


@task(name="publish", cache_policy=NO_CACHE)
def publish_build(path: Path, warehouse: Path) -> Path:
    published = publish(path, warehouse)
    progress.say("publish", f"diterbitkan: {published}", path=published)
    return published


@task(
    name="send-alert",
    task_run_name="send-alert-{channel.name}",
    cache_policy=NO_CACHE,
    retry_condition_fn=alerts.retry_transient,  # retries and delays: see deliver_digest
)
def send_alert(channel: alerts.Channel, digest: alerts.Digest, settings: Settings) -> int:
    """The digest to one channel; the number of attempts it took (Prefect's run count)."""
    attempt = task_run.run_count
    alerts.deliver(channel, digest, settings, attempt)  # DeliveryError(attempt) when it fails
    return attempt


def deliver_digest(digest: alerts.Digest, settings: Settings) -> list[alerts.ChannelResult]:
    """The digest to every configured channel, each by its own task retried on transient
    failures (``alert_retries`` attempts); one result per channel, never raises."""
    send = send_alert.with_options(
        retries=max(0, settings.alert_retries - 1),
        retry_delay_seconds=alerts.retry_delays(settings),
    )
    results = []
    for channel in alerts.channels(settings):
        try:
            outcome: object = send(channel, digest, settings, return_state=True).result(
                raise_on_failure=False
            )
        except Exception as exc:  # Prefect itself failed: reported, the run goes on
            outcome = exc
        results.append(alerts.channel_result(channel, outcome, settings))
    return results


@task(name="send-alerts", cache_policy=NO_CACHE)
def send_alerts(
    run: RunInfo, issues: pl.DataFrame, published: bool, files_loaded: int, settings: Settings
) -> list[dict[str, object]]:
    """One digest to every configured channel; each channel retries on its own."""
    digest = alerts.Digest(
        run_id=run.run_id,
        as_of=run.as_of,
        published=published,
        issues=[{**r, "new": r["file_baru"]} for r in issues.iter_rows(named=True)],
        files_loaded=files_loaded,
        satker_names=satker_names(),
    )
    if not alerts.should_send(digest, settings.alert_on_warnings):
        return []
    results = deliver_digest(digest, settings)
    for r in results:
        state = "terkirim" if r.ok else f"GAGAL ({r.error})"
        progress.say(
            "alert",
            f"alert {r.channel} ke {r.target}: {state} setelah {r.attempts} percobaan",
            channel=r.channel,
            ok=r.ok,
            attempts=r.attempts,
        )
    return [
        {
            "channel": r.channel,
            "target": r.target,
            "ok": r.ok,
            "attempts": r.attempts,
            "error": r.error,
        }
        for r in results
    ]


def _loads(
    exports: list[Export],
    history: History,
    settings: Settings,
    validator: Validator,
    references: References,
) -> dict[str, SourceLoad]:
    """Reference sources one after the other, then every other source concurrently."""

    def of(name: str) -> list[Export]:
        return [e for e in exports if e.source == name]

    limits = settings.read_limits(references.as_of)
    satkers = frozenset(e.kode_satker for e in exports)
    loads: dict[str, SourceLoad] = {}
    for name in REFERENCE_SOURCES:
        loads[name] = read_source(
            name, of(name), history, settings.max_error_ratio, validator, references, limits,
            satkers,
        )  # fmt: skip
        references = (
            references.with_wilayah(loads[name])
            if name == "wilayah"
            else references.with_tps(loads[name])
        )
    futures = {
        name: read_source.submit(
            name,
            of(name),
            history,
            settings.max_error_ratio,
            validator,
            references,
            limits,
            satkers,
        )
        for name in SOURCES
        if name not in REFERENCE_SOURCES
    }
    loads.update({name: future.result() for name, future in futures.items()})
    return {name: loads[name] for name in SOURCES}


def _artifact(
    run: RunInfo, published: Path, issues: pl.DataFrame, loads: dict[str, SourceLoad]
) -> None:
    """A Markdown page for the Prefect UI: the IKU table, the findings, the files read.
    Every value from an export (file names above all) is escaped: it stays text in its cell."""
    md = escape.markdown
    lines = [f"# Run {md(run.run_id)}", "", f"Tanggal posisi {run.as_of:%d-%m-%Y}.", ""]
    lines += ["```", report.capaian_table(published, as_of_year=run.as_of.year), "```", ""]
    summary = issues.group_by("source", "severity").len().sort("source", "severity")
    lines += ["## Kualitas data", "", "| sumber | tingkat | temuan |", "|---|---|---|"]
    lines += [f"| {md(s)} | {md(v)} | {n} |" for s, v, n in summary.iter_rows()]
    lines += [
        "",
        "## File",
        "",
        "| sumber | file | baris | lolos | ditolak |",
        "|---|---|---|---|---|",
    ]
    for name, load in loads.items():
        for f in load.files:
            lines.append(
                f"| {md(name)} | {md(f.export.file_name)} | {f.rows_read} | {f.rows_valid} | "
                f"{'ya' if f.result.rejected else ''} |"
            )
    create_markdown_artifact(
        markdown="\n".join(lines), key="iku-nightly", description=f"Run {run.run_id}"
    )


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
    run_id = started.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    today = datetime.now(WIB).date()
    runs.write_record(  # first of all: every run, a refused one too, shows in `iku status`
        warehouse,
        run_id,
        dimulai_pada=started.replace(tzinfo=None).isoformat(),
        tanggal_posisi=(as_of or today).isoformat(),
        status="berjalan",
    )
    with runs.logged(warehouse), runs.failure_recorded(warehouse, run_id):
        as_of = runs.check_as_of(as_of or today, today)
        settings = Settings()
        demo = demo or is_demo_landing(landing)
        key = resolve_key(settings.pii_key.get_secret_value() if settings.pii_key else None, demo)
        if key == DEMO_KEY:
            progress.say("demo", DEMO_WARNING)
        runs.write_record(warehouse, run_id, mode_demo=demo)
        run = RunInfo(run_id=run_id, as_of=as_of, started_at=started, demo=demo)
        with runs.exclusive(warehouse):
            for note in runs.recover(warehouse, run.run_id):
                progress.say("recover", f"pemulihan: {note}", note=note)
            runs.prune_docs(warehouse)
            return _run(run, landing, warehouse, settings, key)


def _run(
    run: RunInfo, landing: Path, warehouse: Path, settings: Settings, key: str
) -> RefreshResult:
    """Everything up to the swap must succeed for the run to publish; what follows the swap
    (Data Docs, artifact, alerts) is best effort: a failure there is a warning."""
    record = partial(runs.write_record, warehouse, run.run_id)
    pulls = pull_sources(parse_locations(settings.pull_sources), landing, settings.pull_limits)
    history = History(warehouse / "history")
    landed = land_exports(landing, history, settings.max_file_bytes)
    exports = history.exports()
    validator = Validator(docs_dir=warehouse / "dq-docs" / run.run_id)
    loads = _loads(
        exports,
        history,
        settings,
        validator,
        References(run.as_of, voting_days(), sakip_grades=sakip_grades()),
    )

    files = [f for load in loads.values() for f in load.files]
    satkers = {e.kode_satker for e in exports}
    stale = findings.freshness_rows(loads, run.as_of, settings.freshness_intervals, satkers)
    pull_failures = findings.pull_failure_rows(pulls)
    issues = findings.issue_rows(
        loads,
        landed.problems,
        {e.sha256 for e in landed.new},
        [*stale, *pull_failures],
        settings.max_findings_per_rule,
    )
    runs.write_frame(warehouse, run.run_id, "issues", issues)
    runs.write_frame(warehouse, run.run_id, "validations", findings.validation_rows(loads))
    refused = [p for p in landed.problems if p.severity == "error"]
    rejected = [f for f in files if f.result.rejected]
    error_rows = sum(
        load.rows.height - load.valid().height for load in loads.values() if load.rows is not None
    )
    warnings = issues.filter(issues["severity"] == "warning").height
    staged = sum(load.keys_staged for load in loads.values())
    record(
        file_baru=len(landed.new),
        file_dibaca=len(files),
        file_ditolak=len(rejected) + len(refused),
        baris_staging=staged,
        baris_dikarantina=error_rows,
        peringatan=warnings,
    )

    build_path = warehouse / "build" / f"kinerja-{run.run_id}.duckdb"
    counts = build(build_path, warehouse, loads, run, key)
    record(status="dibangun")
    published = publish_build(build_path, warehouse)
    record(status="diterbitkan", diterbitkan_pada=_now())

    after: list[str] = []  # what went wrong after the swap: warnings, the run stays published
    docs = _best_effort(after, "Data Docs", validator.build_docs)
    _best_effort(after, "artifact Prefect", lambda: _artifact(run, published, issues, loads))
    alert_results = (
        _best_effort(after, "alert", lambda: send_alerts(run, issues, True, len(files), settings))
        or []
    )
    record(selesai_pada=_now(), alert=alert_results or None, peringatan_setelah_terbit=after)
    progress.say(
        "done",
        f"selesai: {staged} baris staging, {len(rejected) + len(refused)} file ditolak, "
        f"{error_rows} baris dikarantina, {warnings} peringatan",
        run_id=run.run_id,
        published=published,
        rows_staged=staged,
        files_rejected=len(rejected) + len(refused),
        rows_quarantined=error_rows,
        warnings=warnings,
    )
    return RefreshResult(
        run_id=run.run_id,
        as_of=run.as_of,
        published=published,
        new_exports=len(landed.new),
        staging_rows=counts,
        rejected_files=[
            f"{f.export.kode_satker}/{f.export.source}/{f.export.file_name}" for f in rejected
        ]
        + [p.path for p in refused],
        error_rows=error_rows,
        warnings=warnings,
        docs=docs,
        alerts=alert_results,
        pulls=pulls,
        flow_run_id=flow_run.id,
        after_publish=after,
    )


def _now() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat()


def _best_effort(warnings: list[str], step: str, action: Callable[[], T]) -> T | None:
    """Run a step after publishing; its failure is a warning (logged with its traceback)."""
    try:
        return action()
    except Exception as exc:
        log.exception("setelah terbit: %s", step)
        text = f"{step} gagal setelah database diterbitkan: {type(exc).__name__}: {exc}"
        warnings.append(escape.plain(text))
        progress.say("warning", escape.plain(text), step=step)
        return None
