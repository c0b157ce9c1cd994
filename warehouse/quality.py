"""Checking the typed rows with Great Expectations, from the source declarations (SPEC §3).

The reader refused what cannot be typed (unreadable files, missing required columns, cells
that do not parse). Every other rule is an expectation of the source's suite, derived from
its declaration:

- a column that may not be empty (``nullable=False``, or part of the key) →
  ``ExpectColumnValuesToNotBeNull``;
- the business key unique within a file → ``ExpectCompoundColumnsToBeUnique``;
- a count with a ``minimum`` → ``ExpectColumnValuesToBeBetween``;
- a ``DateOrder`` → ``ExpectColumnPairValuesAToBeGreaterThanB`` (or equal);
- each domain ``Check`` → the expectation its ``Rule`` names (``sources/checks.py``).

All kept files of a source are validated together, as one batch per source and run, with
the file and row number as GX's unexpected index: quarantine comes from GX's own results,
and the Data Docs show each rule by name. Validation runs on a pandas frame (GX 1.24's SQL
datasource over duckdb_engine returns no rows) that never holds personal data: a personal
column enters it as the rank of its value within the file, enough to tell empty values and
duplicate keys; free text (a key such as No Registrasi, an open choice) enters with the
personal data in it masked, each text kept apart (``warehouse.pii.masked_apart``: a phone
number typed as a register number is still a duplicate of itself, and of nothing else). So
neither GX's results nor its Data Docs ever see a NIK, phone number, e-mail or address.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl
import polars.selectors as cs

from sources.model import CheckContext, Column, Kind, Rule, Source
from sources.sheet import KEY_DUPLICATE, ROW_NUMBER, VALUE_MISSING, Issue
from warehouse.imports import great_expectations
from warehouse.pii import masked_apart

NEGATIVE = "nilai_negatif"
DATE_ORDER = "urutan_tanggal_salah"
FILE = "_file"  # position of the file in the batch; with ROW_NUMBER, GX's unexpected index


@dataclass(frozen=True)
class RuleResult:
    """One expectation on one file: how many rows it looked at and how many broke it."""

    source: str
    kode_satker: str
    file_name: str
    rule: str
    severity: str
    expectation: str
    rows_checked: int
    rows_failed: int


@dataclass(frozen=True)
class FileToCheck:
    """The typed rows of one export, with the satker and file they come from."""

    kode_satker: str
    file_name: str
    rows: pl.DataFrame


@dataclass
class Findings:
    """What the checks found in one file: per row, and per expectation."""

    issues: list[Issue] = field(default_factory=list)
    rule_results: list[RuleResult] = field(default_factory=list)


def _meta(rule: str, severity: str, message: str, column: Column) -> dict[str, Any]:
    """The rule behind an expectation, and its ``description``: what the Data Docs show."""
    text = message or "kunci ganda dalam file"
    return {
        "meta": {"rule": rule, "severity": severity, "message": message, "column": column.name},
        "description": f"{rule} ({severity}, kolom {column.name}): {text}",
    }


def in_frame(column: Column) -> str:
    """The column's name in the validation frame: a personal column is there only as the
    rank of its value within its file (``_nik_urutan``)."""
    return f"_{column.field}_urutan" if column.pii else column.field


def _key_columns(source: Source) -> list[str]:
    return [FILE, *(in_frame(source.column(k)) for k in source.key)]


def rules(source: Source, context: CheckContext) -> dict[str, Rule]:
    """The ``Rule`` of each domain check of a source, for this run. Made once per validation:
    a lookup rule holds the satkers' whole reference lists."""
    return {check.name: check.rule(context) for check in source.checks}


def expectations(source: Source, rules: Mapping[str, Rule]) -> list[Any]:
    """The GX expectations of a source, each carrying its rule, severity and message."""
    gxe = great_expectations().expectations
    from great_expectations.expectations.row_conditions import Column as Condition

    found: list[Any] = []
    for column in source.columns:
        if not column.nullable or source.is_key(column):
            meta = _meta(VALUE_MISSING, "error", f"{column.name} kosong", column)
            found.append(gxe.ExpectColumnValuesToNotBeNull(column=in_frame(column), **meta))
    found.append(
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=_key_columns(source),
            ignore_row_if="any_value_is_missing",
            **_meta(KEY_DUPLICATE, "error", "", source.column(source.key[0])),
        )
    )
    for column in source.columns:
        if column.minimum is not None and column.pii is None:
            message = f"{column.name} tidak boleh kurang dari {column.minimum}"
            found.append(
                gxe.ExpectColumnValuesToBeBetween(
                    column=column.field,
                    min_value=column.minimum,
                    **_meta(NEGATIVE, "error", message, column),
                )
            )
    for order in source.date_order:
        earlier, later = source.column(order.earlier), source.column(order.later)
        message = f"{later.name} lebih awal dari {earlier.name}"
        found.append(
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=later.field,
                column_B=earlier.field,
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                **_meta(DATE_ORDER, order.severity, message, later),
            )
        )
    for check in source.checks:
        rule = rules[check.name]
        meta = _meta(check.name, check.severity, check.message, source.column(check.column))
        arguments = dict(rule.arguments)
        if rule.when is not None:
            arguments["row_condition"] = Condition(rule.when) == True  # noqa: E712 (GX's API)
        found.append(getattr(gxe, rule.expectation)(**arguments, **meta))
    return found


def _checked_fields(source: Source, rules: Mapping[str, Rule]) -> set[str]:
    """The fields of the typed rows some expectation of the source reads."""
    fields = {c.field for c in source.columns if not c.nullable or c.minimum is not None}
    fields |= set(source.key_fields)
    fields |= {source.column(n).field for o in source.date_order for n in (o.earlier, o.later)}
    for rule in rules.values():
        fields |= {
            str(rule.arguments[a])
            for a in ("column", "column_A", "column_B")
            if a in rule.arguments
        }
        fields |= {rule.when} if rule.when else set()
    return fields


def validation_frame(
    source: Source, files: Sequence[FileToCheck], rules: Mapping[str, Rule]
) -> pl.DataFrame:
    """One frame for the batch: file and row number, the columns the expectations read (a
    personal column as the rank of its value within its file, free text masked) and the
    columns the rules compute (from the real values, before they are ranked or masked)."""
    computed = {n: e for rule in rules.values() for n, e in rule.computed.items()}
    rows = pl.concat(
        [
            f.rows.with_columns(
                pl.lit(index, dtype=pl.Int32).alias(FILE),
                pl.lit(f.kode_satker).alias("kode_satker"),
            )
            for index, f in enumerate(files)
        ],
        how="diagonal_relaxed",
    )
    needed = _checked_fields(source, rules)
    columns = [c for c in source.columns if c.field in rows.columns and c.field in needed]
    # Integers as Int64: GX compares int64 and float64 columns vectorised, others row by row.
    frame = (
        rows.with_columns(**computed)
        .select(
            FILE,
            ROW_NUMBER,
            *[
                pl.col(c.field).cast(pl.Float64) if c.kind is Kind.DECIMAL else pl.col(c.field)
                for c in columns
                if c.pii is None
            ],
            *[
                pl.col(c.field).rank("dense").over(FILE).alias(in_frame(c))
                for c in columns
                if c.pii
            ],
            *computed,
        )
        .with_columns(cs.integer().cast(pl.Int64))
    )
    # Free text as written may hold personal data: masked, each text kept apart. And markup:
    # the Data Docs write the values that broke a rule (a duplicated key) into their HTML as
    # they are, where a Kode Tahapan <img onerror=…> would run (HTML escaping is one-to-one:
    # equal texts stay equal, distinct ones distinct).
    texts = [c.field for c in columns if c.free_text]
    return frame.with_columns(_html_text(masked_apart(frame[t])) for t in texts) if texts else frame


_HTML_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#39;"))


def _html_text(values: pl.Series) -> pl.Series:
    """The texts as HTML shows them, ``&`` first (``html.escape``, over a whole column)."""
    for char, entity in _HTML_ENTITIES:
        values = values.str.replace_all(char, entity, literal=True)
    return values


def _duplicates(source: Source, unexpected: list[dict[str, Any]]) -> list[tuple[int, int, str]]:
    """(file, row, message) for rows sharing a business key within their file."""
    keys = _key_columns(source)
    frame = pl.DataFrame(unexpected).with_columns(
        pl.len().over(keys).alias("_n"), pl.col(ROW_NUMBER).min().over(keys).alias("_first")
    )
    names = " + ".join(source.key)
    return [
        (
            file,
            number,
            f"kunci {names} sama dengan baris {first} (muncul {n} kali di file ini)"
            if number != first
            else f"kunci {names} muncul {n} kali di file ini",
        )
        for file, number, first, n in frame.select(FILE, ROW_NUMBER, "_first", "_n").iter_rows()
    ]


def findings(source: Source, files: Sequence[FileToCheck], outcome: Any) -> list[Findings]:
    """The findings of each file of a batch from GX's validation result: each rule's
    unexpected rows (file and row number: GX's unexpected index), and per file how many
    rows each expectation looked at and how many broke it."""
    found = [Findings() for _ in files]
    for item in outcome.results:
        config = item.expectation_config
        assert config is not None and config.meta is not None
        meta = config.meta
        if item.exception_info and item.exception_info.get("raised_exception"):
            raise RuntimeError(f"{config.type}: {item.exception_info['exception_message']}")
        unexpected = item.result.get("unexpected_index_list") or []
        if meta["rule"] == KEY_DUPLICATE:
            bad = _duplicates(source, unexpected) if unexpected else []
        else:
            bad = [(int(r[FILE]), int(r[ROW_NUMBER]), meta["message"]) for r in unexpected]
        failed = Counter(file for file, _, _ in bad)
        for file, number, message in bad:
            found[file].issues.append(
                Issue(meta["rule"], meta["severity"], message, number, meta["column"])
            )
        for index, f in enumerate(files):
            found[index].rule_results.append(
                RuleResult(
                    source=source.name,
                    kode_satker=f.kode_satker,
                    file_name=f.file_name,
                    rule=meta["rule"],
                    severity=meta["severity"],
                    expectation=config.type,
                    rows_checked=f.rows.height,
                    rows_failed=failed[index],
                )
            )
    return found
