"""Parse and check each export once: its typed rows and findings, kept beside the history.

An export in the history never changes (it is stored by its sha256), so what reading and
checking it gave can be kept and read back by every later run instead of parsing it again:
``<warehouse>/cache/<satker>/<source>/<sha256>-<version>.parquet`` holds the typed rows and
``….json`` the reader's findings and, per reference context, the checks' findings; and
``….mentah-<decision>.parquet`` the rows as they go into the database (``mentah.<source>``:
verdicts, provenance, personal data pseudonymised), with ``….mentah-<decision>.json`` the
file's figures and final findings. A run with nothing new reads none of the typed rows: the
build takes those Parquet files as they are; nor each export's JSON files: per satker and
source, ``keputusan-<version>.json`` indexes what judges them (``indexed``), one file instead
of two per export (35,000 files at 514 satkers, 11 s of a run with nothing new).

An entry is used only while it still says what reading and checking would say now:
- ``version`` is a digest of the code that decides it (the source declarations, the reader,
  the parsers and the rules: ``sources/*.py`` and ``warehouse/quality.py``): any change to
  them starts afresh;
- the read limits must be the same, except the as-of date, whose only role is the window of
  plausible dates: an entry read with another as-of date is used when no date of the file was
  refused for its window and every date it holds lies in the window of the new as-of date;
- the checks' findings are kept per *context*: the elections, the SAKIP bands and the
  satker's own desa and TPS lists. When a satker's reference data changes, its exports are
  checked again (in one batch per source, as always) and the new findings are added;
- the loaded rows are kept per *decision* (``decision_key``): the context, the share of
  rows in error that rejects a file, the findings kept per rule (their record's), the
  pseudonym key (by a keyed fingerprint, never the key) and the export's name and time,
  which every row carries.
Files rejected by an unexpected failure are never kept: the next run tries them again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from dataclasses import asdict
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import polars as pl

from sources import SOURCES, Source
from sources.model import CheckContext
from sources.parse import OUTSIDE_WINDOW
from sources.sheet import UNEXPECTED_ERROR, Issue, ReadLimits, ReadResult
from warehouse.history import Export, atomic_write, read_json, write_json
from warehouse.quality import Findings

ROOT = Path(__file__).resolve().parent.parent
INDEX = "keputusan"  # <satker>/<source>/keputusan-<version>.json (``ExportCache.indexed``)
# Besides the source declarations and the reader: the modules that decide what an entry holds.
DECIDING = (
    "cache.py", "load.py", "pii.py", "quality.py", "shards.py", "staging.py",
    "validator.py", "verdict.py",
)  # fmt: skip


@cache
def code_version() -> str:
    """A digest of the code whose output an entry stores."""
    digest = hashlib.sha256()
    deciding = [ROOT / "warehouse" / name for name in DECIDING]
    for path in sorted([*(ROOT / "sources").glob("*.py"), *deciding]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=8)  # asked once per export: the same limits for a whole run
def _limits_key(limits: ReadLimits) -> str:
    fields = {k: str(v) for k, v in asdict(limits).items() if k != "as_of"}
    return json.dumps(fields, sort_keys=True)


@lru_cache(maxsize=128)
def _digest(values: frozenset[str] | None) -> str | None:
    """A satker's desa or TPS list, digested: every export of the satker asks. Only the last
    few lists are remembered: the cache holds each list it remembers, and a worker process
    sees every satker's (514 satkers' TPS as sets: 760 MB)."""
    if values is None:
        return None
    return hashlib.sha256(json.dumps(sorted(values)).encode()).hexdigest()


def context_key(context: CheckContext, kode_satker: str) -> str:
    """What the checks of one satker's rows may depend on besides the rows themselves."""
    parts = {
        "voting_days": sorted((k, str(v)) for k, v in context.voting_days.items()),
        "sakip_grades": [str(g) for g in context.sakip_grades],
        "desa": _digest(context.desa.get(kode_satker)),
        "tps": _digest(context.tps.get(kode_satker)),
    }
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:16]


def decision_key(
    context: str, max_error_ratio: float, max_per_rule: int | None, pseudonyms: str, export: Export
) -> str:
    """What the loaded rows of an export and their record depend on besides its bytes and
    the code: the checks' context, the rejecting share of errors, the findings kept per rule,
    the pseudonym key's fingerprint, and the export's satker, name, time and landing time
    (every row carries them)."""
    parts = [context, max_error_ratio, max_per_rule, pseudonyms, export.kode_satker]
    parts.append(export.file_name)
    parts.append(export.modified.isoformat())
    parts.append(export.landed_at)
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:16]


def _refused(issues: list[dict[str, Any]]) -> bool:
    """Whether the reader refused a date of the export for the window of its as-of date."""
    return any(OUTSIDE_WINDOW in i["message"] for i in issues)


def _holds(
    source: Source, limits: ReadLimits, kept: str, refused: bool, ranges: dict[str, list[str]]
) -> bool:
    """Whether an entry read under the limits ``kept`` (``_limits_key``) says what reading
    the export under ``limits`` would: the same limits but the as-of date, no date refused
    for its window, and every windowed date within the window of the new as-of date."""
    if kept != _limits_key(limits) or refused:
        return False
    for column in source.columns:
        window = limits.window(column)
        span = ranges.get(column.field)
        if window and span:
            first, last = (date.fromisoformat(v) for v in span)
            if not (window[0] <= first and last <= window[1]):
                return False
    return True


def _whole(path: Path, record: dict[str, Any]) -> bool:
    """Whether kept loaded rows are whole: their file has the size their record says (it was
    written whole, under another name, then renamed; a file cut short or grown since is
    decided again). Its size, not its Parquet footer: a run with nothing new asks this of
    every export kept. Raises OSError when the file is gone."""
    return path.stat().st_size == record["bytes"]


def issue_record(issue: Issue) -> dict[str, Any]:
    """An issue as a plain dict, as kept here (``dataclasses.asdict`` without its deep copy:
    a garbage export holds a million issues)."""
    return dict(vars(issue))


def kept_issues(records: list[dict[str, Any]]) -> list[Issue]:
    """Issues kept by ``issue_record``, as they were: their messages were masked when they
    were made (``Issue``), so not again (a tenth of a second per thousand issues, on every run
    that reads them back)."""
    issues = []
    for record in records:
        issue = object.__new__(Issue)
        vars(issue).update(record)
        issues.append(issue)
    return issues


def _ranges(source: Source, limits: ReadLimits, rows: pl.DataFrame) -> dict[str, list[str]]:
    """The first and last value of each windowed date column, to judge the entry under
    another as-of date without reading the rows."""
    ranges = {}
    for column in source.columns:
        if limits.window(column) and column.field in rows.columns:
            values = rows[column.field].drop_nulls()
            if len(values):
                ranges[column.field] = [values.min().isoformat(), values.max().isoformat()]  # type: ignore[union-attr]
    return ranges


class ExportCache:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _stem(self, export: Export, source: Source) -> Path:
        return self.root / export.kode_satker / source.name / f"{export.sha256}-{code_version()}"

    def _meta(self, stem: Path) -> dict[str, Any] | None:
        return read_json(stem.with_suffix(".json"))

    def has(self, export: Export) -> bool:
        """Whether ``export`` was read by this code before (its entry may still be of no use:
        ``entry`` judges that): a quick look, to tell how much a run has to read."""
        return self._stem(export, SOURCES[export.source]).with_suffix(".json").exists()

    def entry(self, export: Export, source: Source, limits: ReadLimits) -> dict[str, Any] | None:
        """The kept entry of ``export`` if it still says what reading it would say under
        ``limits`` (judged from the entry alone, without its rows)."""
        meta = self._meta(self._stem(export, source))
        if meta is None:
            return None
        if not _holds(source, limits, meta["limits"], _refused(meta["issues"]), meta["ranges"]):
            return None
        return meta

    def read(
        self, export: Export, source: Source, path: Path, meta: dict[str, Any]
    ) -> ReadResult | None:
        """The typed rows of a valid ``entry``; None when they cannot be read back."""
        try:
            rows = pl.read_parquet(self._stem(export, source).with_suffix(".parquet"))
        except Exception:  # a damaged entry is read again from the export
            return None
        return ReadResult(source, path, rows, kept_issues(meta["issues"]))

    @staticmethod
    def findings(meta: dict[str, Any], context: str) -> Findings | None:
        """The kept findings of the checks of an entry in ``context`` (``context_key``): its
        issues. Not its rule results: the validation history grows only with what a run
        checks."""
        checked = meta.get("checks", {}).get(context)
        return None if checked is None else Findings(kept_issues(checked["issues"]))

    def store(
        self,
        export: Export,
        source: Source,
        limits: ReadLimits,
        read: ReadResult,
        context: str,
        findings: Findings | None,
        read_now: bool,
    ) -> None:
        """Keep what checking ``export`` gave (None: it was not checked, nothing to keep)
        and, when ``read_now``, what reading it gave (never an unexpected failure)."""
        found = [] if findings is None else findings.issues
        if any(i.rule == UNEXPECTED_ERROR for i in [*read.issues, *found]):
            return
        stem = self._stem(export, source)
        meta = self._meta(stem)
        if read_now or meta is None or meta.get("limits") != _limits_key(limits):
            meta = {
                "limits": _limits_key(limits),
                "issues": [issue_record(i) for i in read.issues],
                "ranges": _ranges(source, limits, read.rows),
                "checks": {},
            }
            atomic_write(stem.with_suffix(".parquet"), read.rows.write_parquet, durable=False)
        if findings is not None:
            meta["checks"][context] = {"issues": [issue_record(i) for i in findings.issues]}
        write_json(stem.with_suffix(".json"), meta, durable=False)

    def _loaded(self, export: Export, source: Source, decision: str) -> Path:
        stem = self._stem(export, source)
        return stem.with_name(f"{stem.name}.mentah-{decision}.parquet")

    def loaded(
        self, export: Export, source: Source, decision: str
    ) -> tuple[Path, dict[str, Any]] | None:
        """The kept loaded rows of ``export`` under ``decision`` and their record, if
        ``_whole``."""
        path = self._loaded(export, source, decision)
        record = read_json(path.with_suffix(".json"))
        try:
            if record is None or not _whole(path, record):
                return None
        except Exception:  # missing or damaged: decided again
            return None
        return path, record

    def store_loaded(
        self,
        export: Export,
        source: Source,
        decision: str,
        rows: pl.DataFrame,
        record: dict[str, Any],
    ) -> Path:
        """Keep the loaded rows of ``export`` and their record (written last: it vouches for
        the rows)."""
        path = self._loaded(export, source, decision)
        atomic_write(path, rows.write_parquet, durable=False)
        whole = {"rows": rows.height, "bytes": path.stat().st_size}
        write_json(path.with_suffix(".json"), {**record, **whole}, durable=False)
        return path

    def _index(self, kode_satker: str, source: Source) -> Path:
        return self.root / kode_satker / source.name / f"{INDEX}-{code_version()}.json"

    def index(self, kode_satker: str, source: Source) -> dict[str, Any]:
        """The index of a satker's exports of ``source`` (``reindex``); empty when there is
        none or it cannot be read."""
        return read_json(self._index(kode_satker, source)) or {}

    def indexed(
        self,
        export: Export,
        source: Source,
        decision: str,
        limits: ReadLimits,
        index: dict[str, Any],
    ) -> tuple[Path, dict[str, Any]] | None:
        """What ``entry`` and then ``loaded`` would give for ``export`` (its kept loaded rows
        under ``decision``, with their record), judged from its satker's ``index`` alone: no
        file of the export is read, its loaded rows' size is looked at. None when the index
        does not say (the caller asks ``entry`` and ``loaded``, then ``reindex``es)."""
        item = index.get(export.sha256)
        path = self._loaded(export, source, decision)
        try:
            if item is None or item["decision"] != decision:
                return None
            if not _holds(source, limits, item["limits"], item["refused"], item["ranges"]):
                return None
            record: dict[str, Any] = item["record"]
            if not _whole(path, record):
                return None
        except (OSError, LookupError, TypeError, ValueError):  # a damaged index says nothing
            return None
        return path, record

    def reindex(self, kode_satker: str, source: Source, decided: list[tuple[Export, str]]) -> None:
        """Index a satker's exports of ``source`` with the ``decided`` key each was loaded
        under: per export whose entry and loaded rows are kept, what judges them (from their
        JSON files, written before: the index only repeats them)."""
        items = {}
        for export, decision in decided:
            meta = self._meta(self._stem(export, source))
            found = self.loaded(export, source, decision)
            if meta is None or found is None:
                continue
            items[export.sha256] = {
                "decision": decision,
                "limits": meta["limits"],
                "refused": _refused(meta["issues"]),
                "ranges": meta["ranges"],
                "record": found[1],
            }
        if items:
            write_json(self._index(kode_satker, source), items, durable=False)

    def prune(self, exports: list[Export], used: Collection[Path] | None = None) -> int:
        """Remove the entries of exports no longer in the history and of older code, and,
        given the loaded rows this run ``used``, every other loaded rows kept."""
        keep = {self._stem(e, SOURCES[e.source]).name for e in exports if e.source in SOURCES}
        wanted = {p.name for p in used} if used is not None else None
        removed = 0
        for path in self.root.glob("*/*/*") if self.root.exists() else []:
            entry, _, rest = path.name.partition(".")
            if entry.startswith(f"{INDEX}-"):  # an index of older code goes
                stale = entry != f"{INDEX}-{code_version()}"
            else:
                stale = entry not in keep or path.name.startswith(".tmp-")
            if not stale and rest.startswith("mentah-") and wanted is not None:
                stale = path.with_suffix(".parquet").name not in wanted
            if stale:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
