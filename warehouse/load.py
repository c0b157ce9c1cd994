"""From the history to staging rows: read every kept export of a source, keep the valid
rows, and let the newest export win per satker and business key (SPEC §2)."""

from __future__ import annotations

import csv
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl

from sources import Source
from sources.model import CheckContext
from sources.read import (
    ROW_NUMBER,
    ReadLimits,
    ReadResult,
    read_export,
    reject_if_mostly_wrong,
    unexpected,
)
from warehouse.history import Export
from warehouse.quality import RuleResult, Validator

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"

# The embedded defaults (real Barito Selatan data) and the satker they belong to. A satker's
# own exports of that source, once any of them loads, replace the defaults entirely.
DEFAULTS = {"wilayah": "wilayah.csv", "tps": "tps.csv"}
DEFAULT_SATKER = "6204"
DEFAULT_FILE = "(bawaan: data referensi proyek)"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


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
    rows: pl.DataFrame | None = None  # winning valid rows with kode_satker and provenance
    defaults_used: list[str] = field(default_factory=list)  # satkers given the embedded rows
    rule_results: list[RuleResult] = field(default_factory=list)  # one per expectation and file


def _provenance(result: ReadResult, export: Export) -> pl.DataFrame:
    rows = result.valid_rows()
    return rows.with_columns(
        pl.lit(export.kode_satker).alias("kode_satker"),
        pl.lit(export.file_name).alias("nama_file"),
        pl.col(ROW_NUMBER).cast(pl.Int32).alias("nomor_baris"),
        pl.lit(export.modified.replace(tzinfo=None)).alias("waktu_file"),
        pl.lit(export.sha256).alias("sha256_file"),
    ).drop(ROW_NUMBER)


def default_rows(source: Source) -> pl.DataFrame:
    """The embedded reference rows of a source, already in typed form."""
    path = REFERENCE_DIR / DEFAULTS[source.name]
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
    )


def newest_per_key(source: Source, frames: list[pl.DataFrame]) -> pl.DataFrame:
    """One row per satker and key: the newest file wins (ties: the later file name)."""
    if not frames:
        return pl.DataFrame()
    rows = pl.concat(frames, how="diagonal_relaxed")
    keys = ["kode_satker", *source.key_fields]
    return (
        rows.sort(["waktu_file", "nama_file", "nomor_baris"], descending=True)
        .unique(subset=keys, keep="first", maintain_order=True)
        .sort([*keys])
    )


def _by_satker(rows: pl.DataFrame, column: str) -> dict[str, frozenset[str]]:
    """The distinct values of ``column`` per kode_satker."""
    return {
        satker: frozenset(group[column].to_list())
        for (satker,), group in rows.group_by("kode_satker")
    }


@dataclass(frozen=True)
class References:
    """What the checks of one satker's exports may consult: its desa and TPS, the elections."""

    as_of: date
    voting_days: Mapping[str, date]
    desa: Mapping[str, frozenset[str]] = field(default_factory=dict)
    tps: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def context(self, kode_satker: str) -> CheckContext:
        return CheckContext(
            kode_satker=kode_satker,
            as_of=self.as_of,
            voting_days=self.voting_days,
            desa_codes=self.desa.get(kode_satker),
            tps_keys=self.tps.get(kode_satker),
        )

    def with_wilayah(self, load: SourceLoad) -> References:
        rows = load.rows if load.rows is not None else pl.DataFrame()
        if rows.is_empty():
            return self
        desa = rows.filter(pl.col("tingkat").is_in(["desa", "kelurahan"]))
        return References(self.as_of, self.voting_days, _by_satker(desa, "kode_wilayah"), self.tps)

    def with_tps(self, load: SourceLoad) -> References:
        rows = load.rows if load.rows is not None else pl.DataFrame()
        if rows.is_empty():
            return self
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
        return References(self.as_of, self.voting_days, self.desa, _by_satker(keys, "key"))


def _read_and_check(
    source: Source,
    export: Export,
    history: Path,
    max_error_ratio: float,
    validator: Validator | None,
    references: References | None,
    limits: ReadLimits,
) -> tuple[ReadResult, list[RuleResult]]:
    result = read_export(export.path(history), source, max_error_ratio=None, limits=limits)
    rule_results = []
    if validator is not None and references is not None:
        rule_results = validator.validate(
            result, export.kode_satker, export.file_name, references.context(export.kode_satker)
        )
    reject_if_mostly_wrong(result, max_error_ratio)
    return result, rule_results


def load_source(
    source: Source,
    exports: list[Export],
    history: Path,
    max_error_ratio: float,
    validator: Validator | None = None,
    references: References | None = None,
    limits: ReadLimits | None = None,
    *,
    satkers: Collection[str] = (),
) -> SourceLoad:
    """Read and check every kept export of one source and pick the winning rows.

    ``satkers``: the satkers with any export in the history. The embedded reference rows
    belong to satker 6204 and apply only when 6204 is one of them and has no export of this
    source of its own: a landing without 6204 publishes nothing for 6204."""
    load = SourceLoad(source)
    frames = []
    for export in exports:
        try:
            result, rule_results = _read_and_check(
                source, export, history, max_error_ratio, validator, references,
                limits or ReadLimits(as_of=references.as_of if references else None),
            )  # fmt: skip
            rows = None if result.rejected else _provenance(result, export)
        except Exception as exc:  # whatever one file does, it stays that file's problem
            result, rule_results, rows = (
                unexpected(export.path(history), source, exc, "memeriksa"),
                [],
                None,
            )
        load.rule_results += rule_results
        load.files.append(FileLoad(export, result))
        if rows is not None:
            frames.append(rows)
    if source.name in DEFAULTS:
        loaded = {f.export.kode_satker for f in load.files if f.rows_valid}
        if DEFAULT_SATKER in satkers and DEFAULT_SATKER not in loaded:
            frames.append(default_rows(source))
            load.defaults_used.append(DEFAULT_SATKER)
    load.rows = newest_per_key(source, frames)
    return load
