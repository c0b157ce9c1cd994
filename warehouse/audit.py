"""Audits: checks of a built database that gate publishing (SQLMesh audits, dbt tests).

Each audit is a view ``audit.<name>`` (``sql/4_audit``) whose rows are what is wrong: no
rows means it holds. ``run`` counts every audit's rows into ``dq.audit`` and raises
``AuditFailed`` naming the audits and their first rows when any fails, so the run publishes
nothing and the previous ``kinerja.duckdb`` stays.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb

SCHEMA = "audit"
SAMPLE_ROWS = 5  # offending rows named per failed audit in the message and in dq.audit


@dataclass(frozen=True)
class AuditResult:
    name: str
    description: str
    rows: int
    sample: list[dict[str, object]]

    @property
    def passed(self) -> bool:
        return self.rows == 0


class AuditFailed(RuntimeError):
    """The built database breaks an audit: it must not be published."""

    def __init__(self, failed: list[AuditResult]) -> None:
        self.failed = failed
        parts = [
            f"audit.{r.name}: {r.rows} baris, mis. "
            + "; ".join(json.dumps(row, default=str, ensure_ascii=False) for row in r.sample)
            for r in failed
        ]
        super().__init__("audit gagal, database tidak diterbitkan: " + " | ".join(parts))


def check(con: duckdb.DuckDBPyConnection) -> list[AuditResult]:
    """Run every audit view; its rows are the offences."""
    audits = con.execute(
        "SELECT view_name, coalesce(comment, '') FROM duckdb_views() "
        "WHERE schema_name = ? ORDER BY view_name",
        [SCHEMA],
    ).fetchall()
    results = []
    for name, description in audits:
        (rows,) = con.execute(f"SELECT count(*) FROM {SCHEMA}.{name}").fetchone() or (0,)
        sample: list[dict[str, object]] = []
        if rows:
            cursor = con.execute(f"SELECT * FROM {SCHEMA}.{name} LIMIT {SAMPLE_ROWS}")
            columns = [d[0] for d in cursor.description]
            sample = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        results.append(AuditResult(name, description, rows, sample))
    return results


def run(con: duckdb.DuckDBPyConnection) -> list[AuditResult]:
    """Run the audits, record them in ``dq.audit``; raise AuditFailed when any fails."""
    results = check(con)
    con.execute("DELETE FROM dq.audit")  # the table: sql/0_catatan/20_dq.sql
    con.executemany(
        "INSERT INTO dq.audit VALUES (?, ?, ?, ?, ?)",
        [
            [
                r.name,
                r.description,
                r.rows,
                r.passed,
                json.dumps(r.sample, default=str, ensure_ascii=False) if r.sample else None,
            ]
            for r in results
        ],
    )
    failed = [r for r in results if not r.passed]
    if failed:
        raise AuditFailed(failed)
    return results
