"""Staging: one clean typed table per source in the published database.

A staging table holds, per satker and business key, the row of the newest export
that passed the checks (SPEC §2): rows of rejected files and quarantined rows never
get here. Personal data has already been pseudonymised or dropped.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import polars as pl

from sources import SOURCES, Source
from sources.model import Column

SCHEMA = "staging"

# Provenance columns every staging table ends with: where the row came from.
PROVENANCE: tuple[tuple[str, str, str], ...] = (
    ("nama_file", "VARCHAR", "Nama file ekspor asal baris ini"),
    ("nomor_baris", "INTEGER", "Nomor baris di file ekspor (seperti terlihat di Excel)"),
    ("waktu_file", "TIMESTAMP", "Waktu modifikasi file ekspor (yang terbaru menang per kunci)"),
    ("sha256_file", "VARCHAR", "Sidik sha256 file ekspor di arsip riwayat"),
)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def published_columns(source: Source) -> list[tuple[Column, str]]:
    """The columns of a source that reach the published database, with their names there."""
    return [(c, name) for c in source.columns if (name := c.published_field) is not None]


def table_columns(source: Source) -> list[tuple[str, str, str]]:
    """(name, DuckDB type, Indonesian comment) of every column of the staging table."""
    cols = [("kode_satker", "VARCHAR", "Kode satker (Kemendagri, tanpa titik), mis. 6204")]
    for column, name in published_columns(source):
        doc = column.doc
        if source.is_key(column):
            doc += " (bagian kunci bisnis)"
        cols.append((name, column.kind.duckdb_type, f"{column.name}: {doc}"))
    cols.extend(PROVENANCE)
    return cols


def ddl(source: Source) -> list[str]:
    """CREATE TABLE and COMMENT statements for one source's staging table."""
    table = f"{SCHEMA}.{source.name}"
    cols = table_columns(source)
    body = ",\n  ".join(f"{name} {type_}" for name, type_, _ in cols)
    statements = [f"CREATE TABLE {table} (\n  {body}\n)"]
    statements.append(
        f"COMMENT ON TABLE {table} IS "
        + _quote(
            f"{source.title}. Sumber: {source.origin or source.name}; dipakai untuk {source.feeds}."
        )
    )
    statements += [f"COMMENT ON COLUMN {table}.{name} IS {_quote(doc)}" for name, _, doc in cols]
    return statements


def create_tables(con: duckdb.DuckDBPyConnection, sources: Iterable[Source] | None = None) -> None:
    """Create the empty, commented staging tables."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    for source in sources if sources is not None else SOURCES.values():
        for statement in ddl(source):
            con.execute(statement)


def insert(con: duckdb.DuckDBPyConnection, source: Source, frame: pl.DataFrame) -> int:
    """Append rows (already in staging shape) to a source's staging table; returns the count."""
    if frame.is_empty():
        return 0
    names = [name for name, _, _ in table_columns(source)]
    con.register("_staging_rows", frame.select(names).to_arrow())
    try:
        con.execute(f"INSERT INTO {SCHEMA}.{source.name} SELECT * FROM _staging_rows")
    finally:
        con.unregister("_staging_rows")
    return frame.height
