"""What a person reads at the end of a run: the IKU table of the published database, the run
page of the Prefect UI, the run history of ``iku status``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from warehouse import escape, runs
from warehouse.load import SourceLoad

QUERY = """
SELECT kode_satker, kode_iku, indikator, target, pembilang, penyebut, realisasi, capaian
FROM iku.capaian
WHERE tahun = ? AND triwulan IS NULL
ORDER BY kode_satker, kode_iku
"""


def _pct(value: object) -> str:
    return "-" if value is None else f"{value:.2f}%"


def _records(con: duckdb.DuckDBPyConnection, sql: str, *params: object) -> list[dict[str, Any]]:
    """The rows of a query as dicts, decimals as plain numbers (the Prefect artifact is JSON)."""
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [
        {n: float(v) if isinstance(v, Decimal) else v for n, v in zip(names, row, strict=True)}
        for row in cursor.fetchall()
    ]


def due_counts(database: Path) -> list[dict[str, Any]]:
    """``iku.jatuh_tempo`` counted per satker, IKU and working days left; no item is named."""
    query = (
        "SELECT kode_satker, kode_iku, hari_kerja_tersisa, count(*) AS jumlah "
        "FROM iku.jatuh_tempo GROUP BY ALL ORDER BY ALL"
    )
    with duckdb.connect(str(database), read_only=True) as con:
        return _records(con, query)


def capaian_rows(database: Path, as_of_year: int) -> tuple[int | None, list[dict[str, Any]]]:
    """The latest year with data up to ``as_of_year``, and its whole-year rows of iku.capaian
    (the CLI, the Prefect table artifact and the run page show them)."""
    with duckdb.connect(str(database), read_only=True) as con:
        (year,) = con.execute(
            "SELECT max(tahun) FROM iku.capaian WHERE tahun <= ? AND penyebut > 0", [as_of_year]
        ).fetchone() or (None,)
        return (year, _records(con, QUERY, year)) if year is not None else (None, [])


def capaian_table(database: Path, as_of_year: int) -> str:
    """The whole-year IKU table of the latest year with data up to ``as_of_year``."""
    year, rows = capaian_rows(database, as_of_year)
    if year is None:
        return "Belum ada data IKU."
    lines = [
        f"Capaian IKU tahun {year} (satu tahun penuh)",
        f"{'satker':<7}{'IKU':<7}{'target':>8}{'pembilang/penyebut':>21}{'realisasi':>11}"
        f"{'capaian':>10}  indikator",
    ]
    for r in rows:
        indikator = r["indikator"]
        short = indikator if len(indikator) <= 60 else indikator[:57] + "..."
        ratio = f"{r['pembilang']}/{r['penyebut']}"
        lines.append(
            f"{r['kode_satker']:<7}{r['kode_iku']:<7}{_pct(r['target']):>8}{ratio:>21}"
            f"{_pct(r['realisasi']):>11}{_pct(r['capaian']):>10}  {short}"
        )
    return "\n".join(lines)


def _wib(text: object) -> datetime | None:
    """A record's UTC time (ISO, naive) in WIB."""
    try:
        return (
            datetime.fromisoformat(str(text)).replace(tzinfo=UTC).astimezone(runs.WIB)
            if text
            else None
        )
    except ValueError:
        return None


def _duration(start: datetime | None, end: datetime | None) -> str:
    if start is None or end is None:
        return "-"
    seconds = max(0, round((end - start).total_seconds()))
    return f"{seconds // 60} mnt {seconds % 60} dtk" if seconds >= 60 else f"{seconds} dtk"


def status_table(warehouse: Path, limit: int) -> str:
    """The last runs: start in WIB, duration, figures; the published run is marked, and a
    failed run's cause is shown under it."""
    rows = sorted(runs.records(warehouse), key=lambda r: str(r.get("run_id")), reverse=True)
    rows = rows[:limit]
    if not rows:
        return f"Belum ada run di {warehouse}."
    active = runs.published_run(warehouse)
    lines = [
        f"{'run':<24}{'mulai (WIB)':<18}{'durasi':>14}  {'posisi':<12}{'status':<13}"
        f"{'baru':>6}{'dibaca':>8}{'ditolak':>9}{'baris':>9}{'karantina':>11}{'peringatan':>12}"
    ]
    for r in rows:
        start, end = _wib(r.get("dimulai_pada")), _wib(r.get("selesai_pada"))
        counts = ("file_baru", "file_dibaca", "file_ditolak", "baris_staging",
                  "baris_dikarantina", "peringatan")  # fmt: skip
        shown = ["-" if r.get(c) is None else str(r[c]) for c in counts]
        lines.append(
            f"{r.get('run_id')!s:<24}{f'{start:%d-%m-%Y %H:%M}' if start else '-':<18}"
            f"{_duration(start, end):>14}  {r.get('tanggal_posisi') or '-'!s:<12}"
            f"{r.get('status') or '-'!s:<13}{shown[0]:>6}{shown[1]:>8}{shown[2]:>9}{shown[3]:>9}"
            f"{shown[4]:>11}{shown[5]:>12}"
            + ("  <- terbit sekarang" if r.get("run_id") == active else "")
        )
        if r.get("status") == "gagal" and r.get("kesalahan"):
            lines.append(f"{'':<4}sebab: {escape.plain(str(r['kesalahan']))}")
    if active is not None:
        lines += ["", f"Database yang diterbitkan sekarang: run {active}."]
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
    year, rows = capaian_rows(published, as_of.year)
    lines += [f"## Capaian IKU tahun {year} (satu tahun penuh)", ""] if year else []
    lines += [
        "| satker | IKU | target | pembilang/penyebut | realisasi | capaian | indikator |",
        "|---|---|---:|---:|---:|---:|---|",
    ] if rows else ["Belum ada data IKU."]  # fmt: skip
    lines += [
        f"| {md(r['kode_satker'])} | {md(r['kode_iku'])} | {_pct(r['target'])} | "
        f"{r['pembilang']}/{r['penyebut']} | {_pct(r['realisasi'])} | {_pct(r['capaian'])} | "
        f"{md(r['indikator'])} |"
        for r in rows
    ]
    lines += [""]
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


def reports_markdown(paths: list[Path]) -> str:
    """The Prefect artifact that points to the LKjIP reports of a run, one line per
    satker-year with its HTML, PDF and XLSX."""
    if not paths:
        return "Tidak ada laporan LKjIP yang ditulis pada run ini."
    lines = ["# Laporan LKjIP", "", "| laporan | HTML | PDF | XLSX |", "|---|---|---|---|"]
    for html in sorted(p for p in paths if p.suffix == ".html"):
        links = [f"[{html.stem}.{s}]({html.with_suffix('.' + s).resolve().as_uri()})"
                 for s in ("html", "pdf", "xlsx")]  # fmt: skip
        lines.append(f"| {html.stem} | {' | '.join(links)} |")
    return "\n".join(lines)
