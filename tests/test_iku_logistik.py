"""IKU-2 logistik diinventarisasi dan dipelihara: iku.iku2_logistik and iku.capaian."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from iku_helpers import build, by_key, capaian, insert, new_database

D = dt.date
AS_OF = D(2025, 6, 30)


def line(
    kode: str, tahun: int, inventarisasi: object, pemeliharaan: object, kategori: str = ""
) -> dict:
    return {
        "tahun": tahun,
        "kode_barang": kode,
        "nama_barang": f"Barang {kode}",
        "kategori": kategori or "Barang Inventaris",
        "lokasi_gudang": "Gudang Buntok",
        "tanggal_inventarisasi": inventarisasi,
        "tanggal_pemeliharaan": pemeliharaan,
    }


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = new_database(tmp_path)
    insert(
        con,
        "logistik",
        [
            # 2024: Pemilu voted 14 Feb 2024, so the cut-off is 13 Feb 2024.
            # both dates in [1 Jan, 13 Feb]: on time (13 Feb itself is allowed)
            line("L1", 2024, D(2024, 1, 15), D(2024, 2, 13)),
            # upkeep on voting day 14 Feb: after the cut-off
            line("L2", 2024, D(2024, 1, 15), D(2024, 2, 14)),
            # inventory of December 2023 is last year's: not done for 2024
            line("L3", 2024, D(2023, 12, 20), D(2024, 1, 20)),
            # consumables are not IKU-2 items, however good their dates
            line("L4", 2024, D(2024, 1, 15), D(2024, 1, 16), kategori="Habis Pakai"),
            # nothing recorded, cut-off passed
            line("L5", 2024, None, None),
            # 2025 has no voting day in ref.pemilihan: cut-off 31 Dec 2025
            # done early, counted although the cut-off is still ahead
            line("L6", 2025, D(2025, 3, 1), D(2025, 4, 1)),
            # half done, cut-off ahead: not counted yet
            line("L7", 2025, D(2025, 3, 1), None),
        ],
    )
    build(con, AS_OF)
    return con


def test_cut_off_is_day_before_first_voting_day_else_31_december(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rows = by_key(con, "iku2_logistik", "kode_barang")
    assert rows["L1"]["batas_waktu"] == D(2024, 2, 13)
    assert rows["L1"]["tanggal_acuan"] == D(2024, 2, 13)
    assert (rows["L1"]["tahun"], rows["L1"]["triwulan"]) == (2024, 1)
    assert rows["L6"]["batas_waktu"] == D(2025, 12, 31)
    assert (rows["L6"]["tahun"], rows["L6"]["triwulan"]) == (2025, 4)


def test_each_line_is_counted_and_judged(con: duckdb.DuckDBPyConnection) -> None:
    rows = by_key(con, "iku2_logistik", "kode_barang")
    flags = {k: (r["dihitung"], r["tepat_waktu"]) for k, r in rows.items()}
    assert flags == {
        "L1": (True, True),
        "L2": (True, False),
        "L3": (True, False),
        "L4": (False, False),
        "L5": (True, False),
        "L6": (True, True),
        "L7": (False, False),
    }
    assert rows["L1"]["alasan"] is None
    assert rows["L1"]["tanggal_selesai"] == D(2024, 2, 13)
    assert rows["L2"]["alasan"] == "Pemeliharaan setelah batas waktu"
    assert rows["L3"]["alasan"] == "Inventarisasi tahun ini belum tercatat"
    assert rows["L4"]["alasan"] == "Barang habis pakai: tidak dihitung IKU-2"
    assert rows["L5"]["alasan"] == (
        "Inventarisasi tahun ini belum tercatat; Pemeliharaan tahun ini belum tercatat"
    )
    assert rows["L7"]["alasan"].startswith("Belum jatuh tempo")


def test_capaian(con: duckdb.DuckDBPyConnection) -> None:
    assert capaian(con, "IKU-2", 2024) == {
        # L1 L2 L3 L5 counted (all in Q1: cut-off 13 Feb), only L1 on time
        None: (1, 4, Decimal("25.00")),
        1: (1, 4, Decimal("25.00")),
        2: (0, 0, None),
        3: (0, 0, None),
        4: (0, 0, None),
    }
    assert capaian(con, "IKU-2", 2025) == {
        # L6 done early; L7 not due (cut-off 31 Dec, in Q4)
        None: (1, 1, Decimal("100.00")),
        1: (0, 0, None),
        2: (0, 0, None),
        3: (0, 0, None),
        4: (1, 1, Decimal("100.00")),
    }
