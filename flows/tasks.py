"""The tasks of the nightly run: each names one step and calls the plain function of
``warehouse`` or ``sources`` that does it; retries, concurrency and logs are Prefect's."""

import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.task_runners import ProcessPoolTaskRunner
from prefect.utilities.annotations import quote

from flows.progress import Progress
from sources import REFERENCE_SOURCES, SOURCES
from sources.model import CheckContext
from sources.sheet import ReadLimits
from warehouse.build import build_database
from warehouse.cache import ExportCache
from warehouse.history import Export, History, LandingReport
from warehouse.load import CHUNK_BYTES, SourceLoad, load_exports
from warehouse.pii import Pseudonymiser
from warehouse.publish import publish
from warehouse.pull import PullResult, pull_location, retry_transient
from warehouse.settings import Settings
from warehouse.shards import combine, reference_lists, shards, with_reference
from warehouse.transfer import Location, PullError, PullLimits
from warehouse.validator import Validator

progress = Progress()
# What an export already read and kept in the cache weighs in a shard (warehouse.shards)
# instead of its bytes: about what reading that many bytes costs. Shards of kept exports are
# then about a thousand files: few task runs when nothing is new.
KEPT_EXPORT_BYTES = 16 * 2**10
# What reading an export costs at least, whatever its size: opening, detecting and typing it
# as a frame of its own take about 20 ms here, as long as 64 KiB of rows. So a shard holds at
# most 256 small exports: its checks' batch and its worker's memory stay bounded (a shard of
# 2,500 PPID registers took 53 s in one worker, the other idle).
EXPORT_BYTES_AT_LEAST = 64 * 2**10
log = logging.getLogger("iku")
T = TypeVar("T")


@dataclass
class Attempts:
    """The attempts at one location in a run: when they must be done, set by the first, and
    what the last one failed with."""

    end: float
    failed: PullError | None = None


@task(
    name="pull",
    task_run_name="pull-{location.kode_satker}-{location.source}",
    cache_policy=NO_CACHE,
    retry_condition_fn=retry_transient,  # only transient failures: a 404 is not asked again
)  # retries and their delays: IKU_PULL_RETRY_DELAYS, see pull_sources
def pull(
    location: Location, landing: Path, limits: PullLimits, attempts: dict[Location, Attempts]
) -> PullResult:
    """One attempt at ``location`` (``pull_location``) within the deadline its first attempt
    set in ``attempts``: a server that takes nearly all of it and then answers 503 would
    otherwise get the whole deadline again on each retry, three times as long in all. A retry
    that comes when no time is left (after its delay) is not made: what the last attempt
    failed with is the result, not a listing cut at once."""
    these = attempts.setdefault(location, Attempts(time.monotonic() + limits.deadline))
    if these.failed is not None and time.monotonic() >= these.end:
        return PullResult.failed(location, these.failed)
    try:
        return pull_location(location, landing, limits, these.end)
    except PullError as exc:
        these.failed = exc
        raise


def pull_sources(
    locations: list[Location], landing: Path, limits: PullLimits, delays: Sequence[float]
) -> list[PullResult]:
    """Every configured source at once, each retried after ``delays`` seconds while it fails
    in a way another attempt may fix; one that stays down does not stop the others."""
    retried = pull.with_options(retries=len(delays), retry_delay_seconds=list(delays) or 0)
    # The attempts at each location; quoted: Prefect hands every attempt this dict itself,
    # never a copy.
    attempts: Any = quote({})
    futures = [(loc, retried.submit(loc, landing, limits, attempts)) for loc in locations]
    results = []
    for location, future in futures:
        try:
            result = future.result()
        except PullError as exc:  # still failing after the task's retries
            result = PullResult.failed(location, exc)
        progress.say(
            "pull",
            result.summary(),
            satker=location.kode_satker,
            source=location.source,
            copied=len(result.copied),
            failed=bool(result.error),
            warnings=len(result.warnings),
        )
        results.append(result)
    return results


@task(name="land-exports", cache_policy=NO_CACHE)
def land_exports(
    landing: Path, history: History, max_file_bytes: int
) -> tuple[LandingReport, list[Export]]:
    """The landing's new exports taken into the history, and every export kept
    (``History.land_and_keep``)."""
    landed, exports = history.land_and_keep(landing, max_file_bytes)
    progress.say(
        "land",
        f"landing: {len(landed.new)} file baru, {len(landed.unchanged)} sudah ada, "
        f"{len(landed.problems)} bermasalah",
        new=len(landed.new),
        unchanged=len(landed.unchanged),
        problems=len(landed.problems),
    )
    return landed, exports


def read_and_check(
    source_name: str,
    exports: list[Export],
    history: History,
    max_error_ratio: float,
    validator: Validator,
    context: CheckContext,
    lists: dict[str, Path],
    limits: ReadLimits,
    pseudonymiser: Pseudonymiser,
    cache: ExportCache,
    max_per_rule: int | None = None,
) -> SourceLoad:
    """One shard of a source's exports (``warehouse.shards``), read and checked against
    the reference ``lists`` its checks use, of its own satkers, made into sets here: only
    while it runs."""
    exit_with_parent()
    context = with_reference(context, lists, {e.kode_satker for e in exports})
    return load_exports(
        SOURCES[source_name], exports, history.root, validator, context,
        pseudonymiser=pseudonymiser, max_error_ratio=max_error_ratio, limits=limits,
        cache=cache, max_per_rule=max_per_rule,
    )  # fmt: skip


def exit_with_parent() -> None:
    """In a worker process (Prefect's process pool, a Dask worker): end it when the process
    that started it ends. Killed with SIGKILL (by hand, by the kernel's OOM killer), a run
    cannot end its workers, and they would hold their memory (up to 650 MB each) for ever."""
    parent = multiprocessing.parent_process()
    if parent is None or any(t.name == "exit-with-parent" for t in threading.enumerate()):
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])  # ready once the parent is gone
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


# The task's function keeps a module-level name of its own, so that a worker process imports
# it by reference instead of receiving a copy of it and of everything it refers to.
read_source = task(
    name="read-and-check", task_run_name="read-and-check-{source_name}", cache_policy=NO_CACHE
)(read_and_check)


build = task(name="build-database", cache_policy=NO_CACHE)(build_database)


@task(name="publish", cache_policy=NO_CACHE)
def publish_build(path: Path, warehouse: Path, keep: int) -> Path:
    published = publish(path, warehouse, keep)
    progress.say("publish", f"diterbitkan: {published}", path=published)
    return published


@contextmanager
def _runner(settings: Settings, unread: int) -> Iterator[Any]:
    """Where the shards are read and checked. With ``IKU_DASK_ADDRESS``: Prefect's Dask
    task runner on that scheduler (each worker imports the project and reads the
    warehouse's history and cache, so they must see the same files). Else, with at least
    ``IKU_READ_PROCESSES_FROM`` bytes of exports to read: Prefect's process pool, one
    worker process per core, at most ``IKU_READ_PROCESSES`` (parsing and checking are
    mostly Python, which threads would take turns at). Else nothing: the flow's own two
    threads, without the seconds that starting processes costs."""
    if settings.dask_address:
        from prefect_dask import DaskTaskRunner

        with DaskTaskRunner(address=settings.dask_address) as runner:
            yield runner
    elif unread >= settings.read_processes_from:
        workers = min(os.cpu_count() or 1, settings.read_processes)
        with ProcessPoolTaskRunner(max_workers=workers) as runner:
            yield runner
    else:
        yield None


def read_all(
    exports: list[Export],
    history: History,
    settings: Settings,
    validator: Validator,
    context: CheckContext,
    parts: Path,
    pseudonymiser: Pseudonymiser,
    cache: ExportCache,
) -> dict[str, SourceLoad]:
    """The reference sources, one after the other (each gives the checks of the next their
    reference lists), then every other source at once; each source in shards of whole
    satkers (``shards``), read side by side (``_runner``) and combined. Each shard is
    given the reference lists its source's checks use (files: it reads its satkers' rows).
    The loaded rows go to Parquet files in the ``cache`` (the embedded defaults' under
    ``parts``)."""

    def of(name: str) -> list[Export]:
        return [e for e in exports if e.source == name]

    satkers = frozenset(e.kode_satker for e in exports)
    same: dict[str, Any] = {
        "context": context,
        "history": history,
        "max_error_ratio": settings.max_error_ratio,
        "max_per_rule": settings.max_findings_per_rule,
        "validator": validator,
        "limits": settings.read_limits(context.as_of),
        "pseudonymiser": pseudonymiser,
        "cache": cache,
    }
    unread = {e for e in exports if not cache.has(e)}

    def size(export: Export) -> int:  # what reading it costs, about: little when kept
        return max(export.size, EXPORT_BYTES_AT_LEAST) if export in unread else KEPT_EXPORT_BYTES

    loads: dict[str, SourceLoad] = {}
    lists: dict[str, Path] = {}  # the reference lists loaded so far, as files
    with progress.reading(), _runner(settings, sum(e.size for e in unread)) as runner:

        def read(names: list[str]) -> None:
            submitted: dict[Any, str] = {}
            for name in names:
                uses = {n: p for n, p in lists.items() if n in SOURCES[name].reference_lists}
                for shard in shards(of(name), CHUNK_BYTES, size):
                    # quote: Prefect would otherwise walk every export of the shard, and
                    # every field of each, looking for futures (4 s of a rerun at 514 satkers).
                    # Not to Dask: its workers get a quote as a plain tuple, not unwrapped.
                    exports = shard if settings.dask_address else quote(shard)
                    given = {"source_name": name, "exports": exports, "lists": uses, **same}
                    future = (
                        runner.submit(read_source, given) if runner else read_source.submit(**given)
                    )
                    submitted[future] = name
            bars = {name: progress.source(name, len(of(name))) for name in names}
            for future in as_completed(list(submitted)):
                bar, load = bars[submitted[future]], future.result()
                if bar is not None:
                    bar(len(load.files), sum(f.rows_read for f in load.files))
            for name in names:  # shards in their order: the same load whichever ended first
                done = [future.result() for future, n in submitted.items() if n == name]
                loads[name] = combine(SOURCES[name], of(name), done, satkers, parts)
                text, figures = loads[name].summary()
                progress.say("source", text, **figures)

        for name in REFERENCE_SOURCES:
            read([name])
            lists |= reference_lists(loads[name], parts)
        # Largest first: the workers end together, instead of one reading the largest
        # source alone after the others are done.
        others = sorted(
            (name for name in SOURCES if name not in REFERENCE_SOURCES),
            key=lambda name: -sum(e.size for e in of(name)),
        )
        read(others)
    return {name: loads[name] for name in SOURCES}


@dataclass
class RefreshResult:
    """What one run did, for the CLI and for tests."""

    run_id: str
    as_of: date
    published: Path
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
    # The LKjIP files written; None when the report step failed (a warning says why).
    reports: list[Path] | None = field(default_factory=list)


def now_utc() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat()
