"""From the history to loaded rows: read and check every kept export of a source and say of
each row whether it is valid. Every row goes on to the database (``mentah``); the SQL of
``sql/2_staging`` keeps the newest valid row per satker and business key (SPEC §2)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from sources import Source, defaults
from sources.model import CheckContext
from sources.read import read_export, unexpected
from sources.sheet import (
    MAX_ERROR_RATIO,
    ROW_NUMBER,
    TOO_MANY_ERRORS,
    VALUE_INVALID,
    VALUE_MISSING,
    Issue,
    ReadLimits,
    ReadResult,
)
from warehouse.cache import ExportCache, context_key
from warehouse.history import Export
from warehouse.quality import FileToCheck, Findings, RuleResult, Validator

# The embedded defaults (real Barito Selatan data, sources/defaults) and the satker they belong
# to. A satker's own exports of that source, once any of them loads, replace them entirely.
DEFAULTS = defaults.FILES
DEFAULT_SATKER = defaults.SATKER
DEFAULT_FILE = "(bawaan: data referensi proyek)"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# A quarantined row whose key or item dates cannot be read: it is no item of any IKU.
NOT_AN_ITEM = "bukan_butir"


@dataclass
class FileLoad:
    """One export read for this run."""

    export: Export
    result: ReadResult

    @property
    def rows_read(self) -> int:
        return self.result.rows.height

    @property
    def rows_valid(self) -> int:
        return self.result.valid_rows().height


@dataclass
class SourceLoad:
    """Everything read for one source, and the rows that win."""

    source: Source
    files: list[FileLoad] = field(default_factory=list)
    # Every row read (valid or quarantined) with kode_satker, provenance and its verdict
    # (see loaded_rows); which row wins per key is decided in SQL (sql/2_staging).
    rows: pl.DataFrame | None = None
    defaults_used: list[str] = field(default_factory=list)  # satkers given the embedded rows
    rule_results: list[RuleResult] = field(default_factory=list)  # one per expectation and file
    files_checked: int = 0  # files read and checked by this run (the others came from the cache)

    def valid(self) -> pl.DataFrame:
        """The rows without any error (of every file, before the newest wins per key)."""
        return self.rows.filter(pl.col("sah")) if self.rows is not None else pl.DataFrame()

    def summary(self) -> tuple[str, dict[str, object]]:
        """A progress line for this source, and its figures."""
        figures: dict[str, object] = {
            "source": self.source.name,
            "files": len(self.files),
            "rejected": sum(f.result.rejected for f in self.files),
            "rows_read": sum(f.rows_read for f in self.files),
            "rows_valid": sum(f.rows_valid for f in self.files),
            "rows_staged": self.keys_staged,
        }
        text = (
            f"{self.source.name:>9}: {figures['files']} file ({figures['rejected']} ditolak), "
            f"{figures['rows_read']} baris dibaca, {figures['rows_valid']} lolos pemeriksaan, "
            f"{figures['rows_staged']} baris staging"
            + (" (data bawaan)" if self.defaults_used else "")
        )
        return text, figures

    @property
    def keys_staged(self) -> int:
        """How many rows staging will hold: one per satker and key that has a valid row."""
        valid = self.valid()
        if valid.is_empty():
            return 0
        return valid.select(["kode_satker", *self.source.key_fields]).n_unique()


def _row_verdicts(result: ReadResult) -> pl.DataFrame:
    """Per row number: the error rules and messages that quarantine it (empty when valid).

    Every row of a rejected file is quarantined by the file's own error, besides any of
    its rows' own."""
    file_errors = [i for i in result.issues if i.row_number is None and i.severity == "error"]
    found: dict[int, list[tuple[str, str]]] = {}
    for issue in result.issues:
        if issue.row_number is not None and issue.severity == "error":
            found.setdefault(issue.row_number, []).append((issue.rule, issue.message))
    numbers = result.rows[ROW_NUMBER].to_list()
    rules, messages = [], []
    for number in numbers:
        errors = found.get(number, []) + [(i.rule, i.message) for i in file_errors]
        rules.append(", ".join(dict.fromkeys(r for r, _ in errors)) or None)
        messages.append("; ".join(m for _, m in errors) or None)
    return pl.DataFrame(
        {ROW_NUMBER: numbers, "aturan": rules, "pesan": messages},
        schema={
            ROW_NUMBER: result.rows.schema[ROW_NUMBER],
            "aturan": pl.String,
            "pesan": pl.String,
        },
    )


def _readable(source: Source, columns: Collection[str]) -> pl.Expr:
    """A row that can stand for an item: its key and item columns are all readable (a column
    the file does not have is not)."""
    fields = source.item_fields
    if fields is None:
        return pl.lit(False)
    return pl.all_horizontal(
        [pl.col(f).is_not_null() if f in columns else pl.lit(False) for f in fields]
        or [pl.lit(True)]
    )


def loaded_rows(source: Source, result: ReadResult, export: Export) -> pl.DataFrame:
    """Every row read from one export, with where it came from and whether it is valid.

    ``sah``: no error; ``aturan``/``pesan``: the errors that quarantine it; ``terbaca``: its
    key and item columns are readable, so even quarantined it stands for its item."""
    verdicts = _row_verdicts(result)
    return (
        result.rows.join(verdicts, on=ROW_NUMBER, how="left")
        .with_columns(
            pl.lit(export.kode_satker).alias("kode_satker"),
            pl.lit(export.file_name).alias("nama_file"),
            pl.col(ROW_NUMBER).cast(pl.Int32).alias("nomor_baris"),
            pl.lit(export.modified.replace(tzinfo=None)).alias("waktu_file"),
            pl.lit(export.sha256).alias("sha256_file"),
            pl.col("aturan").is_null().alias("sah"),
            _readable(source, result.rows.columns).alias("terbaca"),
        )
        .drop(ROW_NUMBER)
    )


def not_an_item(source: Source, result: ReadResult) -> list[Issue]:
    """A finding per quarantined row that cannot stand for an item: its key or the dates
    the item needs cannot be read, so the IKU cannot count it (SPEC §4)."""
    fields = source.item_fields
    if not fields or result.rows.is_empty():
        return []
    names = [c.name for c in source.columns if c.field in fields]
    quarantined = set(result.error_rows()) if not result.rejected else None
    unreadable = result.rows.filter(~_readable(source, result.rows.columns))
    issues = []
    for row in unreadable.iter_rows(named=True):
        number = row[ROW_NUMBER]
        if quarantined is not None and number not in quarantined:
            continue
        missing = [c.name for c in source.columns if c.field in fields and row.get(c.field) is None]
        issues.append(
            Issue(
                NOT_AN_ITEM,
                "error",
                f"baris ini tidak dapat dihitung sebagai butir {source.feeds}: "
                f"{', '.join(missing)} tidak terbaca (wajib: {', '.join(names)})",
                number,
            )
        )
    return issues


def default_rows(source: Source) -> pl.DataFrame:
    """The embedded reference rows of a source, already in typed form."""
    path = defaults.DEFAULTS_DIR / DEFAULTS[source.name]
    with path.open(newline="", encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    fields = {c.field for c in source.columns}
    frame = pl.DataFrame(records).select([c for c in records[0] if c in fields])
    casts = {"nomor_tps": pl.Int64}
    frame = frame.with_columns([pl.col(c).cast(t) for c, t in casts.items() if c in frame.columns])
    missing = [pl.lit(None).alias(c.field) for c in source.columns if c.field not in frame.columns]
    return frame.with_columns(missing).with_columns(
        pl.lit(DEFAULT_SATKER).alias("kode_satker"),
        pl.lit(DEFAULT_FILE).alias("nama_file"),
        pl.int_range(2, pl.len() + 2, dtype=pl.Int32).alias("nomor_baris"),
        pl.lit(_EPOCH.replace(tzinfo=None)).alias("waktu_file"),
        pl.lit(None, dtype=pl.String).alias("sha256_file"),
        pl.lit(None, dtype=pl.String).alias("aturan"),
        pl.lit(None, dtype=pl.String).alias("pesan"),
        pl.lit(True).alias("sah"),
        _readable(source, frame.columns).alias("terbaca"),
    )


def _by_satker(rows: pl.DataFrame, column: str) -> dict[str, frozenset[str]]:
    """The distinct values of ``column`` per kode_satker."""
    return {
        satker: frozenset(group[column].to_list())
        for (satker,), group in rows.group_by("kode_satker")
    }


def with_reference(context: CheckContext, load: SourceLoad) -> CheckContext:
    """The context, updated with what a reference source (wilayah, tps) loaded."""
    rows = load.valid()
    if rows.is_empty():
        return context
    if load.source.name == "wilayah":
        desa = rows.filter(pl.col("tingkat").is_in(["desa", "kelurahan"]))
        return replace(context, desa=_by_satker(desa, "kode_wilayah"))
    if load.source.name == "tps":
        keys = rows.select(
            "kode_satker",
            pl.concat_str(
                [
                    pl.col("jenis_pemilihan"),
                    pl.col("kode_desa"),
                    pl.col("nomor_tps").cast(pl.String),
                ],
                separator="|",
            ).alias("key"),
        )
        return replace(context, tps=_by_satker(keys, "key"))
    return context


def reject_if_mostly_wrong(result: ReadResult, max_error_ratio: float) -> ReadResult:
    """The result, rejected as a whole when more than ``max_error_ratio`` of its rows are in
    error (SPEC §3)."""
    rows = result.rows.height
    bad = len(result.error_rows())
    if result.rejected or not rows or bad / rows <= max_error_ratio:
        return result
    message = (
        f"{bad} dari {rows} baris ({bad / rows:.0%}) salah, melebihi batas "
        f"{max_error_ratio:.0%}: seluruh file ditolak"
    )
    return replace(result, issues=[*result.issues, Issue(TOO_MANY_ERRORS, "error", message)])


def decide(
    source: Source, read: ReadResult, found: list[Issue], max_error_ratio: float
) -> ReadResult:
    """The verdict on one export from what reading and checking found: the file is rejected
    when too many rows are in error, and each quarantined row that cannot stand for an item
    is named. A cell that could not be read is reported once, as unreadable, not again as
    empty."""
    unreadable = {(i.row_number, i.column) for i in read.issues if i.rule == VALUE_INVALID}
    found = [
        i for i in found if i.rule != VALUE_MISSING or (i.row_number, i.column) not in unreadable
    ]
    issues = sorted([*read.issues, *found], key=lambda i: (i.row_number or 0, i.column or ""))
    result = reject_if_mostly_wrong(replace(read, issues=issues), max_error_ratio)
    return replace(result, issues=[*result.issues, *not_an_item(source, result)])


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


def load_source(
    source: Source,
    exports: list[Export],
    history: Path,
    validator: Validator,
    context: CheckContext,
    *,
    max_error_ratio: float = MAX_ERROR_RATIO,
    limits: ReadLimits | None = None,
    satkers: Collection[str] = (),
    cache: ExportCache | None = None,
    on_file: Callable[[int], None] | None = None,
) -> SourceLoad:
    """Read every kept export of one source, check them together, decide each file's rows.

    ``satkers``: the satkers with any export in the history. The embedded reference rows
    belong to satker 6204 and apply only when 6204 is one of them and has no export of this
    source of its own: a landing without 6204 publishes nothing for 6204.

    ``cache``: what earlier runs read and checked; an export found there is neither parsed
    nor checked again (``warehouse.cache``). ``on_file`` is told the rows of each export
    once it is read (a progress bar)."""
    limits = limits or ReadLimits(as_of=context.as_of)
    contexts = {s: context_key(context, s) for s in {e.kode_satker for e in exports}}
    kept = [
        cache.get(e, source, e.path(history), limits, contexts[e.kode_satker])
        if cache
        else (None, None)
        for e in exports
    ]
    reads = []
    for export, (cached, _) in zip(exports, kept, strict=True):
        read = cached if cached is not None else read_export(export.path(history), source, limits)
        reads.append(read)
        if on_file is not None:
            on_file(read.rows.height)
    checked: list[Findings | Exception | None] = [found for _, found in kept]
    fresh = [i for i, found in enumerate(checked) if found is None]
    checked_now = set(fresh)
    to_check = [
        FileToCheck(e.kode_satker, e.file_name, r.rows.clear() if r.rejected else r.rows)
        for e, r in ((exports[i], reads[i]) for i in fresh)
    ]
    for i, now in zip(fresh, _check(validator, source, to_check, context), strict=True):
        checked[i] = now
        if cache and not isinstance(now, Exception):
            e = exports[i]
            read_now = kept[i][0] is None
            cache.store(e, source, limits, reads[i], contexts[e.kode_satker], now, read_now)
    load = SourceLoad(source, files_checked=len(fresh))
    frames = []
    for index, (export, read, found) in enumerate(zip(exports, reads, checked, strict=True)):
        rows = None
        try:
            if isinstance(found, Exception):
                raise found
            assert found is not None
            result = decide(source, read, found.issues, max_error_ratio)
            rows = loaded_rows(source, result, export)
            if index in checked_now:  # validation history grows only with what was checked
                load.rule_results += found.rule_results
        except Exception as exc:  # whatever one file does, it stays that file's problem
            result = unexpected(export.path(history), source, exc, "memeriksa")
        load.files.append(FileLoad(export, result))
        if rows is not None:
            frames.append(rows)
    if source.name in DEFAULTS:
        loaded = {f.export.kode_satker for f in load.files if f.rows_valid}
        if DEFAULT_SATKER in satkers and DEFAULT_SATKER not in loaded:
            frames.append(default_rows(source))
            load.defaults_used.append(DEFAULT_SATKER)
    load.rows = pl.concat(frames, how="diagonal_relaxed") if frames else None
    return load
