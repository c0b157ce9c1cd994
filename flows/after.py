"""What follows the swap of the nightly run: the Data Docs, the Prefect artifacts, the LKjIP
reports and the alerts, each best effort (its failure a warning: the run stays published);
and the alert of a run that failed before its swap (``tell_failure``), through the same
channels."""

import contextvars
import shutil
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import TypeVar

import polars as pl
from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.exceptions import ExternalSignal
from prefect.runtime import task_run

from flows.tasks import log, now_utc, progress, publish_build
from warehouse import alerts, escape, report, runs
from warehouse.build import RunInfo
from warehouse.digest import Digest, should_send
from warehouse.disk import disk_problem, explain
from warehouse.findings import RunTotals
from warehouse.laporan import write_reports
from warehouse.layout import WarehouseLayout
from warehouse.load import SourceLoad
from warehouse.reference import satker_names
from warehouse.settings import Settings
from warehouse.validator import Validator

# The run record's field naming the as-of date whose items due soon the admins were told.
DUE_TOLD = "jatuh_tempo_diberitahukan"
T = TypeVar("T")


@task(
    name="send-alert",
    task_run_name="send-alert-{channel.name}",
    cache_policy=NO_CACHE,
    retry_condition_fn=alerts.retry_transient,  # retries and delays: see deliver_digest
)
def send_alert(channel: alerts.Channel, digest: Digest, settings: Settings) -> int:
    """The digest to one channel; the number of attempts it took (Prefect's run count)."""
    attempt = task_run.run_count
    alerts.deliver(channel, digest, settings, attempt)  # DeliveryError(attempt) when it fails
    return attempt


def deliver_digest(digest: Digest, settings: Settings) -> list[alerts.ChannelResult]:
    """The digest to every configured channel, each by its own task retried on transient
    failures (``alert_retries`` attempts); one result per channel, never raises."""
    send = send_alert.with_options(
        retries=settings.alert_retries - 1,
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
    run: RunInfo,
    issues: pl.DataFrame,
    published: Path,
    warehouse: Path,
    files_loaded: int,
    settings: Settings,
) -> list[dict[str, object]]:
    """One digest to every configured channel; each channel retries on its own. Items due
    soon (``iku.jatuh_tempo``) make a digest once per as-of date."""
    digest = Digest(
        run_id=run.run_id,
        as_of=run.as_of,
        issues=issues.to_dicts(),
        files_loaded=files_loaded,
        satker_names=satker_names(),
        due=report.due_counts(published),
    )
    told = any(r.get(DUE_TOLD) == run.as_of.isoformat() for r in runs.records(warehouse))
    if not should_send(digest, settings.alert_on_warnings, due_told=told):
        return []
    results = deliver_digest(digest, settings)
    if digest.due and any(r.ok for r in results):
        runs.write_record(warehouse, run.run_id, **{DUE_TOLD: run.as_of.isoformat()})
    for r in results:
        progress.say("alert", r.summary(), channel=r.channel, ok=r.ok, attempts=r.attempts)
    return [asdict(r) for r in results]  # as kept in the run's record (dq.run.alert)


def tell_failure(run: RunInfo, warehouse: Path, exc: Exception, settings: Settings) -> None:
    """A run that failed before its swap tells the admins why, on every configured channel:
    unattended, it would otherwise fail night after night unseen (a broken reference file).
    Best effort: the failure itself is what the run reports, never this step's own."""
    try:
        if runs.published_run(warehouse) == run.run_id:
            return  # it failed after its swap: published, its findings told by the next run
        try:
            names = satker_names()
        except Exception:  # the reference files may be what failed
            names = {}
        digest = Digest(run.run_id, run.as_of, [], 0, names, failure=explain(exc, warehouse))
        results = deliver_digest(digest, settings)
        for r in results:
            progress.say("alert", r.summary(), channel=r.channel, ok=r.ok, attempts=r.attempts)
        if results:
            runs.write_record(warehouse, run.run_id, alert=[asdict(r) for r in results])
    except Exception:
        log.exception("alert run gagal tidak terkirim")


def best_effort(warnings: list[str], step: str, action: Callable[[], T]) -> T | None:
    """Run a step after publishing; its failure is a warning (logged with its traceback)."""
    try:
        return action()
    except Exception as exc:
        log.exception("setelah terbit: %s", step)
        why = disk_problem(exc) or f"{type(exc).__name__}: {exc}"
        warn(warnings, step, f"{step} gagal setelah database diterbitkan: {why}")
        return None


def warn(warnings: list[str], step: str, text: str) -> None:
    """A warning of a step after publishing: in the run record and on the progress output."""
    warnings.append(escape.plain(text))
    progress.say("warning", escape.plain(text), step=step)


# Ctrl+C, and SIGTERM as Prefect raises it in a flow: after the swap, the run stays published.
STOPPED = (KeyboardInterrupt, ExternalSignal)
DEFERRED = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Ctrl+C and SIGTERM wait until the block has ended, then act as they would have: the
    swap and the record that says so are one step (a stop between them left a published run
    recorded as failed). Only the main thread can set handlers; elsewhere nothing waits."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    handlers = {n: signal.signal(n, lambda n, _: caught.append(n)) for n in DEFERRED}
    try:
        yield
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        for number in caught:
            handler = handlers[signal.Signals(number)]
            if callable(handler):
                handler(number, None)  # KeyboardInterrupt, Prefect's TerminationSignal
            elif handler == signal.SIG_DFL:
                signal.raise_signal(number)


def publish_and_report(
    run: RunInfo,
    warehouse: Path,
    build_path: Path,
    issues: pl.DataFrame,
    loads: dict[str, SourceLoad],
    validator: Validator,
    settings: Settings,
    files_read: int,
) -> tuple[Path, Path | None, list[Path] | None, list[dict[str, object]], list[str]]:
    """The swap, then what follows it, each step best effort (its failure a warning): the
    Prefect artifacts, the LKjIP reports and, beside them on a thread, the Data Docs
    (Python, in Great Expectations, while the reports' charts are drawn outside the GIL by
    vl-convert: 0.4 s of a run at one satker), then the alerts. Returns the published
    database, the Data Docs, the report files (None when that step failed), the alerts sent
    and the warnings.

    Once through, the run is completed (``selesai_pada``): its new exports were told.
    Stopped in these steps (Ctrl+C, SIGTERM), it stays published (exit 0) and not
    completed: the next run tells them, and writes what this one left."""
    after: list[str] = []
    published: Path | None = None
    docs: Path | None = None
    reports: list[Path] | None = []  # None: the report step failed as a whole
    sent: list[dict[str, object]] = []
    try:
        with signals_deferred():
            published = publish_build(build_path, warehouse, settings.keep_databases)
            runs.write_record(
                warehouse, run.run_id, status="diterbitkan", diterbitkan_pada=now_utc()
            )
        with ThreadPoolExecutor(1, thread_name_prefix="data-docs") as beside:
            docs_built = beside.submit(
                contextvars.copy_context().run,
                best_effort,
                after,
                "Data Docs",
                validator.build_docs,
            )
            page = partial(report.run_markdown, run.run_id, run.as_of, published, issues, loads)
            best_effort(after, "artifact Prefect", lambda: create_markdown_artifact(
                markdown=page(), key="iku-nightly", description=f"Run {run.run_id}"))  # fmt: skip
            table = partial(report.capaian_rows, published, run.as_of.year)
            best_effort(after, "artifact tabel Prefect", lambda: create_table_artifact(
                table=table()[1], key="iku-capaian", description=f"Capaian IKU, run {run.run_id}"))  # fmt: skip
            lost: list[str] = []  # reports that could not be made; the others are written
            write = partial(write_reports, warehouse, failed=lost)
            reports = best_effort(after, "laporan LKjIP", write)
            for text in lost:
                log.warning("laporan LKjIP tidak ditulis: %s", text)
                warn(after, "laporan LKjIP", f"laporan LKjIP {text} (laporan lain ditulis)")
            best_effort(after, "artifact laporan Prefect", lambda: create_markdown_artifact(
                markdown=report.reports_markdown(reports or []), key="iku-laporan",
                description=f"Laporan LKjIP, run {run.run_id}"))  # fmt: skip
            docs = docs_built.result()
        shutil.rmtree(WarehouseLayout(warehouse).checks(run.run_id), ignore_errors=True)
        send = partial(send_alerts, run, issues, published, warehouse, files_read, settings)
        sent = best_effort(after, "alert", send) or []
        done = {"selesai_pada": now_utc(), "alert": sent or None}
    except STOPPED as exc:
        if published is None:
            raise
        text = (
            f"run dihentikan ({type(exc).__name__}) setelah database diterbitkan: laporan, "
            "Data Docs atau alert yang belum selesai dikerjakan run berikutnya"
        )
        log.warning(text)
        warn(after, "berhenti", text)
        done = {}
    runs.write_record(warehouse, run.run_id, **done, peringatan_setelah_terbit=after)
    return published, docs, reports, sent, after


def say_done(run_id: str, published: Path, totals: RunTotals) -> None:
    """The last progress line: ``totals`` with the rows staged of the built database."""
    progress.say(
        "done",
        f"selesai: {totals.rows_staged} baris staging, {len(totals.files_rejected)} file "
        f"ditolak, {totals.rows_quarantined} baris dikarantina, {totals.warnings} peringatan",
        run_id=run_id,
        published=published,
        rows_staged=totals.rows_staged,
        files_rejected=len(totals.files_rejected),
        rows_quarantined=totals.rows_quarantined,
        warnings=totals.warnings,
    )
