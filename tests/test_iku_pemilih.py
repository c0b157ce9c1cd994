"""IKU-4 data pemilih dimutakhirkan tepat waktu: desa × PDPB quarter in iku.iku4_pemilih."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from iku_helpers import (
    MALINTUT,
    RANTAU_KUJANG,
    TAMPULANG,
    build,
    capaian,
    fetch,
    insert,
    insert_wilayah,
    new_database,
    reference_copy,
)

D = dt.date
AS_OF = D(2025, 7, 20)


def pleno(desa: str, tahun: int, triwulan: int, tanggal: dt.date) -> dict:
    return {
        "tahun": tahun,
        "triwulan": triwulan,
        "kode_desa": desa,
        "pemilih_awal_l": 500,
        "pemilih_awal_p": 490,
        "pemilih_baru_l": 5,
        "pemilih_baru_p": 4,
        "tms_l": 3,
        "tms_p": 2,
        "pemilih_akhir_l": 502,
        "pemilih_akhir_p": 492,
        "tanggal_pleno": tanggal,
    }


PLENO = [
    # Q1 2025, deadline 14 Apr 2025 (default rule)
    pleno(TAMPULANG, 2025, 1, D(2025, 4, 3)),
    pleno(MALINTUT, 2025, 1, D(2025, 4, 14)),  # on the deadline: on time
    pleno(RANTAU_KUJANG, 2025, 1, D(2025, 4, 15)),  # a day late
    # Q2 2025, deadline 14 Jul 2025; Malintut has no row at all
    pleno(TAMPULANG, 2025, 2, D(2025, 7, 2)),
    pleno(RANTAU_KUJANG, 2025, 2, D(2025, 7, 18)),  # late pleno
]


def items(con: duckdb.DuckDBPyConnection, tahun: int) -> dict[tuple[str, int], dict]:
    rows = fetch(con, "SELECT * FROM iku.iku4_pemilih WHERE tahun = ?", tahun)
    return {(r["kode_desa"], r["triwulan"]): r for r in rows}


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = new_database(tmp_path)
    insert_wilayah(con)
    insert(con, "pemilih", PLENO)
    build(con, AS_OF)
    return con


def test_items_are_desa_and_kelurahan_times_quarters(con: duckdb.DuckDBPyConnection) -> None:
    rows = items(con, 2025)
    # 2 desa + 1 kelurahan (not the kabupaten or kecamatan) × 4 quarters
    assert sorted(rows) == sorted(
        (desa, q) for desa in (TAMPULANG, MALINTUT, RANTAU_KUJANG) for q in (1, 2, 3, 4)
    )
    # default rule: the 14th of the month after the quarter; tanggal acuan = quarter's end
    deadlines = {q: rows[(TAMPULANG, q)]["batas_waktu"] for q in (1, 2, 3, 4)}
    assert deadlines == {
        1: D(2025, 4, 14),
        2: D(2025, 7, 14),
        3: D(2025, 10, 14),
        4: D(2026, 1, 14),
    }
    assert rows[(TAMPULANG, 1)]["tanggal_acuan"] == D(2025, 3, 31)
    assert rows[(TAMPULANG, 4)]["tanggal_acuan"] == D(2025, 12, 31)


def test_each_item_is_counted_and_judged(con: duckdb.DuckDBPyConnection) -> None:
    rows = items(con, 2025)
    flags = {k: (r["dihitung"], r["tepat_waktu"]) for k, r in rows.items() if k[1] <= 2}
    assert flags == {
        (TAMPULANG, 1): (True, True),
        (MALINTUT, 1): (True, True),
        (RANTAU_KUJANG, 1): (True, False),
        (TAMPULANG, 2): (True, True),
        (MALINTUT, 2): (True, False),  # no row, deadline 14 Jul before 20 Jul
        (RANTAU_KUJANG, 2): (True, False),
    }
    assert rows[(RANTAU_KUJANG, 1)]["alasan"] == "Pleno setelah batas waktu"
    assert rows[(MALINTUT, 2)]["alasan"] == (
        "Belum ada rekapitulasi PDPB yang sah, batas waktu sudah lewat"
    )
    assert rows[(TAMPULANG, 3)]["dihitung"] is False
    assert rows[(TAMPULANG, 3)]["alasan"].startswith("Belum jatuh tempo")


def test_capaian(con: duckdb.DuckDBPyConnection) -> None:
    assert capaian(con, "IKU-4", 2025) == {
        None: (3, 6, Decimal("50.00")),
        1: (2, 3, Decimal("66.67")),
        2: (1, 3, Decimal("33.33")),
        3: (0, 0, None),  # deadline 14 Oct, after the as-of date
        4: (0, 0, None),
    }


def test_no_pdpb_before_2025(tmp_path: Path) -> None:
    con = new_database(tmp_path)
    insert_wilayah(con)
    insert(con, "pemilih", [pleno(TAMPULANG, 2024, 4, D(2024, 12, 20))])
    build(con, D(2025, 3, 1))
    # 2024 has data (the pemilih row) but no quarter of 2024 is in the PDPB schedule
    assert items(con, 2024) == {}
    assert capaian(con, "IKU-4", 2024)[None] == (0, 0, None)


def test_default_rule_holds_for_any_year(tmp_path: Path) -> None:
    con = new_database(tmp_path)
    insert_wilayah(con)
    insert(con, "sakip", [{"tahun": 2031, "nilai": Decimal("75.00")}])  # 2031 has data
    build(con, D(2032, 2, 1))
    rows = items(con, 2031)
    deadlines = {q: rows[(TAMPULANG, q)]["batas_waktu"] for q in (1, 2, 3, 4)}
    assert deadlines == {
        1: D(2031, 4, 14),
        2: D(2031, 7, 14),
        3: D(2031, 10, 14),
        4: D(2032, 1, 14),
    }
    # no pleno at all: every quarter of 2031 is overdue on 1 Feb 2032
    assert capaian(con, "IKU-4", 2031)[None] == (0, 12, Decimal("0.00"))


def test_schedule_overrides(tmp_path: Path) -> None:
    con = new_database(tmp_path)
    insert_wilayah(con)
    insert(con, "pemilih", PLENO)
    directory = reference_copy(
        tmp_path,
        jadwal_pdpb=(
            "tahun,triwulan,batas_waktu,keterangan\n"
            "2025,2,2025-07-31,Diundur (uji)\n"
            "2025,3,,Tidak ada PDPB (uji)\n"
        ),
    )
    build(con, AS_OF, directory)
    rows = items(con, 2025)
    assert rows[(TAMPULANG, 2)]["batas_waktu"] == D(2025, 7, 31)
    assert rows[(TAMPULANG, 2)]["sumber_jadwal"] == "ref.jadwal_pdpb"
    assert rows[(TAMPULANG, 1)]["sumber_jadwal"] == "aturan bawaan"
    assert (TAMPULANG, 3) not in rows
    # Q2: both plenos are now on time; Malintut not due until 31 Jul
    assert capaian(con, "IKU-4", 2025)[2] == (2, 2, Decimal("100.00"))
    assert capaian(con, "IKU-4", 2025)[3] == (0, 0, None)
