"""The IKU views: run the ``sql/*.sql`` files, in name order, into schema ``iku``.

The IKU rules live in those files (plain SQL with its COMMENT ON statements); this module
only runs them. They read ``staging.*`` and ``ref.*``, so build the staging tables and load
the reference data (``warehouse.reference.load``) first.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

SCHEMA = "iku"
SQL_DIRECTORY = Path(__file__).resolve().parent.parent / "sql"


class ViewBuildError(RuntimeError):
    """A statement of a ``sql/`` file failed; the message names the file and the statement."""


def sql_files(directory: Path | None = None) -> list[Path]:
    """The view files in build order (by name: ``10_...`` before ``20_...``)."""
    directory = directory if directory is not None else SQL_DIRECTORY
    files = sorted(directory.glob("*.sql"))
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
    """(Re)create schema ``iku`` and run every ``sql/*.sql`` file; return the files run."""
    files = sql_files(directory)
    # Start from an empty schema so a view whose file was renamed or removed does not linger.
    con.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    con.execute(f"CREATE SCHEMA {SCHEMA}")
    for path in files:
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
                    f"{path.name}, statement {number} ({_first_line(statement.query)!r}): {error}"
                ) from error
    return files
