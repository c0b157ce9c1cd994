"""iku.capaian: the analysts' contract (SPEC §4): columns, types, grid, arithmetic."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
from iku_helpers import (
    TAMPULANG,
    build,
    capaian,
    fetch,
    insert,
    insert_quarantined,
    insert_wilayah,
    new_database,
    reference_copy,
)

D = dt.date

CONTRACT = [
    ("kode_satker", "VARCHAR"),
    ("tahun", "INTEGER"),
    ("triwulan", "INTEGER"),
    ("kode_iku", "VARCHAR"),
    ("indikator", "VARCHAR"),
    ("target", "DECIMAL"),
    ("pembilang", "BIGINT"),
    ("penyebut", "BIGINT"),
    ("realisasi", "DECIMAL"),
    ("capaian", "DECIMAL"),
]


def stage(kode: str, selesai: dt.date, realisasi: dt.date | None) -> dict:
    return {
        "kode_tahapan": kode,
        "jadwal_mulai": D(selesai.year, 1, 1),
        "jadwal_selesai": selesai,
        "realisasi_mulai": D(selesai.year, 1, 1),
        "realisasi_selesai": realisasi,
    }


def empty_database(tmp_path: Path, as_of: dt.date) -> duckdb.DuckDBPyConnection:
    con = new_database(tmp_path)
    build(con, as_of)
    return con


def test_columns_and_types_are_the_contract(tmp_path: Path) -> None:
    con = empty_database(tmp_path, D(2025, 6, 30))
    described = con.execute("DESCRIBE iku.capaian").fetchall()
    got = [(name, type_.split("(")[0]) for name, type_, *_ in described]
    assert got == CONTRACT
    scales = {name: type_ for name, type_, *_ in described if type_.startswith("DECIMAL")}
    assert scales["realisasi"].endswith(",2)")
    assert scales["capaian"].endswith(",2)")


def test_full_grid_for_every_satker_and_year_with_data(tmp_path: Path) -> None:
    con = new_database(tmp_path)
    insert(con, "tahapan", [stage("A", D(2024, 5, 31), D(2024, 5, 30))])
    insert(con, "sakip", [{"tahun": 2025, "nilai": Decimal("70")}])
    # a second satker with data only in 2025
    insert(con, "tahapan", [stage("B", D(2025, 2, 28), None)], kode_satker="6211")
    build(con, D(2025, 6, 30))
    rows = fetch(con, "SELECT * FROM iku.capaian")
    # (6204: 2024 and 2025) + (6211: 2025) = 3 satker-years × 5 periods × 6 IKU
    assert len(rows) == 3 * 5 * 6
    keys = {(r["kode_satker"], r["tahun"], r["triwulan"], r["kode_iku"]) for r in rows}
    assert len(keys) == len(rows)
    assert {(k[0], k[1]) for k in keys} == {("6204", 2024), ("6204", 2025), ("6211", 2025)}
    assert {k[2] for k in keys} == {None, 1, 2, 3, 4}
    assert {k[3] for k in keys} == {f"IKU-{n}" for n in range(1, 7)}
    # where nothing counts: 0 / 0 and no percentage
    empty = [r for r in rows if r["penyebut"] == 0]
    assert empty
    assert all(r["pembilang"] == 0 for r in empty)
    assert all(r["realisasi"] is None and r["capaian"] is None for r in empty)
    # the 2024 stage, on time, in Q2; the 6211 stage overdue in Q1 2025
    assert capaian(con, "IKU-1", 2024)[2] == (1, 1, Decimal("100.00"))
    assert capaian(con, "IKU-1", 2025, "6211")[1] == (0, 1, Decimal("0.00"))
    assert capaian(con, "IKU-1", 2025)[None] == (0, 0, None)


def test_no_data_no_rows(tmp_path: Path) -> None:
    con = new_database(tmp_path)
    insert_wilayah(con)  # wilayah alone has no year: IKU-4 does not invent one
    build(con, D(2026, 11, 28))
    assert fetch(con, "SELECT * FROM iku.capaian") == []


def test_a_quarantined_report_still_brings_its_year(tmp_path: Path) -> None:
    """A siakba or pemilih export whose rows are all quarantined (a file rejected for too
    many bad rows) still has data for its year: the TPS and desa of that year stay items,
    overdue and never on time, instead of the year leaving iku.capaian with its misses."""
    con = new_database(tmp_path)
    insert_wilayah(con)
    tps = {"jenis_pemilihan": "Pilkada 2024", "kode_desa": TAMPULANG, "nomor_tps": 1}
    insert(con, "tps", [tps])
    insert_quarantined(con, "siakba", [tps], aturan="terlalu_banyak_baris_salah")
    insert_quarantined(
        con,
        "pemilih",
        [{"tahun": 2026, "triwulan": 1, "kode_desa": TAMPULANG}],
        aturan="saldo_pemilih_tidak_seimbang",
    )
    build(con, D(2026, 6, 30))
    years = fetch(con, "SELECT DISTINCT tahun FROM iku.capaian ORDER BY tahun")
    assert [r["tahun"] for r in years] == [2024, 2026]
    assert capaian(con, "IKU-6", 2024)[None] == (0, 1, Decimal("0.00"))
    # three desa/kelurahan, quarter I of 2026 overdue (14 April)
    assert capaian(con, "IKU-4", 2026)[1] == (0, 3, Decimal("0.00"))


def test_quarter_boundaries(tmp_path: Path) -> None:
    con = new_database(tmp_path)
    insert(
        con,
        "tahapan",
        [stage("Q1", D(2025, 3, 31), D(2025, 3, 31)), stage("Q2", D(2025, 4, 1), D(2025, 4, 1))],
    )
    insert(
        con,
        "ppid",
        [
            {
                "no_registrasi": "1",
                "tanggal_permohonan": D(2025, 3, 31),
                "tanggal_pemberitahuan_tertulis": D(2025, 4, 8),
            },
            {
                "no_registrasi": "2",
                "tanggal_permohonan": D(2025, 4, 1),
                "tanggal_pemberitahuan_tertulis": D(2025, 4, 8),
            },
        ],
    )
    build(con, D(2025, 12, 31))
    iku1 = capaian(con, "IKU-1", 2025)
    assert (iku1[1][1], iku1[2][1], iku1[None][1]) == (1, 1, 2)
    iku3 = capaian(con, "IKU-3", 2025)
    assert (iku3[1][1], iku3[2][1], iku3[None][1]) == (1, 1, 2)


def test_capaian_is_realisasi_against_target(tmp_path: Path) -> None:
    text = (reference_copy(tmp_path / "asli") / "iku.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    # IKU-1 target 80 instead of 100
    lines = [ln.replace(",100,", ",80,") if ln.startswith("IKU-1,") else ln for ln in lines]
    directory = reference_copy(tmp_path, iku="\n".join(lines) + "\n")
    con = new_database(tmp_path)
    insert(
        con,
        "tahapan",
        [
            stage("A", D(2025, 1, 31), D(2025, 1, 31)),
            stage("B", D(2025, 2, 28), D(2025, 3, 3)),
            stage("C", D(2025, 3, 31), D(2025, 3, 31)),
        ],
    )
    build(con, D(2025, 6, 30), directory)
    row = fetch(con, "SELECT * FROM iku.capaian WHERE kode_iku = 'IKU-1' AND triwulan IS NULL")[0]
    # 2 of 3 on time: 66.67 %; against a target of 80: 100 * 66.67 / 80 = 83.3375 -> 83.34
    assert (row["target"], row["realisasi"], row["capaian"]) == (
        Decimal("80.00"),
        Decimal("66.67"),
        Decimal("83.34"),
    )


def test_indikator_and_target_come_from_ref_iku(tmp_path: Path) -> None:
    con = new_database(tmp_path)
    insert(con, "sakip", [{"tahun": 2025, "nilai": Decimal("70")}])
    build(con, D(2025, 6, 30))
    got = {
        (r["kode_iku"], r["indikator"], r["target"])
        for r in fetch(con, "SELECT kode_iku, indikator, target FROM iku.capaian")
    }
    assert got == {
        (r["kode_iku"], r["indikator"], r["target"]) for r in fetch(con, "SELECT * FROM ref.iku")
    }
    assert all(target == Decimal("100") for _, _, target in got)


def test_percent_rounds_half_up_exactly(tmp_path: Path) -> None:
    con = empty_database(tmp_path, D(2025, 6, 30))
    got = con.execute(
        "SELECT antara.persen(2, 3), antara.persen(1, 8), antara.persen(3, 4000), antara.persen(1, 0), "
        "antara.persen(0, 5)"
    ).fetchone()
    # 66.666.. -> 66.67; 12.5 exactly; 0.075 -> 0.08 (a float division gives 0.07)
    assert got == (Decimal("66.67"), Decimal("12.50"), Decimal("0.08"), None, Decimal("0.00"))


def test_capaian_adds_up_the_detail_views(tmp_path: Path) -> None:
    con = new_database(tmp_path)
    insert_wilayah(con)
    insert(con, "tahapan", [stage("A", D(2024, 5, 31), None), stage("B", D(2025, 5, 31), None)])
    insert(con, "ppid", [{"no_registrasi": "1", "tanggal_permohonan": D(2024, 2, 1)}])
    insert(
        con,
        "logistik",
        [
            {
                "tahun": 2024,
                "kode_barang": "KS",
                "kategori": "Barang Inventaris",
                "lokasi_gudang": "Buntok",
                "tanggal_inventarisasi": D(2024, 1, 5),
                "tanggal_pemeliharaan": D(2024, 1, 6),
            }
        ],
    )
    insert(con, "tps", [{"jenis_pemilihan": "Pemilu 2024", "kode_desa": TAMPULANG, "nomor_tps": 1}])
    insert(
        con,
        "keuangan",
        [
            {
                "nip": "197001012000031001",
                "jenis_laporan": "SPJ",
                "periode_laporan": D(2025, m, 1),
                "batas_waktu": D(2025, m + 1, 10),
                "tanggal_penyampaian": D(2025, m + 1, 10 + m % 2),
            }
            for m in range(1, 6)
        ],
    )
    build(con, D(2025, 6, 30))
    # 2024 and 2025 × 5 periods × 6 IKU
    assert con.execute("SELECT count(*) FROM iku.capaian").fetchone() == (60,)
    from_views = fetch(
        con,
        """
        SELECT kode_iku, tahun, count(*) FILTER (WHERE dihitung) AS penyebut,
               count(*) FILTER (WHERE tepat_waktu) AS pembilang
        FROM (
            SELECT 'IKU-1' AS kode_iku, tahun, dihitung, tepat_waktu FROM iku.iku1_tahapan
            UNION ALL SELECT 'IKU-2', tahun, dihitung, tepat_waktu FROM iku.iku2_logistik
            UNION ALL SELECT 'IKU-3', tahun, dihitung, tepat_waktu FROM iku.iku3_ppid
            UNION ALL SELECT 'IKU-4', tahun, dihitung, tepat_waktu FROM iku.iku4_pemilih
            UNION ALL SELECT 'IKU-5', tahun, dihitung, tepat_waktu FROM iku.iku5_pejabat
                WHERE triwulan IS NULL
            UNION ALL SELECT 'IKU-6', tahun, dihitung, tepat_waktu FROM iku.iku6_kpps
        )
        GROUP BY ALL
        """,
    )
    expected = {(r["kode_iku"], r["tahun"]): (r["pembilang"], r["penyebut"]) for r in from_views}
    got = {
        (r["kode_iku"], r["tahun"]): (r["pembilang"], r["penyebut"])
        for r in fetch(con, "SELECT * FROM iku.capaian WHERE triwulan IS NULL AND penyebut > 0")
    }
    assert got == {k: v for k, v in expected.items() if v[1] > 0}
    # hand count: IKU-1 two overdue stages; IKU-2 one line on time; IKU-3 one overdue request;
    # IKU-4 three desa/kelurahan × Q1 2025 overdue (deadline 14 Apr); IKU-5 one official
    # whose January, March and May reports came a day late; IKU-6 one TPS without KPPS
    assert got == {
        ("IKU-1", 2024): (0, 1),
        ("IKU-1", 2025): (0, 1),
        ("IKU-2", 2024): (1, 1),
        ("IKU-3", 2024): (0, 1),
        ("IKU-4", 2025): (0, 3),
        ("IKU-5", 2025): (0, 1),
        ("IKU-6", 2024): (0, 1),
    }
    # for the IKU counted per item, the whole year is the sum of its quarters
    sums = fetch(
        con,
        """
        SELECT kode_iku, tahun, sum(penyebut) FILTER (WHERE triwulan IS NOT NULL) AS kuartal,
               sum(penyebut) FILTER (WHERE triwulan IS NULL) AS setahun
        FROM iku.capaian WHERE kode_iku <> 'IKU-5' GROUP BY ALL
        """,
    )
    assert all(r["kuartal"] == r["setahun"] for r in sums)
