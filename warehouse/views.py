"""The SQL model: run the ``sql/`` files, layer by layer, into the database.

``sql/`` holds one folder per layer, run in name order, each file in name order:
``0_catatan`` (the tables of ``meta`` and ``dq``, which ``warehouse.build`` fills, and
``dq.issues``), ``1_fungsi`` (helper macros, schema ``antara``), ``2_staging``
(``staging.<source>``: the newest valid row per key; ``karantina.<source>``: items known only
from quarantined rows; ``dq.quarantine``), ``3_iku`` (the analysts' ``iku`` views, and the
helper ``antara.tahun_data``) and ``4_audit`` (``audit.<name>``: queries whose rows are what
is wrong, see ``warehouse.audit``) and ``5_laporan`` (``laporan.<name>``: the tables of the
LKjIP report, ``warehouse.laporan``). The rules live in those files (plain SQL with its COMMENT
ON statements); this module only runs them. They read ``mentah.*`` (``warehouse.staging``) and
``ref.*`` (``warehouse.reference``): create those first.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

SCHEMA = "iku"
# Every schema the sql/ files create objects in, recreated empty by each build.
SCHEMAS = ("antara", "staging", "karantina", "iku", "audit", "laporan")
# Views that show a table of loaded rows carry its column comments: schema -> table schema.
LIKE_LOADED = ("staging", "karantina")
LOADED = "mentah"
SQL_DIRECTORY = Path(__file__).resolve().parent.parent / "sql"


class ViewBuildError(RuntimeError):
    """A statement of a ``sql/`` file failed; the message names the file and the statement."""


def sql_files(directory: Path | None = None) -> list[Path]:
    """The files in build order: by layer folder, then by name (``10_...`` before ``20_...``)."""
    directory = directory if directory is not None else SQL_DIRECTORY
    # The layers are the numbered folders; sql/ref is run by warehouse.reference.
    files = sorted(directory.glob("[0-9]_*/*.sql"), key=lambda p: p.relative_to(directory).parts)
    if not files:
        raise ViewBuildError(f"no .sql files in {directory}")
    return files


def _first_line(sql: str) -> str:
    """The first line of a statement that is not a comment, to name it in an error."""
    for line in sql.splitlines():
        text = line.strip()
        if text and not text.startswith("--"):
            return text
    return sql.strip()


def build(con: duckdb.DuckDBPyConnection, directory: Path | None = None) -> list[Path]:
    """(Re)create the model's schemas and run every ``sql/`` file; return the files run."""
    files = sql_files(directory)
    # Start from empty schemas so a view whose file was renamed or removed does not linger.
    for schema in reversed(SCHEMAS):
        con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    for schema in SCHEMAS:
        con.execute(f"CREATE SCHEMA {schema}")
    for path in files:
        run_file(con, path)
    _comment_like_loaded(con)
    return files


def materialise(con: duckdb.DuckDBPyConnection, schema: str = SCHEMA) -> list[str]:
    """Turn every view of ``schema`` into a table of the same name and columns, with the
    view's comments, in the order the views were created (so each is computed from the
    tables before it). The published database is rebuilt every night and read-only for
    analysts: its IKU figures are stored, not recomputed on every query. Rows are stored in
    ``kode_satker`` order where there is one, so that one satker's rows are read without
    scanning the others' (DuckDB skips row groups by their min/max)."""
    found = con.execute(
        "SELECT view_name, comment FROM duckdb_views() WHERE schema_name = ? AND NOT internal "
        "ORDER BY view_oid",
        [schema],
    ).fetchall()
    for name, comment in found:
        columns = con.execute(
            "SELECT column_name, comment FROM duckdb_columns() "
            "WHERE schema_name = ? AND table_name = ? ORDER BY column_index",
            [schema, name],
        ).fetchall()
        order = " ORDER BY kode_satker" if any(c == "kode_satker" for c, _ in columns) else ""
        con.execute(f'CREATE TABLE {schema}."_{name}" AS SELECT * FROM {schema}.{name}{order}')
        con.execute(f"DROP VIEW {schema}.{name}")
        con.execute(f'ALTER TABLE {schema}."_{name}" RENAME TO {name}')
        if comment:
            con.execute(f"COMMENT ON TABLE {schema}.{name} IS {quote(comment)}")
        for column, text in columns:
            if text:
                con.execute(f'COMMENT ON COLUMN {schema}.{name}."{column}" IS {quote(text)}')
    return [name for name, _ in found]


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def run_file(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Run every statement of one ``sql/`` file; a failure names the file and the statement."""
    text = path.read_text(encoding="utf-8")
    try:
        statements = duckdb.extract_statements(text)
    except duckdb.Error as error:
        raise ViewBuildError(f"{path.name}: cannot be parsed: {error}") from error
    for number, statement in enumerate(statements, start=1):
        try:
            con.execute(statement)
        except duckdb.Error as error:
            raise ViewBuildError(
                f"{path.parent.name}/{path.name}, statement {number} "
                f"({_first_line(statement.query)!r}): {error}"
            ) from error


def _comment_like_loaded(con: duckdb.DuckDBPyConnection) -> None:
    """A staging or karantina view shows the columns of its ``mentah`` table: same comments."""
    rows = con.execute(
        "SELECT v.schema_name, v.table_name, v.column_name, t.comment "
        "FROM duckdb_columns() AS v JOIN duckdb_columns() AS t "
        "ON t.schema_name = ? AND t.table_name = v.table_name AND t.column_name = v.column_name "
        "WHERE v.schema_name IN (SELECT unnest(?)) AND v.comment IS NULL AND t.comment IS NOT NULL",
        [LOADED, list(LIKE_LOADED)],
    ).fetchall()
    for schema, view, column, comment in rows:
        con.execute(f"COMMENT ON COLUMN {schema}.{view}.{column} IS {quote(comment)}")
