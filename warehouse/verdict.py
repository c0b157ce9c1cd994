"""The verdict on one export and on each of its rows, and the rows it gives the database.

``decide`` turns what reading and checking found into the export's verdict (rejected when
too many rows are in error; a quarantined row that cannot stand for an item named);
``loaded_rows`` gives every row read, valid or quarantined, with its verdict and provenance
in the columns of ``mentah.<source>`` (``default_rows``: the same for the embedded reference
rows). Pure functions of their arguments: ``warehouse.load`` runs them per export."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import replace
from datetime import datetime

import polars as pl

from sources import Source, defaults
from sources.sheet import (
    ROW_NUMBER,
    TOO_MANY_ERRORS,
    VALUE_INVALID,
    VALUE_MISSING,
    Issue,
    ReadResult,
)
from warehouse.history import Export

DEFAULT_FILE = "(bawaan: data referensi proyek)"
_EPOCH = datetime(1970, 1, 1)
# A quarantined row whose key or item dates cannot be read: it is no item of any IKU.
NOT_AN_ITEM = "bukan_butir"
# The findings of a rule in a file beyond IKU_MAX_FINDINGS_PER_RULE, counted (``capped``).
TRUNCATED = "temuan_dipangkas"


def _row_verdicts(result: ReadResult) -> pl.DataFrame:
    """Per row number: the error rules and messages that quarantine it (empty when valid).

    Every row of a rejected file is quarantined by the file's own error, besides any of
    its rows' own. Only rows in error are listed (the others join to nothing: valid), so
    a file's valid rows cost nothing here."""
    errors = [(i.row_number, i.rule, i.message) for i in result.issues if i.severity == "error"]
    schema = pl.Schema(
        {ROW_NUMBER: result.rows.schema[ROW_NUMBER], "aturan": pl.String(), "pesan": pl.String()}
    )
    found = pl.DataFrame(errors, schema=schema, orient="row")
    whole = found.filter(pl.col(ROW_NUMBER).is_null()).drop(ROW_NUMBER)  # the file's errors
    if not whole.is_empty():  # every row of a rejected file: its own errors, then the file's
        rows = result.rows.select(ROW_NUMBER).join(whole, how="cross")
        found = pl.concat([found.drop_nulls(ROW_NUMBER), rows])
    return found.group_by(ROW_NUMBER, maintain_order=True).agg(
        pl.col("aturan").unique(maintain_order=True).str.join(", "),
        pl.col("pesan").str.join("; "),
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
        result.rows.join(verdicts, on=ROW_NUMBER, how="left", maintain_order="left")
        .with_columns(
            pl.lit(export.kode_satker).alias("kode_satker"),
            pl.lit(export.file_name).alias("nama_file"),
            pl.col(ROW_NUMBER).cast(pl.Int32).alias("nomor_baris"),
            pl.lit(export.modified.replace(tzinfo=None)).alias("waktu_file"),
            pl.lit(export.sha256).alias("sha256_file"),
            pl.lit(export.landed.replace(tzinfo=None)).alias("diterima_pada"),
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
    needed = [(c.name, c.field) for c in source.columns if c.field in fields]  # once, not per row
    names = [name for name, _ in needed]
    quarantined = set(result.error_rows()) if not result.rejected else None
    unreadable = result.rows.filter(~_readable(source, result.rows.columns))
    issues = []
    for row in unreadable.iter_rows(named=True):
        number = row[ROW_NUMBER]
        if quarantined is not None and number not in quarantined:
            continue
        missing = [name for name, field in needed if row.get(field) is None]
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
    frame = pl.read_csv(defaults.DEFAULTS_DIR / defaults.FILES[source.name], infer_schema=False)
    return frame.with_columns(
        pl.lit(defaults.SATKER).alias("kode_satker"),
        pl.lit(DEFAULT_FILE).alias("nama_file"),
        pl.int_range(2, pl.len() + 2, dtype=pl.Int32).alias("nomor_baris"),
        pl.lit(_EPOCH).alias("waktu_file"),
        pl.lit(_EPOCH).alias("diterima_pada"),
        pl.lit(True).alias("sah"),
        _readable(source, frame.columns).alias("terbaca"),
    )


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


def capped(issues: list[Issue], max_per_rule: int | None) -> list[Issue]:
    """The findings of one file as dq.issues lists them: at most ``max_per_rule`` per rule,
    then one per rule and severity counting the others, so that one broken export cannot
    flood dq.issues and the alerts (the quarantine still holds every row set aside). A
    finding of such a count passes as it is: capped twice, the findings are the same."""
    if max_per_rule is None:
        return issues
    kept: Counter[str] = Counter()
    over: Counter[tuple[str, str]] = Counter()  # (rule, severity) beyond the limit
    shown = []
    for issue in issues:
        if issue.rule != TRUNCATED and kept[issue.rule] >= max_per_rule:
            over[(issue.rule, issue.severity)] += 1
            continue
        kept[issue.rule] += 1
        shown.append(issue)
    for (rule, severity), count in over.items():
        message = (
            f"{count} temuan {severity} lain untuk aturan {rule} di file ini tidak dicatat satu "
            f"per satu (batas {max_per_rule} per aturan per file, IKU_MAX_FINDINGS_PER_RULE); "
            "semua baris yang dikarantina ada di dq.quarantine"
        )
        shown.append(Issue(TRUNCATED, "warning", message))
    return shown


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
