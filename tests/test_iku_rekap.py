"""Roll-ups for KPU Provinsi and KPU RI (iku.rekap_provinsi, iku.rekap_nasional) over several
satkers, and the national satker list they count against (ref.provinsi, ref.kabupaten_kota)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from iku_helpers import build, fetch, insert, new_database

D = dt.date


def stages(on_time: int, late: int) -> list[dict[str, object]]:
    """IKU-1 stages of 2024: ``on_time`` finished by Jadwal Selesai, ``late`` after it."""
    rows = []
    for i in range(on_time + late):
        finished = D(2024, 3, 31) if i < on_time else D(2024, 4, 10)
        rows.append(
            {"kode_tahapan": f"T{i}", "jenis_pemilihan": "Pemilu 2024",
             "jadwal_mulai": D(2024, 3, 1), "jadwal_selesai": D(2024, 3, 31),
             "realisasi_mulai": D(2024, 3, 1), "realisasi_selesai": finished}
        )  # fmt: skip
    return rows


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = new_database(tmp_path)
    insert(con, "tahapan", stages(4, 0), kode_satker="6204")  # Barito Selatan: 100 %
    insert(con, "tahapan", stages(3, 1), kode_satker="6201")  # Kotawaringin Barat: 75 %
    insert(con, "tahapan", stages(1, 1), kode_satker="62")  # KPU Provinsi Kalteng: 50 %
    insert(con, "tahapan", stages(2, 2), kode_satker="1101")  # Aceh Selatan: 50 %
    build(con, D(2024, 12, 31))
    return con


def test_the_national_area_list_is_complete(con: duckdb.DuckDBPyConnection) -> None:
    assert fetch(con, "SELECT count(*) AS n FROM ref.provinsi") == [{"n": 38}]
    assert fetch(con, "SELECT count(*) AS n FROM ref.kabupaten_kota") == [{"n": 514}]
    named = {
        r["kode_satker"]: (r["nama_satker"], r["tingkat"], r["kode_provinsi"])
        for r in fetch(
            con, "SELECT * FROM antara.satker WHERE kode_satker IN ('00', '62', '6204', '6271')"
        )
    }
    assert named == {
        "00": ("KPU RI", "pusat", None),
        "62": ("KPU Provinsi Kalimantan Tengah", "provinsi", "62"),
        "6204": ("KPU Kabupaten Barito Selatan", "kabupaten/kota", "62"),
        "6271": ("KPU Kota Palangkaraya", "kabupaten/kota", "62"),
    }


def test_a_province_counts_its_satkers_and_spreads_their_capaian(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rows = fetch(
        con,
        "SELECT * FROM iku.rekap_provinsi WHERE tahun = 2024 AND triwulan IS NULL "
        "AND kode_iku = 'IKU-1' ORDER BY kode_provinsi",
    )
    assert [r["kode_provinsi"] for r in rows] == ["11", "62"]
    kalteng = rows[1]
    assert kalteng["nama_provinsi"] == "Kalimantan Tengah"
    assert kalteng["satker_terdaftar"] == 14 + 1  # 13 kabupaten, 1 kota, the province
    assert (kalteng["satker_berdata"], kalteng["satker_melapor"]) == (3, 3)
    assert kalteng["satker_mencapai_target"] == 1
    assert (kalteng["capaian_min"], kalteng["capaian_median"], kalteng["capaian_maks"]) == (
        Decimal("50.00"),
        Decimal("75.00"),
        Decimal("100.00"),
    )
    assert kalteng["capaian_rata_rata"] == Decimal("75.00")
    # A quarter without any stage: the satkers have data that year but do not report.
    q2 = fetch(
        con,
        "SELECT satker_berdata, satker_melapor, capaian_median FROM iku.rekap_provinsi "
        "WHERE kode_provinsi = '62' AND tahun = 2024 AND triwulan = 2 AND kode_iku = 'IKU-1'",
    )
    assert q2 == [{"satker_berdata": 3, "satker_melapor": 0, "capaian_median": None}]


def test_the_nation_counts_every_satker(con: duckdb.DuckDBPyConnection) -> None:
    (row,) = fetch(
        con,
        "SELECT * FROM iku.rekap_nasional WHERE tahun = 2024 AND triwulan IS NULL "
        "AND kode_iku = 'IKU-1'",
    )
    assert row["satker_terdaftar"] == 1 + 38 + 514
    assert (row["satker_berdata"], row["satker_melapor"], row["satker_mencapai_target"]) == (
        4,
        4,
        1,
    )
    assert row["capaian_kuartil_1"] == Decimal("50.00")
    assert row["capaian_median"] == Decimal("62.50")


def test_a_satker_missing_from_the_national_list_counts_in_its_province(
    tmp_path: Path,
) -> None:
    """6299 is no kabupaten/kota of the list (Kalimantan Tengah ends at 62.13 and 62.71), yet
    its exports are in the landing: the nation counts it, and so does province 62, which its
    code names; a two-digit code that is no province (or KPU RI) stays national only."""
    con = new_database(tmp_path)
    insert(con, "tahapan", stages(4, 0), kode_satker="6204")  # 100 %
    insert(con, "tahapan", stages(1, 1), kode_satker="6299")  # 50 %, not in the list
    insert(con, "tahapan", stages(0, 2), kode_satker="00")  # KPU RI: 0 %
    build(con, D(2024, 12, 31))
    where = "WHERE tahun = 2024 AND triwulan IS NULL AND kode_iku = 'IKU-1'"
    provinces = fetch(con, f"SELECT * FROM iku.rekap_provinsi {where}")
    assert [r["kode_provinsi"] for r in provinces] == ["62"]
    (kalteng,) = provinces
    assert (kalteng["satker_berdata"], kalteng["satker_melapor"]) == (2, 2)
    assert kalteng["satker_mencapai_target"] == 1
    assert kalteng["capaian_min"] == Decimal("50.00")
    (nation,) = fetch(con, f"SELECT * FROM iku.rekap_nasional {where}")
    assert (nation["satker_berdata"], nation["satker_melapor"]) == (3, 3)
