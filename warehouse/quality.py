"""Checking each export with Great Expectations, from the source declarations (SPEC §3).

The reader already refused what cannot be typed (missing required columns, cells that do not
parse, empty values a row cannot do without, duplicate keys in a file). What remains are the
rules about typed values, and each source's suite is derived from its declaration:

- every count column with a ``minimum`` → ``ExpectColumnValuesToBeBetween``;
- every ``DateOrder`` → ``ExpectColumnPairValuesAToBeGreaterThanB`` (or equal);
- every domain ``Check`` → a boolean column computed with polars, then
  ``ExpectColumnValuesToBeInSet([True])`` on it.

Validation runs on pandas frames (GX 1.24's SQL datasource over duckdb_engine returns no
rows): one conversion per file, holding only the non-personal columns, the row number and
the computed rule columns, so neither GX's results nor its Data Docs ever see a NIK, phone
number, e-mail or address. Unexpected rows come back by row number (``_row_number``).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from sources.model import CheckContext, Column, Source
from sources.sheet import ROW_NUMBER, Issue, ReadResult

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

NEGATIVE = "nilai_negatif"
DATE_ORDER = "urutan_tanggal_salah"
CHECK_PREFIX = "_cek_"


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


def _meta(rule: str, severity: str, message: str, column: Column) -> dict[str, str]:
    return {"rule": rule, "severity": severity, "message": message, "column": column.name}


def expectations(source: Source) -> list[Any]:
    """The GX expectations of a source, each carrying its rule, severity and message."""
    import great_expectations.expectations as gxe

    found: list[Any] = []
    for column in source.columns:
        if column.minimum is not None and column.pii is None:
            found.append(
                gxe.ExpectColumnValuesToBeBetween(
                    column=column.field,
                    min_value=column.minimum,
                    meta=_meta(
                        NEGATIVE,
                        "error",
                        f"{column.name} tidak boleh kurang dari {column.minimum}",
                        column,
                    ),
                )
            )
    for order in source.date_order:
        earlier, later = source.column(order.earlier), source.column(order.later)
        found.append(
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=later.field,
                column_B=earlier.field,
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                meta=_meta(
                    DATE_ORDER,
                    order.severity,
                    f"{later.name} lebih awal dari {earlier.name}",
                    later,
                ),
            )
        )
    for check in source.checks:
        found.append(
            gxe.ExpectColumnValuesToBeInSet(
                column=CHECK_PREFIX + check.name,
                value_set=[True],
                meta=_meta(check.name, check.severity, check.message, source.column(check.column)),
            )
        )
    return found


def validation_frame(source: Source, rows: pl.DataFrame, context: CheckContext) -> pl.DataFrame:
    """Row number, the non-personal columns the rules read, and one column per domain check."""
    plain = [c.field for c in source.columns if c.pii is None and c.field in rows.columns]
    checks = [check.test(context).alias(CHECK_PREFIX + check.name) for check in source.checks]
    return rows.select(pl.col(ROW_NUMBER), *[pl.col(f) for f in plain], *checks)


class Validator:
    """One Great Expectations context for a run; Data Docs under ``docs_dir`` if given."""

    def __init__(self, docs_dir: Path | None = None) -> None:
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        for name in ("great_expectations", "great_expectations.data_context.types.base"):
            logging.getLogger(name).setLevel(logging.ERROR)
        self._gx = gx
        self._lock = threading.Lock()
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.docs_dir = docs_dir.resolve() if docs_dir is not None else None
        if self.docs_dir is not None:
            self.context.add_data_docs_site(
                site_name="iku",
                site_config={
                    "class_name": "SiteBuilder",
                    "store_backend": {
                        "class_name": "TupleFilesystemStoreBackend",
                        "base_directory": str(self.docs_dir),
                    },
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                },
            )
        self._datasource = self.context.data_sources.add_pandas("iku")
        self._suites: dict[str, Any] = {}
        self._count = 0

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self._lock:
            yield

    def _suite(self, source: Source) -> Any:
        if source.name not in self._suites:
            suite = self._gx.ExpectationSuite(name=source.name, expectations=expectations(source))
            self._suites[source.name] = self.context.suites.add(suite)
        return self._suites[source.name]

    def validate(
        self, result: ReadResult, kode_satker: str, file_name: str, context: CheckContext
    ) -> list[RuleResult]:
        """Validate one read export; its findings are appended to ``result.issues``."""
        source = result.source
        if result.rejected or result.rows.is_empty():
            return []
        with self._locked():
            suite = self._suite(source)
        if not suite.expectations:
            return []
        frame = validation_frame(source, result.rows, context).to_pandas()
        with self._locked():
            self._count += 1
            asset = self._datasource.add_dataframe_asset(f"{self._count:04d} {source.name}")
            batch_definition = asset.add_batch_definition_whole_dataframe(
                f"{kode_satker}/{source.name}/{file_name}"
            )
            definition = self.context.validation_definitions.add(
                self._gx.ValidationDefinition(
                    name=f"{self._count:04d} {kode_satker}/{source.name}/{file_name}",
                    data=batch_definition,
                    suite=suite,
                )
            )
            outcome = definition.run(
                batch_parameters={"dataframe": frame},
                result_format={
                    "result_format": "COMPLETE",
                    "unexpected_index_column_names": [ROW_NUMBER],
                    "return_unexpected_index_query": False,
                },
            )
        summaries = []
        for item in outcome.results:
            config = item.expectation_config
            assert config is not None and config.meta is not None
            meta = config.meta
            rows = [int(r[ROW_NUMBER]) for r in item.result.get("unexpected_index_list") or []]
            result.issues.extend(
                Issue(meta["rule"], meta["severity"], meta["message"], row, meta["column"])
                for row in sorted(rows)
            )
            summaries.append(
                RuleResult(
                    source=source.name,
                    kode_satker=kode_satker,
                    file_name=file_name,
                    rule=meta["rule"],
                    severity=meta["severity"],
                    expectation=config.type,
                    rows_checked=int(item.result.get("element_count") or len(frame)),
                    rows_failed=len(rows),
                )
            )
        return summaries

    def build_docs(self) -> Path | None:
        """Write the Data Docs of every validation of this run; returns the index page."""
        if self.docs_dir is None:
            return None
        with self._locked():
            self.context.build_data_docs(site_names=["iku"])
        index = self.docs_dir / "index.html"
        return index if index.exists() else None
