"""What a person reads at the end of a run: the IKU table of the published database, the run
page of the Prefect UI, the run history of ``iku status``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from warehouse import escape
from warehouse.load import SourceLoad

QUERY = """
SELECT kode_satker, kode_iku, indikator, target, pembilang, penyebut, realisasi, capaian
FROM iku.capaian
WHERE tahun = ? AND triwulan IS NULL
ORDER BY kode_satker, kode_iku
"""


def _pct(value: object) -> str:
    return "-" if value is None else f"{value:.2f}%"


def latest_year(con: duckdb.DuckDBPyConnection, as_of_year: int) -> int | None:
    row = con.execute(
        "SELECT max(tahun) FROM iku.capaian WHERE tahun <= ? AND penyebut > 0", [as_of_year]
    ).fetchone()
    return row[0] if row else None


def due_counts(database: Path) -> list[dict[str, Any]]:
    """``iku.jatuh_tempo`` counted per satker, IKU and working days left; no item is named."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        cursor = con.execute(
            "SELECT kode_satker, kode_iku, hari_kerja_tersisa, count(*) AS jumlah "
            "FROM iku.jatuh_tempo GROUP BY ALL ORDER BY ALL"
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def capaian_table(database: Path, year: int | None = None, as_of_year: int = 9999) -> str:
    """The whole-year IKU table of ``year`` (default: the latest year with data)."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        year = year or latest_year(con, as_of_year)
        if year is None:
            return "Belum ada data IKU."
        rows = con.execute(QUERY, [year]).fetchall()
    finally:
        con.close()
    lines = [
        f"Capaian IKU tahun {year} (satu tahun penuh)",
        f"{'satker':<7}{'IKU':<7}{'target':>8}{'pembilang/penyebut':>21}{'realisasi':>11}"
        f"{'capaian':>10}  indikator",
    ]
    for satker, kode, indikator, target, pembilang, penyebut, realisasi, capaian in rows:
        short = indikator if len(indikator) <= 60 else indikator[:57] + "..."
        lines.append(
            f"{satker:<7}{kode:<7}{_pct(target):>8}{f'{pembilang}/{penyebut}':>21}"
            f"{_pct(realisasi):>11}{_pct(capaian):>10}  {short}"
        )
    return "\n".join(lines)


STATUS_COLUMNS = (
    "run_id", "dimulai_pada", "tanggal_posisi", "status", "file_baru", "file_dibaca",
    "file_ditolak", "baris_staging", "baris_dikarantina", "peringatan",
)  # fmt: skip


def status_rows(warehouse: Path, limit: int = 10) -> list[dict[str, object]]:
    """The last runs, newest first: those the published database records, completed by the
    run records kept beside it (runs that failed or were stopped after it was published)."""
    from warehouse import runs
    from warehouse.publish import published_path

    rows: dict[str, dict[str, object]] = {}
    database = published_path(warehouse)
    if database.exists():
        con = duckdb.connect(str(database), read_only=True)
        try:
            columns = ", ".join(STATUS_COLUMNS)
            for values in con.execute(f"SELECT {columns} FROM dq.run").fetchall():
                row = dict(zip(STATUS_COLUMNS, values, strict=True))
                rows[str(row["run_id"])] = row
        finally:
            con.close()
    for record in runs.records(warehouse):
        run_id = str(record["run_id"])
        if run_id not in rows or record.get("status") != rows[run_id].get("status"):
            rows[run_id] = {c: record.get(c) for c in STATUS_COLUMNS}
    ordered = sorted(rows.values(), key=lambda r: str(r["run_id"]), reverse=True)
    return ordered[:limit]


def status_table(warehouse: Path, limit: int = 10) -> str:
    rows = status_rows(warehouse, limit)
    if not rows:
        return f"Belum ada run di {warehouse}."
    lines = [
        f"{'run':<24}{'posisi':<12}{'status':<13}{'baru':>6}{'dibaca':>8}{'ditolak':>9}"
        f"{'baris':>9}{'karantina':>11}{'peringatan':>12}"
    ]
    for r in rows:
        lines.append(
            f"{r['run_id']!s:<24}{r['tanggal_posisi'] or '-'!s:<12}{r['status'] or '-'!s:<13}"
            f"{r['file_baru'] if r['file_baru'] is not None else '-'!s:>6}"
            f"{r['file_dibaca'] if r['file_dibaca'] is not None else '-'!s:>8}"
            f"{r['file_ditolak'] if r['file_ditolak'] is not None else '-'!s:>9}"
            f"{r['baris_staging'] if r['baris_staging'] is not None else '-'!s:>9}"
            f"{r['baris_dikarantina'] if r['baris_dikarantina'] is not None else '-'!s:>11}"
            f"{r['peringatan'] if r['peringatan'] is not None else '-'!s:>12}"
        )
    return "\n".join(lines)


def run_markdown(
    run_id: str,
    as_of: date,
    published: Path,
    issues: pl.DataFrame,
    loads: Mapping[str, SourceLoad],
) -> str:
    """A Markdown page for the Prefect UI: the IKU table, the findings, the files read.
    Every value from an export (file names above all) is escaped: it stays text in its cell."""
    md = escape.markdown
    lines = [f"# Run {md(run_id)}", "", f"Tanggal posisi {as_of:%d-%m-%Y}.", ""]
    lines += ["```", capaian_table(published, as_of_year=as_of.year), "```", ""]
    summary = issues.group_by("source", "severity").len().sort("source", "severity")
    lines += ["## Kualitas data", "", "| sumber | tingkat | temuan |", "|---|---|---|"]
    lines += [f"| {md(s)} | {md(v)} | {n} |" for s, v, n in summary.iter_rows()]
    lines += [
        "",
        "## File",
        "",
        "| sumber | file | baris | lolos | ditolak |",
        "|---|---|---|---|---|",
    ]
    for name, load in loads.items():
        for f in load.files:
            lines.append(
                f"| {md(name)} | {md(f.export.file_name)} | {f.rows_read} | {f.rows_valid} | "
                f"{'ya' if f.result.rejected else ''} |"
            )
    return "\n".join(lines)
