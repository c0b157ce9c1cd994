"""A small real IKU database for tests: staging tables, hand-made rows, ref, iku views."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import duckdb

from sources import SOURCES
from warehouse import reference, staging, views
from warehouse.build import count_staging

SATKER = "6204"
# Region codes of Barito Selatan used by the tests (real Kemendagri codes).
KECAMATAN = "620401"
TAMPULANG = "6204012001"  # desa
RANTAU_KUJANG = "6204011003"  # kelurahan
MALINTUT = "6204012002"  # desa

PROVENANCE = {
    "nama_file": "uji.csv",
    "waktu_file": dt.datetime(2025, 1, 1, 8, 0),
    "sha256_file": "0" * 64,
}


def new_database(path: Path) -> duckdb.DuckDBPyConnection:
    """A fresh database file with the empty tables of loaded rows (``mentah``)."""
    con = duckdb.connect(str(path / "kinerja.duckdb"))
    staging.create_tables(con)
    return con


def insert(
    con: duckdb.DuckDBPyConnection,
    source: str,
    rows: Iterable[Mapping[str, Any]],
    kode_satker: str = SATKER,
) -> None:
    """Insert valid rows of one file into mentah.<source> (staging.<source> shows them);
    absent columns are NULL, provenance is filled in. A row may set the verdict itself
    (``sah``, ``aturan``, ``terbaca``) to stand for a quarantined row."""
    names = [name for name, _, _ in staging.table_columns(SOURCES[source])]
    for number, row in enumerate(rows, start=2):
        unknown = set(row) - set(names)
        if unknown:
            raise KeyError(f"mentah.{source} has no column {sorted(unknown)}")
        values = {
            "kode_satker": kode_satker,
            "nomor_baris": number,
            "sah": True,
            "terbaca": True,
            **PROVENANCE,
            **row,
        }
        marks = ", ".join("?" for _ in names)
        con.execute(
            f"INSERT INTO mentah.{source} ({', '.join(names)}) VALUES ({marks})",
            [values.get(name) for name in names],
        )


def insert_quarantined(
    con: duckdb.DuckDBPyConnection,
    source: str,
    rows: Iterable[Mapping[str, Any]],
    aturan: str = "tanggal_tidak_valid",
    nama_file: str = "rusak.csv",
) -> None:
    """Insert rows as quarantined by ``aturan`` (key and item dates readable unless a row
    says ``terbaca: False``)."""
    insert(
        con,
        source,
        [{"sah": False, "aturan": aturan, "nama_file": nama_file, **row} for row in rows],
    )


def insert_wilayah(con: duckdb.DuckDBPyConnection, kode_satker: str = SATKER) -> None:
    """The kabupaten, one kecamatan, two desa and one kelurahan."""
    insert(
        con,
        "wilayah",
        [
            {"kode_wilayah": "6204", "nama_wilayah": "Barito Selatan", "tingkat": "kabupaten"},
            {"kode_wilayah": KECAMATAN, "nama_wilayah": "Jenamas", "tingkat": "kecamatan"},
            {"kode_wilayah": TAMPULANG, "nama_wilayah": "Tampulang", "tingkat": "desa"},
            {"kode_wilayah": MALINTUT, "nama_wilayah": "Malintut", "tingkat": "desa"},
            {
                "kode_wilayah": RANTAU_KUJANG,
                "nama_wilayah": "Rantau Kujang",
                "tingkat": "kelurahan",
            },
        ],
        kode_satker,
    )


def build(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, reference_dir: Path | None = None
) -> None:
    """Load ref for the as-of date, build the iku views and count staging (as a build does,
    in one transaction: DuckDB would commit each of its hundreds of statements on its own)."""
    con.begin()
    reference.load(con, as_of, reference_dir)
    views.build(con)
    count_staging(con, SOURCES)
    con.commit()


def reference_copy(tmp_path: Path, **files: str) -> Path:
    """A copy of warehouse/reference with some files replaced: name (without .csv) -> text."""
    target = tmp_path / "reference"
    shutil.copytree(reference.DIRECTORY, target)
    for name, text in files.items():
        (target / f"{name}.csv").write_text(text, encoding="utf-8")
    return target


def fetch(con: duckdb.DuckDBPyConnection, sql: str, *params: object) -> list[dict[str, Any]]:
    """Rows of a query as dicts."""
    cursor = con.execute(sql, list(params))
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def by_key(con: duckdb.DuckDBPyConnection, view: str, key: str) -> dict[Any, dict[str, Any]]:
    """Rows of an iku view keyed by one column."""
    return {row[key]: row for row in fetch(con, f"SELECT * FROM iku.{view}")}


def capaian(
    con: duckdb.DuckDBPyConnection, kode_iku: str, tahun: int, kode_satker: str = SATKER
) -> dict[int | None, tuple[int, int, Any]]:
    """triwulan (None = year) -> (pembilang, penyebut, realisasi) of one IKU and year."""
    rows = fetch(
        con,
        "SELECT triwulan, pembilang, penyebut, realisasi FROM iku.capaian "
        "WHERE kode_satker = ? AND kode_iku = ? AND tahun = ?",
        kode_satker,
        kode_iku,
        tahun,
    )
    return {r["triwulan"]: (r["pembilang"], r["penyebut"], r["realisasi"]) for r in rows}
