"""The IKU table a person reads at the end of a run, from the published database."""

from __future__ import annotations

from pathlib import Path

import duckdb

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
