"""From the history to loaded rows: read and check every kept export of a source and say of
each row whether it is valid. Every row goes on to the database (``mentah``); the SQL of
``sql/2_staging`` keeps the newest valid row per satker and business key (SPEC §2).

A source is worked through in chunks of exports (``CHUNK_BYTES`` of export files at a time,
typed together and checked as one batch), and each export's loaded rows are written to a
Parquet file of their own as soon as they are decided: a run holds one chunk of one source in
memory per source in flight, never a whole source. What an export gave is kept
(``warehouse.cache``), so an export already decided is neither read nor checked again. The
verdicts themselves are ``warehouse.verdict``'s."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import polars as pl

from sources import Source
from sources.checks import spelled_as_listed
from sources.model import CheckContext
from sources.read import read_exports, unexpected
from sources.sheet import (
    MAX_ERROR_RATIO,
    UNEXPECTED_ERROR,
    ReadLimits,
    ReadResult,
)
from warehouse.cache import ExportCache, context_key, decision_key, issue_record, kept_issues
from warehouse.history import Export
from warehouse.pii import Pseudonymiser
from warehouse.quality import FileToCheck, Findings, RuleResult
from warehouse.staging import table_frame
from warehouse.validator import Validator
from warehouse.verdict import capped, decide, loaded_rows, reject_if_mostly_wrong

# Export bytes read and checked at a time, per source in flight: the bound on a run's memory
# (about 100,000 rows of a CSV export; one export larger than that is a chunk of its own). A
# chunk is typed together and is one Great Expectations batch.
CHUNK_BYTES = 16 * 2**20
# Rows the reader alone finds in error from which a file it already rejects for them is not
# checked (``_Loader._condemned``); as many as dq.issues shows per file and rule by default.
UNCHECKED_FROM = 1000


@dataclass
class FileLoad:
    """One export read for this run: what reading and checking found (``result``: its
    issues; its rows are in the source's ``parts``) and how many rows it gave."""

    export: Export
    result: ReadResult
    rows_read: int = 0
    rows_valid: int = 0


@dataclass
class SourceLoad:
    """Everything read for one source."""

    source: Source
    files: list[FileLoad] = field(default_factory=list)
    # Parquet files of every row read (valid or quarantined), publishable, in the columns of
    # mentah.<source> (kode_satker, provenance, verdict); which row wins per key is decided in
    # SQL (sql/2_staging). Every part is named by what it holds (the cache's by export, code
    # and decision; the embedded defaults' by code): loaded from parts of the same names,
    # mentah.<source> holds the same rows (warehouse.build keeps it from the published database).
    parts: list[Path] = field(default_factory=list)
    defaults_used: list[str] = field(default_factory=list)  # satkers given the embedded rows
    rule_results: list[RuleResult] = field(default_factory=list)  # one per expectation and file
    files_checked: int = 0  # files read and checked by this run (the others came from the cache)

    @property
    def rows_quarantined(self) -> int:
        return sum(f.rows_read - f.rows_valid for f in self.files)

    def summary(self) -> tuple[str, dict[str, object]]:
        """A progress line for this source, and its figures."""
        figures: dict[str, object] = {
            "source": self.source.name,
            "files": len(self.files),
            "rejected": sum(f.result.rejected for f in self.files),
            "rows_read": sum(f.rows_read for f in self.files),
            "rows_valid": sum(f.rows_valid for f in self.files),
        }
        text = (
            f"{self.source.name:>9}: {figures['files']} file ({figures['rejected']} ditolak), "
            f"{figures['rows_read']} baris dibaca, {figures['rows_valid']} lolos pemeriksaan"
            + (" (data bawaan)" if self.defaults_used else "")
        )
        return text, figures


def _check(
    validator: Validator, source: Source, files: list[FileToCheck], context: CheckContext
) -> list[Findings | Exception]:
    """The findings of each file, checked as one batch; should the batch fail, file by file,
    so that whatever one file does stays that file's problem."""
    try:
        return list(validator.check(source, files, context))
    except Exception:
        pass
    found: list[Findings | Exception] = []
    for file in files:
        try:
            found.append(validator.check(source, [file], context)[0])
        except Exception as exc:
            found.append(exc)
    return found


@dataclass
class _Pending:
    """An export read in this chunk, waiting for its checks and its verdict."""

    index: int
    export: Export
    read: ReadResult
    found: Findings | Exception | None  # None: to be checked with the chunk
    read_now: bool  # parsed by this run (not read back from the cache)


@dataclass
class _Loader:
    """The state of one source being loaded: where its rows go and what decides them."""

    source: Source
    history: Path
    validator: Validator
    context: CheckContext
    pseudonymiser: Pseudonymiser
    max_error_ratio: float
    limits: ReadLimits
    cache: ExportCache
    contexts: dict[str, str]  # per satker: context_key
    max_per_rule: int | None  # findings kept per file and rule (IKU_MAX_FINDINGS_PER_RULE)
    decided: dict[int, tuple[FileLoad, Path | None]] = field(default_factory=dict)
    indexes: dict[str, dict[str, Any]] = field(default_factory=dict)  # per satker: the cache's
    unindexed: set[str] = field(default_factory=set)  # satkers whose index missed an export
    rule_results: list[RuleResult] = field(default_factory=list)
    checked: int = 0  # exports checked by this run

    def decision(self, export: Export) -> str:
        context, keyed = self.contexts[export.kode_satker], self.pseudonymiser.fingerprint
        return decision_key(context, self.max_error_ratio, self.max_per_rule, keyed, export)

    def indexed(self, index: int, export: Export) -> bool:
        """The export's loaded rows as an earlier run decided them, if its satker's index in
        the cache says they hold (no file of the export is read)."""
        satker = export.kode_satker
        if satker not in self.indexes:
            self.indexes[satker] = self.cache.index(satker, self.source)
        decision = self.decision(export)
        found = self.cache.indexed(export, self.source, decision, self.limits, self.indexes[satker])
        if found is None:
            self.unindexed.add(satker)
            return False
        self._keep(index, export, *found)
        return True

    def kept(self, index: int, export: Export) -> bool:
        """The export's loaded rows as an earlier run decided them, if kept (call only when
        its ``entry`` is valid)."""
        found = self.cache.loaded(export, self.source, self.decision(export))
        if found is None:
            return False
        self._keep(index, export, *found)
        return True

    def _keep(self, index: int, export: Export, part: Path, record: dict[str, Any]) -> None:
        issues = kept_issues(record["issues"])
        read = ReadResult(self.source, export.path(self.history), pl.DataFrame(), issues)
        load = FileLoad(export, read, record["rows_read"], record["rows_valid"])
        self.decided[index] = (load, part)

    def reindex(self, exports: list[Export]) -> None:
        """Index again what was decided of the satkers whose index missed an export."""
        for satker in sorted(self.unindexed):
            mine = [(e, self.decision(e)) for e in exports if e.kode_satker == satker]
            self.cache.reindex(satker, self.source, mine)

    def read(self, chunk: list[tuple[int, Export, dict[str, Any] | None]]) -> list[_Pending]:
        """Read a chunk of exports: each from the cache when its ``entry`` is valid, the
        others from the history, typed together."""
        pending, unread = [], []
        for index, export, meta in chunk:
            path = export.path(self.history)
            kept = None if meta is None else self.cache.read(export, self.source, path, meta)
            if meta is not None and kept is not None:
                found = ExportCache.findings(meta, self.contexts[export.kode_satker])
                pending.append(_Pending(index, export, kept, found, read_now=False))
            else:
                unread.append((index, export))
        paths = [e.path(self.history) for _, e in unread]
        for (index, export), read in zip(
            unread, read_exports(paths, self.source, self.limits), strict=True
        ):
            pending.append(_Pending(index, export, read, None, read_now=True))
        return sorted(pending, key=lambda p: p.index)

    def settle(self, chunk: list[_Pending]) -> None:
        """Check what the chunk has not been checked for (one batch), then decide and write
        each export's loaded rows. Both see each election as the reference list spells it;
        the cache keeps the rows as read (the spelling depends on the context)."""
        spelled = {
            p.index: replace(p.read, rows=spelled_as_listed(self.source, p.read.rows, self.context))
            for p in chunk
        }
        fresh = [p for p in chunk if p.found is None]
        self.checked += len(fresh)
        # Decided without the checks' findings, whether or not a run under another ratio of
        # errors kept some: the same file and settings give the same rows and dq.issues.
        condemned = {p.index for p in chunk if self._condemned(p.read)}
        to_check = [
            FileToCheck(
                p.export.kode_satker,
                p.export.file_name,
                p.read.rows.clear()
                if p.read.rejected or p.index in condemned
                else spelled[p.index].rows,
            )
            for p in fresh
        ]
        for pending, found in zip(
            fresh, _check(self.validator, self.source, to_check, self.context), strict=True
        ):
            pending.found = found
            if not isinstance(found, Exception):
                context = self.contexts[pending.export.kode_satker]
                self.cache.store(
                    pending.export,
                    self.source,
                    self.limits,
                    pending.read,
                    context,
                    None if pending.index in condemned else found,
                    pending.read_now,
                )
                self.rule_results += found.rule_results  # the validation history: what was checked
        for pending in chunk:
            if pending.index in condemned and not isinstance(pending.found, Exception):
                pending.found = Findings([])
            self.decided[pending.index] = self._decide(pending, spelled[pending.index])

    def _condemned(self, read: ReadResult) -> bool:
        """Whether the reader alone already rejects the file for too many rows in error, on
        so many rows that its rows are not checked: the checks could only add to its errors
        (Great Expectations takes about a second per thousand rows in error: 200,000 rows of
        garbage took minutes and a gigabyte). Below ``UNCHECKED_FROM`` rows they are, so
        that an admin learns of all that is wrong with a small file at once."""
        if read.rejected or len(read.error_rows()) < UNCHECKED_FROM:
            return False
        return reject_if_mostly_wrong(read, self.max_error_ratio).rejected

    def _decide(self, pending: _Pending, read: ReadResult) -> tuple[FileLoad, Path | None]:
        export, found = pending.export, pending.found
        try:
            if isinstance(found, Exception):
                raise found
            assert found is not None
            result = decide(self.source, read, found.issues, self.max_error_ratio)
            rows = table_frame(
                self.source,
                self.pseudonymiser.publishable(
                    self.source, loaded_rows(self.source, result, export)
                ),
            )
            load = FileLoad(
                export,
                replace(result, rows=pl.DataFrame()),
                rows.height,
                result.valid_rows().height,
            )
            return load, self._write(pending, load, rows)
        except Exception as exc:  # whatever one file does, it stays that file's problem
            return FileLoad(
                export, unexpected(export.path(self.history), self.source, exc, "memeriksa")
            ), None

    def _write(self, pending: _Pending, load: FileLoad, rows: pl.DataFrame) -> Path | None:
        """Keep the rows in the cache (none too: the export is decided). A file the reader
        failed on unexpectedly (it has no rows: ``sources.read.unexpected``) is not kept:
        the next run reads it again."""
        issues = load.result.issues
        if any(i.rule == UNEXPECTED_ERROR for i in issues):
            return None
        record = {
            # As dq.issues will list them: a garbage export's million findings, read back by
            # every later run, took a minute and gigabytes of each (the rows keep every error).
            "issues": [issue_record(i) for i in capped(issues, self.max_per_rule)],
            "rows_read": load.rows_read,
            "rows_valid": load.rows_valid,
        }
        return self.cache.store_loaded(
            pending.export, self.source, self.decision(pending.export), rows, record
        )


def load_exports(
    source: Source,
    exports: list[Export],
    history: Path,
    validator: Validator,
    context: CheckContext,
    *,
    pseudonymiser: Pseudonymiser,
    max_error_ratio: float = MAX_ERROR_RATIO,
    limits: ReadLimits | None = None,
    cache: ExportCache,
    max_per_rule: int | None = None,
) -> SourceLoad:
    """Read the given exports of one source, check them in chunks, decide each file's rows
    and write them, publishable, to Parquet in the cache.

    ``cache``: what earlier runs read, checked and decided; an export found there is neither
    parsed nor checked again (``warehouse.cache``). The embedded defaults are
    ``warehouse.shards.combine``'s."""
    loader = _Loader(
        source, history, validator, context, pseudonymiser, max_error_ratio,
        limits or ReadLimits(as_of=context.as_of), cache,
        {s: context_key(context, s) for s in {e.kode_satker for e in exports}}, max_per_rule,
    )  # fmt: skip
    chunk: list[tuple[int, Export, dict[str, Any] | None]] = []
    size = 0

    def settle() -> None:
        nonlocal size
        loader.settle(loader.read(chunk))
        chunk.clear()
        size = 0

    for index, export in enumerate(exports):
        if loader.indexed(index, export):
            continue
        meta = cache.entry(export, source, loader.limits)
        if meta is not None and loader.kept(index, export):
            continue
        chunk.append((index, export, meta))
        size += export.size
        if size >= CHUNK_BYTES:
            settle()
    settle()
    loader.reindex(exports)
    load = SourceLoad(source, rule_results=loader.rule_results, files_checked=loader.checked)
    for index in range(len(exports)):
        file, part = loader.decided[index]
        load.files.append(file)
        if part is not None:
            load.parts.append(part)
    return load
